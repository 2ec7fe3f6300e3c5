/**
 * The ingestion contract: one zod schema per record kind. These are the single source for
 * validation, the OpenAPI document and the simulator's output. Unknown fields are ignored.
 */
import { z } from 'zod'

export const Id = z.string().min(1, 'must not be empty').max(64, 'must be at most 64 characters')
const OptId = Id.optional()
const OptText = z.string().max(256).optional()
const UUID = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be a UUID')

// ISO 8601 with an explicit offset (Z or ±hh:mm): a time without a zone is ambiguous between
// UTC and Asia/Shanghai, so it is rejected rather than guessed.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/
export const Timestamp = z
  .string()
  .regex(ISO_WITH_OFFSET, { message: 'must be an ISO 8601 time with an offset, e.g. 2026-11-01T09:00:00+08:00', abort: true })
  .refine((s) => {
    const t = Date.parse(s)
    return Number.isFinite(t) && t >= Date.UTC(2000, 0, 1) && t < Date.UTC(2100, 0, 1)
  }, 'must be a real time between 2000 and 2100')
  .transform((s) => new Date(s).toISOString())

export const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD', abort: true })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'must be a real date')

const Lat = z.number().min(-90).max(90)
const Lon = z.number().min(-180).max(180)
const Count = z.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000)
const Fen = z.number().int('must be a whole number of fen').min(0, 'must not be negative').max(1e13)

export const ScanType = z.enum(['ship', 'stock_in', 'open', 'verify'])
export type ScanType = z.infer<typeof ScanType>

export const Scan = z
  .object({
    event_id: UUID.transform((s) => s.toLowerCase()),
    ts: Timestamp,
    type: ScanType,
    code: Id,
    case_code: OptId,
    sku_id: Id,
    bottles: Count,
    store_id: OptId,
    distributor_id: OptId,
    consumer_id: OptId,
    lat: Lat.optional(),
    lon: Lon.optional(),
    city: OptText,
    district: OptText,
    device_id: OptId,
  })
  .superRefine((r, ctx) => {
    if ((r.lat === undefined) !== (r.lon === undefined))
      ctx.addIssue({ code: 'custom', path: [r.lat === undefined ? 'lat' : 'lon'], message: 'lat and lon come together or not at all' })
    if (r.type === 'stock_in' && !r.store_id) ctx.addIssue({ code: 'custom', path: ['store_id'], message: 'is required for a stock_in scan' })
  })
export type Scan = z.infer<typeof Scan>

export const Order = z.object({
  order_id: Id,
  ts: Timestamp,
  seller_type: z.enum(['factory', 'distributor', 'store']),
  seller_id: Id,
  buyer_type: z.enum(['distributor', 'store', 'consumer']),
  buyer_id: Id,
  sku_id: Id,
  bottles: Count,
  amount_fen: Fen,
})
export type Order = z.infer<typeof Order>

export const RewardKind = z.enum(['stock_in', 'sell_through', 'red_envelope', 'distributor_bonus', 'campaign'])
export const Reward = z.object({
  reward_id: Id,
  ts: Timestamp,
  beneficiary_type: z.enum(['store', 'distributor', 'consumer']),
  beneficiary_id: Id,
  kind: RewardKind,
  amount_fen: Fen,
  source_event_id: OptId,
  policy_id: OptId,
  experiment_id: OptId,
  arm: OptId,
  flow_id: OptId,
})
export type Reward = z.infer<typeof Reward>

const Source = z.string().min(1).max(64).optional()
const Name = z.string().min(1, 'must not be empty').max(256)
const Place = z.string().min(1, 'must not be empty').max(64)

export const Tier = z.enum(['mass', 'sub_premium', 'premium'])
export type Tier = z.infer<typeof Tier>

export const Product = z.object({
  sku_id: Id,
  name: Name,
  series: OptText,
  tier: Tier,
  volume_ml: z.number().int().min(1).max(100_000),
  price_fen: Fen,
  bottles_per_case: z.number().int().min(1).max(1000),
  source: Source,
})
export type Product = z.infer<typeof Product>

export const Distributor = z.object({
  distributor_id: Id,
  name: Name,
  province: Place,
  city: Place,
  territory_cities: z.array(Place).max(500).optional(),
  source: Source,
})
export type Distributor = z.infer<typeof Distributor>

export const StoreKind = z.enum(['tobacco_liquor', 'restaurant', 'supermarket', 'convenience', 'other'])
export type StoreKind = z.infer<typeof StoreKind>

export const Store = z.object({
  store_id: Id,
  name: Name,
  kind: StoreKind,
  distributor_id: Id,
  province: Place,
  city: Place,
  district: Place,
  lat: Lat,
  lon: Lon,
  rep_id: OptId,
  joined_on: LocalDate.optional(),
  source: Source,
})
export type Store = z.infer<typeof Store>

export const Rep = z.object({ rep_id: Id, name: Name, city: Place, source: Source })
export type Rep = z.infer<typeof Rep>

/** Fact kinds, under `/api/v1/ingest/{kind}`: deduplicated by their id. */
export const FACT_KINDS = {
  scans: { schema: Scan, table: 'scan_events', idField: 'event_id' },
  orders: { schema: Order, table: 'orders', idField: 'order_id' },
  rewards: { schema: Reward, table: 'rewards', idField: 'reward_id' },
} as const
export type FactKind = keyof typeof FACT_KINDS

/** Master-data kinds, under `/api/v1/master/{kind}`: versioned upserts keyed by their id. */
export const MASTER_KINDS = {
  products: { schema: Product, table: 'products', idField: 'sku_id' },
  distributors: { schema: Distributor, table: 'distributors', idField: 'distributor_id' },
  stores: { schema: Store, table: 'stores', idField: 'store_id' },
  reps: { schema: Rep, table: 'reps', idField: 'rep_id' },
} as const
export type MasterKind = keyof typeof MASTER_KINDS

export type Kind = FactKind | MasterKind
export const ALL_KINDS = [...Object.keys(FACT_KINDS), ...Object.keys(MASTER_KINDS)] as Kind[]
export function isFactKind(k: string): k is FactKind {
  return Object.hasOwn(FACT_KINDS, k)
}
export function isMasterKind(k: string): k is MasterKind {
  return Object.hasOwn(MASTER_KINDS, k)
}

/** Fields that CSV bodies carry as text but the schema wants as numbers or arrays. */
export const NUMERIC_FIELDS = new Set(['bottles', 'amount_fen', 'lat', 'lon', 'volume_ml', 'price_fen', 'bottles_per_case'])
export const ARRAY_FIELDS = new Set(['territory_cities'])

export const IngestError = z.object({ path: z.string(), message: z.string() })
export const IngestReply = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(z.object({ line: z.number().int(), errors: z.array(IngestError) })),
  conflicts: z
    .array(
      z.object({
        line: z.number().int(),
        id: z.string(),
        fields: z.array(z.object({ field: z.string(), current: z.string(), incoming: z.string() })),
        current_source: z.string(),
        incoming_source: z.string(),
      }),
    )
    .optional(),
})
export type IngestReply = z.infer<typeof IngestReply>
