import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DataSummary, Health } from '../../segments/api/data.js'
import type { Db } from '../db/gateway.js'
import { openTestDb } from '../testing/db.js'
import { post, serve } from '../testing/http.js'
import { createApp } from './app.js'

let db: Db
let base: string
let stop: () => Promise<void>

beforeAll(async () => {
  const t = await openTestDb()
  db = t.db
  const s = await serve(createApp({ db, webDir: '/nonexistent' }))
  base = `${s.base}/api/v1`
  stop = async () => {
    await s.close()
    await t.cleanup()
  }
})
afterAll(() => stop())

const ndjson = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n'
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`
const scan = (n: number, extra: object = {}) => ({
  event_id: uuid(n),
  ts: '2026-11-01T09:00:00+08:00',
  type: 'open',
  code: `B-${n}`,
  sku_id: 'K1',
  bottles: 1,
  store_id: 'S1',
  distributor_id: 'D1',
  consumer_id: `c${n % 3}`,
  ...extra,
})

/** Every count that re-sending must leave alone: raw tables, every rollup, the dedupe index. */
async function counts(): Promise<Record<string, number>> {
  const rows = await db.query<{ t: string; n: number }>(`
    SELECT 'scan_events' t, count() n FROM scan_events UNION ALL
    SELECT 'orders', count() FROM orders UNION ALL
    SELECT 'rewards', count() FROM rewards UNION ALL
    SELECT 'ingest_ids', count() FROM ingest_ids UNION ALL
    SELECT 'scan_daily', sum(events) FROM scan_daily UNION ALL
    SELECT 'store_daily', sum(bottles) FROM store_daily UNION ALL
    SELECT 'store_opens_daily', sum(opens) FROM store_opens_daily UNION ALL
    SELECT 'consumer_daily', sum(events) FROM consumer_daily UNION ALL
    SELECT 'distributor_daily', sum(events) FROM distributor_daily UNION ALL
    SELECT 'reward_daily', sum(amount_fen) FROM reward_daily UNION ALL
    SELECT 'order_daily', sum(amount_fen) FROM order_daily`)
  return Object.fromEntries(rows.map((r) => [r.t, Number(r.n)]))
}

describe('ingest contract', () => {
  it('accepts good rows and reports bad ones by line with their reasons, in one body', async () => {
    const body = [
      JSON.stringify(scan(1, { type: 'stock_in', bottles: 6, code: 'CASE-1' })),
      JSON.stringify(scan(2, { ts: 'yesterday' })),
      '',
      JSON.stringify(scan(3, { lat: 36.7, lon: 119.1, city: '潍坊市' })),
      '{"event_id": ',
      JSON.stringify(scan(5, { type: 'teleport', bottles: 0 })),
      JSON.stringify(scan(6, { lat: 36.7 })),
      JSON.stringify(scan(7, { type: 'stock_in', store_id: undefined })),
      '[1,2]',
    ].join('\n')
    const r = await post(`${base}/ingest/scans`, body, 'application/x-ndjson')
    expect(r.status).toBe(200)
    expect(r.json.accepted).toBe(2)
    expect(r.json.duplicates).toBe(0)
    // The blank line is not a record: line numbers count records.
    const byLine = Object.fromEntries(r.json.rejected.map((x: any) => [x.line, x.errors]))
    expect(Object.keys(byLine).map(Number)).toEqual([2, 4, 5, 6, 7, 8])
    expect(byLine[2]).toEqual([{ path: 'ts', message: expect.stringContaining('ISO 8601') }])
    expect(byLine[4][0].message).toMatch(/not valid JSON/)
    expect(byLine[5].map((e: any) => e.path).sort()).toEqual(['bottles', 'type'])
    expect(byLine[6]).toEqual([{ path: 'lon', message: expect.stringContaining('together') }])
    expect(byLine[7]).toEqual([{ path: 'store_id', message: expect.stringContaining('stock_in') }])
    expect(byLine[8][0].message).toMatch(/JSON object/)
  })

  it('keeps every rejected record in the quarantine with its raw text', async () => {
    const rows = await db.query<{ line: number; raw: string; errors: string }>(
      "SELECT line, raw, errors FROM quarantine WHERE kind = 'scans' ORDER BY line",
    )
    expect(rows.map((r) => Number(r.line))).toEqual([2, 4, 5, 6, 7, 8])
    expect(rows[1].raw).toBe('{"event_id": ')
    expect(JSON.parse(rows[0].raw).ts).toBe('yesterday')
    expect(JSON.parse(rows[0].errors)[0].path).toBe('ts')
  })

  it('stores the local day in Asia/Shanghai and the time in UTC', async () => {
    await post(`${base}/ingest/scans?wait=visible`, ndjson([scan(10, { ts: '2026-11-02T23:59:59+08:00' }), scan(11, { ts: '2026-11-02T16:00:00Z' })]), 'application/x-ndjson')
    const rows = await db.query<{ id: string; ts: string; day: string }>(
      `SELECT toString(event_id) id, toString(ts) ts, toString(day) day FROM scan_events WHERE event_id IN ('${uuid(10)}', '${uuid(11)}') ORDER BY id`,
    )
    expect(rows).toEqual([
      { id: uuid(10), ts: '2026-11-02 15:59:59.000', day: '2026-11-02' },
      { id: uuid(11), ts: '2026-11-02 16:00:00.000', day: '2026-11-03' },
    ])
  })

  it('counts re-sent rows once everywhere, in any batch and in any order', async () => {
    const facts = [scan(20), scan(21, { lat: 36.1, lon: 119.2, city: '潍坊市' }), scan(22, { type: 'stock_in', bottles: 6 })]
    const rewards = [
      { reward_id: 'R1', ts: '2026-11-01T09:00:00+08:00', beneficiary_type: 'store', beneficiary_id: 'S1', kind: 'sell_through', amount_fen: 200 },
      { reward_id: 'R2', ts: '2026-11-01T09:00:00+08:00', beneficiary_type: 'consumer', beneficiary_id: 'c1', kind: 'red_envelope', amount_fen: 1000 },
    ]
    const orders = [
      { order_id: 'O1', ts: '2026-11-01T10:00:00+08:00', seller_type: 'distributor', seller_id: 'D1', buyer_type: 'store', buyer_id: 'S1', sku_id: 'K1', bottles: 6, amount_fen: 28800 },
    ]
    expect((await post(`${base}/ingest/scans?wait=visible`, ndjson(facts), 'application/x-ndjson')).json.accepted).toBe(3)
    expect((await post(`${base}/ingest/rewards?wait=visible`, JSON.stringify(rewards), 'application/json')).json.accepted).toBe(2)
    expect((await post(`${base}/ingest/orders?wait=visible`, ndjson(orders), 'application/x-ndjson')).json.accepted).toBe(1)
    const before = await counts()
    // Re-send: whole batch, a batch mixing one old and one new row, a row twice in one body.
    const again = await post(`${base}/ingest/scans?wait=visible`, ndjson(facts), 'application/x-ndjson')
    expect(again.json).toMatchObject({ accepted: 0, duplicates: 3 })
    const mixed = await post(`${base}/ingest/scans?wait=visible`, ndjson([scan(21), scan(23), scan(23)]), 'application/x-ndjson')
    expect(mixed.json).toMatchObject({ accepted: 1, duplicates: 2 })
    expect((await post(`${base}/ingest/rewards?wait=visible`, ndjson(rewards.reverse()), 'application/x-ndjson')).json).toMatchObject({ accepted: 0, duplicates: 2 })
    expect((await post(`${base}/ingest/orders?wait=visible`, JSON.stringify(orders), 'application/json')).json).toMatchObject({ accepted: 0, duplicates: 1 })
    const after = await counts()
    const expected: Record<string, number> = { ...before, scan_events: before.scan_events + 1, ingest_ids: before.ingest_ids + 1, scan_daily: before.scan_daily + 1 }
    expected.store_daily += 1
    expected.store_opens_daily += 1
    expected.consumer_daily += 1
    expected.distributor_daily += 1
    expect(after).toEqual(expected)
  })

  it("answers once rows are durable by default, once they can be read with wait=visible, and refuses another wait", async () => {
    const durable = await post(`${base}/ingest/scans`, ndjson([scan(30)]), 'application/x-ndjson')
    expect(durable.json).toMatchObject({ accepted: 1, duplicates: 0 })
    // A body with nothing new and wait=visible answers once everything accepted before is in the tables.
    const visible = await post(`${base}/ingest/scans?wait=visible`, ndjson([scan(30)]), 'application/x-ndjson')
    expect(visible.json).toMatchObject({ accepted: 0, duplicates: 1 })
    const [r] = await db.query<{ n: number }>(`SELECT count() AS n FROM scan_events WHERE event_id = '${uuid(30)}'`)
    expect(Number(r.n)).toBe(1)
    const bad = await post(`${base}/ingest/scans?wait=soon`, ndjson([scan(31)]), 'application/x-ndjson')
    expect(bad.status).toBe(400)
    expect(JSON.stringify(bad.json)).toContain('wait')
  })

  it('dedupes concurrent bodies carrying the same new rows', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => scan(1000 + i))
    const replies = await Promise.all([1, 2, 3, 4].map(() => post(`${base}/ingest/scans`, ndjson(rows), 'application/x-ndjson')))
    expect(replies.reduce((s, r) => s + r.json.accepted, 0)).toBe(200)
    expect(replies.reduce((s, r) => s + r.json.duplicates, 0)).toBe(600)
  })

  it('accepts CSV with a header, converting numbers and reporting bad rows', async () => {
    const csv = [
      'order_id,ts,seller_type,seller_id,buyer_type,buyer_id,sku_id,bottles,amount_fen',
      'O10,2026-11-01T10:00:00+08:00,distributor,D1,store,S1,K1,6,28800',
      'O11,2026-11-01T10:00:00+08:00,distributor,D1,store,S1,K1,-6,28800',
      '"O12","2026-11-01T10:00:00+08:00",distributor,"D,1",store,S1,K1,6,100',
      'O13,2026-11-01T10:00:00+08:00,distributor,D1',
    ].join('\r\n')
    const r = await post(`${base}/ingest/orders`, csv, 'text/csv; charset=utf-8')
    expect(r.status).toBe(200)
    expect(r.json.accepted).toBe(2)
    expect(r.json.rejected.map((x: any) => x.line)).toEqual([2, 4])
    expect(r.json.rejected[0].errors[0].path).toBe('bottles')
    expect(r.json.rejected[1].errors[0].message).toMatch(/4 cells/)
    const [o] = await db.query<{ seller_id: string }>("SELECT seller_id FROM orders WHERE order_id = 'O12'")
    expect(o.seller_id).toBe('D,1')
  })

  it('answers 400 problem+json for an unparseable body and keeps the body', async () => {
    const r = await post(`${base}/ingest/scans`, '{"event_id": [1,', 'application/json')
    expect(r.status).toBe(400)
    expect(r.type).toMatch(/^application\/problem\+json/)
    expect(r.json).toMatchObject({ status: 400, title: expect.any(String), detail: expect.stringContaining('not valid JSON') })
    const kept = await db.query<{ raw: string }>("SELECT raw FROM quarantine WHERE line = 0 AND kind = 'scans'")
    expect(kept.map((k) => k.raw)).toContain('{"event_id": [1,')
    const notArray = await post(`${base}/ingest/scans`, '{"a": 1}', 'application/json')
    expect(notArray.status).toBe(400)
    expect(notArray.json.detail).toMatch(/array/)
  })

  it('answers 415 for a wrong content type, 413 beyond the limits, 404 for unknown paths', async () => {
    const t = await post(`${base}/ingest/scans`, 'hello', 'text/plain')
    expect(t.status).toBe(415)
    expect(t.type).toMatch(/problem\+json/)
    const many = Array.from({ length: 50_001 }, () => '{}').join('\n')
    expect((await post(`${base}/ingest/scans`, many, 'application/x-ndjson')).status).toBe(413)
    const big = 'x'.repeat(10 * 1024 * 1024 + 10)
    const b = await post(`${base}/ingest/scans`, big, 'application/x-ndjson')
    expect(b.status).toBe(413)
    expect(b.type).toMatch(/problem\+json/)
    expect((await post(`${base}/ingest/teleports`, '{}', 'application/x-ndjson')).status).toBe(404)
    const g = await fetch(`${base}/nothing-here`)
    expect(g.status).toBe(404)
    expect(g.headers.get('content-type')).toMatch(/problem\+json/)
  })
})

describe('master data', () => {
  const store = {
    store_id: 'S1', name: '老王烟酒店', kind: 'tobacco_liquor', distributor_id: 'D1', province: '山东省', city: '潍坊市',
    district: '奎文区', lat: 36.7, lon: 119.1, source: 'erp',
  }

  it('upserts versions, treats unchanged re-sends as duplicates, and holds cross-source conflicts', async () => {
    const first = await post(`${base}/master/stores`, ndjson([store]), 'application/x-ndjson')
    expect(first.json).toMatchObject({ accepted: 1, duplicates: 0, rejected: [], conflicts: [] })
    expect((await post(`${base}/master/stores`, ndjson([store]), 'application/x-ndjson')).json).toMatchObject({ accepted: 0, duplicates: 1 })
    // Same source may change anything.
    const moved = { ...store, district: '潍城区' }
    expect((await post(`${base}/master/stores`, ndjson([moved]), 'application/x-ndjson')).json.accepted).toBe(1)
    // Another source renaming it is a conflict, held back.
    const crm = { ...moved, name: '王记烟酒', source: 'crm' }
    const c = await post(`${base}/master/stores`, ndjson([crm]), 'application/x-ndjson')
    expect(c.json.accepted).toBe(0)
    expect(c.json.conflicts).toEqual([
      { line: 1, id: 'S1', fields: [{ field: 'name', current: '老王烟酒店', incoming: '王记烟酒' }], current_source: 'erp', incoming_source: 'crm' },
    ])
    let [cur] = await db.query<{ name: string; district: string }>("SELECT name, district FROM stores FINAL WHERE store_id = 'S1'")
    expect(cur).toEqual({ name: '老王烟酒店', district: '潍城区' })
    // The caller may overwrite on purpose.
    const o = await post(`${base}/master/stores?on_conflict=overwrite`, ndjson([crm]), 'application/x-ndjson')
    expect(o.json.accepted).toBe(1)
    ;[cur] = await db.query<{ name: string; district: string }>("SELECT name, district FROM stores FINAL WHERE store_id = 'S1'")
    expect(cur.name).toBe('王记烟酒')
    const hist = await db.query<{ status: string }>("SELECT status FROM master_history WHERE kind = 'stores' AND id = 'S1' ORDER BY version")
    expect(hist.map((h) => h.status)).toEqual(['applied', 'applied', 'conflict', 'applied'])
  })

  it('accepts CSV master data with array cells and rejects bad values', async () => {
    const csv = 'distributor_id,name,province,city,territory_cities\nD1,潍坊一号商贸,山东省,潍坊市,潍坊市|青岛市\nD2,,山东省,潍坊市,\n'
    const r = await post(`${base}/master/distributors`, csv, 'text/csv')
    expect(r.json.accepted).toBe(1)
    expect(r.json.rejected).toEqual([{ line: 2, errors: [{ path: 'name', message: expect.any(String) }] }])
    const [d] = await db.query<{ territory_cities: string[] }>("SELECT territory_cities FROM distributors FINAL WHERE distributor_id = 'D1'")
    expect(d.territory_cities).toEqual(['潍坊市', '青岛市'])
  })

  it('rejects an invalid on_conflict value naming the parameter', async () => {
    const r = await post(`${base}/master/stores?on_conflict=maybe`, ndjson([store]), 'application/x-ndjson')
    expect(r.status).toBe(400)
    expect(r.json.detail).toMatch(/on_conflict/)
  })
})

describe('system endpoints', () => {
  it('reports health with the engine and version', async () => {
    const h = await (await fetch(`${base}/health`)).json()
    expect(h).toEqual({ status: 'ok', engine: 'embedded', clickhouse_version: expect.stringMatching(/^\d+\.\d+/) })
    // The web parses the answer with the shared schema: it must fit.
    Health.parse(h)
  })

  it('serves an OpenAPI document generated from the schemas', async () => {
    const doc = await (await fetch(`${base}/openapi.json`)).json()
    expect(doc.openapi).toBe('3.1.0')
    const scans = doc.paths['/api/v1/ingest/scans'].post
    const s = scans.requestBody.content['application/x-ndjson'].schema
    expect(s.required).toEqual(expect.arrayContaining(['event_id', 'ts', 'type', 'code', 'sku_id', 'bottles']))
    expect(s.properties.type.enum).toEqual(['ship', 'stock_in', 'open', 'verify'])
    expect(Object.keys(scans.responses)).toEqual(expect.arrayContaining(['200', '400', '413', '415']))
    expect(doc.paths['/api/v1/master/stores'].post.parameters[0].name).toBe('on_conflict')
  })

  it('summarises the data for the Data page', async () => {
    const s = await (await fetch(`${base}/data/summary?days=30`)).json()
    const rows = Object.fromEntries(s.tables.map((t: any) => [t.table, t.rows]))
    expect(rows.scan_events).toBeGreaterThan(200)
    expect(rows.stores).toBe(1)
    expect(s.events_per_day.some((d: any) => d.day === '2026-11-01' && d.type === 'stock_in')).toBe(true)
    expect(s.rejects.length).toBeGreaterThan(0)
    expect(s.rejects[0]).toMatchObject({ kind: expect.any(String), line: expect.any(Number), errors: expect.any(Array) })
    DataSummary.parse(s)
    const bad = await fetch(`${base}/data/summary?days=0`)
    expect(bad.status).toBe(400)
  })
})
