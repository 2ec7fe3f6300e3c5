/**
 * How valid fact records reach their tables: each kind's input shape (the JSON the contract
 * accepts) and the SELECT that turns it into table columns. The pipeline hands the engine the
 * records' own JSON text, so the engine parses it once and the server does not rebuild and
 * re-serialise every row; the bench's bulk loader uses the same transform, so "the engine's own
 * bulk insert" and the HTTP path write identical rows.
 *
 * A record's text can go through as received only when the engine reads it exactly as the
 * validator does (see {@link passesThrough}); any other valid record is re-serialised from its
 * validated value first. A property test (intake.test.ts) holds the two paths to the same rows.
 */
import type { FactKind } from './schemas.js'

export interface FactIntake {
  table: string
  /** The record as read from JSON (a `file()`/`input()` structure). */
  structure: string
  /** Target columns, in the order of `select`. */
  columns: string
  /** Expressions over the structure's fields giving `columns`; `{received_at}` is replaced by a literal. */
  select: string
}

// Integers are read as Float64 and converted: a JSON number such as 6.0 or 6e0 is a whole
// number to the validator, and Float64 holds every valid count and amount (≤ 1e13) exactly.
export const INTAKE: Record<FactKind, FactIntake> = {
  scans: {
    table: 'scan_events',
    structure:
      'event_id String, ts String, type String, code String, case_code String, sku_id String, bottles Float64, store_id String, distributor_id String, consumer_id String, lat Nullable(Float64), lon Nullable(Float64), city String, district String, device_id String',
    columns: 'event_id, ts, type, code, case_code, sku_id, bottles, store_id, distributor_id, consumer_id, has_geo, lat, lon, city, district, device_id, received_at',
    select: `toUUID(event_id), parseDateTime64BestEffort(ts, 3, 'UTC'), type, code, case_code, sku_id, toUInt32(bottles), store_id, distributor_id, consumer_id,
      lat IS NOT NULL, ifNull(lat, 0), ifNull(lon, 0), city, district, device_id, {received_at}`,
  },
  orders: {
    table: 'orders',
    structure: 'order_id String, ts String, seller_type String, seller_id String, buyer_type String, buyer_id String, sku_id String, bottles Float64, amount_fen Float64',
    columns: 'order_id, ts, seller_type, seller_id, buyer_type, buyer_id, sku_id, bottles, amount_fen, received_at',
    select: `order_id, parseDateTime64BestEffort(ts, 3, 'UTC'), seller_type, seller_id, buyer_type, buyer_id, sku_id, toUInt32(bottles), toUInt64(amount_fen), {received_at}`,
  },
  rewards: {
    table: 'rewards',
    structure:
      'reward_id String, ts String, beneficiary_type String, beneficiary_id String, kind String, amount_fen Float64, source_event_id String, policy_id String, experiment_id String, arm String, flow_id String',
    columns: 'reward_id, ts, beneficiary_type, beneficiary_id, kind, amount_fen, source_event_id, policy_id, experiment_id, arm, flow_id, received_at',
    select: `reward_id, parseDateTime64BestEffort(ts, 3, 'UTC'), beneficiary_type, beneficiary_id, kind, toUInt64(amount_fen), source_event_id, policy_id, experiment_id, arm, flow_id, {received_at}`,
  },
}

/**
 * Settings of every intake statement: exact float parsing (the default fast parser may differ
 * from JavaScript's in the last bit of a coordinate), unknown fields skipped (the contract
 * ignores them), omitted fields read as their defaults, and no limit on the months one body may
 * span (the default refuses a block touching more than 100 monthly partitions, which a backfill
 * of old events does), the rollup views fed in parallel (measured: 100k scans in 0.70 s
 * instead of 0.94 s), and no merge of each inserted block by the tables' keys: every view
 * already groups its block by its table's full key, so that pass finds nothing to collapse and
 * cost the engine a quarter of its CPU per row (measured at 1M and 3M scans, see ARCHITECTURE.md;
 * the parts hold identical rows either way, and every rollup is read with sum … GROUP BY).
 */
export const INTAKE_SETTINGS =
  'precise_float_parsing = 1, input_format_skip_unknown_fields = 1, input_format_defaults_for_omitted_fields = 1, max_partitions_per_insert_block = 0, parallel_view_processing = 1, optimize_on_insert = 0'

/** The transform with the time of receipt as a literal (server-generated, never input). */
export function intakeSelect(kind: FactKind, receivedAt: string | 'now'): string {
  if (receivedAt !== 'now' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(receivedAt)) throw new Error(`bad receivedAt ${receivedAt}`)
  const at = receivedAt === 'now' ? 'now64(3)' : `toDateTime64('${receivedAt.slice(0, 23).replace('T', ' ')}', 3, 'UTC')`
  return INTAKE[kind].select.replace('{received_at}', at)
}

// A timestamp the engine's best-effort parser reads exactly as Date.parse does: full seconds,
// at most milliseconds, an offset with a colon. Other valid forms are re-serialised first.
const CANONICAL_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/

/**
 * True when a record that the fast validator accepted may go to the engine as its own JSON text.
 * Everything else in it the engine reads as the validator does (ids and text verbatim, UUIDs in
 * either case, numbers as doubles, unknown fields skipped); only the timestamp's form matters.
 */
export function passesThrough(value: { ts?: unknown }): boolean {
  return typeof value.ts === 'string' && CANONICAL_TS.test(value.ts)
}
