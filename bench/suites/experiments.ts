/**
 * Experiments suite: the analysis of a 10k-store experiment with 5 metrics and CUPED (the
 * sufficient statistics of all five in one statement, then the estimators; target ≤ 1 s,
 * DESIGN §8), against the plain metric query alone — the same five metrics per store over the
 * analysis window for the experiment's stores, summed, with no pre-period, no cross products and
 * no estimators — measured in the same run. Also times launch (audience → stratified assignment) and the whole results
 * page (balance, cumulative lift, exposures).
 *
 * The database is used as it is when it already holds at least `stores` stores with scans;
 * otherwise synthetic daily rollup rows for `stores` stores over 56 days are written first.
 */
import type { Db } from '../../server/db/gateway.js'
import { analyzeMetrics, experimentResults } from '../../server/experiments/analysis.js'
import { CATALOG } from '../../server/experiments/catalog.js'
import { addDays, experimentWindows } from '../../server/experiments/dates.js'
import { ExperimentService } from '../../server/experiments/service.js'
import { armSumsSql, unitsOfExperiment } from '../../server/experiments/sql.js'
import { percentile } from '../results.js'

export interface ExperimentsBenchOptions {
  /** Stores in the experiment (default 10,000). */
  stores?: number
  /** Timed repetitions of each measurement after one warm-up (default 5). */
  runs?: number
  log?: (msg: string) => void
}

const DAYS = 56
const SYNTH_END = '2026-11-25'
const METRICS = ['opened_bottles', 'stocked_bottles', 'retail_sales', 'distinct_consumers', 'reward_per_open']

/** Writes synthetic rollup rows (and master stores) for `n` stores over DAYS days ending SYNTH_END. */
async function synthesize(db: Db, n: number): Promise<void> {
  const p = { n, end: SYNTH_END, days: DAYS }
  const store = "concat('B', leftPad(toString(s), 6, '0'))"
  // Deterministic pseudo-random counts from a hash of (store, day): no rand(), so runs compare.
  const h = (salt: string) => `cityHash64(s, d, '${salt}')`
  await db.command(
    `INSERT INTO stores (store_id, name, kind, distributor_id, province, city, district, lat, lon, rep_id, source, version, updated_at)
     SELECT ${store}, ${store}, 'tobacco_liquor', concat('D', toString(s % 400)), '山东省', concat('city', toString(s % 16)), '', 0, 0, '', 'bench', 1, now64(3)
     FROM (SELECT number AS s FROM numbers({n:UInt32}))`, p, 'bench-synth')
  await db.command(
    `INSERT INTO store_daily (store_id, day, type, sku_id, city, distributor_id, events, bottles)
     SELECT ${store}, {end:Date} - d, t, 'K1', concat('city', toString(s % 16)), concat('D', toString(s % 400)), 1,
            if(t = 'open', ${h('o')} % (1 + s % 7), 6 * (${h('k')} % 5 = 0))
     FROM (SELECT number AS s FROM numbers({n:UInt32})) ARRAY JOIN range({days:UInt32}) AS d ARRAY JOIN ['open', 'stock_in'] AS t`, p, 'bench-synth')
  await db.command(
    `INSERT INTO order_daily (seller_type, seller_id, day, buyer_type, sku_id, orders, bottles, amount_fen)
     SELECT 'store', ${store}, {end:Date} - d, 'consumer', 'K1', 1, 1, ${h('r')} % 30000
     FROM (SELECT number AS s FROM numbers({n:UInt32})) ARRAY JOIN range({days:UInt32}) AS d`, p, 'bench-synth')
  await db.command(
    `INSERT INTO reward_daily (beneficiary_type, beneficiary_id, day, kind, policy_id, experiment_id, arm, rewards, amount_fen)
     SELECT 'store', ${store}, {end:Date} - d, 'sell_through', 'P', '', '', 1, ${h('w')} % 800
     FROM (SELECT number AS s FROM numbers({n:UInt32})) ARRAY JOIN range({days:UInt32}) AS d`, p, 'bench-synth')
  await db.command(
    `INSERT INTO scan_detail_daily (store_id, day, type, consumer_id, sku_id, city, has_geo, lat, lon, events, bottles, first_ts, last_ts)
     SELECT ${store}, {end:Date} - d, 'open', concat('C', toString(s), '-', toString(${h('c')} % 40)), 'K1', '', 0, 0, 0, 1, 1, now64(3), now64(3)
     FROM (SELECT number AS s FROM numbers({n:UInt32})) ARRAY JOIN range({days:UInt32}) AS d`, p, 'bench-synth')
}

async function timed<T>(runs: number, fn: () => Promise<T>): Promise<{ median: number; p95: number; last: T }> {
  let last = await fn() // warm-up
  const ms: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    last = await fn()
    ms.push(performance.now() - t0)
  }
  return { median: percentile(ms, 50), p95: percentile(ms, 95), last }
}

/**
 * Runs the suite on a migrated database.
 * @example const { metrics, ratios } = await benchExperiments(db, { stores: 10_000 })
 */
export async function benchExperiments(db: Db, opts: ExperimentsBenchOptions = {}) {
  const n = opts.stores ?? 10_000
  const runs = opts.runs ?? 5
  const log = opts.log ?? (() => {})
  const found = await db.query<{ id: string }>(
    "SELECT store_id AS id FROM store_daily WHERE store_id != '' AND type = 'open' GROUP BY store_id ORDER BY store_id LIMIT {n:UInt32}", { n }, 'bench-stores')
  let ids = found.map((r) => r.id)
  if (ids.length < n) {
    log(`the database has ${ids.length} stores with scans; writing synthetic rollups for ${n} stores × ${DAYS} days …`)
    const t0 = performance.now()
    await synthesize(db, n)
    log(`synthesized in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    ids = (await db.query<{ id: string }>("SELECT store_id AS id FROM stores FINAL WHERE source = 'bench' ORDER BY store_id LIMIT {n:UInt32}", { n }, 'bench-stores')).map((r) => r.id)
  }
  const [{ last }] = await db.query<{ last: string }>("SELECT toString(max(day)) AS last FROM store_daily WHERE type = 'open'", undefined, 'bench-range')
  const start = addDays(last, -27)
  const svc = new ExperimentService(db)
  const policy = { mass: 100, sub_premium: 500, premium: 1500 }
  const config = (x: number) => ({
    stock_in_fen_per_case: policy, sell_through_fen_per_bottle: { mass: x, sub_premium: 5 * x, premium: 15 * x },
    red_envelope_fen: { mass: [88, 888] as [number, number], sub_premium: [500, 3000] as [number, number], premium: [1000, 10000] as [number, number] },
    distributor_bonus_fen_per_open: policy,
  })
  const base = await svc.policies.create({ name: 'bench base', note: '', config: config(100) })
  const rich = await svc.policies.create({ name: 'bench rich', note: '', config: config(150) })
  const draft = await svc.create({
    name: `bench ${n} stores`, hypothesis: '', audience: { store_ids: ids }, arms: [{ name: 'control', policy_id: base.id, weight: 1 }, { name: 'rich', policy_id: rich.id, weight: 1 }],
    start, end: last, primary_metric: METRICS[0], secondary_metrics: METRICS.slice(1, 4), guardrail_metrics: METRICS.slice(4), pre_days: 28, alpha: 0.05,
    sequential: false, sequential_tau: null, correction: 'holm', stratify: true, cluster_by_distributor: false,
  })
  const t0 = performance.now()
  await svc.launch(draft.id, start)
  const launchMs = performance.now() - t0
  const exp = await svc.get(draft.id)
  const today = addDays(last, 1)
  const w = experimentWindows({ start, end: last, preDays: 28, today })!
  const analysis = await timed(runs, () => analyzeMetrics(db, exp, w, METRICS))
  const defs = METRICS.map((id) => ({ def: CATALOG.find((m) => m.id === id)! }))
  const plainQuery = armSumsSql(unitsOfExperiment(exp.id), defs, { pre: null, post: w.post }, { cuped: false, clustered: false })
  const plain = await timed(runs, () => db.query(plainQuery.sql, plainQuery.params, 'bench-plain'))
  const page = await timed(Math.min(runs, 3), () => experimentResults(db, exp, today))
  const reduction = analysis.last.estimates[0].varianceReduction ?? 0
  log(`analysis ${analysis.median.toFixed(0)} ms, plain query ${plain.median.toFixed(0)} ms, results page ${page.median.toFixed(0)} ms`)
  return {
    metrics: {
      stores: ids.length,
      metrics: METRICS.length,
      launch_ms: Math.round(launchMs),
      analysis_ms: analysis.median,
      analysis_p95_ms: analysis.p95,
      plain_query_ms: plain.median,
      results_page_ms: page.median,
      cuped_variance_reduction: reduction,
    },
    ratios: {
      analysis_vs_plain_query: analysis.median / plain.median,
      analysis_vs_target_1s: analysis.median / 1000,
    },
  }
}
