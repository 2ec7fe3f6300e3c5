/**
 * What a store page needs beyond its attributes, chart-ready: the master header, weekly
 * opened/stocked series, tier mix, where its bottles were opened, rewards by week and kind,
 * and its latest scans. Everything is read from the daily rollups except the latest scans,
 * which read `scan_events` for this one store (its sorting key starts (type, store_id, ts)).
 * Consumer and distributor pages are in detail-entities.ts.
 */
import type { RecentEvent, StoreDetail, TierMix, Week } from '../../segments/api/profiles.js'
import type { Db } from '../db/gateway.js'
import type { Scope } from '../scope.js'
import { onWeeks, stability12w, weekWindow } from './weeks.js'

/** Windows of the mix and the map: the same 90 days as the `*_90d` attributes. */
export const MIX_DAYS = 90
/** At most this many points on the open map; beyond, points are merged on rounded coordinates. */
export const MAX_POINTS = 2000
export const LOCAL_RADIUS_KM = 5
const RECENT_EVENTS = 50
const TIERS = ['mass', 'sub_premium', 'premium'] as const

export interface DetailRequest {
  id: string
  /** Local date YYYY-MM-DD (exclusive end of every window). */
  asOf: string
  /** Complete ISO weeks in the weekly series. */
  weeks: number
}

/** Engine DateTime64 text ('2025-11-13 01:02:03.456', UTC) → ISO 8601 UTC. */
export const isoUtc = (s: string) => s.replace(' ', 'T') + 'Z'
const orNull = (s: unknown) => (s === '' || s === null || s === undefined ? null : String(s))

/** Haversine distance in km with R = 6371, as DESIGN §4 defines "within 5 km". */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180
  const a = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lon2 - lon1) * rad) / 2) ** 2
  return 2 * 6371 * Math.asin(Math.sqrt(a))
}

/** Tier mix from (sku, name, tier, bottles) rows; a SKU missing from products has tier `unknown`. */
export function tierMix(rows: { sku_id: string; name: string; tier: string; bottles: number }[], windowDays: number): TierMix {
  const total = rows.reduce((s, r) => s + Number(r.bottles), 0)
  const share = (n: number) => (total === 0 ? null : n / total)
  const byTier = new Map<string, number>(TIERS.map((t) => [t, 0]))
  for (const r of rows) {
    const tier = r.tier || 'unknown'
    byTier.set(tier, (byTier.get(tier) ?? 0) + Number(r.bottles))
  }
  return {
    window_days: windowDays,
    total,
    by_tier: [...byTier].filter(([t, b]) => b > 0 || (TIERS as readonly string[]).includes(t)).map(([tier, bottles]) => ({ tier, bottles, share: share(bottles) })),
    by_sku: rows.map((r) => ({ sku_id: r.sku_id, name: orNull(r.name), tier: orNull(r.tier), bottles: Number(r.bottles), share: share(Number(r.bottles)) })),
  }
}

/** The store's master record with its distributor's and rep's names, or null when it has none. */
async function storeHeader(db: Db, id: string): Promise<StoreDetail['store']> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT s.name AS name, s.kind AS kind, s.province AS province, s.city AS city, s.district AS district, s.lat AS lat, s.lon AS lon,
            s.distributor_id AS distributor_id, d.name AS distributor_name, s.rep_id AS rep_id, r.name AS rep_name
     FROM (SELECT * FROM stores FINAL WHERE store_id = {id:String}) AS s
     LEFT JOIN (SELECT distributor_id, name FROM distributors FINAL
                WHERE distributor_id IN (SELECT distributor_id FROM stores FINAL WHERE store_id = {id:String})) AS d ON d.distributor_id = s.distributor_id
     LEFT JOIN (SELECT rep_id, name FROM reps FINAL
                WHERE rep_id IN (SELECT rep_id FROM stores FINAL WHERE store_id = {id:String})) AS r ON r.rep_id = s.rep_id`,
    { id },
    'store-detail-header',
  )
  const h = rows[0]
  if (!h) return null
  return {
    name: String(h.name), kind: String(h.kind), province: String(h.province), city: String(h.city), district: String(h.district),
    lat: Number(h.lat), lon: Number(h.lon),
    distributor_id: orNull(h.distributor_id), distributor_name: orNull(h.distributor_name), rep_id: orNull(h.rep_id), rep_name: orNull(h.rep_name),
  }
}

async function openMap(db: Db, id: string, asOf: string, store: { lat: number; lon: number } | null): Promise<StoreDetail['open_map']> {
  const where = `store_id = {id:String} AND has_geo = 1 AND day >= {as_of:Date} - ${MIX_DAYS} AND day < {as_of:Date}`
  const [c] = await db.query<{ exact: number; p3: number; p2: number; p1: number; bottles: number }>(
    `SELECT uniqExact(lat, lon) AS exact, uniqExact(round(lat, 3), round(lon, 3)) AS p3,
            uniqExact(round(lat, 2), round(lon, 2)) AS p2, uniqExact(round(lat, 1), round(lon, 1)) AS p1, sum(bottles) AS bottles
     FROM store_opens_daily WHERE ${where}`,
    { id, as_of: asOf },
    'store-detail-map-count',
  )
  // Finest rounding that fits: 3 places ≈ 100 m, 2 ≈ 1 km, 1 ≈ 10 km.
  const choices: [number | null, number][] = [[null, c.exact], [3, c.p3], [2, c.p2], [1, c.p1]]
  const [precision, n] = choices.find(([, k]) => Number(k) <= MAX_POINTS) ?? choices[3]
  const lat = precision === null ? 'lat' : 'round(lat, {p:UInt8})'
  const lon = precision === null ? 'lon' : 'round(lon, {p:UInt8})'
  const rows = await db.query<{ plat: number; plon: number; bottles: number }>(
    `SELECT ${lat} AS plat, ${lon} AS plon, sum(bottles) AS bottles FROM store_opens_daily WHERE ${where}
     GROUP BY plat, plon ORDER BY bottles DESC, plat, plon LIMIT {cap:UInt32}`,
    { id, as_of: asOf, p: precision ?? 0, cap: MAX_POINTS },
    'store-detail-map',
  )
  return {
    window_days: MIX_DAYS,
    store,
    radius_km: LOCAL_RADIUS_KM,
    precision,
    truncated: Number(n) > MAX_POINTS,
    total_bottles: Number(c.bottles),
    points: rows.map((r) => {
      const p = { lat: Number(r.plat), lon: Number(r.plon), bottles: Number(r.bottles) }
      return { ...p, km: store ? Math.round(haversineKm(store.lat, store.lon, p.lat, p.lon) * 1000) / 1000 : null }
    }),
  }
}

/** Rewards of one beneficiary per week and kind, on the window's weeks. */
export async function weeklyRewards(db: Db, type: 'store' | 'distributor' | 'consumer', id: string, asOf: string, weeks: Week[]): Promise<StoreDetail['rewards']> {
  const rows = await db.query<{ week: string; kind: string; fen: number }>(
    `SELECT toMonday(day) AS week, kind, sum(amount_fen) AS fen FROM reward_daily
     WHERE beneficiary_type = {t:String} AND beneficiary_id = {id:String} AND day >= {from:Date} AND day < {as_of:Date}
     GROUP BY week, kind ORDER BY kind, week`,
    { t: type, id, from: weeks[0]?.start ?? asOf, as_of: asOf },
    'detail-rewards',
  )
  const byKind = new Map<string, Map<string, number>>()
  for (const r of rows) {
    if (!byKind.has(r.kind)) byKind.set(r.kind, new Map())
    byKind.get(r.kind)!.set(r.week, Number(r.fen))
  }
  const kinds = [...byKind].map(([kind, m]) => {
    const fen = onWeeks(weeks, m)
    return { kind, fen, total_fen: fen.reduce((a, b) => a + b, 0) }
  })
  return { kinds, total_fen: kinds.reduce((a, k) => a + k.total_fen, 0) }
}

async function recentEvents(db: Db, id: string, asOf: string): Promise<RecentEvent[]> {
  // The as-of instant is local midnight: events from as_of on are not part of this profile.
  const rows = await db.query<Record<string, unknown>>(
    `SELECT toString(e.event_id) AS event_id, toString(e.ts) AS ts, toString(e.type) AS type, e.code AS code, e.case_code AS case_code,
            toString(e.sku_id) AS sku_id, p.name AS product_name, e.bottles AS bottles, e.consumer_id AS consumer_id,
            e.distributor_id AS distributor_id, toString(e.city) AS city, toString(e.district) AS district, e.has_geo AS has_geo, e.lat AS lat, e.lon AS lon
     FROM (SELECT * FROM scan_events
           WHERE type IN ('ship', 'stock_in', 'open', 'verify') AND store_id = {id:String}
             AND ts < toDateTime64({as_of:Date}, 3, 'Asia/Shanghai')
           ORDER BY ts DESC, event_id LIMIT ${RECENT_EVENTS}) AS e
     LEFT JOIN (SELECT sku_id, name FROM products FINAL) AS p ON p.sku_id = e.sku_id
     ORDER BY e.ts DESC, e.event_id`,
    { id, as_of: asOf },
    'store-detail-recent',
  )
  return rows.map((r) => ({
    event_id: String(r.event_id), ts: isoUtc(String(r.ts)), type: String(r.type), code: String(r.code), case_code: orNull(r.case_code),
    sku_id: String(r.sku_id), product_name: orNull(r.product_name), bottles: Number(r.bottles), consumer_id: orNull(r.consumer_id),
    distributor_id: orNull(r.distributor_id), city: orNull(r.city), district: orNull(r.district),
    lat: Number(r.has_geo) === 1 ? Number(r.lat) : null, lon: Number(r.has_geo) === 1 ? Number(r.lon) : null,
  }))
}

/**
 * The store page's data as of a date, or null when the store is unknown (neither in master data
 * nor in any scan before as_of) or outside the caller's scope.
 * @example const d = await storeDetail(db, ALL, { id: 'S1', asOf: '2025-11-13', weeks: 26 })
 */
export async function storeDetail(db: Db, scope: Scope, req: DetailRequest): Promise<StoreDetail | null> {
  const { id, asOf } = req
  const store = await storeHeader(db, id)
  if (scope.cities !== null && (!store || !scope.cities.includes(store.city))) return null
  if (!store) {
    const [{ n }] = await db.query<{ n: number }>('SELECT count() AS n FROM store_daily WHERE store_id = {id:String} AND day < {as_of:Date}', { id, as_of: asOf }, 'store-detail-exists')
    if (Number(n) === 0) return null
  }
  const win = weekWindow(asOf, req.weeks)
  const weekly = await db.query<{ week: string; opened: number; stocked: number }>(
    `SELECT toMonday(day) AS week, sumIf(bottles, type = 'open') AS opened, sumIf(bottles, type = 'stock_in') AS stocked
     FROM store_daily WHERE store_id = {id:String} AND day >= {from:Date} AND day < {as_of:Date}
     GROUP BY week ORDER BY week`,
    { id, from: win.from, as_of: asOf },
    'store-detail-weekly',
  )
  const opened = new Map(weekly.map((r) => [r.week, Number(r.opened)]))
  const stocked = new Map(weekly.map((r) => [r.week, Number(r.stocked)]))
  const st = stability12w(opened, win.monday)
  const mix = await db.query<{ sku_id: string; name: string; tier: string; bottles: number }>(
    `SELECT sd.sku_id AS sku_id, any(p.name) AS name, any(p.tier) AS tier, sum(sd.bottles) AS bottles
     FROM store_daily AS sd LEFT JOIN (SELECT sku_id, name, tier FROM products FINAL) AS p ON p.sku_id = sd.sku_id
     WHERE sd.store_id = {id:String} AND sd.type = 'open' AND sd.day >= {as_of:Date} - ${MIX_DAYS} AND sd.day < {as_of:Date}
     GROUP BY sd.sku_id ORDER BY bottles DESC, sku_id`,
    { id, as_of: asOf },
    'store-detail-mix',
  )
  return {
    id,
    as_of: asOf,
    weeks: win.weeks,
    store,
    weekly: { opened: onWeeks(win.weeks, opened), stocked: onWeeks(win.weeks, stocked), mean_12w: st.mean, cv_12w: st.cv, active_weeks_12w: st.active },
    tier_mix: tierMix(mix, MIX_DAYS),
    open_map: await openMap(db, id, asOf, store ? { lat: store.lat, lon: store.lon } : null),
    rewards: await weeklyRewards(db, 'store', id, asOf, win.weeks),
    recent_events: await recentEvents(db, id, asOf),
  }
}
