/**
 * The consumer and distributor pages' data beyond their attributes, chart-ready, from the
 * consumer and distributor rollups. The store page's is in detail.ts.
 */
import type { ConsumerDetail, DistributorDetail } from '../../segments/api/profiles.js'
import type { Db } from '../db/gateway.js'
import { scopeCondition, type Scope } from '../scope.js'
import { isoUtc, MIX_DAYS, tierMix, weeklyRewards, type DetailRequest } from './detail.js'
import { onWeeks, weekWindow } from './weeks.js'

/** Consumer windows follow the consumer attributes: 365 days. */
export const CONSUMER_DAYS = 365
const MAX_ROWS = 200
const RECENT_DAYS_ROWS = 30

const orNull = (s: unknown) => (s === '' || s === null || s === undefined ? null : String(s))

/**
 * The consumer page's data, or null when the consumer has no scan before as_of (in the scope:
 * a regional caller sees only the consumer's scans in their cities).
 * @example await consumerDetail(db, ALL, { id: 'C1', asOf: '2025-11-13', weeks: 26 })
 */
export async function consumerDetail(db: Db, scope: Scope, req: DetailRequest): Promise<ConsumerDetail | null> {
  const { id, asOf } = req
  const sc = scopeCondition(scope, 'cd.city')
  const base = { id, as_of: asOf, ...sc.params }
  const own = `cd.consumer_id = {id:String} AND ${sc.sql}`
  const [{ n }] = await db.query<{ n: number }>(`SELECT count() AS n FROM consumer_daily AS cd WHERE ${own} AND cd.day < {as_of:Date}`, base, 'consumer-detail-exists')
  if (Number(n) === 0) return null
  const win = weekWindow(asOf, req.weeks)
  const weekly = await db.query<{ week: string; opened: number; opens: number }>(
    `SELECT toMonday(cd.day) AS week, sum(cd.bottles) AS opened, sum(cd.events) AS opens FROM consumer_daily AS cd
     WHERE ${own} AND cd.type = 'open' AND cd.day >= {from:Date} AND cd.day < {as_of:Date} GROUP BY week`,
    { ...base, from: win.weeks[0]?.start ?? asOf },
    'consumer-detail-weekly',
  )
  const window = `${own} AND cd.type = 'open' AND cd.day >= {as_of:Date} - ${CONSUMER_DAYS} AND cd.day < {as_of:Date}`
  const mix = await db.query<{ sku_id: string; name: string; tier: string; bottles: number }>(
    `SELECT cd.sku_id AS sku_id, any(p.name) AS name, any(p.tier) AS tier, sum(cd.bottles) AS bottles
     FROM consumer_daily AS cd LEFT JOIN (SELECT sku_id, name, tier FROM products FINAL) AS p ON p.sku_id = cd.sku_id
     WHERE ${window} GROUP BY cd.sku_id ORDER BY bottles DESC, sku_id`,
    base,
    'consumer-detail-mix',
  )
  const stores = await db.query<Record<string, unknown>>(
    `SELECT x.store_id AS store_id, s.name AS name, s.city AS city, x.opens AS opens, x.bottles AS bottles, toString(x.last_day) AS last_day
     FROM (SELECT cd.store_id AS store_id, sum(cd.events) AS opens, sum(cd.bottles) AS bottles, max(cd.day) AS last_day
           FROM consumer_daily AS cd WHERE ${window} AND cd.store_id != '' GROUP BY cd.store_id) AS x
     LEFT JOIN (SELECT store_id, name, city FROM stores FINAL
                WHERE store_id IN (SELECT store_id FROM consumer_daily AS cd WHERE ${window})) AS s ON s.store_id = x.store_id
     ORDER BY bottles DESC, store_id LIMIT ${MAX_ROWS}`,
    base,
    'consumer-detail-stores',
  )
  const cities = await db.query<{ city: string; opens: number; bottles: number }>(
    `SELECT toString(cd.city) AS city, sum(cd.events) AS opens, sum(cd.bottles) AS bottles FROM consumer_daily AS cd
     WHERE ${window} GROUP BY city ORDER BY opens DESC, city LIMIT ${MAX_ROWS}`,
    base,
    'consumer-detail-cities',
  )
  const recent = await db.query<Record<string, unknown>>(
    `SELECT toString(x.day) AS day, x.type AS type, x.store_id AS store_id, s.name AS store_name, x.sku_id AS sku_id, x.city AS city,
            x.events AS events, x.bottles AS bottles, toString(x.last_ts) AS last_ts
     FROM (SELECT cd.day AS day, toString(cd.type) AS type, cd.store_id AS store_id, toString(cd.sku_id) AS sku_id, toString(cd.city) AS city,
                  sum(cd.events) AS events, sum(cd.bottles) AS bottles, max(cd.last_ts) AS last_ts
           FROM consumer_daily AS cd WHERE ${own} AND cd.day < {as_of:Date}
           GROUP BY day, type, store_id, sku_id, city ORDER BY last_ts DESC, store_id, sku_id LIMIT ${RECENT_DAYS_ROWS}) AS x
     LEFT JOIN (SELECT store_id, name FROM stores FINAL
                WHERE store_id IN (SELECT cd.store_id FROM consumer_daily AS cd WHERE ${own} AND cd.day < {as_of:Date})) AS s ON s.store_id = x.store_id
     ORDER BY x.last_ts DESC, x.store_id, x.sku_id`,
    base,
    'consumer-detail-recent',
  )
  return {
    id,
    as_of: asOf,
    weeks: win.weeks,
    timeline: {
      opened: onWeeks(win.weeks, new Map(weekly.map((r) => [r.week, Number(r.opened)]))),
      opens: onWeeks(win.weeks, new Map(weekly.map((r) => [r.week, Number(r.opens)]))),
    },
    tier_mix: tierMix(mix, CONSUMER_DAYS),
    stores: stores.map((r) => ({ store_id: String(r.store_id), name: orNull(r.name), city: orNull(r.city), opens: Number(r.opens), bottles: Number(r.bottles), last_day: String(r.last_day) })),
    cities: cities.map((r) => ({ city: orNull(r.city), opens: Number(r.opens), bottles: Number(r.bottles) })),
    recent: recent.map((r) => ({
      day: String(r.day), type: String(r.type), store_id: orNull(r.store_id), store_name: orNull(r.store_name), sku_id: String(r.sku_id),
      city: orNull(r.city), events: Number(r.events), bottles: Number(r.bottles), last_ts: isoUtc(String(r.last_ts)),
    })),
    rewards: await weeklyRewards(db, 'consumer', id, asOf, win.weeks),
  }
}

/**
 * The distributor page's data, or null when the distributor is unknown (neither in master
 * data nor in any scan before as_of) or outside the caller's scope.
 * @example await distributorDetail(db, ALL, { id: 'D1', asOf: '2025-11-13', weeks: 26 })
 */
export async function distributorDetail(db: Db, scope: Scope, req: DetailRequest): Promise<DistributorDetail | null> {
  const { id, asOf } = req
  const base = { id, as_of: asOf }
  const [m] = await db.query<{ name: string; province: string; city: string; territory_cities: string[] }>(
    'SELECT name, province, city, territory_cities FROM distributors FINAL WHERE distributor_id = {id:String}',
    base,
    'distributor-detail-header',
  )
  if (scope.cities !== null && (!m || !scope.cities.includes(m.city))) return null
  if (!m) {
    const [{ n }] = await db.query<{ n: number }>('SELECT count() AS n FROM distributor_daily WHERE distributor_id = {id:String} AND day < {as_of:Date}', base, 'distributor-detail-exists')
    if (Number(n) === 0) return null
  }
  // Territory: its authorised cities, or its own city when none are listed (as the profile SQL).
  const territory = m ? (m.territory_cities.length > 0 ? m.territory_cities : [m.city]) : []
  const win = weekWindow(asOf, req.weeks)
  const weekly = await db.query<{ week: string; opened: number; stocked: number }>(
    `SELECT toMonday(day) AS week, sumIf(bottles, type = 'open') AS opened, sumIf(bottles, type = 'stock_in') AS stocked
     FROM distributor_daily WHERE distributor_id = {id:String} AND day >= {from:Date} AND day < {as_of:Date} GROUP BY week`,
    { ...base, from: win.weeks[0]?.start ?? asOf },
    'distributor-detail-weekly',
  )
  const window = `distributor_id = {id:String} AND day >= {as_of:Date} - ${MIX_DAYS} AND day < {as_of:Date}`
  const stores = await db.query<Record<string, unknown>>(
    `SELECT x.store_id AS store_id, s.name AS name, s.city AS city, x.stocked AS stocked, x.opened AS opened, count() OVER () AS total,
            countIf(x.stocked > 0) OVER () AS served
     FROM (SELECT store_id, sumIf(bottles, type = 'stock_in') AS stocked, sumIf(bottles, type = 'open') AS opened
           FROM distributor_daily WHERE ${window} AND store_id != '' AND type IN ('stock_in', 'open') GROUP BY store_id) AS x
     LEFT JOIN (SELECT store_id, name, city FROM stores FINAL
                WHERE store_id IN (SELECT store_id FROM distributor_daily WHERE ${window})) AS s ON s.store_id = x.store_id
     ORDER BY stocked DESC, opened DESC, store_id LIMIT ${MAX_ROWS}`,
    base,
    'distributor-detail-stores',
  )
  const cities = await db.query<{ city: string; bottles: number }>(
    `SELECT toString(city) AS city, sum(bottles) AS bottles FROM distributor_daily
     WHERE ${window} AND type = 'open' AND city != '' GROUP BY city ORDER BY bottles DESC, city LIMIT ${MAX_ROWS}`,
    base,
    'distributor-detail-cities',
  )
  return {
    id,
    as_of: asOf,
    weeks: win.weeks,
    distributor: m ? { name: m.name, province: m.province, city: m.city, territory } : null,
    weekly: {
      opened: onWeeks(win.weeks, new Map(weekly.map((r) => [r.week, Number(r.opened)]))),
      stocked: onWeeks(win.weeks, new Map(weekly.map((r) => [r.week, Number(r.stocked)]))),
    },
    stores: {
      total: Number(stores[0]?.total ?? 0),
      served: Number(stores[0]?.served ?? 0),
      rows: stores.map((r) => ({
        store_id: String(r.store_id), name: orNull(r.name), city: orNull(r.city), stocked: Number(r.stocked), opened: Number(r.opened),
        open_rate: Number(r.stocked) === 0 ? null : Number(r.opened) / Number(r.stocked),
      })),
    },
    cities: cities.map((r) => ({ city: r.city, bottles: Number(r.bottles), inside: m ? territory.includes(r.city) : null })),
    rewards: await weeklyRewards(db, 'distributor', id, asOf, win.weeks),
  }
}
