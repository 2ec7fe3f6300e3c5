import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query'
import { z } from 'zod'
import { apiGet } from './client'
import { queryKeys } from './queryKeys'

// Response schemas of the profile endpoints (server/api/routes/profiles.ts and profile-detail.ts).

export type Entity = 'store' | 'consumer' | 'distributor'
export const PLURAL: Record<Entity, string> = { store: 'stores', consumer: 'consumers', distributor: 'distributors' }

const Text = z.object({ en: z.string(), zh: z.string() })
export const AttributeInfo = z.object({
  name: z.string(),
  entity: z.enum(['store', 'consumer', 'distributor']),
  type: z.enum(['number', 'integer', 'string', 'date', 'datetime']),
  unit: z.string(),
  group: z.string(),
  label: Text,
  description: Text,
  dimension: z.boolean().optional(),
  nullable: z.boolean(),
})
export type AttributeInfo = z.infer<typeof AttributeInfo>
export const Catalog = z.object({ store: z.array(AttributeInfo), consumer: z.array(AttributeInfo), distributor: z.array(AttributeInfo) })
export type Catalog = z.infer<typeof Catalog>

const Value = z.union([z.string(), z.number(), z.null()])
export const Attributes = z.record(z.string(), Value)
export type Attributes = z.infer<typeof Attributes>
export const Profile = z.object({ id: z.string(), entity: z.string(), as_of: z.string(), attributes: Attributes })
export type Profile = z.infer<typeof Profile>
export const ProfileList = z.object({
  entity: z.string(),
  as_of: z.string().nullable(),
  refreshed_at: z.string().nullable(),
  total: z.number(),
  rows: z.array(z.object({ id: z.string(), attributes: Attributes })),
})
export type ProfileList = z.infer<typeof ProfileList>

const Str = z.string().nullable()
const Nums = z.array(z.number())
export const Week = z.object({ start: z.string(), iso: z.string(), days: z.number(), partial: z.boolean() })
export type Week = z.infer<typeof Week>
export const TierMix = z.object({
  window_days: z.number(),
  total: z.number(),
  by_tier: z.array(z.object({ tier: z.string(), bottles: z.number(), share: z.number().nullable() })),
  by_sku: z.array(z.object({ sku_id: z.string(), name: Str, tier: Str, bottles: z.number(), share: z.number().nullable() })),
})
export type TierMix = z.infer<typeof TierMix>
export const WeeklyRewards = z.object({ kinds: z.array(z.object({ kind: z.string(), fen: Nums, total_fen: z.number() })), total_fen: z.number() })
export type WeeklyRewards = z.infer<typeof WeeklyRewards>

export const StoreDetail = z.object({
  id: z.string(),
  as_of: z.string(),
  weeks: z.array(Week),
  store: z
    .object({
      name: z.string(), kind: z.string(), province: z.string(), city: z.string(), district: z.string(), lat: z.number(), lon: z.number(),
      distributor_id: Str, distributor_name: Str, rep_id: Str, rep_name: Str,
    })
    .nullable(),
  weekly: z.object({ opened: Nums, stocked: Nums, mean_12w: z.number(), cv_12w: z.number().nullable(), active_weeks_12w: z.number() }),
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
export type StoreDetail = z.infer<typeof StoreDetail>

export const ConsumerDetail = z.object({
  id: z.string(),
  as_of: z.string(),
  weeks: z.array(Week),
  timeline: z.object({ opened: Nums, opens: Nums }),
  tier_mix: TierMix,
  stores: z.array(z.object({ store_id: z.string(), name: Str, city: Str, opens: z.number(), bottles: z.number(), last_day: z.string() })),
  cities: z.array(z.object({ city: Str, opens: z.number(), bottles: z.number() })),
  recent: z.array(z.object({ day: z.string(), type: z.string(), store_id: Str, store_name: Str, sku_id: z.string(), city: Str, events: z.number(), bottles: z.number(), last_ts: z.string() })),
  rewards: WeeklyRewards,
})
export type ConsumerDetail = z.infer<typeof ConsumerDetail>

export const DistributorDetail = z.object({
  id: z.string(),
  as_of: z.string(),
  weeks: z.array(Week),
  distributor: z.object({ name: z.string(), province: z.string(), city: z.string(), territory: z.array(z.string()) }).nullable(),
  weekly: z.object({ opened: Nums, stocked: Nums }),
  stores: z.object({
    total: z.number(),
    served: z.number(),
    rows: z.array(z.object({ store_id: z.string(), name: Str, city: Str, stocked: z.number(), opened: z.number(), open_rate: z.number().nullable() })),
  }),
  cities: z.array(z.object({ city: z.string(), bottles: z.number(), inside: z.boolean().nullable() })),
  rewards: WeeklyRewards,
})
export type DistributorDetail = z.infer<typeof DistributorDetail>

const DETAIL = { store: StoreDetail, consumer: ConsumerDetail, distributor: DistributorDetail } as const
type DetailOf<E extends Entity> = z.infer<(typeof DETAIL)[E]>

const asOfParam = (asOf: string | null) => (asOf ? `as_of=${encodeURIComponent(asOf)}` : '')

// Changing the as-of date keeps the old figures on screen (marked loading) until the new ones
// arrive; another entity's figures are never shown in the meantime.
const sameEntity = (id: string) => <T,>(prev: T | undefined, prevQuery: { queryKey: readonly unknown[] } | undefined) =>
  prevQuery?.queryKey[3] === id ? prev : undefined

/** GET /api/v1/catalog: attribute names, types, units and zh/en labels; changes only with a deploy. */
export const catalogQuery = () =>
  queryOptions({ queryKey: queryKeys.profiles.catalog(), queryFn: ({ signal }) => apiGet('/catalog', Catalog, { signal }), staleTime: Infinity })

/** GET /api/v1/profiles/{plural}?{search}: `search` is the list's query string (filters, q, sort, paging). */
export const profileListQuery = (entity: Entity, search: string) =>
  queryOptions({
    queryKey: queryKeys.profiles.list(entity, search),
    queryFn: ({ signal }) => apiGet(`/profiles/${PLURAL[entity]}${search ? `?${search}` : ''}`, ProfileList, { signal }),
    // Paging and sorting keep the old rows on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  })

/** GET /api/v1/profiles/{plural}/:id?as_of= (null = the server's default, tomorrow). */
export const profileQuery = (entity: Entity, id: string, asOf: string | null) =>
  queryOptions({
    queryKey: queryKeys.profiles.one(entity, id, asOf),
    queryFn: ({ signal }) => apiGet(`/profiles/${PLURAL[entity]}/${encodeURIComponent(id)}?${asOfParam(asOf)}`, Profile, { signal }),
    placeholderData: sameEntity(id),
  })

/** GET /api/v1/profiles/{plural}/:id/detail?as_of=&weeks= */
export const detailQuery = <E extends Entity>(entity: E, id: string, asOf: string | null, weeks = 26) =>
  queryOptions({
    queryKey: queryKeys.profiles.detail(entity, id, asOf, weeks),
    queryFn: ({ signal }) =>
      apiGet(`/profiles/${PLURAL[entity]}/${encodeURIComponent(id)}/detail?weeks=${weeks}&${asOfParam(asOf)}`, DETAIL[entity], { signal }) as Promise<DetailOf<E>>,
    placeholderData: sameEntity(id),
  })

export const useCatalog = () => useQuery(catalogQuery())
export const useProfileList = (entity: Entity, search: string) => useQuery(profileListQuery(entity, search))
export const useProfile = (entity: Entity, id: string, asOf: string | null) => useQuery(profileQuery(entity, id, asOf))
export const useDetail = <E extends Entity>(entity: E, id: string, asOf: string | null) => useQuery(detailQuery(entity, id, asOf))
