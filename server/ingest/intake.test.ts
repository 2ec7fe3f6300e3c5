/**
 * The engine must store a record's own JSON text exactly as the validated value the server
 * would otherwise have re-serialised (intake.ts). Random valid records in every accepted form
 * (UUIDs in upper case, offsets, fractions, numbers written as 6.0 or 6e0, escapes, unknown
 * fields, shuffled keys) go through the pipeline; every stored column is compared with zod's
 * output for the same text.
 */
import { describe, expect, it } from 'vitest'
import type { Db } from '../db/gateway.js'
import { useTestDb } from '../testing/db.js'
import { parseBody } from './parse.js'
import { FACT_KINDS, type FactKind } from './schemas.js'
import { Ingestor } from './service.js'
import { rng as mulberry32 } from '../../segments/testing/random.js'

let db: Db
useTestDb(async (d) => {
  db = d
})

const rand = mulberry32(20261126)
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
function line(kind: FactKind, n: number): string {
  const { fields, numbers } = record(kind, n)
  const parts = [
    ...Object.entries(fields).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`),
    ...Object.entries(numbers).map(([k, v]) => `${JSON.stringify(k)}:${wholeText(v)}`),
  ]
  if (rand() < 0.2) parts.push('"unknown_field":{"nested":[1,2,3]}')
  parts.sort(() => rand() - 0.5)
  return `{${parts.join(rand() < 0.3 ? ' , ' : ',')}}`
}

const COLUMNS: Record<FactKind, string> = {
  scans: `toString(event_id) AS event_id, formatDateTime(ts, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC') AS ts, toString(type) AS type, code, case_code, sku_id, bottles, store_id,
          distributor_id, consumer_id, has_geo, lat, lon, city, district, device_id`,
  orders: `order_id, formatDateTime(ts, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC') AS ts, seller_type, seller_id, buyer_type, buyer_id, sku_id, bottles, toString(amount_fen) AS amount_fen`,
  rewards: `reward_id, formatDateTime(ts, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC') AS ts, beneficiary_type, beneficiary_id, kind, toString(amount_fen) AS amount_fen,
            source_event_id, policy_id, experiment_id, arm, flow_id`,
}

/** What the server stored before raw records went through: zod's output mapped to columns. */
function expected(kind: FactKind, v: Record<string, unknown>): Record<string, unknown> {
  const ms = (v.ts as string).replace(/Z$/, '000Z') // %f prints microseconds
  if (kind === 'scans') {
    const geo = v.lat !== undefined
    return {
      event_id: v.event_id, ts: ms, type: v.type, code: v.code, case_code: v.case_code ?? '', sku_id: v.sku_id, bottles: v.bottles, store_id: v.store_id ?? '',
      distributor_id: v.distributor_id ?? '', consumer_id: v.consumer_id ?? '', has_geo: geo ? 1 : 0, lat: geo ? v.lat : 0, lon: geo ? v.lon : 0,
      city: v.city ?? '', district: v.district ?? '', device_id: v.device_id ?? '',
    }
  }
  const out: Record<string, unknown> = { ...v, ts: ms, amount_fen: String(v.amount_fen) }
  if (kind === 'rewards') for (const k of ['source_event_id', 'policy_id', 'experiment_id', 'arm', 'flow_id']) out[k] = v[k] ?? ''
  return out
}

describe('raw records are stored as their validated values', () => {
  it.each(['scans', 'orders', 'rewards'] as FactKind[])('%s: 3,000 random records in every accepted form', async (kind) => {
    const lines = Array.from({ length: 3000 }, (_, n) => line(kind, n))
    const spec = FACT_KINDS[kind]
    const want = new Map<string, Record<string, unknown>>()
    for (const l of lines) {
      const v = spec.schema.parse(JSON.parse(l)) as Record<string, unknown>
      want.set(v[spec.idField] as string, expected(kind, v))
    }
    const r = await new Ingestor(db).ingest(kind, parseBody(lines.join('\n'), 'ndjson'), { origin: 'cli' })
    expect(r.rejected).toEqual([])
    expect(r.accepted + r.duplicates).toBe(3000)
    const rows = await db.query<Record<string, unknown>>(`SELECT ${COLUMNS[kind]} FROM ${spec.table}`)
    expect(rows.length).toBe(want.size)
    for (const row of rows) expect(row).toEqual(want.get(row[spec.idField] as string))
  })

  it('a record the engine cannot read as sent (a key given twice) is stored from its validated value', async () => {
    const a = '{"event_id":"11111111-1111-4111-8111-111111111111","ts":"2026-11-01T09:00:00+08:00","type":"open","code":"B1","sku_id":"K1","bottles":1,"store_id":"S-first","store_id":"S-last"}'
    const b = '{"event_id":"22222222-2222-4222-8222-222222222222","ts":"2026-11-01T09:00:00+08:00","type":"open","code":"B2","sku_id":"K1","bottles":1,"store_id":"S2"}'
    const r = await new Ingestor(db).ingest('scans', parseBody(`${a}\n${b}`, 'ndjson'), { origin: 'cli' })
    expect(r).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] })
    const rows = await db.query<{ code: string; store_id: string }>(`SELECT code, store_id FROM scan_events WHERE code IN ('B1', 'B2') ORDER BY code`)
    // JSON.parse keeps the last value of a repeated key, and so does the stored row.
    expect(rows).toEqual([{ code: 'B1', store_id: 'S-last' }, { code: 'B2', store_id: 'S2' }])
  })
})
