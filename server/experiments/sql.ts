/**
 * SQL for experiment metrics, every value bound. Three layers:
 *  1. sources: per-unit additive parts over the pre and post windows, one scan of each rollup;
 *  2. per-unit metric values (y, and d for ratios; x, e for the pre-period covariate);
 *  3. sufficient statistics per arm (n, Σ, Σ², cross products) — GROUP BY arm — which is all
 *     `server/stats` needs (GrowthBook computes the same sums in SQL for the same reason).
 * Clustered experiments aggregate units to their cluster first; every metric then becomes a
 * ratio Σ value / Σ stores per cluster, whose delta-method variance is the cluster-robust one
 * (Deng, Knoblich & Lu 2018, "Applying the delta method in metric analytics", KDD §3).
 */
import type { Params } from '../db/gateway.js'
import { PARTS, type MetricDef, type Part, type Source } from './catalog.js'

/** Inclusive local dates. */
export interface Window {
  from: string
  to: string
}
export interface Windows {
  pre: Window | null
  post: Window
}

/** A fragment yielding `unit_id, arm, cluster_id` rows. */
export interface Units {
  sql: string
  params: Params
}

/** The frozen assignment of an experiment. */
export function unitsOfExperiment(experimentId: string): Units {
  return {
    sql: 'SELECT unit_id, arm, cluster_id FROM experiment_assignments WHERE experiment_id = {q_exp:String}',
    params: { q_exp: experimentId },
  }
}

/** Explicit unit ids, all in one arm '' (baselines for power). Bound as one array (chDB: IN over arrayJoin, DESIGN §10). */
export function unitsOfIds(ids: string[]): Units {
  return { sql: "SELECT arrayJoin({q_ids:Array(String)}) AS unit_id, '' AS arm, unit_id AS cluster_id", params: { q_ids: ids } }
}

const SOURCE_TABLE: Record<Source, { table: string; key: string; where: string }> = {
  scans: { table: 'store_daily', key: 'store_id', where: "type IN ('open', 'stock_in')" },
  orders: { table: 'order_daily', key: 'seller_id', where: "seller_type = 'store'" },
  rewards: { table: 'reward_daily', key: 'beneficiary_id', where: "beneficiary_type = 'store'" },
  consumers: { table: 'scan_detail_daily', key: 'store_id', where: "type = 'open' AND consumer_id != ''" },
}

const PART_AGG: Record<Part, (cond: string) => string> = {
  open: (c) => `sumIf(bottles, type = 'open' AND ${c})`,
  stock: (c) => `sumIf(bottles, type = 'stock_in' AND ${c})`,
  sales: (c) => `sumIf(amount_fen, ${c}) / 100`,
  reward: (c) => `sumIf(amount_fen, ${c}) / 100`,
  consumers: (c) => `uniqExactIf(consumer_id, ${c})`,
}

/** A metric as the SQL builder sees it: a catalog definition, or an imported metric's values. */
export interface MetricSpec {
  def: MetricDef
  /** Name in experiment_values (imported metrics only). */
  external?: string
}

const ratioLike = (m: MetricSpec, clustered: boolean) => clustered || m.def.kind === 'ratio'

function sourcesOf(metrics: MetricSpec[]): Map<Source, Part[]> {
  const out = new Map<Source, Part[]>()
  for (const m of metrics) for (const p of m.def.parts) {
    const s = PARTS[p]
    const list = out.get(s) ?? []
    if (!list.includes(p)) list.push(p)
    out.set(s, list)
  }
  return out
}

/**
 * Per-unit metric values: `unit_id, arm, cluster_id` and for metric i `m{i}_y`, `m{i}_d`
 * (denominator, 1 unless ratio), `m{i}_x`, `m{i}_e` (pre-period). Units without any activity
 * get zeros: the analysis is intention-to-treat over the frozen assignment.
 */
export function perUnitSql(units: Units, metrics: MetricSpec[], w: Windows, experimentId = ''): { sql: string; params: Params } {
  const params: Params = {
    ...units.params,
    q_from: w.post.from,
    q_to: w.post.to,
    q_lo: w.pre?.from ?? w.post.from,
    q_wpost: weeksOf(w.post),
    q_wpre: w.pre ? weeksOf(w.pre) : 1,
  }
  const joins: string[] = []
  const ext = metrics.filter((m) => m.external)
  if (ext.length > 1 || (ext.length && metrics.length > 1)) throw new Error('an imported metric is analysed on its own (its units are those with values)')
  if (ext.length) {
    params.q_exp_values = experimentId
    params.q_metric = ext[0].external
    // Inner join: an imported metric is analysed over the units that have values for it.
    joins.push(`INNER JOIN (
      SELECT unit_id, avgIf(value, period = 'post') AS post_ext, if(countIf(period = 'pre') > 0, avgIf(value, period = 'pre'), 0) AS pre_ext
      FROM experiment_values WHERE experiment_id = {q_exp_values:String} AND metric = {q_metric:String}
      GROUP BY unit_id HAVING countIf(period = 'post') > 0) AS s_ext ON s_ext.unit_id = u.unit_id`)
  }
  for (const [source, parts] of sourcesOf(metrics)) {
    const t = SOURCE_TABLE[source]
    const cols = parts.flatMap((p) => [`${PART_AGG[p]('day >= {q_from:Date}')} AS post_${p}`, `${PART_AGG[p]('day < {q_from:Date}')} AS pre_${p}`])
    joins.push(`LEFT JOIN (
      SELECT ${t.key} AS unit_id, ${cols.join(', ')}
      FROM ${t.table}
      WHERE ${t.key} IN (SELECT unit_id FROM (${units.sql})) AND day >= {q_lo:Date} AND day <= {q_to:Date} AND ${t.where}
      GROUP BY ${t.key}) AS s_${source} ON s_${source}.unit_id = u.unit_id`)
  }
  const values = metrics.flatMap((m, i) => {
    const post = (p: Part) => `post_${p}`
    const pre = (p: Part) => `pre_${p}`
    const y = m.external ? 'post_ext' : m.def.num(post, '{q_wpost:Float64}')
    const x = m.external ? 'pre_ext' : m.def.num(pre, '{q_wpre:Float64}')
    const d = m.def.den ? m.def.den(post, '{q_wpost:Float64}') : '1'
    const e = m.def.den ? m.def.den(pre, '{q_wpre:Float64}') : '1'
    return [`toFloat64(${y}) AS m${i}_y`, `toFloat64(${d}) AS m${i}_d`, `toFloat64(${x}) AS m${i}_x`, `toFloat64(${e}) AS m${i}_e`]
  })
  const sql = `SELECT u.unit_id AS unit_id, u.arm AS arm, u.cluster_id AS cluster_id, ${values.join(', ')}
    FROM (${units.sql}) AS u
    ${joins.join('\n    ')}`
  return { sql, params }
}

/** The sums each metric needs, as `m{i}_<field>` columns named after the stats CLI's arm fields. */
function sumColumns(i: number, ratio: boolean, cuped: boolean): string[] {
  const y = `m${i}_y`, d = `m${i}_d`, x = `m${i}_x`, e = `m${i}_e`
  const cols = [`sum(${y}) AS m${i}_sum`, `sum(${y} * ${y}) AS m${i}_sum_squares`]
  if (ratio) cols.push(`sum(${d}) AS m${i}_den_sum`, `sum(${d} * ${d}) AS m${i}_den_sum_squares`, `sum(${y} * ${d}) AS m${i}_sum_num_den`)
  if (cuped) cols.push(`sum(${x}) AS m${i}_pre_sum`, `sum(${x} * ${x}) AS m${i}_pre_sum_squares`, `sum(${y} * ${x}) AS m${i}_sum_post_pre`)
  if (ratio && cuped)
    cols.push(
      `sum(${e}) AS m${i}_pre_den_sum`, `sum(${e} * ${e}) AS m${i}_pre_den_sum_squares`, `sum(${x} * ${e}) AS m${i}_sum_pre_num_den`,
      `sum(${d} * ${e}) AS m${i}_sum_post_pre_den`, `sum(${y} * ${e}) AS m${i}_sum_post_num_pre_den`, `sum(${x} * ${d}) AS m${i}_sum_pre_num_post_den`,
    )
  return cols
}

/** Rolls per-unit values up to clusters: sums of numerators and denominators (a store counts 1 in d for non-ratio metrics). */
function clusterSql(perUnit: string, n: number): string {
  const cols = Array.from({ length: n }, (_, i) => ['y', 'd', 'x', 'e'].map((f) => `sum(m${i}_${f}) AS m${i}_${f}`).join(', '))
  return `SELECT cluster_id, any(arm) AS arm, ${cols.join(', ')} FROM (${perUnit}) GROUP BY cluster_id`
}

/**
 * One statement: the sufficient statistics of every metric per arm (`arm`, `n`, then the
 * `m{i}_*` sums). With `clustered`, n counts clusters and every metric is a ratio.
 */
export function armSumsSql(units: Units, metrics: MetricSpec[], w: Windows, opts: { cuped: boolean; clustered: boolean; experimentId?: string }) {
  const q = perUnitSql(units, metrics, w, opts.experimentId)
  const from = opts.clustered ? clusterSql(q.sql, metrics.length) : q.sql
  const cols = metrics.flatMap((m, i) => sumColumns(i, ratioLike(m, opts.clustered), opts.cuped))
  return { sql: `SELECT arm, count() AS n, ${cols.join(', ')} FROM (${from}) GROUP BY arm ORDER BY arm`, params: q.params }
}

/** Length of a window in weeks (a partial week counts pro rata). */
export function weeksOf(w: Window): number {
  return (Date.parse(`${w.to}T00:00:00Z`) - Date.parse(`${w.from}T00:00:00Z`)) / (7 * 86_400_000) + 1 / 7
}

/** Per unit and week k: each part summed over weeks 0..k of the post window (distinct consumers by their first week). */
function cumulativeSource(source: Source, parts: Part[], units: Units): string {
  const t = SOURCE_TABLE[source]
  const scope = `${t.key} IN (SELECT unit_id FROM (${units.sql})) AND day >= {q_from:Date} AND day <= {q_to:Date} AND ${t.where}`
  const week = "toUInt32(intDiv(dateDiff('day', {q_from:Date}, day), 7))"
  if (source === 'consumers') {
    // A consumer counts from the first week they scanned at the store: Σ over weeks ≤ k is then the distinct count through k.
    return `SELECT unit_id, k, count() AS cum_consumers FROM (
      SELECT ${t.key} AS unit_id, consumer_id, min(${week}) AS w FROM ${t.table} WHERE ${scope} GROUP BY unit_id, consumer_id)
      ARRAY JOIN range(w, {q_nw:UInt32}) AS k GROUP BY unit_id, k`
  }
  const inner = parts.map((p) => `${PART_AGG[p]('1')} AS w_${p}`).join(', ')
  const outer = parts.map((p) => `sum(w_${p}) AS cum_${p}`).join(', ')
  return `SELECT unit_id, k, ${outer} FROM (
    SELECT ${t.key} AS unit_id, ${week} AS w, ${inner} FROM ${t.table} WHERE ${scope} GROUP BY unit_id, w)
    ARRAY JOIN range(w, {q_nw:UInt32}) AS k GROUP BY unit_id, k`
}

/**
 * Cumulative series of one metric: the sufficient statistics per arm and week k of the data
 * through the end of week k (rows `arm, k, n, m0_*`). The pre-period covariate is the whole pre window.
 */
export function cumulativeSql(units: Units, metric: MetricSpec, w: Windows, opts: { cuped: boolean; clustered: boolean; experimentId?: string }) {
  const days = Math.round((weeksOf(w.post) * 7))
  const nw = Math.ceil(days / 7)
  const pre = perUnitSql(units, [metric], w, opts.experimentId)
  const params: Params = { ...pre.params, q_nw: nw, q_days: days }
  const weeks = '(least(7 * (u.k + 1), {q_days:UInt32}) / 7)'
  const joins: string[] = []
  let y: string
  let d = '1'
  if (metric.external) {
    joins.push(`INNER JOIN (SELECT unit_id, k, sum(s) / sum(c) AS cum_ext FROM (
        SELECT unit_id, toUInt32(week - 1) AS w, sum(value) AS s, count() AS c FROM experiment_values
        WHERE experiment_id = {q_exp_values:String} AND metric = {q_metric:String} AND period = 'post' AND week >= 1 GROUP BY unit_id, w)
      ARRAY JOIN range(w, {q_nw:UInt32}) AS k GROUP BY unit_id, k) AS c_ext ON c_ext.unit_id = u.unit_id AND c_ext.k = u.k`)
    y = 'cum_ext'
  } else {
    for (const [source, parts] of sourcesOf([metric]))
      joins.push(`LEFT JOIN (${cumulativeSource(source, parts, units)}) AS c_${source} ON c_${source}.unit_id = u.unit_id AND c_${source}.k = u.k`)
    const cum = (p: Part) => `cum_${p}`
    y = metric.def.num(cum, weeks)
    if (metric.def.den) d = metric.def.den(cum, weeks)
  }
  const perUnit = `SELECT u.unit_id AS unit_id, u.arm AS arm, u.cluster_id AS cluster_id, u.k AS k,
      toFloat64(${y}) AS m0_y, toFloat64(${d}) AS m0_d, p.m0_x AS m0_x, p.m0_e AS m0_e
    FROM (SELECT unit_id, arm, cluster_id, k FROM (${units.sql}) ARRAY JOIN range({q_nw:UInt32}) AS k) AS u
    ${joins.join('\n    ')}
    LEFT JOIN (${pre.sql}) AS p ON p.unit_id = u.unit_id`
  const ratio = ratioLike(metric, opts.clustered)
  const from = opts.clustered
    ? `SELECT cluster_id, k, any(arm) AS arm, ${['y', 'd', 'x', 'e'].map((f) => `sum(m0_${f}) AS m0_${f}`).join(', ')} FROM (${perUnit}) GROUP BY cluster_id, k`
    : perUnit
  return { sql: `SELECT arm, k, count() AS n, ${sumColumns(0, ratio, opts.cuped).join(', ')} FROM (${from}) GROUP BY arm, k ORDER BY k, arm`, params, weeks: nw, days }
}

/** Sums of one arm and metric, named as the stats CLI's arm fields (ratio and CUPED sums when computed). */
export interface ArmSums {
  arm: string
  n: number
  sum: number
  sum_squares: number
  den_sum?: number
  den_sum_squares?: number
  sum_num_den?: number
  pre_sum?: number
  pre_sum_squares?: number
  sum_post_pre?: number
  pre_den_sum?: number
  pre_den_sum_squares?: number
  sum_pre_num_den?: number
  sum_post_pre_den?: number
  sum_post_num_pre_den?: number
  sum_pre_num_post_den?: number
}

/** Picks metric i's sums out of an `armSumsSql` row. */
export function armSumsOf(row: Record<string, unknown>, i: number): ArmSums {
  const out: ArmSums = { arm: String(row.arm), n: Number(row.n), sum: 0, sum_squares: 0 }
  const prefix = `m${i}_`
  for (const [k, v] of Object.entries(row)) if (k.startsWith(prefix)) (out as unknown as Record<string, number>)[k.slice(prefix.length)] = Number(v)
  return out
}
