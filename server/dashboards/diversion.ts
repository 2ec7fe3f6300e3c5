/**
 * The diversion (窜货) dashboard: bottles flowing from the city where they were stocked (the
 * store's city in master data) to the city where they were opened (the scan's city), the
 * distributors and stores with the highest outside-territory share, and alerts: a cross-city
 * flow of at least `alert_bottles` bottles, listed with its evidence (the scans themselves).
 *
 * Only open scans with a city count (DESIGN §11: WeChat's city is the user's profile city, so a
 * single cap proves little: an alert needs at least two bottles). The distributor is the
 * store's distributor in master data and its territory is `territory_cities`, or its own city
 * when none are listed (the same rule as the distributor profile).
 */
import type { Db } from '../db/gateway.js'
import { addDays } from '../profiles/service.js'
import type { Scope } from '../scope.js'
import { filterSql, type DashFilters } from './filters.js'
import { distributorNames } from './names.js'
import { storeOpenCities } from './store-periods.js'

export interface Flow {
  from_city: string
  to_city: string
  bottles: number
  /** Stores with at least one bottle in the flow. */
  stores: number
  /** bottles / opened bottles with a city from stores of `from_city`. */
  share: number
}

export interface Diversion {
  /** Every (stock city → open city) pair, local ones included, by bottles. */
  flows: Flow[]
  /** Opened bottles with a known scan city, per stock city. */
  located_by_city: { city: string; bottles: number; outside: number }[]
  alert_bottles: number
  /** Cross-city flows of at least `alert_bottles` bottles. */
  alerts: Flow[]
  distributors: { distributor_id: string; name: string | null; located: number; outside: number; share: number }[]
  stores: { store_id: string; name: string; city: string; located: number; outside: number; share: number }[]
  min_bottles: number
}

export interface EvidenceScan {
  event_id: string
  ts: string
  code: string
  case_code: string | null
  sku_id: string
  store_id: string
  store_name: string | null
  consumer_id: string | null
  city: string
  district: string | null
  lat: number | null
  lon: number | null
}

interface EvidenceRow {
  event_id: string; ts_utc: string; code: string; case_code: string; sku_id: string; store_id: string; consumer_id: string
  city: string; district: string; has_geo: number; lat: number; lon: number
}

/**
 * Flows, alerts and the top outside-share distributors and stores for a filter set.
 * @example await diversion(db, { from, to }, ALL, { alertBottles: 20, minBottles: 10 })
 */
export async function diversion(db: Db, f: DashFilters, scope: Scope, opts: { alertBottles: number; minBottles: number; top?: number }): Promise<Diversion> {
  const fs = filterSql(f, scope)
  // Opens per (store, scan city) first: a few rows per store, so the joins below stay small
  // whatever the number of scans. Whole months come from a monthly rollup (store-periods.ts).
  const oc = storeOpenCities(fs, { from: f.from, to: f.to })
  const params = { ...fs.params, ...oc.params, min_bottles: opts.minBottles, top: opts.top ?? 10 }
  const opens = `(${oc.sql})`
  // Flows and distributors from one read of the opens (GROUPING SETS): the stores, below, need
  // a HAVING and a LIMIT of their own, or every store would come back.
  const rows = await db.query<Omit<Flow, 'share'> & { distributor_id: string; by_distributor: number; judged: number; outside: number }>(
    `SELECT s.city AS from_city, o.city AS to_city, s.distributor_id AS distributor_id, grouping(s.distributor_id) = 0 AS by_distributor,
            sum(o.bottles) AS bottles, count() AS stores,
            sumIf(o.bottles, t.known = 1) AS judged, sumIf(o.bottles, t.known = 1 AND NOT has(t.territory, o.city)) AS outside
     FROM ${opens} AS o
     INNER JOIN (SELECT store_id, city, distributor_id FROM stores FINAL WHERE ${fs.storeWhere} AND city != '') AS s ON s.store_id = o.store_id
     LEFT JOIN (SELECT distributor_id, if(empty(territory_cities), [city], territory_cities) AS territory, 1 AS known FROM distributors FINAL) AS t
       ON t.distributor_id = s.distributor_id
     GROUP BY GROUPING SETS ((s.city, o.city), (s.distributor_id))`,
    params,
    'dash-diversion-flows',
  )
  const flows = rows
    .filter((r) => !r.by_distributor)
    .map(({ from_city, to_city, bottles, stores }) => ({ from_city, to_city, bottles, stores }))
    .sort((x, y) => y.bottles - x.bottles || x.from_city.localeCompare(y.from_city) || x.to_city.localeCompare(y.to_city))
  // Distributors without master data (no territory) cannot be judged and are left out.
  const dists = rows
    .filter((r) => r.by_distributor && r.distributor_id !== '' && r.judged > 0 && r.judged >= opts.minBottles)
    .map((r) => ({ distributor_id: r.distributor_id, located: r.judged, outside: r.outside }))
    .sort((x, y) => y.outside / y.located - x.outside / x.located || y.outside - x.outside || x.distributor_id.localeCompare(y.distributor_id))
    .slice(0, opts.top ?? 10)
  const stores = await db.query<{ store_id: string; name: string; city: string; located: number; outside: number }>(
    `SELECT o.store_id AS store_id, any(s.name) AS name, any(s.city) AS city, sum(o.bottles) AS located, sumIf(o.bottles, o.city != s.city) AS outside
     FROM ${opens} AS o
     INNER JOIN (SELECT store_id, name, city FROM stores FINAL WHERE ${fs.storeWhere} AND city != '') AS s ON s.store_id = o.store_id
     GROUP BY o.store_id HAVING located >= {min_bottles:UInt32}
     ORDER BY outside / located DESC, outside DESC, store_id LIMIT {top:UInt32}`,
    params,
    'dash-diversion-stores',
  )
  const names = await distributorNames(db, dists.map((d) => d.distributor_id))

  const byCity = new Map<string, { city: string; bottles: number; outside: number }>()
  for (const fl of flows) {
    const c = byCity.get(fl.from_city) ?? { city: fl.from_city, bottles: 0, outside: 0 }
    c.bottles += fl.bottles
    if (fl.to_city !== fl.from_city) c.outside += fl.bottles
    byCity.set(fl.from_city, c)
  }
  const withShare: Flow[] = flows.map((fl) => ({ ...fl, share: fl.bottles / (byCity.get(fl.from_city)?.bottles || 1) }))
  return {
    flows: withShare,
    located_by_city: [...byCity.values()].sort((a, b) => b.bottles - a.bottles || a.city.localeCompare(b.city)),
    alert_bottles: opts.alertBottles,
    alerts: withShare.filter((fl) => fl.from_city !== fl.to_city && fl.bottles >= opts.alertBottles),
    distributors: dists.map((d) => ({ ...d, name: names.get(d.distributor_id) ?? null, share: d.outside / d.located })),
    stores: stores.map((s) => ({ ...s, share: s.outside / s.located })),
    min_bottles: opts.minBottles,
  }
}

/**
 * The evidence of one flow: its open scans (newest first, at most `limit`), read from the raw
 * scan events. The only raw read of the dashboards, bounded by the primary key (type, store)
 * and the period's partitions.
 */
export async function flowEvidence(db: Db, f: DashFilters, scope: Scope, flow: { fromCity: string; toCity: string }, limit = 200): Promise<EvidenceScan[]> {
  const fs = filterSql(f, scope)
  const rows = await db.query<EvidenceRow>(
    `SELECT toString(e.event_id) AS event_id, formatDateTime(e.ts, '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS ts_utc, e.code AS code,
            e.case_code AS case_code, e.sku_id AS sku_id, e.store_id AS store_id, e.consumer_id AS consumer_id,
            e.city AS city, e.district AS district, e.has_geo AS has_geo, e.lat AS lat, e.lon AS lon
     FROM scan_events AS e
     WHERE e.type = 'open'
       AND e.ts >= toDateTime64({p_from:Date}, 3, 'Asia/Shanghai') AND e.ts < toDateTime64({p_end:Date}, 3, 'Asia/Shanghai')
       AND e.city = {to_city:String}
       AND e.store_id IN (SELECT store_id FROM stores FINAL WHERE ${fs.storeWhere} AND city = {from_city:String})
       AND ${fs.product('e.sku_id')}
     ORDER BY e.ts DESC, event_id LIMIT {limit:UInt32}`,
    { ...fs.params, p_from: f.from, p_end: addDays(f.to, 1), from_city: flow.fromCity, to_city: flow.toCity, limit },
    'dash-diversion-evidence',
  )
  const stores = await db.query<{ id: string; name: string }>(
    'SELECT store_id AS id, name FROM stores FINAL WHERE store_id IN (SELECT arrayJoin({ids:Array(String)}))',
    { ids: [...new Set(rows.map((r) => r.store_id))] },
    'dash-diversion-evidence-stores',
  )
  const name = new Map(stores.map((s) => [s.id, s.name]))
  return rows.map((r) => ({
    event_id: r.event_id,
    ts: r.ts_utc,
    code: r.code,
    case_code: r.case_code || null,
    sku_id: r.sku_id,
    store_id: r.store_id,
    store_name: name.get(r.store_id) ?? null,
    consumer_id: r.consumer_id || null,
    city: r.city,
    district: r.district || null,
    lat: r.has_geo ? r.lat : null,
    lon: r.has_geo ? r.lon : null,
  }))
}
