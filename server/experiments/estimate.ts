/**
 * The bridge from sufficient statistics (as the SQL returns them) to the analysis engine:
 * one metric, every treatment arm against the control, relative lift (delta method) and
 * absolute difference, CUPED with one pooled θ, fixed-horizon or sequential.
 */
import {
  AnalyzeInput, analyze, armStatistics, baseMoments, cupedCovariance, statMean, statVariance, tCdf, tQuantile, unadjustedMean, welchDof,
  type AnalyzeOutput, type ArmInput, type Comparison, type CupedStat,
} from '../stats/index.js'
import type { MetricKind } from './catalog.js'
import type { ArmSums } from './sql.js'

export interface EstimateOptions {
  /** Effective kind: a clustered analysis makes every metric a ratio. */
  kind: MetricKind
  cuped: boolean
  alpha: number
  /** Non-null: always-valid confidence sequences with this τ. */
  sequentialTau: number | null
}

export interface MetricEstimate {
  arms: AnalyzeOutput['arms']
  /** Relative lift (treatment / control − 1), one per treatment arm. */
  relative: Comparison[]
  /** Absolute difference of means, one per treatment arm. */
  absolute: Comparison[]
  /** CUPED variance reduction actually achieved (1 − Var_adjusted/Var_raw of the pooled means), or null. */
  varianceReduction: number | null
}

const RATIO = ['den_sum', 'den_sum_squares', 'sum_num_den'] as const
const CUPED = ['pre_sum', 'pre_sum_squares', 'sum_post_pre'] as const
const CUPED_RATIO = ['pre_den_sum', 'pre_den_sum_squares', 'sum_pre_num_den', 'sum_post_pre_den', 'sum_post_num_pre_den', 'sum_pre_num_post_den'] as const

/** Arm sums in the stats engine's input form, in `arms` order (an arm with no row has n = 0). */
export function armInputs(sums: ArmSums[], arms: string[], kind: MetricKind, cuped: boolean): ArmInput[] {
  const ratio = kind === 'ratio'
  const fields = ['sum_squares', ...(ratio ? RATIO : []), ...(cuped ? CUPED : []), ...(ratio && cuped ? CUPED_RATIO : [])] as const
  return arms.map((name) => {
    const s = sums.find((x) => x.arm === name)
    const a: ArmInput = { name, n: s?.n ?? 0, sum: s?.sum ?? 0 }
    for (const f of fields) a[f] = s?.[f] ?? 0
    // Proportions: Σy² = Σy for 0/1 values; the engine checks it, so give it exactly.
    if (kind === 'proportion') {
      a.sum_squares = a.sum
      if (cuped) a.pre_sum_squares = a.pre_sum
    }
    return a
  })
}

/**
 * Analyses one metric. `arms[0]` is the control.
 * @example estimate(rows, ['control', 'b'], { kind: 'mean', cuped: true, alpha: 0.05, sequentialTau: null })
 */
export function estimate(sums: ArmSums[], arms: string[], o: EstimateOptions): MetricEstimate {
  const input = armInputs(sums, arms, o.kind, o.cuped)
  const metric = o.kind
  const common = { metric, alpha: o.alpha, cuped: o.cuped, sequential_tau: o.sequentialTau, arms: input }
  const rel = analyze({ ...common, relative: true })
  if (o.cuped && o.sequentialTau === null && o.kind !== 'ratio') rel.comparisons = relativeCupedAtAdjusted(AnalyzeInput.parse({ ...common, relative: true }), rel.comparisons, o.alpha)
  const abs = analyze({ ...common, relative: false })
  let varianceReduction: number | null = null
  if (o.cuped && o.kind !== 'ratio') {
    const raw = analyze({ ...common, cuped: false, relative: false })
    const se0 = raw.comparisons[0]?.se
    const se1 = abs.comparisons[0]?.se
    if (se0 > 0 && se1 > 0) varianceReduction = 1 - (se1 * se1) / (se0 * se0)
  }
  return { arms: rel.arms, relative: rel.comparisons, absolute: abs.comparisons, varianceReduction }
}

/**
 * Relative lift with CUPED, its delta-method variance taken at the regression-adjusted means.
 *
 * The estimator is GrowthBook's, r = (Ȳ_T − θX̄_T − Ȳ_C + θX̄_C) / Ȳ_C. Its first-order
 * expansion gives the control's post mean the gradient −K/Ȳ_C with K = (Ȳ_T − θ(X̄_T − X̄_C)) / Ȳ_C;
 * gbstats (`frequentist_variance_relative_cuped`) uses K = Ȳ_T / Ȳ_C instead, dropping θ(X̄_T − X̄_C).
 * That term vanishes asymptotically, but with heavy-tailed store data the arms' raw means differ
 * by chance far more than their adjusted means do, and the gbstats variance then counts the
 * control mean's raw variance back in: in our simulated A/A tests (simulation.test.ts) it made
 * the 5% test reject 1% of the time and doubled the interval width. Everything else (estimate,
 * Welch degrees of freedom, t quantiles) is the engine's; sequential tests keep the engine's form.
 */
function relativeCupedAtAdjusted(input: AnalyzeInput, engine: Comparison[], alpha: number): Comparison[] {
  const stats = armStatistics(input)
  const a = stats[0]
  if (a.kind !== 'cuped') return engine // θ = 0: no adjustment, nothing to correct
  return engine.map((c, i) => {
    const b = stats[i + 1]
    if (c.error || b.kind !== 'cuped') return c
    const meanA = unadjustedMean(a)
    const k = (statMean(b) + a.theta * baseMoments.mean((a as CupedStat).pre)) / meanA
    const control = (k * k * baseMoments.variance(a.post) - 2 * k * a.theta * cupedCovariance(a) + a.theta ** 2 * baseMoments.variance(a.pre)) / a.n
    const variance = (statVariance(b) / b.n + control) / (meanA * meanA)
    if (!(variance > 0)) return c
    const se = Math.sqrt(variance)
    const dof = welchDof(statVariance(a), a.n, statVariance(b), b.n)
    const w = tQuantile(1 - alpha / 2, dof) * se
    return { ...c, se, ci: [c.estimate - w, c.estimate + w], p: 2 * tCdf(-Math.abs(c.estimate / se), dof) }
  })
}

/** One unit's values: y (and d for ratios), x and e for the pre-period. */
export interface UnitValue {
  arm: string
  y: number
  d?: number
  x?: number
  e?: number
}

/**
 * The same sums the SQL computes, from per-unit values in memory (simulations, tests).
 * @example sumsOfUnits([{ arm: 'a', y: 1, x: 2 }, { arm: 'b', y: 3, x: 1 }])
 */
export function sumsOfUnits(units: UnitValue[]): ArmSums[] {
  const by = new Map<string, ArmSums>()
  for (const u of units) {
    let s = by.get(u.arm)
    if (!s) by.set(u.arm, (s = { arm: u.arm, n: 0, sum: 0, sum_squares: 0 }))
    const y = u.y, d = u.d ?? 1, x = u.x ?? 0, e = u.e ?? 1
    const acc = s as unknown as Record<string, number>
    const add = (k: keyof ArmSums, v: number) => (acc[k] = (acc[k] ?? 0) + v)
    s.n++
    add('sum', y); add('sum_squares', y * y)
    add('den_sum', d); add('den_sum_squares', d * d); add('sum_num_den', y * d)
    add('pre_sum', x); add('pre_sum_squares', x * x); add('sum_post_pre', y * x)
    add('pre_den_sum', e); add('pre_den_sum_squares', e * e); add('sum_pre_num_den', x * e)
    add('sum_post_pre_den', d * e); add('sum_post_num_pre_den', y * e); add('sum_pre_num_post_den', x * d)
  }
  return [...by.values()]
}
