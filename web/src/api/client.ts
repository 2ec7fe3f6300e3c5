import { z } from 'zod'
import { ApiError } from './errors'

export { ApiError, isApiError, type ApiErrorKind } from './errors'

/** The base of the JSON API; the dev server and the real server both serve it same-origin. */
export const API_BASE = '/api/v1'

/** RFC 9457 problem details, as the server sends them with `application/problem+json`. */
export const Problem = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().optional(),
})
export type Problem = z.infer<typeof Problem>

async function readProblem(res: Response): Promise<{ title: string; detail?: string }> {
  const fallback = { title: `${res.status} ${res.statusText}`.trim() }
  const text = await res.text().catch(() => '')
  if (!text) return fallback
  try {
    const parsed = Problem.safeParse(JSON.parse(text))
    if (parsed.success) return { title: parsed.data.title ?? fallback.title, detail: parsed.data.detail }
  } catch {
    // Not JSON (a proxy's HTML error page, say): show its start as the detail.
  }
  return { ...fallback, detail: text.slice(0, 200) }
}

/**
 * GET `API_BASE + path` and parse the JSON body with `schema`; throws `ApiError`.
 *
 * @example
 * const health = await apiGet('/health', Health, { signal })
 */
export async function apiGet<S extends z.ZodType>(
  path: string,
  schema: S,
  init: { signal?: AbortSignal } = {},
): Promise<z.output<S>> {
  let res: Response
  try {
    res = await fetch(API_BASE + path, {
      method: 'GET',
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
      signal: init.signal,
    })
  } catch (cause) {
    // An abort is not an error of ours: let TanStack Query see it as it is.
    if (init.signal?.aborted) throw cause
    throw new ApiError({ kind: 'network', status: 0, title: 'Network error', detail: String(cause), path, cause })
  }
  if (!res.ok) {
    const { title, detail } = await readProblem(res)
    throw new ApiError({ kind: 'http', status: res.status, title, detail, path })
  }
  let body: unknown
  try {
    body = await res.json()
  } catch (cause) {
    throw new ApiError({ kind: 'parse', status: res.status, title: 'Response is not JSON', path, cause })
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    throw new ApiError({
      kind: 'parse',
      status: res.status,
      title: 'Unexpected response',
      detail: z.prettifyError(parsed.error),
      path,
      cause: parsed.error,
    })
  }
  return parsed.data
}
