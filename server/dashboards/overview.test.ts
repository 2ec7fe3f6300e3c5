/**
 * The overview against independent SQL on the RAW facts (scan_events, rewards), written here
 * from the definitions rather than from the dashboard's queries: local days from `ts` in
 * Asia/Shanghai, stores and products joined from master data. One simulated channel (300 stores
 * × 120 days, fixed seed and end) goes through the real ingestion pipeline first.
 *
 * Every figure is checked in three states of the consumer index: never built (every day read
 * live), built, and built before more scans arrived (old days changed, new consumers).
 */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../db/gateway.js'
import { parseNdjsonLines } from '../ingest/parse.js'
import { Ingestor } from '../ingest/service.js'
import { addDays } from '../profiles/service.js'
import { ALL } from '../scope.js'
import { openTestDb } from '../testing/db.js'
import { ConsumerIndex, staleDays } from './consumer-index.js'
import { previousPeriod, type DashFilters } from './filters.js'
import { loadSimulation } from './fixture.js'
import { overview } from './overview.js'

let db: Db
let cleanup: () => Promise<void>

const PERIOD = { from: '2026-05-02', to: '2026-05-31' }
// Whole months (April–June) with days before them, and a previous period (2025-11-28 to
// 2026-03-14) of whole months with days on both sides: every path of store-periods.ts.
const MONTHS = { from: '2026-03-15', to: '2026-06-30' }
const PERIODS: [string, { from: string; to: string }][] = [['days only', PERIOD], ['whole months and days', MONTHS]]

beforeAll(async () => {
  const t = await openTestDb()
  db = t.db
  cleanup = t.cleanup
  await loadSimulation(db, { stores: 300, days: 120, seed: 7, end: '2026-06-30' })
}, 300_000)
afterAll(() => cleanup())

type F = Partial<Omit<DashFilters, 'from' | 'to'>>
const DAY = "toDate(e.ts, 'Asia/Shanghai')"

/**
 * FROM/WHERE over raw scans `e` with the store (s) and product (p) filters spelled as joins.
 * Without a store filter every scan counts; with one, the scans of the matching master stores.
 */
function rawScans(f: F, from: string, to: string): { sql: string; params: Record<string, unknown> } {
  const conds = [`${DAY} BETWEEN {a:Date} AND {b:Date}`]
  const params: Record<string, unknown> = { a: from, b: to }
  for (const [k, col] of [['city', 's.city'], ['district', 's.district'], ['kind', 's.kind'], ['distributor', 's.distributor_id']] as const) {
    if (f[k] !== undefined) {
      conds.push(`${col} = {${k}:String}`)
      params[k] = f[k]
    }
  }
  if (f.tier) {
    conds.push('p.tier = {tier:String}')
    params.tier = f.tier
  }
  if (f.sku) {
    conds.push('e.sku_id = {sku:String}')
    params.sku = f.sku
  }
  const joins = [
    f.city || f.district || f.kind || f.distributor ? 'INNER JOIN (SELECT * FROM stores FINAL) AS s ON s.store_id = e.store_id' : '',
    f.tier ? 'INNER JOIN (SELECT * FROM products FINAL) AS p ON p.sku_id = e.sku_id' : '',
  ]
  return { sql: `FROM scan_events AS e ${joins.join(' ')} WHERE ${conds.join(' AND ')}`, params }
}

async function rawFigures(f: F, from: string, to: string) {
  const s = rawScans(f, from, to)
  const [a] = await db.query<{ stocked: number; opened: number; shipped: number; active: number; consumers: number }>(
    `SELECT sumIf(e.bottles, e.type = 'stock_in') AS stocked, sumIf(e.bottles, e.type = 'open') AS opened,
            sumIf(e.bottles, e.type = 'ship') AS shipped, uniqExactIf(e.store_id, e.type = 'open' AND e.store_id != '') AS active,
            uniqExactIf(e.consumer_id, e.type = 'open' AND e.consumer_id != '' AND e.store_id != '') AS consumers ${s.sql}`,
    s.params,
  )
  // First open ever: the same filters over all history, then counted in the period.
  const all = rawScans(f, '2000-01-01', to)
  const [n] = await db.query<{ n: number }>(
    `SELECT countIf(first_day >= {a2:Date}) AS n FROM (SELECT e.store_id, min(${DAY}) AS first_day ${all.sql} AND e.type = 'open' AND e.store_id != '' GROUP BY e.store_id)`,
    { ...all.params, a2: from },
  )
  // Rewards by beneficiary: all of them without a store filter; otherwise the filtered stores'
  // own rewards, plus the distributor's when the distributor is the only store filter.
  const storeFilter = f.city || f.district || f.kind || f.distributor
  const storeConds = Object.entries({ city: f.city, district: f.district, kind: f.kind, distributor_id: f.distributor })
    .filter(([, v]) => v !== undefined)
    .map(([k]) => `${k} = {${k === 'distributor_id' ? 'distributor' : k}:String}`)
  let who = '1'
  if (storeFilter) {
    who = `(r.beneficiary_type = 'store' AND r.beneficiary_id IN (SELECT store_id FROM stores FINAL WHERE ${storeConds.join(' AND ')}))`
    if (!f.city && !f.district && !f.kind) who = `(${who} OR (r.beneficiary_type = 'distributor' AND r.beneficiary_id = {distributor:String}))`
  }
  const [r] = await db.query<{ fen: number }>(
    `SELECT sum(r.amount_fen) AS fen FROM rewards AS r WHERE toDate(r.ts, 'Asia/Shanghai') BETWEEN {a:Date} AND {b:Date} AND ${who}`,
    s.params,
  )
  return { ...a, fresh: n.n, fen: r.fen }
}

const FILTERS: [string, F][] = [
  ['no filter', {}],
  ['city', { city: '潍坊市' }],
  ['district', { city: '潍坊市', district: '寿光市' }],
  ['store kind', { kind: 'restaurant' }],
  ['distributor', { distributor: 'D0001' }],
  ['tier', { tier: 'premium' }],
  ['sku', { sku: 'SKU-012' }],
  ['city + tier + kind', { city: '潍坊市', tier: 'sub_premium', kind: 'tobacco_liquor' }],
]

/**
 * The overview's KPIs and funnel for a period and filters (`got`) and the same figures from the
 * raw events (`want`, ratios as close-to matchers): equal when the overview is right.
 */
async function figures(period: { from: string; to: string }, filters: F): Promise<{ got: unknown; want: unknown; opened: number }> {
  const f = { ...period, ...filters }
  const o = await overview(db, f, ALL)
  const cur = await rawFigures(filters, f.from, f.to)
  const q = previousPeriod(f.from, f.to)
  const prev = await rawFigures(filters, q.from, q.to)
  const k = o.kpis
  const ratio = (a: number, b: number, digits: number) => (b > 0 ? expect.closeTo(a / b, digits) : null)
  const pair = (x: { value: number | null; previous: number | null }) => [x.value, x.previous]
  return {
    opened: cur.opened,
    got: {
      stocked: pair(k.stocked_bottles), opened: pair(k.opened_bottles), open_rate: pair(k.open_rate), active: pair(k.active_stores),
      fresh: pair(k.new_active_stores), consumers: pair(k.consumers), fen: pair(k.reward_fen), fen_per_opened: pair(k.reward_per_opened_fen),
      opened_change: k.opened_bottles.change, funnel: o.funnel,
    },
    want: {
      stocked: [cur.stocked, prev.stocked], opened: [cur.opened, prev.opened],
      open_rate: [ratio(cur.opened, cur.stocked, 12), ratio(prev.opened, prev.stocked, 12)],
      active: [cur.active, prev.active], fresh: [cur.fresh, prev.fresh], consumers: [cur.consumers, prev.consumers], fen: [cur.fen, prev.fen],
      fen_per_opened: [ratio(cur.fen, cur.opened, 9), ratio(prev.fen, prev.opened, 9)],
      opened_change: prev.opened > 0 ? expect.closeTo(cur.opened / prev.opened - 1, 12) : null,
      funnel: { shipped: cur.shipped, stocked: cur.stocked, opened: cur.opened },
    },
  }
}

async function checkFigures(period: { from: string; to: string }, filters: F): Promise<void> {
  const { got, want, opened } = await figures(period, filters)
  expect(opened).toBeGreaterThan(0)
  expect(got).toEqual(want)
}

describe.each(PERIODS)('overview figures equal SQL on the raw events (%s)', (_p, period) => {
  it.each(FILTERS)('%s', async (_name, filters) => {
    const { got, want, opened } = await figures(period, filters)
    expect(opened).toBeGreaterThan(0)
    expect(got).toEqual(want)
  })
})

describe('overview charts and filters', () => {
  it('daily trend, tier and SKU mix, and the leaderboard', async () => {
    const f = { ...PERIOD, city: '潍坊市' }
    const o = await overview(db, f, ALL, 'day')
    const s = rawScans({ city: f.city }, f.from, f.to)
    const days = await db.query<{ d: string; st: number; op: number }>(
      `SELECT ${DAY} AS d, sumIf(e.bottles, e.type = 'stock_in') AS st, sumIf(e.bottles, e.type = 'open') AS op ${s.sql} GROUP BY d`,
      s.params,
    )
    expect(o.trend.buckets).toHaveLength(30)
    for (const d of days) {
      const i = o.trend.buckets.indexOf(d.d)
      expect([o.trend.stocked[i], o.trend.opened[i]]).toEqual([d.st, d.op])
    }
    const tiers = await db.query<{ tier: string; op: number }>(
      `SELECT p.tier AS tier, sumIf(e.bottles, e.type = 'open') AS op ${s.sql.replace('WHERE', 'INNER JOIN (SELECT * FROM products FINAL) AS p ON p.sku_id = e.sku_id WHERE')} GROUP BY tier`,
      s.params,
    )
    expect(Object.fromEntries(o.tiers.map((t) => [t.tier, t.opened]))).toEqual(Object.fromEntries(tiers.filter((t) => t.op > 0).map((t) => [t.tier, t.op])))
    const skus = await db.query<{ sku_id: string; op: number }>(`SELECT e.sku_id AS sku_id, sumIf(e.bottles, e.type = 'open') AS op ${s.sql} GROUP BY sku_id`, s.params)
    for (const r of skus) expect(o.skus.find((x) => x.sku_id === r.sku_id)?.opened).toBe(r.op)
    const lead = await db.query<{ d: string; op: number; active: number }>(
      `SELECT s.distributor_id AS d, sumIf(e.bottles, e.type = 'open') AS op, uniqExactIf(e.store_id, e.type = 'open' AND e.store_id != '') AS active ${s.sql}
       GROUP BY d ORDER BY op DESC, d LIMIT 10`,
      s.params,
    )
    expect(o.distributors.map((d) => [d.distributor_id, d.opened, d.active_stores])).toEqual(lead.map((d) => [d.d, d.op, d.active]))
    expect(o.distributors[0].name).toMatch(/有限公司$/)
  })

  it.each([['all regions', {}], ['premium tier', { tier: 'premium' }]] as [string, F][])('leaderboard over whole months and days (%s)', async (_n, filters) => {
    const o = await overview(db, { ...MONTHS, ...filters }, ALL)
    const s = rawScans(filters, MONTHS.from, MONTHS.to)
    const lead = await db.query<{ d: string; st: number; op: number; active: number }>(
      `SELECT m.distributor_id AS d, sumIf(e.bottles, e.type = 'stock_in') AS st, sumIf(e.bottles, e.type = 'open') AS op,
              uniqExactIf(e.store_id, e.type = 'open') AS active
       ${s.sql.replace('FROM scan_events AS e', 'FROM scan_events AS e INNER JOIN (SELECT store_id, distributor_id FROM stores FINAL) AS m ON m.store_id = e.store_id')}
       GROUP BY d ORDER BY op DESC, d LIMIT 10`,
      s.params,
    )
    expect(lead).toHaveLength(10)
    expect(o.distributors.map((d) => [d.distributor_id, d.stocked, d.opened, d.active_stores])).toEqual(lead.map((d) => [d.d, d.st, d.op, d.active]))
  })

  it('weekly buckets start on Mondays and sum to the period', async () => {
    const o = await overview(db, { from: '2026-03-10', to: '2026-06-30' }, ALL)
    expect(o.trend.grain).toBe('week')
    expect(new Date(`${o.trend.buckets[1]}T00:00:00Z`).getUTCDay()).toBe(1)
    expect(o.trend.opened.reduce((a, b) => a + b, 0)).toBe(o.kpis.opened_bottles.value)
    expect(o.trend.stocked.reduce((a, b) => a + b, 0)).toBe(o.kpis.stocked_bottles.value)
  })

  it('filters move the figures, and a regional scope equals the city filter for store figures', async () => {
    const all = await overview(db, PERIOD, ALL)
    const city = await overview(db, { ...PERIOD, city: '青岛市' }, ALL)
    const scoped = await overview(db, PERIOD, { cities: ['青岛市'] })
    expect(city.kpis.opened_bottles.value).toBeGreaterThan(0)
    expect(city.kpis.opened_bottles.value).toBeLessThan(all.kpis.opened_bottles.value!)
    expect(scoped.kpis).toEqual(city.kpis)
    expect(scoped.reward_basis).toMatchObject({ stores: true, distributors: false, consumers: false })
    expect(scoped.reward_by_beneficiary.consumer).toBeNull()
    expect(all.reward_basis).toMatchObject({ consumers: true, distributors: true })
    // Every leaderboard distributor serves a store in the scope.
    const served = await db.query<{ d: string }>("SELECT DISTINCT distributor_id AS d FROM stores FINAL WHERE city = '青岛市'")
    for (const d of scoped.distributors) expect(served.map((x) => x.d)).toContain(d.distributor_id)
  })
})

describe('with the consumer index built', () => {
  it('builds every day with opens', async () => {
    const r = await new ConsumerIndex(db).refresh()
    expect(r.days).toBeGreaterThan(100)
    expect(await staleDays(db)).toEqual([])
  })

  describe.each(PERIODS)('%s', (_p, period) => {
    it.each(FILTERS)('%s', async (_name, filters) => {
    const { got, want, opened } = await figures(period, filters)
    expect(opened).toBeGreaterThan(0)
    expect(got).toEqual(want)
  })
  })

  it('stays exact when scans arrive after it was built, and catches up', async () => {
    // In the period: a consumer already counted in it opens again on another day (must not count
    // twice), a consumer seen only before the period opens (has an id, joins the count), and a
    // consumer never seen opens (no id yet). Each on a day the index had built.
    const p = MONTHS
    const [again] = await db.query<{ c: string; s: string; d: string }>(
      `SELECT consumer_id AS c, any(store_id) AS s, toString(max(day)) AS d FROM scan_detail_daily
       WHERE type = 'open' AND consumer_id != '' AND store_id != '' AND day BETWEEN {a:Date} AND {b:Date}
       GROUP BY consumer_id HAVING max(day) >= {c:Date} ORDER BY consumer_id LIMIT 1`,
      { a: p.from, b: p.to, c: addDays(p.from, 10) },
    )
    const [before] = await db.query<{ c: string; s: string }>(
      `SELECT consumer_id AS c, any(store_id) AS s FROM scan_detail_daily
       WHERE type = 'open' AND consumer_id != '' AND store_id != '' GROUP BY consumer_id
       HAVING min(day) < {a:Date} AND max(day) < {a:Date} ORDER BY consumer_id LIMIT 1`,
      { a: p.from },
    )
    expect(again && before).toBeTruthy()
    const open = (consumer: string, store: string, day: string) =>
      JSON.stringify({
        event_id: randomUUID(), ts: `${day}T12:00:00+08:00`, type: 'open', code: `BT${randomUUID().slice(0, 8)}`,
        sku_id: 'SKU-012', bottles: 1, store_id: store, consumer_id: consumer, city: '潍坊市',
      })
    const lines = [open(again.c, again.s, addDays(again.d, -3)), open(before.c, before.s, '2026-04-10'), open('o-new-consumer-in-test', again.s, '2026-04-11')]
    const r = await new Ingestor(db).ingest('scans', parseNdjsonLines(lines, 0), { origin: 'cli' })
    expect(r.accepted).toBe(3)
    expect((await staleDays(db)).length).toBeGreaterThanOrEqual(2)
    for (const filters of [{}, { sku: 'SKU-012' }, { tier: 'premium' }] as F[]) await checkFigures(p, filters)

    const caught = await new ConsumerIndex(db).refresh()
    expect(caught.days).toBeGreaterThanOrEqual(2)
    expect(await staleDays(db)).toEqual([])
    for (const filters of [{}, { sku: 'SKU-012' }]) await checkFigures(p, filters)
  })
})
