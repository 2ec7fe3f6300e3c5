/**
 * Profile SQL: every attribute of segments/catalog.ts computed from the daily rollups as of a
 * local date, for all entities or a set of ids. One statement per entity; values are bound.
 *
 * Windows: an N-day window is `day >= as_of - N AND day < as_of` (the N whole local days before
 * as_of). The 12 ISO weeks are [toMonday(as_of) - 84, toMonday(as_of)): the most recent
 * Monday–Sunday weeks whose Sunday is before as_of. Empty denominators give NULL.
 */
import type { Entity } from '../../segments/catalog.js'

export interface ProfileQuery {
  sql: string
  params: Record<string, unknown>
}

export interface ProfileScope {
  /** Local date YYYY-MM-DD. */
  asOf: string
  /**
   * One part of the entities, by id hash: a full refresh of millions of consumers runs as several
   * shorter statements, since the embedded engine runs one statement at a time.
   */
  part?: { of: number; index: number }
  /** Only these entity ids (e.g. one profile, or the entities touched since the last refresh). */
  ids?: string[]
}

const PREMIUM_SKUS = "(SELECT sku_id FROM products FINAL WHERE tier IN ('sub_premium', 'premium'))"

// Haversine distance in km with R = 6371 (DESIGN §4), spelled out: ClickHouse's
// greatCircleDistance uses another radius and geoDistance an ellipsoid.
const haversineKm = (lat1: string, lon1: string, lat2: string, lon2: string) =>
  `2 * 6371 * asin(sqrt(pow(sin(radians(${lat2} - ${lat1}) / 2), 2) + cos(radians(${lat1})) * cos(radians(${lat2})) * pow(sin(radians(${lon2} - ${lon1}) / 2), 2)))`

const idFilter = (col: string, scope: ProfileScope) =>
  (scope.ids ? ` AND ${col} IN (SELECT arrayJoin({ids:Array(String)}))` : '') +
  (scope.part ? ` AND cityHash64(${col}) % {part_of:UInt32} = {part_index:UInt32}` : '')

function params(scope: ProfileScope): Record<string, unknown> {
  return {
    as_of: scope.asOf,
    ...(scope.ids ? { ids: scope.ids } : {}),
    ...(scope.part ? { part_of: scope.part.of, part_index: scope.part.index } : {}),
  }
}

/** SELECT of `id` and every store attribute. */
export function storeProfileSql(scope: ProfileScope): ProfileQuery {
  const f = (col: string) => idFilter(col, scope)
  const sql = `
SELECT
  b.id AS id,
  if(m.known = 1, m.name, NULL) AS name,
  if(m.known = 1, m.kind, NULL) AS kind,
  if(m.known = 1, m.city, NULL) AS city,
  if(m.known = 1, m.district, NULL) AS district,
  if(m.known = 1, nullIf(m.distributor_id, ''), NULL) AS distributor_id,
  if(m.known = 1, nullIf(m.rep_id, ''), NULL) AS rep_id,
  v.stocked_30 AS stocked_bottles_30d,
  v.opened_30 AS opened_bottles_30d,
  v.stocked_90 AS stocked_bottles_90d,
  v.opened_90 AS opened_bottles_90d,
  v.stocked_365 AS stocked_bottles_365d,
  v.opened_365 AS opened_bottles_365d,
  if(v.stocked_90 = 0, NULL, v.opened_90 / v.stocked_90) AS open_rate_90d,
  w.wsum / 12 AS weekly_opened_mean_12w,
  if(w.wsum = 0, NULL, sqrt(greatest(w.wsq / 12 - pow(w.wsum / 12, 2), 0)) / (w.wsum / 12)) AS weekly_opened_cv_12w,
  toUInt8(w.active_weeks) AS active_weeks_12w,
  if(v.opened_90 = 0, NULL, v.premium_90 / v.opened_90) AS sub_premium_share_90d,
  o.consumers AS distinct_consumers_90d,
  if(o.geo_bottles = 0, NULL, o.local_bottles / o.geo_bottles) AS local_open_share_90d,
  if(o.city_bottles = 0, NULL, o.outside_bottles / o.city_bottles) AS outside_city_share_90d,
  r.fen AS reward_fen_90d,
  if(v.opened_90 = 0, NULL, r.fen / v.opened_90) AS reward_per_opened_bottle_90d,
  if(v.last_open IS NULL, NULL, toInt32(dateDiff('day', v.last_open, as_of))) AS days_since_last_open,
  if(v.last_stock IS NULL, NULL, toInt32(dateDiff('day', v.last_stock, as_of))) AS days_since_last_stock_in
FROM (
  SELECT store_id AS id FROM stores FINAL WHERE 1${f('store_id')}
  UNION DISTINCT
  SELECT DISTINCT store_id AS id FROM store_daily WHERE day < as_of AND store_id != ''${f('store_id')}
) AS b
LEFT JOIN (
  SELECT store_id, name, kind, city, district, distributor_id, rep_id, 1 AS known
  FROM stores FINAL WHERE 1${f('store_id')}
) AS m ON m.store_id = b.id
LEFT JOIN (
  SELECT store_id,
    sumIf(bottles, type = 'stock_in' AND day >= as_of - 30) AS stocked_30,
    sumIf(bottles, type = 'open' AND day >= as_of - 30) AS opened_30,
    sumIf(bottles, type = 'stock_in' AND day >= as_of - 90) AS stocked_90,
    sumIf(bottles, type = 'open' AND day >= as_of - 90) AS opened_90,
    sumIf(bottles, type = 'stock_in' AND day >= as_of - 365) AS stocked_365,
    sumIf(bottles, type = 'open' AND day >= as_of - 365) AS opened_365,
    sumIf(bottles, type = 'open' AND day >= as_of - 90 AND sku_id IN ${PREMIUM_SKUS}) AS premium_90,
    maxIfOrNull(day, type = 'open') AS last_open,
    maxIfOrNull(day, type = 'stock_in') AS last_stock
  FROM store_daily WHERE day < as_of${f('store_id')}
  GROUP BY store_id
) AS v ON v.store_id = b.id
LEFT JOIN (
  SELECT store_id, sum(wb) AS wsum, sum(wb * wb) AS wsq, count() AS active_weeks
  FROM (
    SELECT store_id, toMonday(day) AS week, sum(bottles) AS wb
    FROM store_daily
    WHERE type = 'open' AND day >= toMonday(as_of) - 84 AND day < toMonday(as_of)${f('store_id')}
    GROUP BY store_id, week
  )
  GROUP BY store_id
) AS w ON w.store_id = b.id
LEFT JOIN (
  SELECT o.store_id AS store_id,
    uniqExactIf(o.consumer_id, o.consumer_id != '') AS consumers,
    sumIf(o.bottles, o.has_geo = 1 AND s.known = 1) AS geo_bottles,
    sumIf(o.bottles, o.has_geo = 1 AND s.known = 1 AND ${haversineKm('s.lat', 's.lon', 'o.lat', 'o.lon')} <= 5) AS local_bottles,
    sumIf(o.bottles, o.city != '' AND s.known = 1) AS city_bottles,
    sumIf(o.bottles, o.city != '' AND s.known = 1 AND o.city != s.city) AS outside_bottles
  FROM store_opens_daily AS o
  LEFT JOIN (SELECT store_id, lat, lon, city, 1 AS known FROM stores FINAL WHERE 1${f('store_id')}) AS s ON s.store_id = o.store_id
  WHERE o.day >= as_of - 90 AND o.day < as_of${f('o.store_id')}
  GROUP BY o.store_id
) AS o ON o.store_id = b.id
LEFT JOIN (
  SELECT beneficiary_id AS store_id, sum(amount_fen) AS fen
  FROM reward_daily
  WHERE beneficiary_type = 'store' AND day >= as_of - 90 AND day < as_of${f('beneficiary_id')}
  GROUP BY beneficiary_id
) AS r ON r.store_id = b.id`
  return { sql: withAsOf(sql), params: params(scope) }
}

/** SELECT of `id` and every consumer attribute. */
export function consumerProfileSql(scope: ProfileScope): ProfileQuery {
  const f = (col: string) => idFilter(col, scope)
  const sql = `
SELECT
  a.consumer_id AS id,
  a.opened_90 AS opened_bottles_90d,
  a.opened_365 AS opened_bottles_365d,
  a.stores AS distinct_stores_365d,
  a.skus AS distinct_skus_365d,
  nullIf(t.preferred, '') AS preferred_tier_365d,
  nullIf(c.home, '') AS home_city,
  a.first_open AS first_open_at,
  a.last_open AS last_open_at,
  r.fen AS red_envelope_fen_365d,
  d.max_per_day AS max_opens_per_day_365d
FROM (
  SELECT consumer_id,
    sumIf(bottles, type = 'open' AND day >= as_of - 90) AS opened_90,
    sumIf(bottles, type = 'open' AND day >= as_of - 365) AS opened_365,
    uniqExactIf(store_id, type = 'open' AND day >= as_of - 365 AND store_id != '') AS stores,
    uniqExactIf(sku_id, type = 'open' AND day >= as_of - 365) AS skus,
    minIfOrNull(first_ts, type = 'open') AS first_open,
    maxIfOrNull(last_ts, type = 'open') AS last_open
  FROM consumer_daily WHERE day < as_of${f('consumer_id')}
  GROUP BY consumer_id
) AS a
LEFT JOIN (
  -- Ties go to the higher tier: compare (bottles, rank).
  SELECT consumer_id, argMax(tier, (tb, rank)) AS preferred
  FROM (
    SELECT cd.consumer_id AS consumer_id, p.tier AS tier, sum(cd.bottles) AS tb,
      multiIf(p.tier = 'premium', 3, p.tier = 'sub_premium', 2, 1) AS rank
    FROM consumer_daily AS cd
    INNER JOIN (SELECT sku_id, tier FROM products FINAL) AS p ON p.sku_id = cd.sku_id
    WHERE cd.type = 'open' AND cd.day >= as_of - 365 AND cd.day < as_of${f('cd.consumer_id')}
    GROUP BY consumer_id, tier
  )
  GROUP BY consumer_id
) AS t ON t.consumer_id = a.consumer_id
LEFT JOIN (
  -- Most opens; ties to the alphabetically first city.
  SELECT consumer_id, arraySort(x -> (-x.2, x.1), groupArray((city, n)))[1].1 AS home
  FROM (
    SELECT consumer_id, city, sum(events) AS n
    FROM consumer_daily
    WHERE type = 'open' AND city != '' AND day >= as_of - 365 AND day < as_of${f('consumer_id')}
    GROUP BY consumer_id, city
  )
  GROUP BY consumer_id
) AS c ON c.consumer_id = a.consumer_id
LEFT JOIN (
  SELECT consumer_id, max(n) AS max_per_day
  FROM (
    SELECT consumer_id, day, sum(events) AS n
    FROM consumer_daily
    WHERE type = 'open' AND day >= as_of - 365 AND day < as_of${f('consumer_id')}
    GROUP BY consumer_id, day
  )
  GROUP BY consumer_id
) AS d ON d.consumer_id = a.consumer_id
LEFT JOIN (
  SELECT beneficiary_id AS consumer_id, sum(amount_fen) AS fen
  FROM reward_daily
  WHERE beneficiary_type = 'consumer' AND kind = 'red_envelope' AND day >= as_of - 365 AND day < as_of${f('beneficiary_id')}
  GROUP BY beneficiary_id
) AS r ON r.consumer_id = a.consumer_id`
  return { sql: withAsOf(sql), params: params(scope) }
}

/** SELECT of `id` and every distributor attribute. */
export function distributorProfileSql(scope: ProfileScope): ProfileQuery {
  const f = (col: string) => idFilter(col, scope)
  const sql = `
SELECT
  b.id AS id,
  if(m.known = 1, m.name, NULL) AS name,
  if(m.known = 1, m.city, NULL) AS city,
  length(a.served) AS stores_served_90d,
  a.stocked AS stocked_bottles_90d,
  a.opened AS opened_bottles_90d,
  if(a.stocked = 0, NULL, a.opened / a.stocked) AS open_rate_90d,
  if(a.city_opens = 0, NULL, a.outside_opens / a.city_opens) AS outside_territory_open_share_90d,
  if(length(a.served) = 0, NULL, length(arrayIntersect(a.served, a.opening)) / length(a.served)) AS active_store_share_90d
FROM (
  SELECT distributor_id AS id FROM distributors FINAL WHERE 1${f('distributor_id')}
  UNION DISTINCT
  SELECT DISTINCT distributor_id AS id FROM distributor_daily WHERE day < as_of${f('distributor_id')}
) AS b
LEFT JOIN (
  SELECT distributor_id, name, city, 1 AS known FROM distributors FINAL WHERE 1${f('distributor_id')}
) AS m ON m.distributor_id = b.id
LEFT JOIN (
  SELECT dd.distributor_id AS distributor_id,
    groupUniqArrayIf(dd.store_id, dd.type = 'stock_in' AND dd.store_id != '') AS served,
    groupUniqArrayIf(dd.store_id, dd.type = 'open' AND dd.store_id != '') AS opening,
    sumIf(dd.bottles, dd.type = 'stock_in') AS stocked,
    sumIf(dd.bottles, dd.type = 'open') AS opened,
    -- Territory: its authorised cities, or its own city when none are listed.
    sumIf(dd.bottles, dd.type = 'open' AND dd.city != '' AND t.known = 1) AS city_opens,
    sumIf(dd.bottles, dd.type = 'open' AND dd.city != '' AND t.known = 1 AND NOT has(t.territory, dd.city)) AS outside_opens
  FROM distributor_daily AS dd
  LEFT JOIN (
    SELECT distributor_id, if(empty(territory_cities), [city], territory_cities) AS territory, 1 AS known
    FROM distributors FINAL WHERE 1${f('distributor_id')}
  ) AS t ON t.distributor_id = dd.distributor_id
  WHERE dd.day >= as_of - 90 AND dd.day < as_of${f('dd.distributor_id')}
  GROUP BY dd.distributor_id
) AS a ON a.distributor_id = b.id`
  return { sql: withAsOf(sql), params: params(scope) }
}

function withAsOf(sql: string): string {
  return `WITH {as_of:Date} AS as_of${sql}`
}

export const PROFILE_SQL: Record<Entity, (scope: ProfileScope) => ProfileQuery> = {
  store: storeProfileSql,
  consumer: consumerProfileSql,
  distributor: distributorProfileSql,
}

export const PROFILE_TABLE: Record<Entity, { table: string; idColumn: string }> = {
  store: { table: 'store_profiles', idColumn: 'store_id' },
  consumer: { table: 'consumer_profiles', idColumn: 'consumer_id' },
  distributor: { table: 'distributor_profiles', idColumn: 'distributor_id' },
}
