import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConsumerDetail, DistributorDetail, StoreDetail } from '../../segments/api/profiles.js'
import type { Db } from '../db/gateway.js'
import { parseBody } from '../ingest/parse.js'
import type { Kind } from '../ingest/schemas.js'
import { Ingestor } from '../ingest/service.js'
import { MAX_POINTS } from '../profiles/detail.js'
import { defaultAsOf } from '../profiles/service.js'
import { isoWeek, weekWindow } from '../profiles/weeks.js'
import { openTestDb } from '../testing/db.js'
import { serve } from '../testing/http.js'
import { createApp } from './app.js'

// Hand-built channel, as of Thursday 2025-11-13 (ISO week 46): with weeks=4 the series is
// W42 (Oct 13) … W45 (Nov 3) complete, plus W46 partial (Mon–Wed, Nov 10–12).
const AS_OF = '2025-11-13'
let db: Db
let base: string
let stop: () => Promise<void>

let n = 0
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`
const scan = (type: string, ts: string, extra: object) => ({ event_id: uuid(), ts, type, code: `X${n}`, sku_id: 'K1', bottles: 1, ...extra })
const WF = { city: '潍坊市', district: '奎文区' }
const AT_STORE = { lat: 36.7, lon: 119.1 }
const NEAR = { lat: 36.71, lon: 119.1 } // 1.112 km north
const QINGDAO = { lat: 36.07, lon: 120.38, city: '青岛市' }

const SCANS = [
  scan('open', '2025-07-01T12:00:00+08:00', { store_id: 'S1', distributor_id: 'D1', consumer_id: 'C1', ...WF }), // beyond 90 d
  scan('open', '2025-10-14T20:00:00+08:00', { store_id: 'S1', distributor_id: 'D1', consumer_id: 'C1', ...AT_STORE, ...WF }),
  scan('stock_in', '2025-10-21T10:00:00+08:00', { store_id: 'S1', distributor_id: 'D1', bottles: 6, case_code: 'CASE1' }),
  scan('open', '2025-10-22T12:00:00+08:00', { store_id: 'S1', distributor_id: 'D1', consumer_id: 'C1', ...NEAR, ...WF }),
  scan('open', '2025-10-22T18:00:00+08:00', { store_id: 'S1', distributor_id: 'D1', consumer_id: 'C2', sku_id: 'K2', ...NEAR, ...WF }),
  scan('stock_in', '2025-11-04T09:00:00+08:00', { store_id: 'S1', distributor_id: 'D1', bottles: 6, sku_id: 'K2' }),
  scan('open', '2025-11-05T19:00:00+08:00', { store_id: 'S1', distributor_id: 'D1', consumer_id: 'C2', sku_id: 'K3', ...QINGDAO }),
  scan('open', '2025-11-05T21:00:00+08:00', { store_id: 'S1', distributor_id: 'D1', sku_id: 'K9' }),
  scan('stock_in', '2025-11-06T10:00:00+08:00', { store_id: 'S2', distributor_id: 'D1', bottles: 6 }),
  scan('open', '2025-11-06T20:00:00+08:00', { store_id: 'S2', distributor_id: 'D1', consumer_id: 'C2', ...WF }),
  scan('open', '2025-11-11T20:00:00+08:00', { store_id: 'S1', distributor_id: 'D1', consumer_id: 'C3', sku_id: 'K2', ...AT_STORE, ...WF }),
  // 23:30 local on Nov 12 is 15:30 UTC: still before the as-of instant (local midnight)…
  scan('stock_in', '2025-11-12T23:30:00+08:00', { store_id: 'S1', distributor_id: 'D1', bottles: 6 }),
  // …while 00:30 local on Nov 13 (16:30 UTC on Nov 12) is not.
  scan('stock_in', '2025-11-13T00:30:00+08:00', { store_id: 'S1', distributor_id: 'D1', bottles: 6 }),
  scan('open', '2025-11-01T12:00:00+08:00', { store_id: 'S7' }), // a store known only from scans
]
const reward = (id: string, ts: string, type: string, who: string, kind: string, fen: number) => ({ reward_id: id, ts, beneficiary_type: type, beneficiary_id: who, kind, amount_fen: fen })

async function load(ingestor: Ingestor, kind: Kind, rows: object[]) {
  const r = await ingestor.ingest(kind, parseBody(rows.map((x) => JSON.stringify(x)).join('\n'), 'ndjson'), { origin: 'cli' })
  expect(r.rejected).toEqual([])
}
const get = async (path: string) => {
  const res = await fetch(`${base}${path}`)
  return { status: res.status, body: await res.json() }
}

beforeAll(async () => {
  const t = await openTestDb()
  db = t.db
  const ingestor = new Ingestor(db)
  const s = await serve(createApp({ db, ingestor, webDir: '/nonexistent' }))
  base = `${s.base}/api/v1`
  stop = async () => {
    await s.close()
    await t.cleanup()
  }
  await load(ingestor, 'products', [
    { sku_id: 'K1', name: '大曲', tier: 'mass', volume_ml: 500, price_fen: 9900, bottles_per_case: 6 },
    { sku_id: 'K2', name: '精品', tier: 'sub_premium', volume_ml: 500, price_fen: 29900, bottles_per_case: 6 },
    { sku_id: 'K3', name: '国窖', tier: 'premium', volume_ml: 500, price_fen: 99900, bottles_per_case: 6 },
  ])
  await load(ingestor, 'distributors', [{ distributor_id: 'D1', name: '鸿运商贸', province: '山东省', city: '潍坊市', territory_cities: ['潍坊市'] }])
  await load(ingestor, 'reps', [{ rep_id: 'R1', name: '张三', city: '潍坊市' }])
  await load(ingestor, 'stores', [
    { store_id: 'S1', name: '老王烟酒', kind: 'tobacco_liquor', distributor_id: 'D1', province: '山东省', ...WF, ...AT_STORE, rep_id: 'R1' },
    { store_id: 'S2', name: '好运超市', kind: 'supermarket', distributor_id: 'D1', province: '山东省', ...WF, lat: 36.75, lon: 119.2 },
    { store_id: 'S9', name: '大场面', kind: 'restaurant', distributor_id: 'D1', province: '山东省', ...WF, lat: 36.5, lon: 119 },
  ])
  await load(ingestor, 'scans', SCANS)
  // S9: more distinct open locations than the map may carry, so they are merged on rounded coordinates.
  const many = Array.from({ length: MAX_POINTS + 100 }, (_, i) => scan('open', '2025-11-03T12:00:00+08:00', { store_id: 'S9', lat: 36.5 + i * 0.0001, lon: 119 }))
  await load(ingestor, 'scans', many)
  await load(ingestor, 'rewards', [
    reward('W1', '2025-10-22T12:00:00+08:00', 'store', 'S1', 'sell_through', 50),
    reward('W2', '2025-10-22T18:00:00+08:00', 'store', 'S1', 'sell_through', 50),
    reward('W3', '2025-11-04T09:00:00+08:00', 'store', 'S1', 'stock_in', 600),
    reward('W4', '2025-11-12T23:30:00+08:00', 'store', 'S1', 'stock_in', 600),
    reward('W5', '2025-10-22T18:00:00+08:00', 'consumer', 'C2', 'red_envelope', 888),
  ])
})
afterAll(() => stop())

describe('weeks', () => {
  it('lays out complete ISO weeks and the partial week; a Monday as_of has none', () => {
    expect(weekWindow(AS_OF, 2).weeks).toEqual([
      { start: '2025-10-27', iso: '2025-W44', days: 7, partial: false },
      { start: '2025-11-03', iso: '2025-W45', days: 7, partial: false },
      { start: '2025-11-10', iso: '2025-W46', days: 3, partial: true },
    ])
    expect(weekWindow('2025-11-10', 1).weeks).toEqual([{ start: '2025-11-03', iso: '2025-W45', days: 7, partial: false }])
    expect([isoWeek('2025-12-29'), isoWeek('2027-01-01'), isoWeek('2026-12-31')]).toEqual(['2026-W01', '2026-W53', '2026-W53'])
  })
})

describe('GET /profiles/stores/:id/detail', () => {
  it('gives the master header with distributor and rep names', async () => {
    const { status, body } = await get(`/profiles/stores/S1/detail?as_of=${AS_OF}&weeks=4`)
    expect(status).toBe(200)
    expect(body.store).toEqual({
      name: '老王烟酒', kind: 'tobacco_liquor', province: '山东省', city: '潍坊市', district: '奎文区', lat: 36.7, lon: 119.1,
      distributor_id: 'D1', distributor_name: '鸿运商贸', rep_id: 'R1', rep_name: '张三',
    })
    expect(body.weeks.map((w: any) => `${w.iso}${w.partial ? '*' : ''}`)).toEqual(['2025-W42', '2025-W43', '2025-W44', '2025-W45', '2025-W46*'])
  })

  it('sums weekly bottles on local days with empty weeks as 0, and the 12-week figures match the profile', async () => {
    const { body } = await get(`/profiles/stores/S1/detail?as_of=${AS_OF}&weeks=4`)
    expect(body.weekly.opened).toEqual([1, 2, 0, 2, 1])
    expect(body.weekly.stocked).toEqual([0, 6, 0, 6, 6]) // the stock-in at 00:30 on as_of is out
    expect(body.weekly.mean_12w).toBeCloseTo(5 / 12, 12)
    expect(body.weekly.cv_12w).toBeCloseTo(Math.sqrt(9 / 12 - (5 / 12) ** 2) / (5 / 12), 12)
    expect(body.weekly.active_weeks_12w).toBe(3)
    const p = (await get(`/profiles/stores/S1?as_of=${AS_OF}`)).body.attributes
    expect(body.weekly.mean_12w).toBeCloseTo(p.weekly_opened_mean_12w, 12)
    expect(body.weekly.cv_12w).toBeCloseTo(p.weekly_opened_cv_12w, 12)
  })

  it('mixes the 90-day opens by tier and SKU, with unknown products apart', async () => {
    const { body } = await get(`/profiles/stores/S1/detail?as_of=${AS_OF}&weeks=4`)
    expect(body.tier_mix.total).toBe(6)
    expect(body.tier_mix.by_tier).toEqual([
      { tier: 'mass', bottles: 2, share: 2 / 6 },
      { tier: 'sub_premium', bottles: 2, share: 2 / 6 },
      { tier: 'premium', bottles: 1, share: 1 / 6 },
      { tier: 'unknown', bottles: 1, share: 1 / 6 },
    ])
    expect(body.tier_mix.by_sku.map((s: any) => [s.sku_id, s.name, s.tier, s.bottles])).toEqual([
      ['K1', '大曲', 'mass', 2], ['K2', '精品', 'sub_premium', 2], ['K3', '国窖', 'premium', 1], ['K9', null, null, 1],
    ])
  })

  it('places the opens with coordinates against the store location', async () => {
    const { body } = await get(`/profiles/stores/S1/detail?as_of=${AS_OF}`)
    expect(body.open_map).toMatchObject({ window_days: 90, store: { lat: 36.7, lon: 119.1 }, radius_km: 5, precision: null, truncated: false, total_bottles: 5 })
    expect(body.open_map.points).toEqual([
      { lat: 36.7, lon: 119.1, bottles: 2, km: 0 },
      { lat: 36.71, lon: 119.1, bottles: 2, km: 1.112 },
      { lat: 36.07, lon: 120.38, bottles: 1, km: expect.closeTo(134.0, 0) },
    ])
  })

  it('merges the points on rounded coordinates beyond the cap, keeping every bottle', async () => {
    const { body } = await get(`/profiles/stores/S9/detail?as_of=${AS_OF}`)
    expect(body.open_map.precision).toBe(3)
    expect(body.open_map.truncated).toBe(false)
    expect(body.open_map.points.length).toBeLessThanOrEqual(211)
    expect(body.open_map.points.reduce((s: number, p: any) => s + p.bottles, 0)).toBe(MAX_POINTS + 100)
  })

  it('gives rewards by week and kind', async () => {
    const { body } = await get(`/profiles/stores/S1/detail?as_of=${AS_OF}&weeks=4`)
    expect(body.rewards).toEqual({
      kinds: [
        { kind: 'sell_through', fen: [0, 100, 0, 0, 0], total_fen: 100 },
        { kind: 'stock_in', fen: [0, 0, 0, 600, 600], total_fen: 1200 },
      ],
      total_fen: 1300,
    })
  })

  it('lists the latest scans before the as-of instant, newest first, in ISO UTC', async () => {
    const { body } = await get(`/profiles/stores/S1/detail?as_of=${AS_OF}`)
    expect(body.recent_events.map((e: any) => `${e.ts} ${e.type} ${e.sku_id}`)).toEqual([
      '2025-11-12T15:30:00.000Z stock_in K1',
      '2025-11-11T12:00:00.000Z open K2',
      '2025-11-05T13:00:00.000Z open K9',
      '2025-11-05T11:00:00.000Z open K3',
      '2025-11-04T01:00:00.000Z stock_in K2',
      '2025-10-22T10:00:00.000Z open K2',
      '2025-10-22T04:00:00.000Z open K1',
      '2025-10-21T02:00:00.000Z stock_in K1',
      '2025-10-14T12:00:00.000Z open K1',
      '2025-07-01T04:00:00.000Z open K1',
    ])
    expect(body.recent_events[3]).toMatchObject({ product_name: '国窖', consumer_id: 'C2', city: '青岛市', lat: 36.07, lon: 120.38, distributor_id: 'D1' })
    expect(body.recent_events[2]).toMatchObject({ product_name: null, consumer_id: null, city: null, lat: null, lon: null })
  })

  it('serves a store known only from scans, with no header, and the default as_of', async () => {
    const { status, body } = await get('/profiles/stores/S7/detail')
    expect(status).toBe(200)
    expect(body).toMatchObject({ id: 'S7', as_of: defaultAsOf(), store: null, open_map: { store: null } })
    expect(body.weeks).toHaveLength(26 + (body.weeks.at(-1).partial ? 1 : 0))
  })

  it.each([
    '/profiles/stores/nope/detail',
    '/profiles/stores/S7/detail?as_of=2025-11-01', // its only scan is on that day: not before
    '/profiles/consumers/nobody/detail',
    '/profiles/distributors/D404/detail',
  ])('%s → 404', async (path) => {
    const r = await get(path)
    expect(r.status).toBe(404)
    expect(r.body.detail).toMatch(/no (store|consumer|distributor) "/)
  })

  it.each([
    ['/profiles/stores/S1/detail?as_of=2025-13-01', /as_of/],
    ['/profiles/stores/S1/detail?weeks=0', /weeks/],
    ['/profiles/stores/S1/detail?weeks=many', /weeks/],
    ['/profiles/distributors/D1/detail?weeks=105', /weeks/],
  ])('%s → 400 naming the parameter', async (path, msg) => {
    const r = await get(path)
    expect(r.status).toBe(400)
    expect(r.body.detail).toMatch(msg)
  })
})

describe('GET /profiles/consumers/:id/detail', () => {
  it('gives the stores visited, cities, weekly timeline, tier mix and latest activity', async () => {
    const { status, body } = await get(`/profiles/consumers/C2/detail?as_of=${AS_OF}&weeks=4`)
    expect(status).toBe(200)
    expect(body.timeline).toEqual({ opened: [0, 1, 0, 2, 0], opens: [0, 1, 0, 2, 0] })
    expect(body.stores).toEqual([
      { store_id: 'S1', name: '老王烟酒', city: '潍坊市', opens: 2, bottles: 2, last_day: '2025-11-05' },
      { store_id: 'S2', name: '好运超市', city: '潍坊市', opens: 1, bottles: 1, last_day: '2025-11-06' },
    ])
    expect(body.cities).toEqual([{ city: '潍坊市', opens: 2, bottles: 2 }, { city: '青岛市', opens: 1, bottles: 1 }])
    expect(body.tier_mix.by_tier.map((t: any) => [t.tier, t.bottles])).toEqual([['mass', 1], ['sub_premium', 1], ['premium', 1]])
    expect(body.recent.map((r: any) => `${r.day} ${r.store_name} ${r.sku_id} ${r.last_ts}`)).toEqual([
      '2025-11-06 好运超市 K1 2025-11-06T12:00:00.000Z',
      '2025-11-05 老王烟酒 K3 2025-11-05T11:00:00.000Z',
      '2025-10-22 老王烟酒 K2 2025-10-22T10:00:00.000Z',
    ])
    expect(body.rewards).toEqual({ kinds: [{ kind: 'red_envelope', fen: [0, 888, 0, 0, 0], total_fen: 888 }], total_fen: 888 })
  })
})

describe('GET /profiles/distributors/:id/detail', () => {
  it('gives its stores with open rates, opens by city inside/outside territory and the weekly series', async () => {
    const { status, body } = await get(`/profiles/distributors/D1/detail?as_of=${AS_OF}&weeks=4`)
    expect(status).toBe(200)
    expect(body.distributor).toEqual({ name: '鸿运商贸', province: '山东省', city: '潍坊市', territory: ['潍坊市'] })
    expect(body.weekly).toEqual({ opened: [1, 2, 0, 3, 1], stocked: [0, 6, 0, 12, 6] })
    expect(body.stores).toEqual({
      total: 2,
      served: 2,
      rows: [
        { store_id: 'S1', name: '老王烟酒', city: '潍坊市', stocked: 18, opened: 6, open_rate: 6 / 18 },
        { store_id: 'S2', name: '好运超市', city: '潍坊市', stocked: 6, opened: 1, open_rate: 1 / 6 },
      ],
    })
    expect(body.cities).toEqual([{ city: '潍坊市', bottles: 5, inside: true }, { city: '青岛市', bottles: 1, inside: false }])
    const p = (await get(`/profiles/distributors/D1?as_of=${AS_OF}`)).body.attributes
    expect(p).toMatchObject({ stocked_bottles_90d: 24, opened_bottles_90d: 7, outside_territory_open_share_90d: 1 / 6 })
  })
})

describe('the detail answers fit the shared schemas the web parses them with', () => {
  it.each([
    ['/profiles/stores/S1/detail', StoreDetail],
    ['/profiles/stores/S7/detail', StoreDetail], // no master record: nulls where the header was
    ['/profiles/consumers/C2/detail', ConsumerDetail],
    ['/profiles/distributors/D1/detail', DistributorDetail],
  ] as const)('%s', async (path, schema) => {
    const { status, body } = await get(`${path}?as_of=${AS_OF}`)
    expect(status).toBe(200)
    schema.parse(body)
  })
})
