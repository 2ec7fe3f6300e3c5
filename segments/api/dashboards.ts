/**
 * Response schemas of the dashboard endpoints: the server's route contracts (and the OpenAPI
 * document) and the web's fetchers both use these, so a changed server shows up as a parse
 * error rather than a blank chart. Schema and type share a name; the server's data functions
 * return types that must stay assignable to them (checked by the routes at compile time).
 */
import { z } from 'zod'

const N = z.number()
const NN = z.number().nullable()
const S = z.string()
const SN = z.string().nullable()

export const Kpi = z.object({ value: NN, previous: NN, change: NN })
export type Kpi = z.infer<typeof Kpi>
export const RewardBasis = z.object({ stores: z.boolean(), distributors: z.boolean(), consumers: z.boolean(), product_ignored: z.boolean() })
export type RewardBasis = z.infer<typeof RewardBasis>
export const Grain = z.enum(['day', 'week', 'month'])
export type Grain = z.infer<typeof Grain>

export const FilterOptions = z.object({
  latest_day: SN,
  earliest_day: SN,
  cities: z.array(z.object({ city: S, stores: N, districts: z.array(z.object({ district: S, stores: N })) })),
  kinds: z.array(S),
  tiers: z.array(S),
  skus: z.array(z.object({ sku_id: S, name: S, tier: S })),
  distributors: z.array(z.object({ distributor_id: S, name: S, city: S })),
})
export type FilterOptions = z.infer<typeof FilterOptions>

export const Overview = z.object({
  period: z.object({ from: S, to: S, days: N }),
  previous: z.object({ from: S, to: S }),
  kpis: z.object({
    stocked_bottles: Kpi, opened_bottles: Kpi, open_rate: Kpi, active_stores: Kpi, new_active_stores: Kpi,
    consumers: Kpi, reward_fen: Kpi, reward_per_opened_fen: Kpi,
  }),
  reward_basis: RewardBasis,
  reward_by_beneficiary: z.object({ store: N, distributor: NN, consumer: NN }),
  trend: z.object({ grain: Grain, buckets: z.array(S), stocked: z.array(N), opened: z.array(N) }),
  tiers: z.array(z.object({ tier: S, stocked: N, opened: N })),
  skus: z.array(z.object({ sku_id: S, name: SN, tier: SN, stocked: N, opened: N })),
  distributors: z.array(z.object({ distributor_id: S, name: SN, stocked: N, opened: N, open_rate: NN, active_stores: N })),
  funnel: z.object({ shipped: N, stocked: N, opened: N }),
})
export type Overview = z.infer<typeof Overview>

export const Geography = z.object({
  level: z.enum(['city', 'district', 'store']),
  path: z.object({ city: SN, district: SN }),
  rows: z.array(z.object({ key: S, label: S, stores: N, active_stores: N, stocked: N, opened: N, open_rate: NN })),
  truncated: z.boolean(),
})
export type Geography = z.infer<typeof Geography>

export const GeoMap = z.object({
  stores: z.array(z.object({ store_id: S, name: S, city: S, lat: N, lon: N, stocked: N, opened: N })),
  opens: z.array(z.object({ lat: N, lon: N, bottles: N })),
  cell_deg: N,
  cities: z.array(z.object({ city: S, lat: N, lon: N, stores: N })),
  truncated: z.boolean(),
})
export type GeoMap = z.infer<typeof GeoMap>

export const Flow = z.object({ from_city: S, to_city: S, bottles: N, stores: N, share: N })
export type Flow = z.infer<typeof Flow>
export const Diversion = z.object({
  flows: z.array(Flow),
  located_by_city: z.array(z.object({ city: S, bottles: N, outside: N })),
  alert_bottles: N,
  alerts: z.array(Flow),
  distributors: z.array(z.object({ distributor_id: S, name: SN, located: N, outside: N, share: N })),
  stores: z.array(z.object({ store_id: S, name: S, city: S, located: N, outside: N, share: N })),
  min_bottles: N,
})
export type Diversion = z.infer<typeof Diversion>

export const Evidence = z.object({
  from_city: S,
  to_city: S,
  limit: N,
  scans: z.array(
    z.object({
      event_id: S, ts: S, code: S, case_code: SN, sku_id: S, store_id: S, store_name: SN, consumer_id: SN,
      city: S, district: SN, lat: NN, lon: NN,
    }),
  ),
})
export type Evidence = z.infer<typeof Evidence>

export const Series = z.object({ name: S, fen: z.array(N), total_fen: N })
export const PerBottle = z.object({ key: S, reward_fen: N, opened: N, stores: N, per_bottle_fen: NN })
export type PerBottle = z.infer<typeof PerBottle>
export const Incentives = z.object({
  reward_basis: RewardBasis,
  grain: Grain,
  buckets: z.array(S),
  by_kind: z.array(Series),
  by_policy: z.array(Series),
  by_beneficiary: z.array(z.object({ beneficiary_type: S, fen: N })),
  total_fen: N,
  by_city: z.array(PerBottle),
  by_store_kind: z.array(PerBottle),
  top_stores: z.array(z.object({ store_id: S, name: S, city: S, kind: S, reward_fen: N, opened: N, per_bottle_fen: N })),
  min_bottles: N,
})
export type Incentives = z.infer<typeof Incentives>

export const Cohorts = z.object({
  cohorts: z.array(z.object({ cohort: S, stores: N, censored: z.boolean(), active: z.array(N), share: z.array(N) })),
  months: N,
  data_start: SN,
  partial_month: SN,
})
export type Cohorts = z.infer<typeof Cohorts>
