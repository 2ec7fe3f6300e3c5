/**
 * The overview against independent SQL on the RAW facts (scan_events, rewards), written here
 * from the definitions rather than from the dashboard's queries: local days from `ts` in
 * Asia/Shanghai, stores and products joined from master data. One simulated channel (300 stores
 * × 120 days, fixed seed and end) goes through the real ingestion pipeline first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../db/gateway.js'
import { ALL } from '../scope.js'
import { openTestDb } from '../testing/db.js'
import { previousPeriod, type DashFilters } from './filters.js'
import { loadSimulation } from './fixture.js'
import { overview } from './overview.js'

let db: Db
let cleanup: () => Promise<void>

const PERIOD = { from: '2026-05-02', to: '2026-05-31' }

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

describe('overview figures equal SQL on the raw events', () => {
  it.each(FILTERS)('%s', async (_name, filters) => {
    const f = { ...PERIOD, ...filters }
    const o = await overview(db, f, ALL)
    const cur = await rawFigures(filters, f.from, f.to)
    const q = previousPeriod(f.from, f.to)
    const prev = await rawFigures(filters, q.from, q.to)
    expect(cur.opened).toBeGreaterThan(0)
    const k = o.kpis
    expect([k.stocked_bottles.value, k.stocked_bottles.previous]).toEqual([cur.stocked, prev.stocked])
    expect([k.opened_bottles.value, k.opened_bottles.previous]).toEqual([cur.opened, prev.opened])
    const rate = (a: number, b: number) => (b > 0 ? a / b : null)
    expect(k.open_rate.value).toBeCloseTo(cur.opened / cur.stocked, 12)
    if (prev.stocked > 0) expect(k.open_rate.previous).toBeCloseTo(prev.opened / prev.stocked, 12)
    else expect(k.open_rate.previous).toBeNull()
    expect(k.reward_per_opened_fen.previous === null ? null : k.reward_per_opened_fen.previous).toEqual(
      rate(prev.fen, prev.opened) === null ? null : expect.closeTo(rate(prev.fen, prev.opened)!, 9),
    )
    expect([k.active_stores.value, k.active_stores.previous]).toEqual([cur.active, prev.active])
    expect([k.new_active_stores.value, k.new_active_stores.previous]).toEqual([cur.fresh, prev.fresh])
    expect([k.consumers.value, k.consumers.previous]).toEqual([cur.consumers, prev.consumers])
    expect([k.reward_fen.value, k.reward_fen.previous]).toEqual([cur.fen, prev.fen])
    expect(k.reward_per_opened_fen.value).toBeCloseTo(cur.fen / cur.opened, 9)
    expect(k.opened_bottles.change).toBeCloseTo(cur.opened / prev.opened - 1, 12)
    expect(o.funnel).toEqual({ shipped: cur.shipped, stocked: cur.stocked, opened: cur.opened })
  })

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
