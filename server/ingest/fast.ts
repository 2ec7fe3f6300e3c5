/**
 * A fast path for validating facts. zod stays the definition and the source of every error
 * message; this checks the common case (a valid record) about ten times faster and returns
 * exactly what zod would return, or undefined to let zod decide and explain. A property test
 * (fast.test.ts) holds the two to the same verdicts and outputs.
 */
import type { FactKind } from './schemas.js'

export type Check = 'id' | 'optId' | 'uuid' | 'ts' | 'count' | 'fen' | 'lat' | 'lon' | 'text' | { oneOf: ReadonlySet<string> }
export type Field = readonly [name: string, check: Check]

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
const TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/
const TS_MIN = Date.UTC(2000, 0, 1)
const TS_MAX = Date.UTC(2100, 0, 1)

const set = (...v: string[]) => ({ oneOf: new Set(v) })

/** Each fact kind's fields and their checks, in the schema's order (the byte scanner reads them too). */
export const FACT_FIELDS: Record<FactKind, readonly Field[]> = {
  scans: [
    ['event_id', 'uuid'], ['ts', 'ts'], ['type', set('ship', 'stock_in', 'open', 'verify')], ['code', 'id'], ['case_code', 'optId'],
    ['sku_id', 'id'], ['bottles', 'count'], ['store_id', 'optId'], ['distributor_id', 'optId'], ['consumer_id', 'optId'],
    ['lat', 'lat'], ['lon', 'lon'], ['city', 'text'], ['district', 'text'], ['device_id', 'optId'],
  ],
  orders: [
    ['order_id', 'id'], ['ts', 'ts'], ['seller_type', set('factory', 'distributor', 'store')], ['seller_id', 'id'],
    ['buyer_type', set('distributor', 'store', 'consumer')], ['buyer_id', 'id'], ['sku_id', 'id'], ['bottles', 'count'], ['amount_fen', 'fen'],
  ],
  rewards: [
    ['reward_id', 'id'], ['ts', 'ts'], ['beneficiary_type', set('store', 'distributor', 'consumer')], ['beneficiary_id', 'id'],
    ['kind', set('stock_in', 'sell_through', 'red_envelope', 'distributor_bonus', 'campaign')], ['amount_fen', 'fen'],
    ['source_event_id', 'optId'], ['policy_id', 'optId'], ['experiment_id', 'optId'], ['arm', 'optId'], ['flow_id', 'optId'],
  ],
}

const isId = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 64

/**
 * When `value` is a valid record of the kind (then zod accepts it too), its time in ms since the
 * epoch; NaN when unsure. Allocates nothing: the pipeline checks every record here and
 * normalises only those it must re-serialise (see {@link fastValidate}).
 */
export function fastCheck(kind: FactKind, value: unknown): number {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return NaN
  let time = NaN
  const v = value as Record<string, unknown>
  for (const [name, check] of FACT_FIELDS[kind]) {
    const x = v[name]
    switch (check) {
      case 'id':
        if (!isId(x)) return NaN
        break
      case 'optId':
        if (x !== undefined && !isId(x)) return NaN
        break
      case 'uuid':
        if (typeof x !== 'string' || !UUID_RE.test(x)) return NaN
        break
      case 'ts': {
        if (typeof x !== 'string' || !TS_RE.test(x)) return NaN
        time = Date.parse(x)
        if (!(time >= TS_MIN && time < TS_MAX)) return NaN
        break
      }
      case 'count':
        if (!Number.isInteger(x) || (x as number) < 1 || (x as number) > 1_000_000) return NaN
        break
      case 'fen':
        if (!Number.isInteger(x) || (x as number) < 0 || (x as number) > 1e13) return NaN
        break
      case 'lat':
      case 'lon': {
        if (x === undefined) break
        const lim = check === 'lat' ? 90 : 180
        if (typeof x !== 'number' || !(x >= -lim && x <= lim)) return NaN
        break
      }
      case 'text':
        if (x !== undefined && (typeof x !== 'string' || x.length > 256)) return NaN
        break
      default:
        if (typeof x !== 'string' || !check.oneOf.has(x)) return NaN
    }
  }
  if (kind === 'scans') {
    if ((v.lat === undefined) !== (v.lon === undefined)) return NaN
    if (v.type === 'stock_in' && !v.store_id) return NaN
  }
  return time
}

/** Returns the validated record exactly as the zod schema would, or undefined when unsure. */
export function fastValidate(kind: FactKind, value: unknown): Record<string, unknown> | undefined {
  if (Number.isNaN(fastCheck(kind, value))) return undefined
  const v = value as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [name, check] of FACT_FIELDS[kind]) {
    const x = v[name]
    if (x === undefined) continue
    if (check === 'uuid') out[name] = (x as string).toLowerCase()
    else if (check === 'ts') out[name] = new Date(Date.parse(x as string)).toISOString()
    else out[name] = x
  }
  return out
}
