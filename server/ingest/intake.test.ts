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
import { lineGenerator } from './testing/records.js'

let db: Db
useTestDb(async (d) => {
  db = d
})

const line = lineGenerator(20261126)

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
  const cases = (['scans', 'orders', 'rewards'] as FactKind[]).flatMap((kind) => [[kind, 'records'] as const, [kind, 'bytes'] as const])
  it.each(cases)('%s through %s: 3,000 random records in every accepted form', async (kind, path) => {
    // Ids differ between the two runs (the table holds both).
    const lines = Array.from({ length: 3000 }, (_, n) => line(kind, n + (path === 'bytes' ? 100_000 : 0)))
    const spec = FACT_KINDS[kind]
    const want = new Map<string, Record<string, unknown>>()
    for (const l of lines) {
      const v = spec.schema.parse(JSON.parse(l)) as Record<string, unknown>
      want.set(v[spec.idField] as string, expected(kind, v))
    }
    const ingestor = new Ingestor(db)
    let r
    if (path === 'records') r = await ingestor.ingest(kind, parseBody(lines.join('\n'), 'ndjson'), { origin: 'cli' })
    else {
      // As bytes, with what a feed sends besides records: CRLF line ends, blank lines, and a few
      // bad records, which must be reported with the numbers the text parser gives them.
      const parts: string[] = []
      let record = 0
      const bad: number[] = []
      lines.forEach((l, i) => {
        if (i % 500 === 250) {
          parts.push('{"not": "a record"}')
          bad.push(++record)
        }
        if (i % 700 === 3) parts.push('   ')
        parts.push(l)
        record++
      })
      const body = Buffer.from(parts.map((p, i) => (i % 3 === 0 ? `${p}\r` : p)).join('\n'), 'utf8')
      r = await ingestor.ingestBody(kind, body, { origin: 'cli' })
      expect(r.rejected.map((x) => x.line)).toEqual(bad)
      r = { ...r, rejected: [] }
    }
    expect(r.rejected).toEqual([])
    expect(r.accepted + r.duplicates).toBe(3000)
    expect(r.accepted).toBe(want.size)
    const rows = await db.query<Record<string, unknown>>(
      `SELECT ${COLUMNS[kind]} FROM ${spec.table} WHERE toString(${spec.idField}) IN (SELECT arrayJoin({ids:Array(String)}))`,
      { ids: [...want.keys()] },
    )
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
