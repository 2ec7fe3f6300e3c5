/**
 * Results of an experiment: per metric the arm means, relative lift with its interval,
 * p-values (Holm/BH-adjusted across arms × primary and secondary metrics), a verdict; SRM;
 * balance; cumulative lift; exposures. Sufficient statistics come from SQL (one statement for
 * all catalog metrics), the estimators from `server/stats` (GrowthBook gbstats conventions).
 */
import type { Experiment, ExternalMetric, MetricResult, Results } from '../../segments/api/experiments.js'
import { ApiError } from '../api/errors.js'
import type { Db } from '../db/gateway.js'
import { adjustPValues, checkSrm } from '../stats/index.js'
import { catalogMetric, type MetricDef } from './catalog.js'
import { experimentWindows, localDate } from './dates.js'
import { estimate, type MetricEstimate } from './estimate.js'
import { balanceRow, cumulativeLift, exposures, storeBalance } from './extras.js'
import { armSumsOf, armSumsSql, unitsOfExperiment, type ArmSums, type MetricSpec, type Windows } from './sql.js'
import { outcome, overallVerdict, verdict } from './verdict.js'

type Role = MetricResult['role']

/** The definition of an imported metric (`ext:<name>`), from the experiment's declared metrics. */
export function externalDef(name: string, declared: ExternalMetric[]): MetricDef {
  const m = declared.find((x) => x.name === name)
  const label = m?.label || name
  return {
    id: `ext:${name}`, kind: m?.kind ?? 'mean', label: { en: label, zh: label }, unit: { en: '', zh: '' },
    higher_is_better: m?.higher_is_better ?? true, parts: [], num: () => 'post_ext',
  }
}

/** The SQL view of a metric reference. */
export function metricSpec(ref: string, exp: Pick<Experiment, 'external_metrics'>): MetricSpec {
  if (ref.startsWith('ext:')) return { def: externalDef(ref.slice(4), exp.external_metrics), external: ref.slice(4) }
  const def = catalogMetric(ref)
  if (!def) throw new Error(`unknown metric ${ref}`)
  return { def }
}

/** The sums of every metric (`sums[i]` per arm): catalog metrics in one statement, each imported metric in its own. */
async function metricSums(db: Db, exp: Experiment, specs: MetricSpec[], w: Windows, clustered: boolean): Promise<{ sums: ArmSums[][]; hasPre: boolean[] }> {
  const units = unitsOfExperiment(exp.id)
  const sums: ArmSums[][] = specs.map(() => [])
  const hasPre = specs.map((s) => !s.external && w.pre !== null)
  const catalog = specs.map((s, i) => [s, i] as const).filter(([s]) => !s.external)
  if (catalog.length) {
    const q = armSumsSql(units, catalog.map(([s]) => s), w, { cuped: w.pre !== null, clustered })
    const rows = await db.query<Record<string, unknown>>(q.sql, q.params, 'exp-metrics')
    catalog.forEach(([, i], j) => (sums[i] = rows.map((r) => armSumsOf(r, j))))
  }
  for (const [i, s] of specs.entries()) {
    if (!s.external) continue
    const q = armSumsSql(units, [s], w, { cuped: true, clustered: false, experimentId: exp.id })
    const rows = await db.query<Record<string, unknown>>(q.sql, q.params, 'exp-metrics-ext')
    sums[i] = rows.map((r) => armSumsOf(r, 0))
    hasPre[i] = sums[i].some((a) => (a.pre_sum_squares ?? 0) > 0)
  }
  return { sums, hasPre }
}

/**
 * The metric table alone: sufficient statistics of every metric (one statement for the catalog
 * ones) and each metric's estimates. This is what the benchmark times.
 */
export async function analyzeMetrics(db: Db, exp: Experiment, w: Windows, refs: string[]) {
  const clustered = exp.cluster_by_distributor && exp.unit === 'store'
  const arms = exp.arms.map((a) => a.name)
  const specs = refs.map((r) => metricSpec(r, exp))
  const { sums, hasPre } = await metricSums(db, exp, specs, w, clustered)
  const tau = exp.sequential ? (exp.sequential_tau ?? Math.max(1, exp.audience_size)) : null
  const estimates: MetricEstimate[] = specs.map((s, i) =>
    estimate(sums[i], arms, { kind: clustered ? 'ratio' : s.def.kind, cuped: hasPre[i], alpha: exp.alpha, sequentialTau: tau }),
  )
  return { specs, sums, hasPre, estimates, clustered, tau }
}

/**
 * Computes the results of a launched (or imported) experiment as of `today` (local date; the
 * window ends yesterday so every day in it is complete).
 * @example await experimentResults(db, await store.get('exp_…'))
 */
export async function experimentResults(db: Db, exp: Experiment, today = localDate(new Date())): Promise<Results> {
  if (exp.status === 'draft') throw new ApiError('bad_request', `experiment ${exp.id} is a draft: launch it first`)
  const arms = exp.arms.map((a) => a.name)
  const clustered = exp.cluster_by_distributor && exp.unit === 'store'
  const stoppedOn = exp.stopped_at ? localDate(new Date(exp.stopped_at)) : null
  const w = experimentWindows({ start: exp.start, end: exp.end, preDays: exp.unit === 'store' ? exp.pre_days : 0, stoppedOn, today })
  const counts = await db.query<{ arm: string; n: number; clusters: number }>(
    'SELECT arm, count() AS n, uniqExact(cluster_id) AS clusters FROM experiment_assignments WHERE experiment_id = {e:String} GROUP BY arm',
    { e: exp.id },
    'exp-counts',
  )
  const observed = arms.map((a) => {
    const c = counts.find((x) => x.arm === a)
    return Number(clustered ? (c?.clusters ?? 0) : (c?.n ?? 0))
  })
  const weights = exp.arms.map((a) => a.weight)
  const srmP = checkSrm(observed, weights)
  const totalWeight = weights.reduce((a, b) => a + b, 0)
  const base = {
    experiment_id: exp.id,
    status: exp.status,
    computed_at: new Date().toISOString(),
    unit: clustered ? ('distributor' as const) : exp.unit,
    alpha: exp.alpha,
    sequential: exp.sequential,
    correction: exp.correction,
    arms: exp.arms.map((a) => ({ name: a.name, policy_id: a.policy_id, weight: a.weight, units: a.units })),
    srm: { p: srmP, counts: observed, expected: weights.map((x) => x / totalWeight), warning: srmP < 0.001 },
  }
  if (!w) {
    return { ...base, window: { pre: null, from: exp.start, to: exp.start, days: 0 }, exposures: [], metrics: [], balance: [], cumulative: null,
      verdict: overallVerdict({ srmP, primary: { en: '', zh: '' }, results: [], hasData: false }) }
  }
  const refs: { ref: string; role: Role }[] = [
    { ref: exp.primary_metric, role: 'primary' },
    ...exp.secondary_metrics.map((ref) => ({ ref, role: 'secondary' as Role })),
    ...exp.guardrail_metrics.map((ref) => ({ ref, role: 'guardrail' as Role })),
  ]
  const { specs, hasPre, sums, estimates, tau } = await analyzeMetrics(db, exp, w, refs.map((r) => r.ref))
  const kindOf = (s: MetricSpec) => (clustered ? 'ratio' : s.def.kind)

  // One family for the correction: every treatment arm × every primary and secondary metric.
  const family: [number, number][] = []
  refs.forEach((r, i) => r.role !== 'guardrail' && estimates[i].relative.forEach((_, j) => family.push([i, j])))
  const adjusted = adjustPValues(family.map(([i, j]) => estimates[i].relative[j].p), exp.correction)
  const pAdj = new Map(family.map(([i, j], k) => [`${i}:${j}`, adjusted[k]]))

  const outcomes: { arm: string; outcome: ReturnType<typeof outcome>; role: Role }[] = []
  const metrics: MetricResult[] = specs.map((s, i) => {
    const e = estimates[i]
    return {
      metric: refs[i].ref, role: refs[i].role, kind: s.def.kind, label: s.def.label, unit: s.def.unit, higher_is_better: s.def.higher_is_better,
      cuped: hasPre[i], variance_reduction: e.varianceReduction, arms: e.arms,
      comparisons: e.relative.map((lift, j) => {
        const corrected = exp.correction !== 'none' && refs[i].role !== 'guardrail'
        const p = corrected ? (pAdj.get(`${i}:${j}`) ?? lift.p) : lift.p
        const v = { arm: lift.arm, control: arms[0], label: s.def.label, higherIsBetter: s.def.higher_is_better, role: refs[i].role, lift, p, alpha: exp.alpha }
        const o = outcome(v)
        outcomes.push({ arm: lift.arm, outcome: o, role: refs[i].role })
        const abs = e.absolute[j]
        return {
          arm: lift.arm, lift: { estimate: lift.estimate, ci: lift.ci, se: lift.se }, difference: { estimate: abs.estimate, ci: abs.ci },
          p: lift.p, p_adjusted: corrected ? p : null, outcome: o, verdict: verdict(v), error: lift.error ?? null,
        }
      }),
    }
  })

  let balance = exp.unit === 'store' ? await storeBalance(db, exp.id, arms, w.pre) : []
  if (exp.unit === 'external')
    balance = specs.flatMap((s, i) => (s.external && hasPre[i] ? [balanceRow(refs[i].ref, s.def.label, sums[i].map((a) => ({ ...a, sum: a.pre_sum ?? 0, sum_squares: a.pre_sum_squares ?? 0 })), arms)] : []))
  const points = await cumulativeLift(db, {
    experimentId: exp.id, arms, metric: specs[0], kind: kindOf(specs[0]), windows: w, cuped: hasPre[0], clustered, alpha: exp.alpha, sequentialTau: tau,
  })
  const days = Math.round((Date.parse(w.post.to) - Date.parse(w.post.from)) / 86_400_000) + 1
  const hasData = metrics.some((m) => m.arms.some((a) => a.n > 0))
  return {
    ...base,
    window: { pre: w.pre, from: w.post.from, to: w.post.to, days },
    exposures: exp.unit === 'store' && exp.source === 'workbench' ? await exposures(db, exp.id) : [],
    metrics,
    verdict: overallVerdict({ srmP, primary: specs[0].def.label, results: outcomes, hasData }),
    balance,
    cumulative: { metric: refs[0].ref, points },
  }
}
