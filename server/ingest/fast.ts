/**
 * A fast path for validating facts. zod stays the definition and the source of every error
 * message; this checks the common case (a valid record) about ten times faster and returns
 * exactly what zod would return, or undefined to let zod decide and explain. A property test
 * (fast.test.ts) holds the two to the same verdicts and outputs.
 */
import type { FactKind } from './schemas.js'

type Check = 'id' | 'optId' | 'uuid' | 'ts' | 'count' | 'fen' | 'lat' | 'lon' | 'text' | { oneOf: ReadonlySet<string> }
type Field = readonly [name: string, check: Check]

const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
const TS_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/
const TS_MIN = Date.UTC(2000, 0, 1)
const TS_MAX = Date.UTC(2100, 0, 1)

const set = (...v: string[]) => ({ oneOf: new Set(v) })

const SPECS: Record<FactKind, readonly Field[]> = {
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

/** Returns the validated record exactly as the zod schema would, or undefined when unsure. */
export function fastValidate(kind: FactKind, value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const v = value as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const [name, check] of SPECS[kind]) {
    const x = v[name]
    switch (check) {
      case 'id':
        if (!isId(x)) return undefined
        out[name] = x
        break
      case 'optId':
        if (x === undefined) continue
        if (!isId(x)) return undefined
        out[name] = x
        break
      case 'uuid':
        if (typeof x !== 'string' || !UUID_RE.test(x)) return undefined
        out[name] = x.toLowerCase()
        break
      case 'ts': {
        if (typeof x !== 'string' || !TS_RE.test(x)) return undefined
        const t = Date.parse(x)
        if (!(t >= TS_MIN && t < TS_MAX)) return undefined
        out[name] = new Date(t).toISOString()
        break
      }
      case 'count':
        if (!Number.isInteger(x) || (x as number) < 1 || (x as number) > 1_000_000) return undefined
        out[name] = x
        break
      case 'fen':
        if (!Number.isInteger(x) || (x as number) < 0 || (x as number) > 1e13) return undefined
        out[name] = x
        break
      case 'lat':
      case 'lon': {
        if (x === undefined) continue
        const lim = check === 'lat' ? 90 : 180
        if (typeof x !== 'number' || !(x >= -lim && x <= lim)) return undefined
        out[name] = x
        break
      }
      case 'text':
        if (x === undefined) continue
        if (typeof x !== 'string' || x.length > 256) return undefined
        out[name] = x
        break
      default:
        if (typeof x !== 'string' || !check.oneOf.has(x)) return undefined
        out[name] = x
    }
  }
  if (kind === 'scans') {
    if ((out.lat === undefined) !== (out.lon === undefined)) return undefined
    if (out.type === 'stock_in' && !out.store_id) return undefined
  }
  return out
}
