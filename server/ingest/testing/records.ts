/**
 * Random valid fact records as NDJSON lines, in every form the contract accepts (UUIDs in upper
 * case, offsets, fractions, numbers written as 6.0 or 6e0, escapes, non-ASCII text, unknown
 * fields, shuffled keys): the property tests of the ingest path feed them through it.
 */
import { rng as mulberry32 } from '../../../segments/testing/random.js'
import type { FactKind } from '../schemas.js'

/** A generator of random valid lines; the same seed gives the same lines. */
export function lineGenerator(seed: number): (kind: FactKind, n: number) => string {
  const rand = mulberry32(seed)
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1))
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('')

  function uuid(): string {
    const u = `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`
    return rand() < 0.3 ? u.toUpperCase() : u
  }

  /** A valid time in any form the contract accepts, canonical or not. */
  function ts(): string {
    const d = `${rand() < 0.02 ? int(2001, 2099) : int(2024, 2027)}-${pad(int(1, 12))}-${pad(int(1, 28))}T${pad(int(0, 23))}:${pad(int(0, 59))}`
    const sec = `:${pad(int(0, 59))}`
    const frac = pick(['', '', '.1', '.12', '.123', '.123456', '.999999999'])
    const off = pick(['Z', '+08:00', '-05:30', '+00:00', '+0800', '+14:00', '-12:00'])
    return rand() < 0.05 ? `${d}${off}` : `${d}${sec}${frac}${off}`
  }

  const TEXT = ['潍坊市', 'a"b', 'line\nbreak', 'tab\tx', '\u0000nul', 'emoji 🍶', 'back\\slash', '\u2028sep', 'x'.repeat(64)]
  const text = () => (rand() < 0.5 ? pick(TEXT) : `T${int(0, 1e6)}`)
  const id = () => (rand() < 0.2 ? pick(TEXT).slice(0, 64) : `I${int(0, 1e9)}`)

  /** A whole number as JSON text in one of the forms JSON allows. */
  function wholeText(n: number): string {
    return pick([String(n), `${n}.0`, `${n}.000`, n % 10 === 0 && n > 0 ? `${n / 10}e1` : String(n), n > 0 ? `${n * 10}E-1` : String(n)])
  }

  /** A coordinate with up to 17 significant digits. */
  const coord = (lim: number) => Number(((rand() * 2 - 1) * lim).toPrecision(int(3, 17)))

  function record(kind: FactKind, n: number): { fields: Record<string, unknown>; numbers: Record<string, number> } {
    switch (kind) {
      case 'scans': {
        const type = pick(['ship', 'stock_in', 'open', 'verify'])
        const f: Record<string, unknown> = { event_id: uuid(), ts: ts(), type, code: id(), sku_id: id() }
        if (rand() < 0.7) f.case_code = id()
        if (type === 'stock_in' || rand() < 0.8) f.store_id = id()
        if (rand() < 0.7) f.distributor_id = id()
        if (rand() < 0.6) f.consumer_id = id()
        if (rand() < 0.6) {
          f.lat = coord(90)
          f.lon = coord(180)
        }
        if (rand() < 0.5) f.city = text()
        if (rand() < 0.3) f.district = text()
        if (rand() < 0.3) f.device_id = id()
        return { fields: f, numbers: { bottles: pick([1, 6, 12, 1_000_000]) } }
      }
      case 'orders':
        return {
          fields: { order_id: `O${n}-${id()}`.slice(0, 64), ts: ts(), seller_type: pick(['factory', 'distributor', 'store']), seller_id: id(), buyer_type: pick(['distributor', 'store', 'consumer']), buyer_id: id(), sku_id: id() },
          numbers: { bottles: int(1, 600), amount_fen: pick([0, 28800, 1e13, int(0, 9e12)]) },
        }
      case 'rewards': {
        const f: Record<string, unknown> = { reward_id: `R${n}-${id()}`.slice(0, 64), ts: ts(), beneficiary_type: pick(['store', 'distributor', 'consumer']), beneficiary_id: id(), kind: pick(['stock_in', 'sell_through', 'red_envelope', 'distributor_bonus', 'campaign']) }
        for (const k of ['source_event_id', 'policy_id', 'experiment_id', 'arm', 'flow_id']) if (rand() < 0.5) f[k] = id()
        return { fields: f, numbers: { amount_fen: pick([0, 200, 1e13, int(0, 1e9)]) } }
      }
    }
  }

  /** The record as one NDJSON line: shuffled keys, numbers in varied forms, sometimes an unknown field. */
  return function line(kind: FactKind, n: number): string {
    const { fields, numbers } = record(kind, n)
    const parts = [
      ...Object.entries(fields).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`),
      ...Object.entries(numbers).map(([k, v]) => `${JSON.stringify(k)}:${wholeText(v)}`),
    ]
    if (rand() < 0.2) parts.push('"unknown_field":{"nested":[1,2,3]}')
    parts.sort(() => rand() - 0.5)
    return `{${parts.join(rand() < 0.3 ? ' , ' : ',')}}`
  }
}
