/**
 * Geography, diversion, incentives and cohorts against SQL on the raw facts; the caller's scope
 * hiding other cities; the HTTP contract (every endpoint answers, 400s name the parameter).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../api/app.js'
import type { Db } from '../db/gateway.js'
import { ALL } from '../scope.js'
import { openTestDb } from '../testing/db.js'
import { serve } from '../testing/http.js'
import { cohorts } from './cohorts.js'
import { diversion, flowEvidence } from './diversion.js'
import { loadSimulation } from './fixture.js'
import { geography, geoMap } from './geography.js'
import { incentives } from './incentives.js'
import { filterOptions } from './options.js'

let db: Db
let base: string
let stop: () => Promise<void>

const P = { from: '2026-04-01', to: '2026-06-30' }
const DAY = "toDate(e.ts, 'Asia/Shanghai')"
const IN_P = `${DAY} BETWEEN {from:Date} AND {to:Date}`

beforeAll(async () => {
  const t = await openTestDb()
  db = t.db
  await loadSimulation(db, { stores: 300, days: 120, seed: 7, end: '2026-06-30' })
  const s = await serve(createApp({ db, webDir: '/nonexistent' }))
  base = `${s.base}/api/v1/dashboards`
  stop = async () => {
    await s.close()
    await t.cleanup()
  }
}, 300_000)
afterAll(() => stop())

describe('geography', () => {
  it('drills city → district → store with the raw figures', async () => {
    const raw = await db.query<{ city: string; district: string; store_id: string; op: number; st: number }>(
      `SELECT s.city AS city, s.district AS district, e.store_id AS store_id, sumIf(e.bottles, e.type = 'open') AS op, sumIf(e.bottles, e.type = 'stock_in') AS st
       FROM scan_events AS e INNER JOIN (SELECT * FROM stores FINAL) AS s ON s.store_id = e.store_id WHERE ${IN_P} GROUP BY city, district, store_id`,
      P,
    )
    const sum = (rows: typeof raw, k: 'op' | 'st') => rows.reduce((a, r) => a + r[k], 0)
    const cities = await geography(db, P, ALL)
    expect(cities.level).toBe('city')
    for (const row of cities.rows) expect([row.opened, row.stocked]).toEqual([sum(raw.filter((r) => r.city === row.key), 'op'), sum(raw.filter((r) => r.city === row.key), 'st')])
    expect(cities.rows.reduce((a, r) => a + r.stores, 0)).toBe(300)
    const districts = await geography(db, { ...P, city: '潍坊市' }, ALL)
    expect(districts.level).toBe('district')
    const wf = raw.filter((r) => r.city === '潍坊市')
    for (const row of districts.rows) expect(row.opened).toBe(sum(wf.filter((r) => r.district === row.key), 'op'))
    const stores = await geography(db, { ...P, city: '潍坊市', district: '寿光市' }, ALL)
    expect(stores.level).toBe('store')
    expect(stores.path).toEqual({ city: '潍坊市', district: '寿光市' })
    for (const row of stores.rows) expect(row.opened).toBe(sum(wf.filter((r) => r.store_id === row.key), 'op'))
    expect(stores.rows[0].label).not.toBe(stores.rows[0].key)
  })

  it.each([['all products', {}], ['premium tier', { tier: 'premium' as const }]])('sums whole months and the days around them alike (%s)', async (_n, filters) => {
    const p = { from: '2026-03-15', to: '2026-06-20' }
    const tier = 'tier' in filters ? 'AND e.sku_id IN (SELECT sku_id FROM products FINAL WHERE tier = {tier:String})' : ''
    const raw = await db.query<{ city: string; op: number; st: number; active: number }>(
      `SELECT s.city AS city, sumIf(e.bottles, e.type = 'open') AS op, sumIf(e.bottles, e.type = 'stock_in') AS st, uniqExactIf(e.store_id, e.type = 'open') AS active
       FROM scan_events AS e INNER JOIN (SELECT * FROM stores FINAL) AS s ON s.store_id = e.store_id WHERE ${IN_P} ${tier} GROUP BY city HAVING op + st > 0`,
      { ...p, ...filters },
    )
    const g = await geography(db, { ...p, ...filters }, ALL)
    const got = g.rows.filter((r) => r.opened + r.stocked > 0).map((r) => [r.key, r.opened, r.stocked, r.active_stores])
    expect(got.sort()).toEqual(raw.map((r) => [r.city, r.op, r.st, r.active]).sort())
  })

  it('places stores and binned opens on the map', async () => {
    const m = await geoMap(db, P, ALL)
    expect(m.stores).toHaveLength(300)
    const [{ n }] = await db.query<{ n: number }>(`SELECT sum(e.bottles) AS n FROM scan_events AS e WHERE e.type = 'open' AND e.has_geo = 1 AND e.store_id != '' AND ${IN_P}`, P)
    expect(m.opens.reduce((a, c) => a + c.bottles, 0)).toBe(n)
    expect(m.cities.find((c) => c.city === '潍坊市')).toMatchObject({ lat: expect.closeTo(36.6, 0) })
  })
})

describe('diversion', () => {
  /** From the raw open scans with a city: flows (stock city a → open city b) and the top stores by outside share. */
  async function rawDiversion(p: { from: string; to: string; tier?: string; city?: string }, minBottles: number) {
    const cond = `e.type = 'open' AND e.city != '' AND ${IN_P}
      ${p.tier ? 'AND e.sku_id IN (SELECT sku_id FROM products FINAL WHERE tier = {tier:String})' : ''} ${p.city ? 'AND s.city = {city:String}' : ''}`
    const from = 'scan_events AS e INNER JOIN (SELECT * FROM stores FINAL) AS s ON s.store_id = e.store_id'
    const flows = await db.query<{ a: string; b: string; n: number; stores: number }>(
      `SELECT s.city AS a, e.city AS b, sum(e.bottles) AS n, uniqExact(e.store_id) AS stores FROM ${from} WHERE ${cond} GROUP BY a, b`,
      p,
    )
    const stores = await db.query<{ id: string; located: number; outside: number }>(
      `SELECT e.store_id AS id, sum(e.bottles) AS located, sumIf(e.bottles, e.city != s.city) AS outside FROM ${from} WHERE ${cond}
       GROUP BY id HAVING located >= {min:UInt32} ORDER BY outside / located DESC, outside DESC, id LIMIT 10`,
      { ...p, min: minBottles },
    )
    return { flows, stores }
  }

  it('flows, alerts and evidence equal the raw open scans', async () => {
    const raw = (await rawDiversion(P, 10)).flows
    const d = await diversion(db, P, ALL, { alertBottles: 20, minBottles: 10 })
    expect(d.flows.map((f) => `${f.from_city}>${f.to_city}:${f.bottles}`).sort()).toEqual(raw.map((r) => `${r.a}>${r.b}:${r.n}`).sort())
    const cross = raw.filter((r) => r.a !== r.b && r.n >= 20)
    expect(cross.length).toBeGreaterThan(0)
    expect(d.alerts.map((f) => `${f.from_city}>${f.to_city}`).sort()).toEqual(cross.map((r) => `${r.a}>${r.b}`).sort())
    const top = d.alerts[0]
    const ev = await flowEvidence(db, P, ALL, { fromCity: top.from_city, toCity: top.to_city }, 1000)
    expect(ev).toHaveLength(top.bottles) // one bottle per open scan in the simulator
    expect(new Set(ev.map((e) => e.city))).toEqual(new Set([top.to_city]))
    expect(ev[0].ts >= ev[ev.length - 1].ts).toBe(true)
    expect(await flowEvidence(db, P, ALL, { fromCity: top.from_city, toCity: top.to_city }, 5)).toHaveLength(5)
    // The leaking distributor the simulator planted comes first, with its outside share.
    expect(d.distributors[0].share).toBeGreaterThan(0.1)
    expect(d.stores.every((s) => s.located >= 10)).toBe(true)
  })

  it.each([
    ['all products', {}],
    ['premium tier', { tier: 'premium' as const }],
    ['one city', { city: '潍坊市' }],
  ])('sums whole months and the days around them alike (%s)', async (_n, filters) => {
    const p = { from: '2026-03-15', to: '2026-06-20' }
    const { flows, stores } = await rawDiversion({ ...p, ...filters }, 3)
    const d = await diversion(db, { ...p, ...filters }, ALL, { alertBottles: 5, minBottles: 3 })
    expect(flows.length).toBeGreaterThan(1)
    expect(d.flows.map((f) => `${f.from_city}>${f.to_city}:${f.bottles}:${f.stores}`).sort()).toEqual(flows.map((r) => `${r.a}>${r.b}:${r.n}:${r.stores}`).sort())
    expect(d.stores.map((s) => `${s.store_id}:${s.located}:${s.outside}`)).toEqual(stores.map((s) => `${s.id}:${s.located}:${s.outside}`))
  })
})

describe('incentives', () => {
  /** Weifang's stores' own rewards and opened bottles in a period, from the raw facts. */
  async function rawCity(p: { from: string; to: string }): Promise<{ fen: number; op: number }> {
    const [wf] = await db.query<{ fen: number; op: number }>(
      `SELECT (SELECT sum(amount_fen) FROM rewards AS e WHERE beneficiary_type = 'store' AND ${IN_P}
                 AND beneficiary_id IN (SELECT store_id FROM stores FINAL WHERE city = '潍坊市')) AS fen,
              (SELECT sum(bottles) FROM scan_events AS e WHERE type = 'open' AND ${IN_P}
                 AND store_id IN (SELECT store_id FROM stores FINAL WHERE city = '潍坊市')) AS op`,
      p,
    )
    return wf
  }

  it('per-bottle figures over whole months and the days around them', async () => {
    const p = { from: '2026-03-15', to: '2026-06-20' }
    const wf = await rawCity(p)
    const i = await incentives(db, p, ALL, { minBottles: 10 })
    expect(i.by_city.find((c) => c.key === '潍坊市')).toMatchObject({ reward_fen: wf.fen, opened: wf.op })
  })

  it('spend by kind and policy, per-bottle by city, top stores', async () => {
    const i = await incentives(db, P, ALL, { minBottles: 10 })
    const kinds = await db.query<{ kind: string; fen: number }>(
      `SELECT kind, sum(amount_fen) AS fen FROM rewards AS e WHERE ${IN_P} GROUP BY kind`,
      P,
    )
    expect(Object.fromEntries(i.by_kind.map((s) => [s.name, s.total_fen]))).toEqual(Object.fromEntries(kinds.map((k) => [k.kind, k.fen])))
    expect(i.by_policy.reduce((a, s) => a + s.total_fen, 0)).toBe(i.total_fen)
    expect(i.by_kind[0].fen.reduce((a, b) => a + b, 0)).toBe(i.by_kind[0].total_fen)
    const wf = await rawCity(P)
    expect(i.by_city.find((c) => c.key === '潍坊市')).toMatchObject({ reward_fen: wf.fen, opened: wf.op, per_bottle_fen: expect.closeTo(wf.fen / wf.op, 9) })
    expect(i.top_stores.length).toBeGreaterThan(0)
    const pb = i.top_stores.map((s) => s.per_bottle_fen)
    expect([...pb].sort((a, b) => b - a)).toEqual(pb)
    expect(i.top_stores.every((s) => s.opened >= 10)).toBe(true)
  })
})

describe('cohorts', () => {
  it.each([['2026-06-30', null], ['2026-06-20', '2026-06-01']])('cohort sizes and monthly active shares equal the raw scans (to %s)', async (to, partial) => {
    const c = await cohorts(db, { from: '2026-03-01', to }, ALL)
    const raw = await db.query<{ cohort: string; month: string; active: number; size: number }>(
      `WITH firsts AS (SELECT store_id, toStartOfMonth(min(${DAY})) AS cohort FROM scan_events AS e WHERE type = 'stock_in' AND store_id != '' AND ${DAY} <= {to:Date} GROUP BY store_id)
       SELECT f.cohort AS cohort, toStartOfMonth(toDate(o.ts, 'Asia/Shanghai')) AS month, uniqExact(o.store_id) AS active,
              (SELECT count() FROM firsts AS g WHERE g.cohort = f.cohort) AS size
       FROM scan_events AS o INNER JOIN firsts AS f ON f.store_id = o.store_id
       WHERE o.type = 'open' AND toDate(o.ts, 'Asia/Shanghai') >= f.cohort AND toDate(o.ts, 'Asia/Shanghai') <= {to:Date} GROUP BY cohort, month`,
      { to },
    )
    expect(c.cohorts.length).toBeGreaterThan(1)
    for (const r of raw) {
      const row = c.cohorts.find((x) => x.cohort === r.cohort)!
      expect(row.stores).toBe(r.size)
      const k = (Number(r.month.slice(0, 4)) - Number(r.cohort.slice(0, 4))) * 12 + Number(r.month.slice(5, 7)) - Number(r.cohort.slice(5, 7))
      expect(row.active[k]).toBe(r.active)
      expect(row.share[k]).toBeCloseTo(r.active / r.size, 12)
    }
    expect(c.cohorts[0].censored).toBe(true)
    expect(c.partial_month).toBe(partial)
  })
})

describe('scope', () => {
  const scope = { cities: ['青岛市'] }
  it('hides other cities on every page', async () => {
    const o = await filterOptions(db, scope)
    expect(o.cities.map((c) => c.city)).toEqual(['青岛市'])
    expect((await geography(db, P, scope)).rows.map((r) => r.key)).toEqual(['青岛市'])
    const m = await geoMap(db, P, scope)
    expect(new Set(m.stores.map((s) => s.city))).toEqual(new Set(['青岛市']))
    const d = await diversion(db, P, scope, { alertBottles: 2, minBottles: 1 })
    expect(new Set(d.flows.map((f) => f.from_city))).toEqual(new Set(['青岛市']))
    expect(d.stores.every((s) => s.city === '青岛市')).toBe(true)
    const i = await incentives(db, P, scope, { minBottles: 1 })
    expect(i.by_city.map((c) => c.key)).toEqual(['青岛市'])
    expect(i.by_beneficiary.map((b) => b.beneficiary_type)).toEqual(['store'])
    expect(i.top_stores.every((s) => s.city === '青岛市')).toBe(true)
    const all = await cohorts(db, P, ALL)
    const qd = await cohorts(db, P, scope)
    expect(qd.cohorts.reduce((a, c) => a + c.stores, 0)).toBeLessThan(all.cohorts.reduce((a, c) => a + c.stores, 0))
    // Evidence of another region's flow is empty for this caller.
    const other = (await diversion(db, P, ALL, { alertBottles: 2, minBottles: 1 })).alerts.find((f) => f.from_city !== '青岛市')!
    expect(await flowEvidence(db, P, scope, { fromCity: other.from_city, toCity: other.to_city })).toEqual([])
  })
})

describe('HTTP', () => {
  const q = `from=${P.from}&to=${P.to}`
  it.each(['options', `overview?${q}&grain=week`, `geography?${q}`, `geography/map?${q}`, `diversion?${q}&alert_bottles=5`, `incentives?${q}`, `cohorts?${q}`,
    `diversion/evidence?${q}&from_city=${encodeURIComponent('潍坊市')}&to_city=${encodeURIComponent('青岛市')}`])('GET %s answers 200', async (path) => {
    const r = await fetch(`${base}/${path}`)
    expect(r.status).toBe(200)
  })

  it.each([
    ['overview', /from: is required: a local date YYYY-MM-DD; to: is required/],
    ['overview?from=2026-05-01', /to: /],
    ['overview?from=2026-05-01&to=2026-02-30', /to: must be a real date/],
    ['overview?from=2026-05-01&to=2026-04-01', /to: must not be before from/],
    ['overview?from=2020-01-01&to=2026-01-01', /to: the period may span at most 1100 days/],
    [`overview?${q}&tier=gold`, /tier: /],
    [`overview?${q}&kind=bar`, /kind: /],
    [`overview?${q}&grain=hour`, /grain: /],
    [`overview?${q}&city=`, /city: must not be empty/],
    [`diversion?${q}&alert_bottles=1`, /alert_bottles: /],
    [`diversion/evidence?${q}&to_city=x`, /from_city: /],
    [`geography?${q}&limit=0`, /limit: /],
  ])('GET %s is a 400 naming the parameter', async (path, msg) => {
    const r = await fetch(`${base}/${path}`)
    expect(r.status).toBe(400)
    expect(r.headers.get('content-type')).toMatch(/problem\+json/)
    expect((await r.json()).detail).toMatch(msg)
  })
})
