/**
 * The overview's statements, each one pass over small tables:
 * - volumes by day and type, and by SKU (bottles shipped, stocked, opened): from `scan_daily`
 *   when no store filter applies (its size does not grow with the number of stores), else from
 *   `store_daily` restricted to the matching stores;
 * - one per-store pass (store-periods.ts: whole months from `store_monthly`, the days around them
 *   from `store_daily`) giving active stores in both periods and the distributor leaderboard
 *   (GROUPING SETS: one row per distributor plus the total), with first opens from `store_firsts`;
 * - distinct consumers (consumer-index.ts: day bitmaps, live rows for days not yet indexed; the
 *   live path throughout under a store filter, which the bitmaps cannot answer) and reward spend
 *   (`reward_spend_daily` unless the rewards are filtered by beneficiary) in both periods.
 */
import type { Db } from '../db/gateway.js'
import { indexedConsumersSql, staleDays } from './consumer-index.js'
import type { FilterSql } from './filters.js'
import { storeFirsts, storeSums } from './store-periods.js'

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
 * One pass per store: its stocked and opened bottles in the period and opened in the previous one,
 * summed per distributor of the store in master data and in total. A store is new in a period when
 * its first open ever (under the same filters) falls in it; such a store opened in that period, so
 * only active stores need their first open looked up.
 */
export function storeFigures(db: Db, fs: FilterSql, params: PeriodParams & Record<string, unknown>): Promise<StoreFigures[]> {
  const sums = storeSums(fs, [
    { name: 'st', type: 'stock_in', range: { from: params.p_from, to: params.p_to } },
    { name: 'op', type: 'open', range: { from: params.p_from, to: params.p_to } },
    { name: 'oq', type: 'open', range: { from: params.q_from, to: params.q_to } },
  ])
  return db.query<StoreFigures>(
    `SELECT s.distributor_id AS distributor_id, grouping(s.distributor_id) AS total_row,
            sum(a.st) AS stocked, sum(a.op) AS opened, countIf(a.op > 0) AS active, countIf(a.oq > 0) AS active_prev,
            countIf(a.op > 0 AND f.first_open_day >= {p_from:Date}) AS fresh, countIf(a.oq > 0 AND f.first_open_day >= {q_from:Date}) AS fresh_prev
     FROM (${sums.sql}) AS a
     LEFT JOIN (${storeFirsts(fs)}) AS f ON f.store_id = a.store_id
     LEFT JOIN (SELECT store_id, distributor_id FROM stores FINAL) AS s ON s.store_id = a.store_id
     GROUP BY GROUPING SETS ((s.distributor_id), ())`,
    { ...params, ...sums.params },
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
 * Distinct consumers among the opens, and reward spend, in both periods. Without a store filter
 * consumers come from the day bitmaps (exact: see consumer-index.ts). With one, they are counted
 * live by a 64-bit hash of the id: a set of integers is several times faster than a set of
 * strings, and a collision among even millions of ids is a one-in-a-million event.
 * `rewards` is the reward condition (filters.ts `rewardCondition`); `'1'` reads the whole
 * channel's spend per day.
 */
export async function consumersAndRewards(db: Db, fs: FilterSql, rewards: string, params: PeriodParams & Record<string, unknown>): Promise<ConsumerRewardRow> {
  let consumers: string
  let bound: Record<string, unknown> = params
  if (fs.storeRestricted) {
    consumers = `SELECT uniqExactIf(cityHash64(consumer_id), day >= {p_from:Date}) AS consumers,
              uniqExactIf(cityHash64(consumer_id), day <= {q_to:Date}) AS consumers_prev
       FROM scan_detail_daily
       WHERE day BETWEEN {q_from:Date} AND {p_to:Date} AND type = 'open' AND consumer_id != ''
         AND store_id != '' AND ${fs.stores('store_id')} AND ${fs.product('sku_id')}`
  } else {
    const stale = (await staleDays(db, { from: params.q_from, to: params.p_to })).map((d) => d.day)
    consumers = indexedConsumersSql(fs, stale)
    if (stale.length) bound = { ...params, stale }
  }
  const spend = rewards === '1' ? 'reward_spend_daily' : 'reward_daily'
  const [row] = await db.query<ConsumerRewardRow>(
    `SELECT * FROM (${consumers}) AS c
     CROSS JOIN (
       SELECT sumIf(amount_fen, day >= {p_from:Date}) AS fen,
              sumIf(amount_fen, day <= {q_to:Date}) AS fen_prev,
              sumIf(amount_fen, day >= {p_from:Date} AND beneficiary_type = 'store') AS fen_store,
              sumIf(amount_fen, day >= {p_from:Date} AND beneficiary_type = 'distributor') AS fen_distributor,
              sumIf(amount_fen, day >= {p_from:Date} AND beneficiary_type = 'consumer') AS fen_consumer
       FROM ${spend} WHERE day BETWEEN {q_from:Date} AND {p_to:Date} AND ${rewards}
     ) AS r`,
    bound,
    'dash-overview-consumers-rewards',
  )
  return row
}
