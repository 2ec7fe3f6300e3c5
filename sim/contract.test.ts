import { beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { rmSync } from 'node:fs'
import { CITIES, DISTRICTS, PROVINCE } from './geo'
import { generateTo, readNdjson } from './testkit'

// Local mirror of the ingestion contract (the server owns the canonical schemas).
const Id = z.string().min(1).max(64)
const Ts = z.iso.datetime({ offset: true })
const Uuid4 = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
const CityName = z.enum(CITIES.map((c) => c.name) as [string, ...string[]])
const DistrictName = z.enum([...new Set(DISTRICTS.map((d) => d.name))] as [string, ...string[]])
const Day = z.iso.date()

const Scan = z.strictObject({
  event_id: Uuid4, ts: Ts, type: z.enum(['ship', 'stock_in', 'open', 'verify']), code: Id, case_code: Id.optional(),
  sku_id: Id, bottles: z.number().int().min(1), store_id: Id.optional(), distributor_id: Id.optional(),
  consumer_id: Id.optional(), lat: z.number().min(-90).max(90).optional(), lon: z.number().min(-180).max(180).optional(),
  city: CityName.optional(), district: DistrictName.optional(), device_id: Id.optional(),
})
const Order = z.strictObject({
  order_id: Id, ts: Ts, seller_type: z.enum(['factory', 'distributor', 'store']), seller_id: Id,
  buyer_type: z.enum(['distributor', 'store', 'consumer']), buyer_id: Id, sku_id: Id, bottles: z.number().int().min(1),
  amount_fen: z.number().int().min(0),
})
const Reward = z.strictObject({
  reward_id: Id, ts: Ts, beneficiary_type: z.enum(['store', 'distributor', 'consumer']), beneficiary_id: Id,
  kind: z.enum(['stock_in', 'sell_through', 'red_envelope', 'distributor_bonus', 'campaign']), amount_fen: z.number().int().min(0),
  source_event_id: Id.optional(), policy_id: Id.optional(), experiment_id: Id.optional(), arm: Id.optional(), flow_id: Id.optional(),
})
const Product = z.strictObject({
  sku_id: Id, name: z.string().min(1), series: z.string().optional(), tier: z.enum(['mass', 'sub_premium', 'premium']),
  volume_ml: z.number().int().positive(), price_fen: z.number().int().positive(), bottles_per_case: z.literal(6),
})
const Distributor = z.strictObject({
  distributor_id: Id, name: z.string().min(1), province: z.literal(PROVINCE), city: CityName, territory_cities: z.array(CityName).min(1),
})
const Store = z.strictObject({
  store_id: Id, name: z.string().min(1), kind: z.enum(['tobacco_liquor', 'restaurant', 'supermarket', 'convenience', 'other']),
  distributor_id: Id, province: z.literal(PROVINCE), city: CityName, district: DistrictName, lat: z.number(), lon: z.number(),
  rep_id: Id.optional(), joined_on: Day.optional(),
})
const Rep = z.strictObject({ rep_id: Id, name: z.string().min(1), city: CityName })

const schemas = { scans: Scan, orders: Order, rewards: Reward, products: Product, distributors: Distributor, stores: Store, reps: Rep }
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- records are checked field by field
type Rec = Record<string, any>

describe('ingestion contract', () => {
  let dir = ''
  const data: Record<string, Rec[]> = {}
  beforeAll(async () => {
    ;({ dir } = await generateTo({ stores: 300, days: 120, seed: 'contract', end: '2026-03-01' }))
    for (const k of Object.keys(schemas)) data[k] = readNdjson<Rec>(dir, k)
    return () => rmSync(dir, { recursive: true, force: true })
  })

  it.each(Object.keys(schemas))('every %s record passes the schema', (kind) => {
    const schema = schemas[kind as keyof typeof schemas]
    expect(data[kind].length).toBeGreaterThan(0)
    for (const rec of data[kind]) {
      const r = schema.safeParse(rec)
      if (!r.success) throw new Error(`${kind} ${JSON.stringify(rec)}: ${r.error.message}`)
    }
  })

  // checks in loops collect failures and assert once: expect() per record is slow
  const failures = (recs: Rec[], bad: (r: Rec) => boolean): Rec[] => recs.filter(bad).slice(0, 3)

  it('ids are unique and references resolve', () => {
    const unique = (xs: string[]): void => expect(new Set(xs).size).toBe(xs.length)
    unique(data.scans.map((s) => s.event_id))
    unique(data.orders.map((s) => s.order_id))
    unique(data.rewards.map((s) => s.reward_id))
    unique(data.stores.map((s) => s.store_id))
    const stores = new Set(data.stores.map((s) => s.store_id))
    const dists = new Set(data.distributors.map((s) => s.distributor_id))
    const skus = new Set(data.products.map((s) => s.sku_id))
    const reps = new Set(data.reps.map((s) => s.rep_id))
    expect(failures(data.stores, (s) => !dists.has(s.distributor_id) || (s.rep_id && !reps.has(s.rep_id)))).toEqual([])
    const events = new Set(data.scans.map((s) => s.event_id))
    expect(failures(data.scans, (s) => !skus.has(s.sku_id) || (s.store_id && !stores.has(s.store_id)))).toEqual([])
    expect(failures(data.rewards, (r) => r.source_event_id && !events.has(r.source_event_id))).toEqual([])
    // an opened cap is scanned at most once
    unique(data.scans.filter((s) => s.type === 'open').map((s) => s.code))
  })

  it('scan rows follow the per-type rules', () => {
    const storeDist = new Map(data.stores.map((s) => [s.store_id, s.distributor_id]))
    expect(failures(data.scans, (s) => !s.ts.endsWith('+08:00'))).toEqual([])
    const cases = data.scans.filter((s) => s.type === 'stock_in' || s.type === 'ship')
    expect(failures(cases, (s) => s.bottles !== 6 || s.code !== s.case_code || !s.store_id || storeDist.get(s.store_id) !== s.distributor_id)).toEqual([])
    const opened = data.scans.filter((s) => s.type === 'open')
    expect(failures(opened, (s) =>
      s.bottles !== 1 || !/^o[A-Za-z0-9_-]{27}$/.test(s.consumer_id) || storeDist.get(s.store_id) !== s.distributor_id ||
      (s.lat === undefined) !== (s.lon === undefined))).toEqual([])
    const opens = data.scans.filter((s) => s.type === 'open')
    const withLoc = opens.filter((s) => s.lat !== undefined).length / opens.length
    const withCity = opens.filter((s) => s.city !== undefined).length / opens.length
    expect(withLoc).toBeGreaterThan(0.5)
    expect(withLoc).toBeLessThan(0.75)
    expect(withCity).toBeGreaterThan(0.85)
    expect(withCity).toBeLessThan(0.95)
    const verify = data.scans.filter((s) => s.type === 'verify').length
    expect(verify).toBeGreaterThan(0)
    expect(verify).toBeLessThan(opens.length * 0.1)
  })

  it('rewards follow the policy in force', () => {
    const tier = new Map(data.products.map((p) => [p.sku_id, p.tier]))
    const scan = new Map(data.scans.map((s) => [s.event_id, s]))
    const perTier: Record<string, number> = { mass: 100, sub_premium: 500, premium: 1500 }
    const tierOf = (r: Rec): string => tier.get(scan.get(r.source_event_id)!.sku_id)!
    expect(failures(data.rewards, (r) => !/^P-BASE-20\d\d$/.test(r.policy_id))).toEqual([])
    expect(failures(data.rewards, (r) => r.kind === 'sell_through' && r.amount_fen !== perTier[tierOf(r)])).toEqual([])
    expect(failures(data.rewards, (r) => {
      if (r.kind !== 'red_envelope') return false
      const [lo, hi] = tierOf(r) === 'premium' ? [1000, 10000] : tierOf(r) === 'sub_premium' ? [500, 3000] : [88, 888]
      return r.amount_fen < lo || r.amount_fen > hi
    })).toEqual([])
    const kinds = new Set(data.rewards.map((r) => r.kind))
    for (const k of ['stock_in', 'sell_through', 'red_envelope', 'distributor_bonus', 'campaign']) expect(kinds.has(k)).toBe(true)
    const opens = data.scans.filter((s) => s.type === 'open').length
    expect(data.rewards.filter((r) => r.kind === 'sell_through').length).toBe(opens)
    expect(data.rewards.filter((r) => r.kind === 'stock_in').length).toBe(data.scans.filter((s) => s.type === 'stock_in').length)
  })

  it('orders: distributor→store per delivery, factory→distributor, POS retail for a minority', () => {
    const by = (a: string, b: string): Rec[] => data.orders.filter((o) => o.seller_type === a && o.buyer_type === b)
    const ds = by('distributor', 'store')
    expect(ds.length).toBeGreaterThan(0)
    expect(by('factory', 'distributor').length).toBeGreaterThan(0)
    const pos = by('store', 'consumer')
    expect(pos.length).toBeGreaterThan(0)
    const posStores = new Set(pos.map((o) => o.seller_id)).size
    expect(posStores).toBeLessThan(data.stores.length * 0.3)
    // every delivery was ordered: stocked bottles ≤ ordered bottles per store
    const ordered = new Map<string, number>()
    for (const o of ds) ordered.set(o.buyer_id, (ordered.get(o.buyer_id) ?? 0) + o.bottles)
    const stocked = new Map<string, number>()
    for (const s of data.scans) if (s.type === 'stock_in') stocked.set(s.store_id, (stocked.get(s.store_id) ?? 0) + s.bottles)
    expect([...stocked].filter(([id, b]) => b > (ordered.get(id) ?? 0))).toEqual([])
  })

  it('catalog and geography look like a Shandong baijiu maker', () => {
    const p = data.products
    expect(p.length).toBeGreaterThanOrEqual(25)
    for (const x of p) {
      const yuan = x.price_fen / 100
      if (x.tier === 'mass') expect(yuan).toBeLessThan(150)
      if (x.tier === 'premium') expect(yuan).toBeGreaterThanOrEqual(400)
      expect(yuan).toBeLessThanOrEqual(1500)
    }
    const weifang = CITIES[0]
    expect(weifang.name).toBe('潍坊市')
    expect(weifang.districts.map((d) => d.name)).toEqual(
      ['潍城区', '寒亭区', '坊子区', '奎文区', '青州市', '诸城市', '寿光市', '安丘市', '高密市', '昌邑市', '临朐县', '昌乐县'],
    )
    const inWeifang = data.stores.filter((s) => s.city === '潍坊市').length / data.stores.length
    expect(inWeifang).toBeGreaterThan(0.35)
    // stores sit within a few km of their division's centre
    const centre = new Map(DISTRICTS.map((d) => [`${d.cityName}/${d.name}`, d]))
    expect(failures(data.stores, (s) => {
      const c = centre.get(`${s.city}/${s.district}`)!
      return Math.abs(s.lat - c.lat) > 0.2 || Math.abs(s.lon - c.lon) > 0.25
    })).toEqual([])
  })
})
