/**
 * Event conditions against hand-built scans, ingested through the real pipeline: window edges
 * around local midnight (Asia/Shanghai), measure-0 semantics, SKU / tier / city filters,
 * distinct consumers and active ISO weeks, for each entity.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entity } from '../../segments/catalog.js'
import { compileMembers } from '../../segments/compile.js'
import type { EventCondition, Rule } from '../../segments/rule.js'
import type { Db } from '../db/gateway.js'
import { parseBody } from '../ingest/parse.js'
import { Ingestor } from '../ingest/service.js'
import { openTestDb } from '../testing/db.js'
import { insertProducts, insertProfiles } from './fixtures.js'
import { SegmentQueries } from './query.js'
import { profileSource } from './source.js'
import { SegmentStore } from './store.js'

let db: Db
let cleanup: () => Promise<void>
let n = 0

const scan = (store: string, ts: string, extra: Record<string, unknown> = {}) => ({
  event_id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  ts,
  type: 'open',
  code: `B-${n}`,
  sku_id: 'K1',
  bottles: 1,
  store_id: store,
  distributor_id: 'D1',
  ...extra,
})

beforeAll(async () => {
  ;({ db, cleanup } = await openTestDb())
  await insertProducts(db) // K1 mass, K2 sub_premium, K3 premium, K4 mass
  await insertProfiles(db, 'store', ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'].map((id) => ({ id })))
  await insertProfiles(db, 'consumer', ['c1', 'c2', 'c3', 'c4'].map((id) => ({ id })))
  await insertProfiles(db, 'distributor', ['D1', 'D2'].map((id) => ({ id })))
  const scans = [
    // S1: around the local midnights of 2026-03-01 (= 2026-02-28T16:00Z) and 2026-03-02.
    scan('S1', '2026-02-28T15:59:59.999Z'), // 2026-02-28 23:59:59.999 local
    scan('S1', '2026-03-01T00:00:00+08:00'), // 2026-03-01 00:00 local
    scan('S1', '2026-03-01T23:59:59+08:00'), // 2026-03-01 23:59:59 local
    scan('S1', '2026-03-01T16:00:00Z', { consumer_id: 'c1' }), // 2026-03-02 00:00 local
    // S2: SKUs and tiers.
    scan('S2', '2026-02-20T10:00:00+08:00', { sku_id: 'K1', bottles: 3 }),
    scan('S2', '2026-02-20T11:00:00+08:00', { sku_id: 'K3', bottles: 2 }),
    scan('S2', '2026-02-21T11:00:00+08:00', { sku_id: 'K2', bottles: 1, type: 'verify' }),
    // S3: scan cities.
    scan('S3', '2026-02-20T10:00:00+08:00', { city: '潍坊市', sku_id: 'K4' }),
    scan('S3', '2026-02-21T10:00:00+08:00', { city: '潍坊市', sku_id: 'K4' }),
    scan('S3', '2026-02-22T10:00:00+08:00', { city: '青岛市', sku_id: 'K4' }),
    // S4: ISO weeks (Monday-based): Mon 02-02 and Sun 02-08 share a week; Sun 02-22 23:59 and Mon 02-23 00:00 do not.
    scan('S4', '2026-02-02T09:00:00+08:00'),
    scan('S4', '2026-02-08T21:00:00+08:00'),
    scan('S4', '2026-02-22T23:59:00+08:00'),
    scan('S4', '2026-02-23T00:00:00+08:00'),
    // S5: consumers; and a stock-in case.
    scan('S5', '2026-02-25T10:00:00+08:00', { consumer_id: 'c1' }),
    scan('S5', '2026-02-25T11:00:00+08:00', { consumer_id: 'c1' }),
    scan('S5', '2026-02-26T11:00:00+08:00', { consumer_id: 'c2' }),
    scan('S5', '2026-02-26T12:00:00+08:00'),
    scan('S5', '2026-02-26T13:00:00+08:00', { type: 'verify', consumer_id: 'c3' }),
    scan('S5', '2026-02-10T13:00:00+08:00', { type: 'stock_in', bottles: 6, code: 'CASE-1', distributor_id: 'D2' }),
    // S6: nothing at all.
  ]
  const body = scans.map((s) => JSON.stringify(s)).join('\n')
  const r = await new Ingestor(db).ingest('scans', parseBody(body, 'ndjson'), { origin: 'cli' })
  if (r.accepted !== scans.length) throw new Error(`scans not accepted: ${JSON.stringify(r.rejected)}`)
})
afterAll(() => cleanup())

async function members(entity: Entity, rule: Rule, asOf: string): Promise<string[]> {
  const q = compileMembers(rule, { entity, asOf, source: profileSource(entity, asOf) })
  return (await db.query<{ id: string }>(q.sql, q.params)).map((r) => r.id).sort()
}

const ev = (e: Partial<EventCondition>): EventCondition => ({ event: 'open', window: { days: 30 }, measure: 'count', op: 'gte', value: 1, ...e })

describe('event conditions', () => {
  it.each<[string, Entity, Rule, string, string[]]>([
    // Window edges: {days: 1} is the one local day before as_of; as_of itself is excluded.
    ['1 day before 03-02 holds the two scans of local 03-01', 'store', ev({ window: { days: 1 }, op: 'eq', value: 2 }), '2026-03-02', ['S1']],
    ['1 day before 03-03 holds the scan at local 00:00 of 03-02', 'store', ev({ window: { days: 1 }, op: 'eq', value: 1 }), '2026-03-03', ['S1']],
    ['2 days before 03-02 reach 23:59:59.999 of 02-28', 'store', ev({ window: { days: 2 }, op: 'eq', value: 3 }), '2026-03-02', ['S1']],
    ['local 02-28 ends at 23:59:59.999', 'store', ev({ window: { from: '2026-02-28', to: '2026-02-28' }, op: 'eq', value: 1 }), '2026-03-01', ['S1']],
    ['as_of 03-01 sees nothing of 03-01', 'store', ev({ window: { days: 1 }, op: 'eq', value: 1 }), '2026-03-01', ['S1']],
    ['an absolute day includes both ends', 'store', ev({ window: { from: '2026-03-01', to: '2026-03-01' }, op: 'eq', value: 2 }), '2026-03-10', ['S1']],
    ['an absolute window stops before as_of', 'store', ev({ window: { from: '2026-03-01', to: '2026-03-31' }, op: 'eq', value: 2 }), '2026-03-02', ['S1']],
    // Measure 0: entities without events are members when 0 passes.
    ['count = 0 includes the stores without opens', 'store', ev({ window: { days: 30 }, op: 'eq', value: 0 }), '2026-03-02', ['S6']],
    ['count < 2 includes the empty store', 'store', ev({ window: { days: 30 }, op: 'lt', value: 2 }), '2026-03-02', ['S6']],
    ['count >= 0 is everyone', 'store', ev({ op: 'gte', value: 0 }), '2026-03-02', ['S1', 'S2', 'S3', 'S4', 'S5', 'S6']],
    ['count != 0 is who opened', 'store', ev({ op: 'neq', value: 0 }), '2026-03-02', ['S1', 'S2', 'S3', 'S4', 'S5']],
    ['count <= 2 in 3 days', 'store', ev({ window: { days: 3 }, op: 'lte', value: 2 }), '2026-03-02', ['S2', 'S3', 'S4', 'S5', 'S6']],
    ['not (count >= 1) is the complement', 'store', { not: ev({}) }, '2026-03-02', ['S6']],
    // Filters.
    ['bottles of SKU K1', 'store', ev({ window: { days: 30 }, where: { sku_id: ['K1'] }, measure: 'bottles', op: 'eq', value: 3 }), '2026-03-01', ['S2']],
    ['bottles of premium tier', 'store', ev({ where: { tier: ['premium'] }, measure: 'bottles', op: 'eq', value: 2 }), '2026-03-01', ['S2']],
    ['sub-premium or better: the verify of K2 is not an open', 'store', ev({ where: { tier: ['sub_premium', 'premium'] }, measure: 'bottles', op: 'gte', value: 2 }), '2026-03-01', ['S2']],
    ['verifies of sub-premium', 'store', ev({ event: 'verify', where: { tier: ['sub_premium'] } }), '2026-03-01', ['S2']],
    ['opens scanned in 青岛市', 'store', ev({ where: { city: ['青岛市'] }, op: 'eq', value: 1 }), '2026-03-01', ['S3']],
    ['opens scanned in 潍坊市', 'store', ev({ where: { city: ['潍坊市'] }, op: 'eq', value: 2 }), '2026-03-01', ['S3']],
    ['no opens outside those cities', 'store', ev({ where: { city: ['济南市'] }, op: 'eq', value: 0 }), '2026-03-01', ['S1', 'S2', 'S3', 'S4', 'S5', 'S6']],
    // Measures.
    ['active weeks: 3 ISO weeks in February', 'store', ev({ window: { from: '2026-02-01', to: '2026-02-28' }, measure: 'active_weeks', op: 'eq', value: 3 }), '2026-03-01', ['S4']],
    ['active weeks: 2 from Monday 02-02 to Sunday 02-22', 'store', ev({ window: { from: '2026-02-02', to: '2026-02-22' }, measure: 'active_weeks', op: 'eq', value: 2 }), '2026-03-01', ['S4']],
    ['distinct consumers: c1 twice, c2, and an unknown one', 'store', ev({ measure: 'distinct_consumers', op: 'eq', value: 2 }), '2026-03-01', ['S5']],
    ['distinct consumers of verifies', 'store', ev({ event: 'verify', measure: 'distinct_consumers', op: 'eq', value: 1 }), '2026-03-01', ['S5']],
    ['stocked bottles', 'store', ev({ event: 'stock_in', measure: 'bottles', op: 'gte', value: 6 }), '2026-03-01', ['S5']],
    // Other entities read their own rollups.
    ['a consumer: c1 opened 3 times up to 03-02 local', 'consumer', ev({ window: { days: 10 }, op: 'eq', value: 3 }), '2026-03-03', ['c1']],
    ['consumers who never opened', 'consumer', ev({ window: { days: 10 }, op: 'eq', value: 0 }), '2026-03-03', ['c3', 'c4']],
    ['a consumer verify', 'consumer', ev({ event: 'verify' }), '2026-03-03', ['c3']],
    ['a distributor stock-in', 'distributor', ev({ event: 'stock_in', measure: 'bottles', op: 'eq', value: 6 }), '2026-03-01', ['D2']],
    ['distributor opens', 'distributor', ev({ op: 'gte', value: 5 }), '2026-03-03', ['D1']],
  ])('%s', async (_name, entity, rule, asOf, want) => {
    expect(await members(entity, rule, asOf)).toEqual(want)
  })
})

describe('explaining event conditions', () => {
  it('shows each measure for the entity and agrees with membership', async () => {
    const store = new SegmentStore(db)
    const q = new SegmentQueries(db, store)
    const rule: Rule = { or: [ev({ window: { days: 1 }, op: 'eq', value: 2 }), { and: [ev({ measure: 'distinct_consumers', op: 'gte', value: 2 }), { not: ev({ event: 'stock_in' }) }] }] }
    const { id } = await store.create({ name: 'events', entity: 'store', rule }, '2026-03-02')
    const seg = await store.get(id)
    const page = await q.members(id, { as_of: '2026-03-02', limit: 100, offset: 0 })
    expect(page.members.map((m) => m.id)).toEqual(['S1'])
    const leaves = (t: any): [number, boolean][] => (t.kind === 'event' ? [[t.actual, t.pass]] : (t.children ?? []).flatMap(leaves))
    const s1 = await q.explain(seg, 'S1', '2026-03-02')
    expect(s1.member).toBe(true)
    expect(leaves(s1.tree)).toEqual([[2, true], [0, false], [0, false]])
    const s5 = await q.explain(seg, 'S5', '2026-03-02')
    expect(s5).toMatchObject({ member: false, tree: { pass: false } })
    expect(leaves(s5.tree)).toEqual([[0, false], [2, true], [1, true]])
  })
})
