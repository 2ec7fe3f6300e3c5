import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../db/gateway.js'
import { parseBody } from '../ingest/parse.js'
import { Ingestor } from '../ingest/service.js'
import { openTestDb } from '../testing/db.js'
import { addDays, computeProfiles, defaultAsOf, freshness, refreshProfiles, toAttributes } from './service.js'

// Hand-built channel. as_of = 2026-11-26 (a Thursday): 30-day window from 10-27, 90-day from
// 08-28, 365-day from 2025-11-26; the 12 ISO weeks are 08-31 … 11-22 (toMonday(as_of) = 11-23).
const AS_OF = '2026-11-26'
let db: Db
let ingestor: Ingestor
let cleanup: () => Promise<void>
let n = 0
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`

const scan = (ts: string, type: string, extra: Record<string, unknown> = {}) => ({
  event_id: uuid(), ts, type, code: `C${n}`, sku_id: 'K1', bottles: type === 'stock_in' ? 6 : 1, store_id: 'S1', distributor_id: 'D1', ...extra,
})

const SCANS = [
  // stock-ins: midnight edges in local time and in UTC
  scan('2026-11-25T23:59:59+08:00', 'stock_in'), // day 11-25: last day inside every window
  scan('2026-11-26T00:00:00+08:00', 'stock_in'), // day 11-26 = as_of: excluded
  scan('2026-10-27T12:00:00+08:00', 'stock_in'), // day 10-27: first day of the 30-day window
  scan('2026-10-26T16:30:00Z', 'stock_in'), // 10-27 00:30 local: inside the 30-day window
  scan('2026-10-26T23:00:00+08:00', 'stock_in'), // day 10-26: 90-day window only
  // opens
  scan('2026-11-20T19:00:00+08:00', 'open', { sku_id: 'K2', consumer_id: 'c1', lat: 36.7, lon: 119.1, city: '潍坊市' }), // 0 km
  scan('2026-11-20T19:05:00+08:00', 'open', { sku_id: 'K2', consumer_id: 'c2', lat: 36.75, lon: 119.1, city: '青岛市' }), // 5.56 km
  scan('2026-11-20T20:00:00+08:00', 'open', { sku_id: 'K1', consumer_id: 'c1' }),
  scan('2026-11-05T12:00:00+08:00', 'open', { sku_id: 'K3', consumer_id: 'c3', lat: 36.7, lon: 119.15, city: '潍坊市' }), // 4.46 km
  scan('2026-11-24T12:00:00+08:00', 'open', { consumer_id: 'c4' }), // in the week of as_of: not in the 12 weeks
  scan('2026-08-31T00:10:00+08:00', 'open'), // first minute of the first of the 12 weeks
  scan('2026-08-30T16:20:00Z', 'open'), // 08-31 00:20 local: also inside week 1
  scan('2026-08-30T23:50:00+08:00', 'open', { consumer_id: 'c5', city: '济南市' }), // Sunday before week 1
  scan('2026-08-27T10:00:00+08:00', 'open', { consumer_id: 'c6' }), // before the 90-day window
  // a store known only from events, and a consumer's opens elsewhere
  scan('2026-11-10T10:00:00+08:00', 'open', { store_id: 'S3', distributor_id: 'D9', consumer_id: 'c1', lat: 36.7, lon: 119.1, city: '潍坊市' }),
]
const REWARDS = [
  { reward_id: 'R1', ts: '2026-11-25T10:00:00+08:00', beneficiary_type: 'store', beneficiary_id: 'S1', kind: 'sell_through', amount_fen: 200 },
  { reward_id: 'R2', ts: '2026-08-28T00:00:00+08:00', beneficiary_type: 'store', beneficiary_id: 'S1', kind: 'stock_in', amount_fen: 600 },
  { reward_id: 'R3', ts: '2026-08-27T23:59:59+08:00', beneficiary_type: 'store', beneficiary_id: 'S1', kind: 'stock_in', amount_fen: 100 },
  { reward_id: 'R4', ts: '2026-11-20T19:00:00+08:00', beneficiary_type: 'consumer', beneficiary_id: 'c1', kind: 'red_envelope', amount_fen: 1000 },
]
const ndjson = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n')
const ingest = async (kind: 'scans' | 'rewards' | 'products' | 'stores' | 'distributors', rows: object[]) => {
  const r = await ingestor.ingest(kind, parseBody(ndjson(rows), 'ndjson'), { origin: 'cli' })
  expect(r.rejected).toEqual([])
  return r
}

beforeAll(async () => {
  ;({ db, cleanup } = await openTestDb())
  ingestor = new Ingestor(db)
  await ingest('products', [
    { sku_id: 'K1', name: '潍河大曲', tier: 'mass', volume_ml: 500, price_fen: 5800, bottles_per_case: 6 },
    { sku_id: 'K2', name: '潍河十五年', tier: 'sub_premium', volume_ml: 500, price_fen: 32800, bottles_per_case: 6 },
    { sku_id: 'K3', name: '潍河典藏', tier: 'premium', volume_ml: 500, price_fen: 98800, bottles_per_case: 6 },
  ])
  await ingest('stores', [
    { store_id: 'S1', name: '老王烟酒', kind: 'tobacco_liquor', distributor_id: 'D1', province: '山东省', city: '潍坊市', district: '奎文区', lat: 36.7, lon: 119.1, rep_id: 'R7' },
    { store_id: 'S2', name: '新店', kind: 'convenience', distributor_id: 'D1', province: '山东省', city: '潍坊市', district: '潍城区', lat: 36.71, lon: 119.12 },
  ])
  await ingest('distributors', [{ distributor_id: 'D1', name: '潍坊一号', province: '山东省', city: '潍坊市', territory_cities: ['潍坊市'] }])
  await ingest('scans', SCANS)
  await ingest('rewards', REWARDS)
})
afterAll(() => cleanup())

describe('store profile, worked by hand', () => {
  it('computes every core attribute exactly as DESIGN §4 defines it', async () => {
    const p = (await computeProfiles(db, 'store', AS_OF, ['S1'])).get('S1')!
    const sd = Math.sqrt(14 / 12 - 0.5 ** 2) // weeks: 2 (08-31), 1 (11-02), 3 (11-16), nine empty
    expect(p).toEqual({
      name: '老王烟酒', kind: 'tobacco_liquor', city: '潍坊市', district: '奎文区', distributor_id: 'D1', rep_id: 'R7',
      stocked_bottles_30d: 18, opened_bottles_30d: 5,
      stocked_bottles_90d: 24, opened_bottles_90d: 8,
      stocked_bottles_365d: 24, opened_bottles_365d: 9,
      open_rate_90d: 8 / 24,
      weekly_opened_mean_12w: 0.5,
      weekly_opened_cv_12w: expect.closeTo(sd / 0.5, 12),
      active_weeks_12w: 3,
      sub_premium_share_90d: 3 / 8,
      distinct_consumers_90d: 5, // c1 c2 c3 c4 c5; c6 is before the window
      local_open_share_90d: 2 / 3, // of 3 geolocated: 0 km and 4.46 km in, 5.56 km out
      outside_city_share_90d: 2 / 4, // 青岛 and 济南 of 4 city-tagged
      reward_fen_90d: 800,
      reward_per_opened_bottle_90d: 800 / 8,
      days_since_last_open: 2, // 11-24
      days_since_last_stock_in: 1, // 11-25; the scan on as_of itself is excluded
    })
  })

  it('moves with as_of: the day before, the 11-25 scans no longer count', async () => {
    const p = (await computeProfiles(db, 'store', addDays(AS_OF, -1), ['S1'])).get('S1')!
    expect(p.days_since_last_stock_in).toBe(29) // 10-27
    expect(p.stocked_bottles_30d).toBe(12 + 6) // window from 10-26 now includes day 10-26
    expect(p.reward_fen_90d).toBe(600 + 100) // window 08-27 … 11-24
  })

  it('gives nulls for empty denominators and no events, and covers event-only stores', async () => {
    const m = await computeProfiles(db, 'store', AS_OF, ['S2', 'S3', 'nobody'])
    expect([...m.keys()].sort()).toEqual(['S2', 'S3'])
    expect(m.get('S2')).toMatchObject({
      name: '新店', stocked_bottles_90d: 0, opened_bottles_90d: 0, open_rate_90d: null, weekly_opened_mean_12w: 0,
      weekly_opened_cv_12w: null, active_weeks_12w: 0, sub_premium_share_90d: null, local_open_share_90d: null,
      outside_city_share_90d: null, reward_per_opened_bottle_90d: null, days_since_last_open: null, days_since_last_stock_in: null,
    })
    // No master record: no location, so the geo shares cannot be known.
    expect(m.get('S3')).toMatchObject({ name: null, city: null, opened_bottles_30d: 1, distinct_consumers_90d: 1, local_open_share_90d: null, outside_city_share_90d: null })
  })

  it('is unchanged by re-sent events and changed by late-arriving ones', async () => {
    const before = (await computeProfiles(db, 'store', AS_OF, ['S1'])).get('S1')
    const again = await ingestor.ingest('scans', parseBody(ndjson(SCANS), 'ndjson'), { origin: 'cli' })
    expect(again.duplicates).toBe(SCANS.length)
    expect((await computeProfiles(db, 'store', AS_OF, ['S1'])).get('S1')).toEqual(before)
    // A scan from September arriving now lands in its own week.
    await ingest('scans', [scan('2026-09-15T10:00:00+08:00', 'open', { sku_id: 'K3' })])
    const after = (await computeProfiles(db, 'store', AS_OF, ['S1'])).get('S1')!
    expect(after.active_weeks_12w).toBe(4)
    expect(after.opened_bottles_90d).toBe(9)
    expect(after.sub_premium_share_90d).toBe(4 / 9)
  })
})

describe('consumer and distributor profiles, worked by hand', () => {
  it('computes consumer attributes', async () => {
    const m = await computeProfiles(db, 'consumer', AS_OF, ['c1', 'c6'])
    expect(m.get('c1')).toEqual({
      opened_bottles_90d: 3, opened_bottles_365d: 3, distinct_stores_365d: 2, distinct_skus_365d: 2,
      preferred_tier_365d: 'mass', // K1 ×2 (S1, S3) vs K2 ×1
      home_city: '潍坊市', first_open_at: '2026-11-10T02:00:00.000Z', last_open_at: '2026-11-20T12:00:00.000Z',
      red_envelope_fen_365d: 1000, max_opens_per_day_365d: 2,
    })
    expect(m.get('c6')).toMatchObject({ opened_bottles_90d: 0, opened_bottles_365d: 1, home_city: null })
  })

  it('breaks tier ties toward the higher tier', async () => {
    await ingest('scans', [scan('2026-11-21T10:00:00+08:00', 'open', { sku_id: 'K3', consumer_id: 'c2' }), scan('2026-11-21T11:00:00+08:00', 'open', { sku_id: 'K1', consumer_id: 'c2' })])
    // c2: K2 ×1, K3 ×1, K1 ×1: all tied, premium wins
    expect((await computeProfiles(db, 'consumer', AS_OF, ['c2'])).get('c2')!.preferred_tier_365d).toBe('premium')
  })

  it('computes distributor attributes against its territory', async () => {
    const m = await computeProfiles(db, 'distributor', AS_OF, ['D1', 'D9'])
    const d1 = m.get('D1')!
    expect(d1).toMatchObject({ name: '潍坊一号', city: '潍坊市', stores_served_90d: 1, stocked_bottles_90d: 24, active_store_share_90d: 1 })
    expect(d1.open_rate_90d).toBe(Number(d1.opened_bottles_90d) / 24)
    expect(d1.outside_territory_open_share_90d).toBe(2 / 4)
    expect(m.get('D9')).toMatchObject({ name: null, stores_served_90d: 0, open_rate_90d: null, active_store_share_90d: null, outside_territory_open_share_90d: null })
  })
})

describe('materialised profiles', () => {
  it.each(['store', 'consumer', 'distributor'] as const)('hold the same values as the live computation (%s)', async (entity) => {
    const r = await refreshProfiles(db, entity, AS_OF)
    expect(r.entities).toBeGreaterThan(0)
    const table = `${entity}_profiles`
    const rows = await db.query<Record<string, unknown>>(`SELECT ${entity}_id AS id, * FROM ${table} FINAL`)
    const live = await computeProfiles(db, entity, AS_OF, rows.map((x) => String(x.id)))
    expect(rows.length).toBe(live.size)
    for (const row of rows) expect(toAttributes(entity, row)).toEqual(live.get(String(row.id)))
  })

  it.each(['store', 'consumer', 'distributor'] as const)('are the same rows when the refresh runs in parts (%s)', async (entity) => {
    const read = async () => {
      const rows = await db.query<Record<string, unknown>>(`SELECT ${entity}_id AS id, * FROM ${entity}_profiles FINAL ORDER BY id`)
      return rows.map((r) => [r.id, toAttributes(entity, r)])
    }
    const one = await refreshProfiles(db, entity, AS_OF)
    const whole = await read()
    await new Promise((r) => setTimeout(r, 5)) // a later refreshed_at, so the parts replace the rows
    const split = await refreshProfiles(db, entity, AS_OF, undefined, 3)
    expect(split.entities).toBe(one.entities)
    expect(await read()).toEqual(whole)
  })

  it('report their freshness', async () => {
    const f = await freshness(db)
    expect(f.map((x) => x.entity)).toEqual(['store', 'consumer', 'distributor'])
    expect(f[0]).toMatchObject({ as_of: AS_OF, entities: 3, lag_s: 0 })
    expect(f[0].age_s).toBeLessThan(60)
  })

  it('default to tomorrow in Asia/Shanghai', () => {
    expect(defaultAsOf(new Date('2026-11-26T15:59:59Z'))).toBe('2026-11-27')
    expect(defaultAsOf(new Date('2026-11-26T16:00:00Z'))).toBe('2026-11-28')
  })
})

describe('the refresh scheduler', () => {
  it('refreshes touched entities incrementally, and fully (holding no ids) past the incremental limit', async () => {
    const { ProfileScheduler } = await import('./scheduler.js')
    const ing = new Ingestor(db)
    const s = new ProfileScheduler(db, () => new Date('2026-11-25T12:00:00+08:00'))
    s.watch(ing)
    await s.refresh('full')
    await ing.ingest('scans', parseBody(ndjson([scan('2026-11-20T10:00:00+08:00', 'open', { store_id: 'S1', consumer_id: 'sched-1' })]), 'ndjson'), { origin: 'cli' })
    const inc = await s.refresh()
    expect(inc.map((r) => [r.entity, r.mode, r.entities])).toEqual([['store', 'incremental', 1], ['consumer', 'incremental', 1], ['distributor', 'incremental', 1]])
    const many = Array.from({ length: 20_001 }, (_, i) => scan('2026-11-21T10:00:00+08:00', 'open', { store_id: 'S2', consumer_id: `sched-many-${i}` }))
    await ing.ingest('scans', parseBody(ndjson(many), 'ndjson'), { origin: 'cli' })
    const next = await s.refresh()
    expect(next.find((r) => r.entity === 'consumer')?.mode).toBe('full')
    expect(next.find((r) => r.entity === 'store')).toMatchObject({ mode: 'incremental', entities: 1 })
    expect(await s.refresh()).toEqual([])
  })

  it('defers a full refresh while facts arrive at backfill rates, and runs it once they slow down', async () => {
    const { ProfileScheduler } = await import('./scheduler.js')
    const ing = new Ingestor(db)
    let rate = 50_000
    ing.acceptedPerSecond = () => rate
    const s = new ProfileScheduler(db, () => new Date('2026-11-25T12:00:00+08:00'))
    s.watch(ing)
    await s.refresh('full')
    const many = Array.from({ length: 20_001 }, (_, i) => scan('2026-11-22T10:00:00+08:00', 'open', { store_id: 'S3', consumer_id: `defer-${i}` }))
    await ing.ingest('scans', parseBody(ndjson(many), 'ndjson'), { origin: 'cli' })
    const busy = await s.refresh()
    expect(busy.map((r) => [r.entity, r.mode])).toEqual([['store', 'incremental'], ['distributor', 'incremental']])
    rate = 1000
    const calm = await s.refresh()
    expect(calm.map((r) => [r.entity, r.mode])).toEqual([['consumer', 'full']])
    // 'full' on demand is never deferred.
    rate = 50_000
    expect((await s.refresh('full')).map((r) => r.entity)).toEqual(['store', 'consumer', 'distributor'])
  })
})
