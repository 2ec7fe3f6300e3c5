/**
 * Endpoint contracts as data: method, path, query and body schemas and the response schema.
 * One Express wrapper ({@link mount}) validates against them and the OpenAPI document is
 * generated from the same list, so the two cannot drift.
 */
import type { Request, Response, Router } from 'express'
import { z } from 'zod'
import { ApiError } from './errors.js'

export interface Endpoint<Q extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  method: 'get' | 'post' | 'put' | 'delete'
  /** Express path, e.g. `/ingest/:kind`; OpenAPI uses `{kind}`. */
  path: string
  summary: string
  tag: string
  params?: Record<string, z.ZodType>
  query?: Q
  /** Request body: content types → schema, for the OpenAPI document. */
  body?: Record<string, z.ZodType>
  response: R
  /** Extra responses documented in OpenAPI (status → description). */
  errors?: number[]
}

/** Declares an endpoint with its types inferred. */
export function endpoint<Q extends z.ZodType, R extends z.ZodType>(e: Endpoint<Q, R>): Endpoint<Q, R> {
  return e
}

/**
 * Mounts a handler for an endpoint: the query is parsed with the contract's schema (400 naming
 * the parameter on failure) and the result is sent as JSON.
 */
export function mount<Q extends z.ZodType, R extends z.ZodType>(
  router: Router,
  e: Endpoint<Q, R>,
  handler: (ctx: { req: Request; res: Response; query: z.output<Q> }) => Promise<z.input<R>> | z.input<R>,
): void {
  router[e.method](e.path, async (req: Request, res: Response) => {
    let query = undefined as z.output<Q>
    if (e.query) {
      const p = e.query.safeParse(req.query)
      if (!p.success) {
        const errors = p.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
        throw new ApiError('invalid_query', errors.map((x) => `${x.path}: ${x.message}`).join('; '), { errors })
      }
      query = p.data
    }
    const out = await handler({ req, res, query })
    if (!res.headersSent) res.json(out)
  })
}
