// Kept apart from client.ts so the shell can check errors without loading zod.

export type ApiErrorKind = 'http' | 'network' | 'parse'

/**
 * The one error the API layer throws. `kind` says where it failed: the server answered
 * with an error (`http`, carrying the problem's `title`/`detail`), nothing answered
 * (`network`), or the body did not match the schema (`parse`).
 */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  readonly kind: ApiErrorKind
  readonly status: number
  readonly title: string
  readonly detail: string | undefined
  readonly path: string
  /** The whole problem+json body of an `http` error (extension members such as `errors` included). */
  readonly problem: Record<string, unknown> | undefined

  constructor(init: { kind: ApiErrorKind; status: number; title: string; detail?: string; path: string; cause?: unknown; problem?: Record<string, unknown> }) {
    super(init.detail ? `${init.title}: ${init.detail}` : init.title, { cause: init.cause })
    this.kind = init.kind
    this.status = init.status
    this.title = init.title
    this.detail = init.detail
    this.path = init.path
    this.problem = init.problem
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}
