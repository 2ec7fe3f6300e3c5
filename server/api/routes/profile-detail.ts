/**
 * The profile pages' data beyond the attributes: `GET /profiles/{stores|consumers|distributors}/:id/detail`.
 * The attributes themselves come from `GET /profiles/{entity}/:id` (routes/profiles.ts).
 */
import { Router } from 'express'
import { z } from 'zod'
import type { Db } from '../../db/gateway.js'
import { LocalDate } from '../../ingest/schemas.js'
import { consumerDetail, distributorDetail } from '../../profiles/detail-entities.js'
import { storeDetail, type DetailRequest } from '../../profiles/detail.js'
import { defaultAsOf } from '../../profiles/service.js'
import { ALL, type Scope } from '../../scope.js'
import { endpoint, mount } from '../contract.js'
import { ApiError } from '../errors.js'

const Str = z.string().nullable()
export const WeekInfo = z.object({ start: z.string(), iso: z.string(), days: z.number(), partial: z.boolean() })
export const TierMix = z.object({
  window_days: z.number(),
  total: z.number(),
  by_tier: z.array(z.object({ tier: z.string(), bottles: z.number(), share: z.number().nullable() })),
  by_sku: z.array(z.object({ sku_id: z.string(), name: Str, tier: Str, bottles: z.number(), share: z.number().nullable() })),
})
export const WeeklyRewards = z.object({ kinds: z.array(z.object({ kind: z.string(), fen: z.array(z.number()), total_fen: z.number() })), total_fen: z.number() })

export const StoreDetail = z.object({
  id: z.string(),
  as_of: z.string(),
  weeks: z.array(WeekInfo),
  store: z
    .object({
      name: z.string(), kind: z.string(), province: z.string(), city: z.string(), district: z.string(), lat: z.number(), lon: z.number(),
      distributor_id: Str, distributor_name: Str, rep_id: Str, rep_name: Str,
    })
    .nullable(),
  weekly: z.object({ opened: z.array(z.number()), stocked: z.array(z.number()), mean_12w: z.number(), cv_12w: z.number().nullable(), active_weeks_12w: z.number() }),
  tier_mix: TierMix,
  open_map: z.object({
    window_days: z.number(),
    store: z.object({ lat: z.number(), lon: z.number() }).nullable(),
    radius_km: z.number(),
    precision: z.number().nullable(),
    truncated: z.boolean(),
    total_bottles: z.number(),
    points: z.array(z.object({ lat: z.number(), lon: z.number(), bottles: z.number(), km: z.number().nullable() })),
  }),
  rewards: WeeklyRewards,
  recent_events: z.array(
    z.object({
      event_id: z.string(), ts: z.string(), type: z.string(), code: z.string(), case_code: Str, sku_id: z.string(), product_name: Str,
      bottles: z.number(), consumer_id: Str, distributor_id: Str, city: Str, district: Str, lat: z.number().nullable(), lon: z.number().nullable(),
    }),
  ),
})

export const ConsumerDetail = z.object({
  id: z.string(),
  as_of: z.string(),
  weeks: z.array(WeekInfo),
  timeline: z.object({ opened: z.array(z.number()), opens: z.array(z.number()) }),
  tier_mix: TierMix,
  stores: z.array(z.object({ store_id: z.string(), name: Str, city: Str, opens: z.number(), bottles: z.number(), last_day: z.string() })),
  cities: z.array(z.object({ city: Str, opens: z.number(), bottles: z.number() })),
  recent: z.array(
    z.object({
      day: z.string(), type: z.string(), store_id: Str, store_name: Str, sku_id: z.string(), city: Str, events: z.number(), bottles: z.number(), last_ts: z.string(),
    }),
  ),
  rewards: WeeklyRewards,
})

export const DistributorDetail = z.object({
  id: z.string(),
  as_of: z.string(),
  weeks: z.array(WeekInfo),
  distributor: z.object({ name: z.string(), province: z.string(), city: z.string(), territory: z.array(z.string()) }).nullable(),
  weekly: z.object({ opened: z.array(z.number()), stocked: z.array(z.number()) }),
  stores: z.object({
    total: z.number(),
    served: z.number(),
    rows: z.array(z.object({ store_id: z.string(), name: Str, city: Str, stocked: z.number(), opened: z.number(), open_rate: z.number().nullable() })),
  }),
  cities: z.array(z.object({ city: z.string(), bottles: z.number(), inside: z.boolean().nullable() })),
  rewards: WeeklyRewards,
})

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
