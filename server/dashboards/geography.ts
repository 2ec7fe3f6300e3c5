/**
 * The geography dashboard: a city → district → store breakdown that follows the filters (no
 * city: one row per city; a city: its districts; a district: its stores), and the points of a
 * map-like view: stores at their coordinates sized by opened bottles, and open scans with
 * coordinates binned on a grid. Places are the stores' master data; only the open-scan grid
 * uses the scan's own coordinates.
 */
import type { Db } from '../db/gateway.js'
import type { Scope } from '../scope.js'
import { filterSql, type DashFilters, type FilterSql } from './filters.js'
import { storeSums } from './store-periods.js'

export type GeoLevel = 'city' | 'district' | 'store'

export interface GeoRow {
  /** City or district name, or store id. */
  key: string
  /** Display name: the city/district itself, or the store's name. */
  label: string
  stores: number
  active_stores: number
  stocked: number
  opened: number
  open_rate: number | null
}

export interface Geography {
  level: GeoLevel
  /** The drill-down path so far (breadcrumbs). */
  path: { city: string | null; district: string | null }
  rows: GeoRow[]
  /** True when the store level was cut to the first `limit` rows. */
  truncated: boolean
}

export interface GeoMap {
  stores: { store_id: string; name: string; city: string; lat: number; lon: number; stocked: number; opened: number }[]
  /** Open scans with coordinates on a grid of `cell_deg` degrees: cell centre and bottles. */
  opens: { lat: number; lon: number; bottles: number }[]
  cell_deg: number
  /** Mean coordinates of each city's stores: where the city label goes. */
  cities: { city: string; lat: number; lon: number; stores: number }[]
  truncated: boolean
}

/** The level a filter set drills to. */
export function geoLevel(f: DashFilters): GeoLevel {
  return f.district !== undefined ? 'store' : f.city !== undefined ? 'district' : 'city'
}

/** Stocked (`st`) and opened (`op`) bottles per store in the period (store-periods.ts). */
function periodSums(fs: FilterSql, f: DashFilters) {
  const range = { from: f.from, to: f.to }
  return storeSums(fs, [
    { name: 'st', type: 'stock_in', range },
    { name: 'op', type: 'open', range },
  ])
}

/**
 * The breakdown at the filters' drill-down level. Every matching master store counts in
 * `stores` (so an area with idle stores shows them); figures are the stores' period sums.
 * @example await geography(db, { from, to, city: '潍坊市' }, ALL) // one row per district of Weifang
 */
export async function geography(db: Db, f: DashFilters, scope: Scope, limit = 200): Promise<Geography> {
  const fs = filterSql(f, scope)
  const level = geoLevel(f)
  const key = level === 'city' ? 's.city' : level === 'district' ? 's.district' : 's.store_id'
  const label = level === 'store' ? 'any(s.name)' : key
  const sums = periodSums(fs, f)
  const rows = await db.query<Omit<GeoRow, 'open_rate'>>(
    `SELECT ${key} AS key, ${label} AS label, count() AS stores, countIf(a.op > 0) AS active_stores,
            sum(a.st) AS stocked, sum(a.op) AS opened
     FROM (SELECT store_id, city, district, name FROM stores FINAL WHERE ${fs.storeWhere}) AS s
     LEFT JOIN (${sums.sql}) AS a ON a.store_id = s.store_id
     GROUP BY key ORDER BY opened DESC, stocked DESC, key LIMIT {limit:UInt32}`,
    { ...fs.params, ...sums.params, limit: limit + 1 },
    'dash-geo-breakdown',
  )
  const truncated = rows.length > limit
  return {
    level,
    path: { city: f.city ?? null, district: f.district ?? null },
    rows: rows.slice(0, limit).map((r) => ({ ...r, open_rate: r.stocked > 0 ? r.opened / r.stocked : null })),
    truncated,
  }
}

/**
 * Points for the map view: the matching stores with coordinates (the busiest `limit`), the open
 * scans with coordinates binned to `cell_deg`, and city label positions.
 */
export async function geoMap(db: Db, f: DashFilters, scope: Scope, limit = 5000, cellDeg = 0.05): Promise<GeoMap> {
  const fs = filterSql(f, scope)
  const params = { ...fs.params, p_from: f.from, p_to: f.to, limit: limit + 1, cell: cellDeg }
  const sums = periodSums(fs, f)
  const stores = await db.query<GeoMap['stores'][number]>(
    `SELECT s.store_id AS store_id, s.name AS name, s.city AS city, s.lat AS lat, s.lon AS lon, a.st AS stocked, a.op AS opened
     FROM (SELECT store_id, name, city, lat, lon FROM stores FINAL WHERE ${fs.storeWhere} AND NOT (lat = 0 AND lon = 0)) AS s
     LEFT JOIN (${sums.sql}) AS a ON a.store_id = s.store_id
     ORDER BY opened DESC, store_id LIMIT {limit:UInt32}`,
    { ...params, ...sums.params },
    'dash-geo-stores',
  )
  // Binned in SQL so the answer stays small however many scans there are.
  const opens = await db.query<{ cell_lat: number; cell_lon: number; bottles: number }>(
    `SELECT (floor(lat / {cell:Float64}) + 0.5) * {cell:Float64} AS cell_lat, (floor(lon / {cell:Float64}) + 0.5) * {cell:Float64} AS cell_lon,
            sum(bottles) AS bottles
     FROM store_opens_daily
     WHERE day BETWEEN {p_from:Date} AND {p_to:Date} AND has_geo = 1 AND ${fs.stores('store_id')} AND ${fs.product('sku_id')}
     GROUP BY cell_lat, cell_lon ORDER BY bottles DESC LIMIT {limit:UInt32}`,
    params,
    'dash-geo-opens',
  )
  const cities = await db.query<{ city: string; c_lat: number; c_lon: number; n: number }>(
    // Aliases other than the column names: ClickHouse would read `lat` in WHERE as avg(lat).
    `SELECT city, avg(lat) AS c_lat, avg(lon) AS c_lon, count() AS n
     FROM stores FINAL WHERE ${fs.storeWhere} AND city != '' AND NOT (lat = 0 AND lon = 0)
     GROUP BY city ORDER BY n DESC, city`,
    fs.params,
    'dash-geo-cities',
  )
  return {
    stores: stores.slice(0, limit),
    opens: opens.slice(0, limit).map((r) => ({ lat: round(r.cell_lat), lon: round(r.cell_lon), bottles: r.bottles })),
    cell_deg: cellDeg,
    cities: cities.map((c) => ({ city: c.city, lat: round(c.c_lat), lon: round(c.c_lon), stores: c.n })),
    truncated: stores.length > limit || opens.length > limit,
  }
}

const round = (x: number) => Math.round(x * 1e5) / 1e5
