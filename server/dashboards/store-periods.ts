/**
 * Per-store figures over periods of local days without reading a period's worth of store_daily:
 * whole calendar months come from `store_monthly` and only the days around them from
 * `store_daily` (sql/0008); the stores' own rewards likewise from `store_reward_monthly` and
 * `reward_daily`. A year at 100k stores is ~1.2M monthly rows plus at most two partial
 * months of daily rows, instead of ~15M daily rows. store_monthly is fed from store_daily's own
 * inserts, so the sums are the same bottles, exactly.
 *
 * First opens and first stock-ins per store come from `store_firsts` (all history, per SKU), so
 * "new in the period" needs no pass over history either.
 */
import { addDays } from '../profiles/service.js'
import type { FilterSql } from './filters.js'

/** Local days `from`..`to`, inclusive (YYYY-MM-DD). */
export interface DayRange {
  from: string
  to: string
}

const monthStart = (d: string) => `${d.slice(0, 7)}-01`

/** The first day of the month after the month of `d`. */
export function nextMonth(d: string): string {
  const [y, m] = d.split('-').map(Number)
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`
}

/**
 * The whole calendar months inside a range (as the first days of the first and the last month,
 * or null when there is none) and the days of the range outside them (at most two ranges).
 * @example splitByMonth({ from: '2025-11-26', to: '2026-11-25' })
 * // { months: { from: '2025-12-01', to: '2026-10-01' }, days: [{ from: '2025-11-26', to: '2025-11-30' }, { from: '2026-11-01', to: '2026-11-25' }] }
 */
export function splitByMonth(r: DayRange): { months: DayRange | null; days: DayRange[] } {
  const first = r.from === monthStart(r.from) ? r.from : nextMonth(r.from)
  const lastEnd = addDays(nextMonth(r.to), -1) === r.to ? r.to : addDays(monthStart(r.to), -1)
  if (first > lastEnd) return { months: null, days: [r] }
  const days: DayRange[] = []
  if (r.from < first) days.push({ from: r.from, to: addDays(first, -1) })
  if (lastEnd < r.to) days.push({ from: addDays(lastEnd, 1), to: r.to })
  return { months: { from: first, to: monthStart(lastEnd) }, days }
}

/** A per-store sum: bottles of one scan type over one range of days. */
export interface StoreMeasure {
  /** Output column; must not be a column name of store_daily or store_monthly (aliases shadow columns). */
  name: string
  type: 'stock_in' | 'open'
  range: DayRange
}

/** The SKU rows of store_monthly / store_firsts a filter set reads: the all-SKU row ('') unless a product filter is set. */
export function skuRows(fs: FilterSql): string {
  return fs.productRestricted ? `sku_id != '' AND ${fs.product('sku_id')}` : "sku_id = ''"
}

/**
 * A subquery with one row per store that has scans of the measured types in any measured range
 * (under the filter set): `store_id` and one sum column per measure. Its parameters (prefixed
 * `sp_`) are returned for the caller to merge with the filter parameters.
 * @example const s = storeSums(fs, [{ name: 'op', type: 'open', range: { from, to } }])
 */
export function storeSums(fs: FilterSql, measures: StoreMeasure[]): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {}
  const between = (col: string, r: DayRange, key: string) => {
    params[`${key}_a`] = r.from
    params[`${key}_b`] = r.to
    return `${col} BETWEEN {${key}_a:Date} AND {${key}_b:Date}`
  }
  const split = measures.map((m) => splitByMonth(m.range))
  const parts: string[] = []

  if (split.some((s) => s.months)) {
    const cols = measures.map((m, i) => {
      const r = split[i].months
      return r ? `if(${between('month', r, `sp_m${i}`)}, ${m.type === 'open' ? 'opened' : 'stocked'}, 0) AS ${m.name}` : `toUInt64(0) AS ${m.name}`
    })
    const all = split.flatMap((s) => (s.months ? [s.months] : []))
    const span = { from: all.map((r) => r.from).sort()[0], to: all.map((r) => r.to).sort().at(-1)! }
    parts.push(
      `SELECT store_id, ${cols.join(', ')} FROM store_monthly
       WHERE ${skuRows(fs)} AND ${between('month', span, 'sp_mspan')} AND ${fs.stores('store_id')}`,
    )
  }

  if (split.some((s) => s.days.length > 0)) {
    const cols = measures.map((m, i) => {
      const ranges = split[i].days.map((r, j) => between('day', r, `sp_d${i}_${j}`))
      return ranges.length ? `if(type = '${m.type}' AND (${ranges.join(' OR ')}), bottles, 0) AS ${m.name}` : `toUInt64(0) AS ${m.name}`
    })
    const any = split.flatMap((s, i) => s.days.map((r, j) => ({ r, key: `sp_d${i}_${j}` }))).map(({ key }) => `day BETWEEN {${key}_a:Date} AND {${key}_b:Date}`)
    const types = [...new Set(measures.map((m) => `'${m.type}'`))].join(', ')
    parts.push(
      `SELECT store_id, ${cols.join(', ')} FROM store_daily
       WHERE (${any.join(' OR ')}) AND type IN (${types}) AND store_id != '' AND ${fs.stores('store_id')} AND ${fs.product('sku_id')}`,
    )
  }

  const sums = measures.map((m) => `sum(${m.name}) AS ${m.name}`).join(', ')
  return { sql: `SELECT store_id, ${sums} FROM (${parts.join('\n UNION ALL\n ')}) GROUP BY store_id`, params }
}

/**
 * Bound conditions for reading a range from a monthly table and its daily source: `months` on a
 * `month` column for the whole calendar months (null when there is none) and `days` on a `day`
 * column for the days around them (null when there is none); or, with `daysOnly`, the whole
 * range on `day`. Parameters `<prefix>_m_a`, `<prefix>_m_b`, `<prefix>_d<i>_a`… go into `params`.
 */
function monthsAndDays(range: DayRange, prefix: string, params: Record<string, unknown>, daysOnly = false): { months: string | null; days: string | null } {
  const { months, days } = daysOnly ? { months: null, days: [range] } : splitByMonth(range)
  if (months) Object.assign(params, { [`${prefix}_m_a`]: months.from, [`${prefix}_m_b`]: months.to })
  const ranges = days.map((r, i) => {
    Object.assign(params, { [`${prefix}_d${i}_a`]: r.from, [`${prefix}_d${i}_b`]: r.to })
    return `day BETWEEN {${prefix}_d${i}_a:Date} AND {${prefix}_d${i}_b:Date}`
  })
  return {
    months: months ? `month BETWEEN {${prefix}_m_a:Date} AND {${prefix}_m_b:Date}` : null,
    days: ranges.length ? `(${ranges.join(' OR ')})` : null,
  }
}

/**
 * A subquery with one row per store paid a reward in `range` (under the store filters): `store_id`
 * and `fen`, the store's own rewards (beneficiary type store). Whole months from
 * `store_reward_monthly`, the other days from reward_daily. Parameters are prefixed `sr_`.
 */
export function storeRewards(fs: FilterSql, range: DayRange): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {}
  const { months, days } = monthsAndDays(range, 'sr', params)
  const parts: string[] = []
  if (months) parts.push(`SELECT store_id, amount_fen AS fen FROM store_reward_monthly WHERE ${months} AND ${fs.stores('store_id')}`)
  if (days)
    parts.push(`SELECT beneficiary_id AS store_id, amount_fen AS fen FROM reward_daily
      WHERE beneficiary_type = 'store' AND ${days} AND ${fs.stores('beneficiary_id')}`)
  return { sql: `SELECT store_id, sum(fen) AS fen FROM (${parts.join(' UNION ALL ')}) GROUP BY store_id`, params }
}

/**
 * A subquery with each store's first open (`first_open_day`) and first stock-in
 * (`first_stock_in_day`) ever, under the filter set (the earliest over the filtered SKUs); null
 * when the store never had one.
 */
export function storeFirsts(fs: FilterSql): string {
  return `SELECT store_id, min(first_open) AS first_open_day, min(first_stock_in) AS first_stock_in_day
          FROM store_firsts WHERE ${skuRows(fs)} AND ${fs.stores('store_id')} GROUP BY store_id`
}

/**
 * A subquery with one row per (store, scan city) of the opens in `range` that have a scan city
 * (under the filter set): `store_id`, `city` and `bottles`. Whole months from
 * `store_open_city_monthly` (sql/0009, every SKU together), the other days, and the whole range
 * under a product filter, from store_daily. Parameters are prefixed `oc_`.
 * @example const o = storeOpenCities(fs, { from, to }) // FROM (o.sql) AS o, with o.params bound
 */
export function storeOpenCities(fs: FilterSql, range: DayRange): { sql: string; params: Record<string, unknown> } {
  const params: Record<string, unknown> = {}
  const { months, days } = monthsAndDays(range, 'oc', params, fs.productRestricted)
  const parts: string[] = []
  if (months) parts.push(`SELECT store_id, city, bottles FROM store_open_city_monthly WHERE ${months} AND ${fs.stores('store_id')}`)
  if (days)
    parts.push(`SELECT store_id, city, bottles FROM store_daily
      WHERE ${days} AND type = 'open' AND store_id != '' AND city != '' AND ${fs.stores('store_id')} AND ${fs.product('sku_id')}`)
  return { sql: `SELECT store_id, city, sum(bottles) AS bottles FROM (${parts.join(' UNION ALL ')}) GROUP BY store_id, city`, params }
}
