/**
 * Dashboards suite: each page's API data functions over one year ending at the newest day with
 * data, all regions (DESIGN §8: overview p95 ≤ 500 ms), timed p50/p95 over `reps` runs after
 * one warm-up; and the same overview figures computed from the raw facts (scan_events, rewards)
 * in the same run, so `ratios` say what the rollups buy (rollup p95 / raw p95).
 *
 * Runs on whatever the database holds (load a dataset first), after bringing the consumer index
 * up to date; every statement runs alone, as the embedded engine runs them one at a time anyway.
 */
import { cohorts } from '../../server/dashboards/cohorts.js'
import { ConsumerIndex } from '../../server/dashboards/consumer-index.js'
import { diversion, flowEvidence } from '../../server/dashboards/diversion.js'
import { previousPeriod, type DashFilters } from '../../server/dashboards/filters.js'
import { geography, geoMap } from '../../server/dashboards/geography.js'
import { incentives } from '../../server/dashboards/incentives.js'
import { filterOptions } from '../../server/dashboards/options.js'
import { overview } from '../../server/dashboards/overview.js'
import type { Db } from '../../server/db/gateway.js'
import { addDays } from '../../server/profiles/service.js'
import { ALL } from '../../server/scope.js'
import { percentile } from '../results.js'

async function time(reps: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn() // warm-up: first-touch of parts and marks is not what a user waits for twice
  const ms: number[] = []
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    await fn()
    ms.push(performance.now() - t0)
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) }
}

/**
 * The overview's figures from the raw facts: KPIs for the period and the previous one, first
 * opens, rewards, the daily trend, SKU mix, the leaderboard and the funnel — the same answers
 * as `overview()`, without the rollups.
 */
export async function rawOverview(db: Db, f: { from: string; to: string }): Promise<void> {
  const q = previousPeriod(f.from, f.to)
  const p = { a: f.from, b: f.to, qa: q.from, qb: q.to }
  await db.query(
    `SELECT sumIf(bottles, type = 'stock_in' AND day >= {a:Date}) AS st, sumIf(bottles, type = 'stock_in' AND day < {a:Date}) AS st_prev,
            sumIf(bottles, type = 'open' AND day >= {a:Date}) AS op, sumIf(bottles, type = 'open' AND day < {a:Date}) AS op_prev,
            uniqExactIf(store_id, type = 'open' AND day >= {a:Date}) AS active, uniqExactIf(store_id, type = 'open' AND day < {a:Date}) AS active_prev,
            uniqExactIf(consumer_id, type = 'open' AND consumer_id != '' AND day >= {a:Date}) AS consumers,
            uniqExactIf(consumer_id, type = 'open' AND consumer_id != '' AND day < {a:Date}) AS consumers_prev
     FROM scan_events WHERE store_id != '' AND type IN ('stock_in', 'open') AND day BETWEEN {qa:Date} AND {b:Date}`,
    p, 'bench-raw-kpis',
  )
  await db.query(
    `SELECT countIf(f >= {a:Date}) AS fresh, countIf(f < {a:Date}) AS fresh_prev
     FROM (SELECT store_id, min(day) AS f FROM scan_events WHERE type = 'open' AND store_id != '' AND day <= {b:Date} GROUP BY store_id) WHERE f >= {qa:Date}`,
    p, 'bench-raw-fresh',
  )
  await db.query(
    `SELECT sumIf(amount_fen, day >= {a:Date}) AS fen, sumIf(amount_fen, day < {a:Date}) AS fen_prev, sumIf(amount_fen, day >= {a:Date} AND beneficiary_type = 'store') AS fen_store
     FROM rewards WHERE day BETWEEN {qa:Date} AND {b:Date}`,
    p, 'bench-raw-rewards',
  )
  await db.query(
    `SELECT day, sumIf(bottles, type = 'stock_in') AS st, sumIf(bottles, type = 'open') AS op FROM scan_events
     WHERE store_id != '' AND type IN ('stock_in', 'open') AND day BETWEEN {a:Date} AND {b:Date} GROUP BY day`,
    p, 'bench-raw-trend',
  )
  await db.query(
    `SELECT sku_id, sumIf(bottles, type = 'ship') AS sh, sumIf(bottles, type = 'stock_in') AS st, sumIf(bottles, type = 'open') AS op FROM scan_events
     WHERE store_id != '' AND type IN ('ship', 'stock_in', 'open') AND day BETWEEN {a:Date} AND {b:Date} GROUP BY sku_id`,
    p, 'bench-raw-skus',
  )
  await db.query(
    `SELECT s.distributor_id AS d, sumIf(e.bottles, e.type = 'open') AS op, uniqExactIf(e.store_id, e.type = 'open') AS active
     FROM scan_events AS e INNER JOIN (SELECT store_id, distributor_id FROM stores FINAL) AS s ON s.store_id = e.store_id
     WHERE e.type IN ('stock_in', 'open') AND e.day BETWEEN {a:Date} AND {b:Date} GROUP BY d ORDER BY op DESC LIMIT 10`,
    p, 'bench-raw-leaders',
  )
}

/**
 * Times every dashboard data function and the raw overview.
 * @example const { metrics, ratios } = await benchDashboards(db, { reps: 20 })
 */
export async function benchDashboards(db: Db, opts: { reps: number }): Promise<{ metrics: Record<string, number>; ratios: Record<string, number> }> {
  const [{ last }] = await db.query<{ last: string | null }>('SELECT toString(maxOrNull(day)) AS last FROM scan_daily', undefined, 'bench-span')
  if (!last) throw new Error('the database holds no scans: load a dataset first')
  // The server keeps the consumer bitmaps current in the background; a database loaded after its
  // migrations has none yet, so catch up first, as a running server would have (timed: the
  // catch-up of a whole dataset, in statements of about a week each).
  const index = await new ConsumerIndex(db).refresh()
  const year: DashFilters = { from: addDays(last, -364), to: last }
  const month: DashFilters = { from: addDays(last, -29), to: last }
  const big = (await geography(db, year, ALL)).rows[0]?.key
  const alert = (await diversion(db, year, ALL, { alertBottles: 2, minBottles: 10 })).alerts[0]
  const cases: [string, () => Promise<unknown>][] = [
    ['options', () => filterOptions(db, ALL)],
    ['overview_365d', () => overview(db, year, ALL)],
    ['overview_30d', () => overview(db, month, ALL)],
    ['overview_365d_city', () => overview(db, { ...year, city: big }, ALL)],
    ['overview_365d_tier', () => overview(db, { ...year, tier: 'premium' }, ALL)],
    ['geography_365d', () => geography(db, year, ALL)],
    ['geography_map_365d', () => geoMap(db, year, ALL)],
    ['diversion_365d', () => diversion(db, year, ALL, { alertBottles: 20, minBottles: 10 })],
    ['incentives_365d', () => incentives(db, year, ALL, { minBottles: 10 })],
    ['cohorts_365d', () => cohorts(db, year, ALL)],
    ['raw_overview_365d', () => rawOverview(db, year)],
  ]
  if (alert) cases.push(['evidence_365d', () => flowEvidence(db, year, ALL, { fromCity: alert.from_city, toCity: alert.to_city }, 200)])
  const metrics: Record<string, number> = { consumer_index_catch_up_days: index.days, consumer_index_catch_up_ms: index.ms }
  for (const [name, fn] of cases) {
    const t = await time(opts.reps, fn)
    metrics[`${name}_p50_ms`] = Math.round(t.p50 * 10) / 10
    metrics[`${name}_p95_ms`] = Math.round(t.p95 * 10) / 10
  }
  const ratios = { overview_365d_rollup_over_raw_p95: metrics.overview_365d_p95_ms / metrics.raw_overview_365d_p95_ms }
  return { metrics, ratios }
}
