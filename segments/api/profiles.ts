/**
 * Response schemas of the profile endpoints the web reads (`/catalog`, `/profiles/{entity}`,
 * `/profiles/{entity}/:id` and `/profiles/{entity}/:id/detail`): the server's route contracts
 * (OpenAPI, handler return types) and the web's fetchers both use these. Schema and type share a name.
 */
import { z } from 'zod'
import { SegmentEntity } from '../rule.js'

const Text = z.object({ en: z.string(), zh: z.string() })
const Str = z.string().nullable()
const Nums = z.array(z.number())

/** One attribute of the catalog (segments/catalog.ts), as the API lists it. */
export const AttributeInfo = z.object({
  name: z.string(),
  entity: SegmentEntity,
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

/** Attribute values by name; null when unknown (an empty denominator, no event, no master record). */
export const Attributes = z.record(z.string(), z.union([z.string(), z.number(), z.null()]))
export type Attributes = z.infer<typeof Attributes>
export const Profile = z.object({ id: z.string(), entity: SegmentEntity, as_of: z.string(), attributes: Attributes })
export type Profile = z.infer<typeof Profile>
/** A page of materialised profiles; as_of and refreshed_at are null before the first refresh. */
export const ProfileList = z.object({
  entity: SegmentEntity,
  as_of: z.string().nullable(),
  refreshed_at: z.string().nullable(),
  total: z.number(),
  rows: z.array(z.object({ id: z.string(), attributes: Attributes })),
})
export type ProfileList = z.infer<typeof ProfileList>

/** An ISO week (Monday–Sunday, local days) of a weekly series. */
export const Week = z.object({
  /** The Monday, YYYY-MM-DD. */
  start: z.string(),
  /** ISO 8601 week, e.g. 2025-W46 (the ISO year can differ from the calendar year in early January). */
  iso: z.string(),
  /** Local days of the week before as_of: 7, or 1..6 for the partial week. */
  days: z.number(),
  partial: z.boolean(),
})
export type Week = z.infer<typeof Week>

export const TierMix = z.object({
  window_days: z.number(),
  total: z.number(),
  /** mass, sub_premium, premium (always, in this order), then `unknown` when a SKU has no product record. */
  by_tier: z.array(z.object({ tier: z.string(), bottles: z.number(), share: z.number().nullable() })),
  by_sku: z.array(z.object({ sku_id: z.string(), name: Str, tier: Str, bottles: z.number(), share: z.number().nullable() })),
})
export type TierMix = z.infer<typeof TierMix>

/** Rewards per week (fen, one value per week of the series) by reward kind. */
export const WeeklyRewards = z.object({ kinds: z.array(z.object({ kind: z.string(), fen: Nums, total_fen: z.number() })), total_fen: z.number() })
export type WeeklyRewards = z.infer<typeof WeeklyRewards>

export const RecentEvent = z.object({
  event_id: z.string(), ts: z.string(), type: z.string(), code: z.string(), case_code: Str, sku_id: z.string(), product_name: Str,
  bottles: z.number(), consumer_id: Str, distributor_id: Str, city: Str, district: Str, lat: z.number().nullable(), lon: z.number().nullable(),
})
export type RecentEvent = z.infer<typeof RecentEvent>

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
    /** Decimal places the coordinates were rounded to when there were too many points; null = exact. */
    precision: z.number().nullable(),
    /** True when even the coarsest rounding left more points than the map takes (the smallest were dropped). */
    truncated: z.boolean(),
    total_bottles: z.number(),
    points: z.array(z.object({ lat: z.number(), lon: z.number(), bottles: z.number(), km: z.number().nullable() })),
  }),
  rewards: WeeklyRewards,
  recent_events: z.array(RecentEvent),
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
  /** Latest (local day, type, store, SKU, city) groups of the consumer's scans, newest first. */
  recent: z.array(
    z.object({
      day: z.string(), type: z.string(), store_id: Str, store_name: Str, sku_id: z.string(), city: Str, events: z.number(), bottles: z.number(), last_ts: z.string(),
    }),
  ),
  rewards: WeeklyRewards,
})
export type ConsumerDetail = z.infer<typeof ConsumerDetail>

export const DistributorDetail = z.object({
  id: z.string(),
  as_of: z.string(),
  weeks: z.array(Week),
  distributor: z.object({ name: z.string(), province: z.string(), city: z.string(), territory: z.array(z.string()) }).nullable(),
  weekly: z.object({ opened: Nums, stocked: Nums }),
  /** Stores with a stock-in or an open of its goods in the 90 days; served = had a stock-in. */
  stores: z.object({
    total: z.number(),
    served: z.number(),
    rows: z.array(z.object({ store_id: z.string(), name: Str, city: Str, stocked: z.number(), opened: z.number(), open_rate: z.number().nullable() })),
  }),
  /** Opened bottles of its goods by scan city; `inside` its territory (null when it has no master record). */
  cities: z.array(z.object({ city: z.string(), bottles: z.number(), inside: z.boolean().nullable() })),
  rewards: WeeklyRewards,
})
export type DistributorDetail = z.infer<typeof DistributorDetail>
