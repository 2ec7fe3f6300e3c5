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
  const params = { ...fs.params, p_from: f.from, p_to: f.to }
  const base = `day <= {p_to:Date} AND store_id != '' AND ${fs.stores('store_id')} AND ${fs.product('sku_id')}`
  const firsts = `
    SELECT store_id, toStartOfMonth(min(day)) AS cohort FROM store_daily
    WHERE type = 'stock_in' AND ${base} GROUP BY store_id
    HAVING cohort >= toStartOfMonth({p_from:Date})`
  const sizes = await db.query<{ cohort: string; stores: number }>(
    `SELECT cohort, count() AS stores FROM (${firsts}) GROUP BY cohort ORDER BY cohort`,
    params,
    'dash-cohort-sizes',
  )
  const cells = await db.query<{ cohort: string; month: string; active: number }>(
    `SELECT c.cohort AS cohort, toStartOfMonth(d.day) AS month, uniqExact(d.store_id) AS active
     FROM (SELECT store_id, day FROM store_daily WHERE type = 'open' AND day >= toStartOfMonth({p_from:Date}) AND ${base}) AS d
     INNER JOIN (${firsts}) AS c ON c.store_id = d.store_id
     WHERE d.day >= c.cohort
     GROUP BY c.cohort, month`,
    params,
    'dash-cohort-cells',
  )
  const [start] = await db.query<{ first_day: string | null }>(
    `SELECT minOrNull(day) AS first_day FROM store_daily WHERE type = 'stock_in' AND store_id != '' AND ${fs.stores('store_id')}`,
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
