/**
 * The overview's statements, four in all, each one pass over one rollup:
 * - volumes by day and type, and by SKU (bottles shipped, stocked, opened): from `scan_daily`
 *   when no store filter applies (its size does not grow with the number of stores), else from
 *   `store_daily` restricted to the matching stores;
 * - one per-store pass over `store_daily` (history up to the period's end) giving active stores
 *   in both periods, first opens ever, and the distributor leaderboard (GROUPING SETS: one row
 *   per distributor plus the total);
 * - distinct consumers and reward spend in both periods.
 */
import type { Db } from '../db/gateway.js'
import type { FilterSql } from './filters.js'

/** Period parameters: the period `p_from`..`p_to` and the previous one `q_from`..`q_to`. */
export interface PeriodParams {
  p_from: string
  p_to: string
  q_from: string
  q_to: string
}

/**
 * The rollup that answers volume questions for a filter set, and its store condition. Without a
 * store filter every scan counts (scans whose store is unknown included), so the national
 * figures are the channel's; with one, only the matching master stores' scans can.
 */
export function volumeSource(fs: FilterSql): { table: string; where: string } {
  return fs.storeRestricted
    ? { table: 'store_daily', where: `store_id != '' AND ${fs.stores('store_id')}` }
    : { table: 'scan_daily', where: '1' }
}

export interface DayTypeRow { day: string; type: string; bottles: number }
export interface SkuRow { sku_id: string; shipped: number; stocked: number; opened: number }

/** Bottles by day and type over both periods (KPI volumes, the trend and the funnel). */
export function volumesByDay(db: Db, fs: FilterSql, params: Record<string, unknown>): Promise<DayTypeRow[]> {
  const v = volumeSource(fs)
  return db.query<DayTypeRow>(
    `SELECT day, toString(type) AS type, sum(bottles) AS bottles FROM ${v.table}
     WHERE day BETWEEN {q_from:Date} AND {p_to:Date} AND type IN ('ship', 'stock_in', 'open') AND ${v.where} AND ${fs.product('sku_id')}
     GROUP BY day, type`,
    params,
    'dash-overview-days',
  )
}

/** Bottles by SKU in the period (tier and SKU mix). */
export function volumesBySku(db: Db, fs: FilterSql, params: Record<string, unknown>): Promise<SkuRow[]> {
  const v = volumeSource(fs)
  return db.query<SkuRow>(
    `SELECT sku_id, sumIf(bottles, type = 'ship') AS shipped, sumIf(bottles, type = 'stock_in') AS stocked, sumIf(bottles, type = 'open') AS opened
     FROM ${v.table}
     WHERE day BETWEEN {p_from:Date} AND {p_to:Date} AND type IN ('ship', 'stock_in', 'open') AND ${v.where} AND ${fs.product('sku_id')}
     GROUP BY sku_id`,
    params,
    'dash-overview-skus',
  )
}

export interface StoreFigures {
  /** distributor_id of the row ('' for stores without one in master data); ignored on the total row. */
  distributor_id: string
  total_row: number
  stocked: number
  opened: number
  active: number
  active_prev: number
  fresh: number
  fresh_prev: number
}

/**
 * One pass per store: its stocked and opened bottles in the period, opened in the previous one,
 * and its first open ever (under the same filters); summed per distributor and in total.
 * Stock-ins before the period are skipped: only opens need the whole history.
 */
export function storeFigures(db: Db, fs: FilterSql, params: Record<string, unknown>): Promise<StoreFigures[]> {
  return db.query<StoreFigures>(
    `SELECT s.distributor_id AS distributor_id, grouping(s.distributor_id) AS total_row,
            sum(a.st) AS stocked, sum(a.op) AS opened, countIf(a.op > 0) AS active, countIf(a.oq > 0) AS active_prev,
            countIf(a.first_open >= {p_from:Date}) AS fresh, countIf(a.first_open BETWEEN {q_from:Date} AND {q_to:Date}) AS fresh_prev
     FROM (
       SELECT store_id,
              sumIf(bottles, type = 'stock_in' AND day >= {p_from:Date}) AS st,
              sumIf(bottles, type = 'open' AND day >= {p_from:Date}) AS op,
              sumIf(bottles, type = 'open' AND day BETWEEN {q_from:Date} AND {q_to:Date}) AS oq,
              minIf(day, type = 'open') AS first_open
       FROM store_daily
       WHERE day <= {p_to:Date} AND (type = 'open' OR (type = 'stock_in' AND day >= {p_from:Date}))
         AND store_id != '' AND ${fs.stores('store_id')} AND ${fs.product('sku_id')}
       GROUP BY store_id
     ) AS a
     LEFT JOIN (SELECT store_id, distributor_id FROM stores FINAL) AS s ON s.store_id = a.store_id
     GROUP BY GROUPING SETS ((s.distributor_id), ())`,
    params,
    'dash-overview-stores',
  )
}

export interface ConsumerRewardRow {
  consumers: number
  consumers_prev: number
  fen: number
  fen_prev: number
  fen_store: number
  fen_distributor: number
  fen_consumer: number
}

/**
 * Distinct consumers among the opens, and reward spend, in both periods. Consumers are counted
 * by a 64-bit hash of the id: a set of integers is several times faster than a set of strings,
 * and a collision among even millions of ids is a one-in-a-million event.
 */
export async function consumersAndRewards(db: Db, fs: FilterSql, rewards: string, params: Record<string, unknown>): Promise<ConsumerRewardRow> {
  const [row] = await db.query<ConsumerRewardRow>(
    `SELECT * FROM (
       SELECT uniqExactIf(cityHash64(consumer_id), day >= {p_from:Date}) AS consumers,
              uniqExactIf(cityHash64(consumer_id), day <= {q_to:Date}) AS consumers_prev
       FROM scan_detail_daily
       WHERE day BETWEEN {q_from:Date} AND {p_to:Date} AND type = 'open' AND consumer_id != ''
         AND store_id != '' AND ${fs.stores('store_id')} AND ${fs.product('sku_id')}
     ) AS c
     CROSS JOIN (
       SELECT sumIf(amount_fen, day >= {p_from:Date}) AS fen,
              sumIf(amount_fen, day <= {q_to:Date}) AS fen_prev,
              sumIf(amount_fen, day >= {p_from:Date} AND beneficiary_type = 'store') AS fen_store,
              sumIf(amount_fen, day >= {p_from:Date} AND beneficiary_type = 'distributor') AS fen_distributor,
              sumIf(amount_fen, day >= {p_from:Date} AND beneficiary_type = 'consumer') AS fen_consumer
       FROM reward_daily WHERE day BETWEEN {q_from:Date} AND {p_to:Date} AND ${rewards}
     ) AS r`,
    params,
    'dash-overview-consumers-rewards',
  )
  return row
}
