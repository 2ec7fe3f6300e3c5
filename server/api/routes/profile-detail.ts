/**
 * The profile pages' data beyond the attributes: `GET /profiles/{stores|consumers|distributors}/:id/detail`.
 * The attributes themselves come from `GET /profiles/{entity}/:id` (routes/profiles.ts).
 */
import { Router } from 'express'
import { z } from 'zod'
import { ConsumerDetail, DistributorDetail, StoreDetail } from '../../../segments/api/profiles.js'
import type { Db } from '../../db/gateway.js'
import { LocalDate } from '../../ingest/schemas.js'
import { consumerDetail, distributorDetail } from '../../profiles/detail-entities.js'
import { storeDetail, type DetailRequest } from '../../profiles/detail.js'
import { defaultAsOf } from '../../profiles/service.js'
import { ALL, type Scope } from '../../scope.js'
import { endpoint, mount } from '../contract.js'
import { ApiError } from '../errors.js'

const DetailQuery = z.object({
  as_of: LocalDate.optional(),
  weeks: z.coerce.number().int().min(1).max(104).default(26),
})

const detailEp = <R extends z.ZodType>(plural: string, parts: string, response: R) =>
  endpoint({
    method: 'get',
    path: `/profiles/${plural}/:id/detail`,
    summary: `One profile page's data beyond the attributes, chart-ready, as of a local date (default tomorrow): ${parts}`,
    tag: 'profiles',
    params: { id: z.string() },
    query: DetailQuery,
    response,
    errors: [400, 404],
  })

const storeEp = detailEp('stores', 'master header, weekly opened/stocked, tier mix, open map, weekly rewards, latest 50 scans', StoreDetail)
const consumerEp = detailEp('consumers', 'weekly timeline, tier mix, stores, cities, latest activity, weekly rewards', ConsumerDetail)
const distributorEp = detailEp('distributors', 'header, weekly series, stores served with open rates, opens by city inside/outside territory, weekly rewards', DistributorDetail)

export const profileDetailEndpoints = [storeEp, consumerEp, distributorEp]

function request(id: string, query: z.output<typeof DetailQuery>): DetailRequest {
  return { id, asOf: query.as_of ?? defaultAsOf(), weeks: query.weeks }
}

function found<T>(entity: string, id: string, asOf: string, v: T | null): T {
  if (v === null) throw new ApiError('not_found', `no ${entity} "${id}": it is neither in master data nor in any scan before ${asOf}`)
  return v
}

/** Routes of the profile pages' detail data; `scopeOf` gives the caller's scope (all, until access control). */
export function profileDetailRouter(db: Db, scopeOf: (req: unknown) => Scope = () => ALL): Router {
  const router = Router()
  mount(router, storeEp, async ({ req, query }) => {
    const r = request(String(req.params.id), query)
    return found('store', r.id, r.asOf, await storeDetail(db, scopeOf(req), r))
  })
  mount(router, consumerEp, async ({ req, query }) => {
    const r = request(String(req.params.id), query)
    return found('consumer', r.id, r.asOf, await consumerDetail(db, scopeOf(req), r))
  })
  mount(router, distributorEp, async ({ req, query }) => {
    const r = request(String(req.params.id), query)
    return found('distributor', r.id, r.asOf, await distributorDetail(db, scopeOf(req), r))
  })
  return router
}
