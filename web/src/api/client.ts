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

async function readProblem(res: Response): Promise<{ title: string; detail?: string; problem?: Record<string, unknown> }> {
  const fallback = { title: `${res.status} ${res.statusText}`.trim() }
  const text = await res.text().catch(() => '')
  if (!text) return fallback
  try {
    const parsed = Problem.safeParse(JSON.parse(text))
    if (parsed.success) return { title: parsed.data.title ?? fallback.title, detail: parsed.data.detail, problem: parsed.data }
  } catch {
    // Not JSON (a proxy's HTML error page, say): show its start as the detail.
  }
  return { ...fallback, detail: text.slice(0, 200) }
}

/** One request to `API_BASE + path`, its JSON body parsed with `schema`; throws `ApiError`. */
async function request<S extends z.ZodType>(method: string, path: string, schema: S, init: RequestInit & { signal?: AbortSignal }): Promise<z.output<S>> {
  let res: Response
  try {
    res = await fetch(API_BASE + path, { ...init, method, headers: { Accept: 'application/json', ...init.headers }, credentials: 'same-origin' })
  } catch (cause) {
    // An abort is not an error of ours: let TanStack Query see it as it is.
    if (init.signal?.aborted) throw cause
    throw new ApiError({ kind: 'network', status: 0, title: 'Network error', detail: String(cause), path, cause })
  }
  if (!res.ok) {
    const { title, detail, problem } = await readProblem(res)
    throw new ApiError({ kind: 'http', status: res.status, title, detail, path, problem })
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

/**
 * GET `API_BASE + path` and parse the JSON body with `schema`; throws `ApiError`.
 *
 * @example
 * const health = await apiGet('/health', Health, { signal })
 */
export function apiGet<S extends z.ZodType>(
  path: string,
  schema: S,
  init: { signal?: AbortSignal } = {},
): Promise<z.output<S>> {
  return request('GET', path, schema, { signal: init.signal })
}

/**
 * Sends `body` to `API_BASE + path` with `method` and parses the JSON answer with `schema`.
 * A string body goes as it is with `contentType` (CSV uploads); anything else as JSON.
 * A problem+json error keeps its whole body in `ApiError.problem` (e.g. `errors[].path`).
 *
 * @example
 * const { id } = await apiSend('POST', '/segments', { name, entity, rule }, SegmentCreated)
 */
export function apiSend<S extends z.ZodType>(
  method: 'POST' | 'PUT' | 'DELETE' | 'PATCH',
  path: string,
  body: unknown,
  schema: S,
  init: { signal?: AbortSignal; contentType?: string } = {},
): Promise<z.output<S>> {
  const raw = typeof body === 'string'
  return request(method, path, schema, {
    signal: init.signal,
    headers: body === undefined ? {} : { 'Content-Type': init.contentType ?? (raw ? 'text/plain' : 'application/json') },
    body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
  })
}
