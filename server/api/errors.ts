/**
 * The one error registry: every API error has a code with its HTTP status and title, and goes
 * out as `application/problem+json` (RFC 9457). Anything not raised as an {@link ApiError} is a
 * 500: an unknown failure is never blamed on the caller.
 */
import type { ErrorRequestHandler } from 'express'
import { DbError } from '../db/gateway.js'
import { log } from '../log.js'

export const ERRORS = {
  bad_request: { status: 400, title: 'The request is malformed' },
  invalid_body: { status: 400, title: 'The body cannot be parsed' },
  invalid_query: { status: 400, title: 'A query parameter is invalid' },
  not_found: { status: 404, title: 'Not found' },
  payload_too_large: { status: 413, title: 'The body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  engine_error: { status: 500, title: 'The database failed' },
  internal: { status: 500, title: 'Internal error' },
} as const
export type ErrorCode = keyof typeof ERRORS

export class ApiError extends Error {
  override name = 'ApiError'
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail)
  }
  get status(): number {
    return ERRORS[this.code].status
  }
}

export function problem(code: ErrorCode, detail: string, extra: Record<string, unknown> = {}) {
  return { type: `/problems/${code}`, title: ERRORS[code].title, status: ERRORS[code].status, detail, ...extra }
}

/** Express error middleware: maps errors to problem+json. */
export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  let body
  if (err instanceof ApiError) body = problem(err.code, err.detail, err.extra)
  else if (err?.type === 'entity.too.large') body = problem('payload_too_large', `the body exceeds ${err.limit} bytes`)
  else if (err?.type === 'entity.parse.failed') body = problem('invalid_body', `the body is not valid JSON: ${err.message}`)
  else if (err instanceof DbError) {
    log.error('database error', { path: req.path, query_id: err.queryId, error: err.message })
    body = problem('engine_error', 'the database failed to answer; see the server log', { query_id: err.queryId })
  } else {
    log.error('unhandled error', { path: req.path, error: String(err?.stack ?? err) })
    body = problem('internal', 'an unexpected error occurred; see the server log')
  }
  res.status(body.status).type('application/problem+json').send(JSON.stringify(body))
}
