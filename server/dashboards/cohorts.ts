/**
 * Store activity cohorts: stores grouped by the month of their first stock-in ever (under the
 * product filter, if any), and for each later month the share of the cohort with at least one
 * opened bottle in that month. Cohorts whose first stock-in month falls in the period are
 * followed up to the period's last day.
 *
 * The first months of the data hold the stores that were already stocking before the data
 * begins (left-censored: their first stock-in in the data is not their first ever). A cohort
 * starting within {@link LOOKBACK_DAYS} of the first day of data is flagged `censored` rather
 * than read as a month of new stores.
 */
import type { Db } from '../db/gateway.js'
import type { Scope } from '../scope.js'
import { addDays } from '../profiles/service.js'
import { filterSql, type DashFilters } from './filters.js'
import { skuRows, splitByMonth, storeFirsts } from './store-periods.js'

export interface Cohort {
  /** First day of the month of the stores' first stock-in. */
  cohort: string
  stores: number
  /** True when the cohort starts within LOOKBACK_DAYS of the first day of data: it may hold stores that stocked in before. */
  censored: boolean
  /** Stores with ≥ 1 open in month k after the cohort month (k = 0, 1, …, up to the period end). */
  active: number[]
  /** active[k] / stores. */
  share: number[]
}

export interface Cohorts {
  cohorts: Cohort[]
  /** Number of month columns (the oldest cohort's age in months + 1). */
  months: number
  /** First day of any stock-in in the data, or null when there is none. */
  data_start: string | null
  /** The period's last month when the period ends before that month does (its figures are partial). */
  partial_month: string | null
}

/** A store restocking at least this often is caught by the look-back (sixty days). */
export const LOOKBACK_DAYS = 60

const monthIndex = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1

/**
 * The cohort table for a filter set.
 * @example await cohorts(db, { from: '2025-12-01', to: '2026-11-30' }, ALL)
 */
export async function cohorts(db: Db, f: DashFilters, scope: Scope): Promise<Cohorts> {
  const fs = filterSql(f, scope)
  const params: Record<string, unknown> = { ...fs.params, p_from: f.from, p_to: f.to }
  // First stock-ins from store_firsts (no pass over history): a store whose first one is after
  // the period is not in a cohort yet.
  const firsts = `
    SELECT store_id, toStartOfMonth(first_stock_in_day) AS cohort FROM (${storeFirsts(fs)})
    WHERE first_stock_in_day <= {p_to:Date} AND toStartOfMonth(first_stock_in_day) >= toStartOfMonth({p_from:Date})`
  // Stores with an open per month from the period's first month to its last day: whole months
  // from store_monthly, a last partial month from store_daily.
  const split = splitByMonth({ from: `${f.from.slice(0, 7)}-01`, to: f.to })
  const months: string[] = []
  if (split.months) {
    Object.assign(params, { m_from: split.months.from, m_to: split.months.to })
    months.push(`SELECT store_id, month FROM store_monthly
      WHERE ${skuRows(fs)} AND month BETWEEN {m_from:Date} AND {m_to:Date} AND opened > 0 AND ${fs.stores('store_id')}`)
  }
  if (split.days.length) {
    Object.assign(params, { d_from: split.days[0].from, d_to: split.days[0].to })
    months.push(`SELECT store_id, toStartOfMonth(day) AS month FROM store_daily
      WHERE type = 'open' AND day BETWEEN {d_from:Date} AND {d_to:Date} AND store_id != '' AND ${fs.stores('store_id')} AND ${fs.product('sku_id')}`)
  }
  const sizes = await db.query<{ cohort: string; stores: number }>(
    `SELECT cohort, count() AS stores FROM (${firsts}) GROUP BY cohort ORDER BY cohort`,
    params,
    'dash-cohort-sizes',
  )
  const cells = await db.query<{ cohort: string; month: string; active: number }>(
    `SELECT c.cohort AS cohort, d.month AS month, uniqExact(d.store_id) AS active
     FROM (${months.join(' UNION ALL ')}) AS d
     INNER JOIN (${firsts}) AS c ON c.store_id = d.store_id
     WHERE d.month >= c.cohort
     GROUP BY c.cohort, d.month`,
    params,
    'dash-cohort-cells',
  )
  const [start] = await db.query<{ first_day: string | null }>(
    `SELECT min(first_stock_in) AS first_day FROM store_firsts WHERE sku_id = '' AND ${fs.stores('store_id')}`,
    params,
    'dash-cohort-start',
  )
  const end = monthIndex(f.to)
  const out = sizes.map((s) => {
    const n = end - monthIndex(s.cohort) + 1
    const active = new Array<number>(n).fill(0)
    for (const c of cells) if (c.cohort === s.cohort) active[monthIndex(c.month) - monthIndex(s.cohort)] = c.active
    return { cohort: s.cohort, stores: s.stores, censored: start?.first_day != null && s.cohort < addDays(start.first_day, LOOKBACK_DAYS), active, share: active.map((a) => a / s.stores) }
  })
  const lastOfMonth = addDays(`${addMonths(f.to.slice(0, 7))}-01`, -1)
  return {
    cohorts: out,
    months: out.reduce((m, c) => Math.max(m, c.active.length), 0),
    data_start: start?.first_day ?? null,
    partial_month: f.to < lastOfMonth ? `${f.to.slice(0, 7)}-01` : null,
  }
}

/** `YYYY-MM` of the month after `ym`. */
function addMonths(ym: string): string {
  const [y, m] = ym.split('-').map(Number)
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`
}
