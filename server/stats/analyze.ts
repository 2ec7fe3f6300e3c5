/**
 * The CLI-shaped entry point: sufficient statistics per arm in, SRM p-value and one
 * comparison per treatment arm out. The first arm is the control.
 */
import { z } from 'zod'
import { adjustPValues } from './corrections'
import { checkSrm } from './srm'
import {
  computeTheta,
  computeThetaRatio,
  cuped,
  proportion,
  ratio,
  sampleMean,
  unadjustedMean,
  withTheta,
  type BaseStat,
  type CupedRatioStat,
  type TestStatistic,
} from './statistics'
import { compare } from './tests'

const sum = z.number()

/** One arm's sufficient statistics, summed over its units. */
export const ArmInput = z.object({
  name: z.string().min(1),
  n: z.number().int().nonnegative(),
  /** Σy (proportion: number of successes). */
  sum,
  /** Σy² (optional for proportions, where it equals Σy). */
  sum_squares: sum.optional(),
  /** Ratio metrics: Σ denominator, Σ denominator², Σ numerator·denominator. */
  den_sum: sum.optional(),
  den_sum_squares: sum.optional(),
  sum_num_den: sum.optional(),
  /** CUPED: Σ pre-period value, Σ pre², Σ post·pre (ratio: the numerators'). */
  pre_sum: sum.optional(),
  pre_sum_squares: sum.optional(),
  sum_post_pre: sum.optional(),
  /** CUPED on a ratio metric also needs the pre-period denominator and the remaining cross products. */
  pre_den_sum: sum.optional(),
  pre_den_sum_squares: sum.optional(),
  /** Σ pre numerator · pre denominator. */
  sum_pre_num_den: sum.optional(),
  /** Σ post denominator · pre denominator. */
  sum_post_pre_den: sum.optional(),
  /** Σ post numerator · pre denominator. */
  sum_post_num_pre_den: sum.optional(),
  /** Σ pre numerator · post denominator. */
  sum_pre_num_post_den: sum.optional(),
})
/** Validated (defaults filled in) form of {@link ArmInput}. */
export type ArmInput = z.infer<typeof ArmInput>

const RATIO_FIELDS = ['den_sum', 'den_sum_squares', 'sum_num_den'] as const
const CUPED_RATIO_FIELDS = ['pre_den_sum', 'pre_den_sum_squares', 'sum_pre_num_den', 'sum_post_pre_den', 'sum_post_num_pre_den', 'sum_pre_num_post_den'] as const

/** Input of `stats analyze` (see server/cli/stats.ts for the JSON contract). */
export const AnalyzeInput = z
  .object({
    metric: z.enum(['mean', 'proportion', 'ratio']),
    relative: z.boolean().default(false),
    alpha: z.number().gt(0).lt(1).default(0.05),
    sides: z.enum(['two', 'greater', 'less']).default('two'),
    cuped: z.boolean().default(false),
    sequential_tau: z.number().positive().nullable().default(null),
    correction: z.enum(['none', 'holm', 'bh']).default('none'),
    /** Expected traffic shares for the SRM test (default equal). */
    weights: z.array(z.number().nonnegative()).optional(),
    arms: z.array(ArmInput).min(2),
  })
  .superRefine((input, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message })
    const { metric } = input
    const required = (i: number, arm: ArmInput, field: keyof ArmInput, why: string) => {
      if (arm[field] === undefined) issue(['arms', i, field], `required ${why}`)
    }
    const names = new Set<string>()
    input.arms.forEach((arm, i) => {
      if (names.has(arm.name)) issue(['arms', i, 'name'], `duplicate arm name "${arm.name}"`)
      names.add(arm.name)
      if (metric === 'proportion') {
        if (arm.sum < 0 || arm.sum > arm.n) issue(['arms', i, 'sum'], 'a proportion needs 0 ≤ sum ≤ n (sum counts successes)')
        if (arm.sum_squares !== undefined && arm.sum_squares !== arm.sum) issue(['arms', i, 'sum_squares'], 'must equal sum for a proportion (0/1 values)')
      } else required(i, arm, 'sum_squares', `for a ${metric} metric`)
      if (metric === 'ratio') for (const f of RATIO_FIELDS) required(i, arm, f, 'for a ratio metric')
      if (input.cuped) {
        required(i, arm, 'pre_sum', 'when cuped is true')
        required(i, arm, 'sum_post_pre', 'when cuped is true')
        if (metric === 'proportion') {
          const pre = arm.pre_sum ?? 0
          if (pre < 0 || pre > arm.n) issue(['arms', i, 'pre_sum'], 'a proportion needs 0 ≤ pre_sum ≤ n')
          if (arm.pre_sum_squares !== undefined && arm.pre_sum_squares !== arm.pre_sum) issue(['arms', i, 'pre_sum_squares'], 'must equal pre_sum for a proportion')
        } else required(i, arm, 'pre_sum_squares', 'when cuped is true')
        if (metric === 'ratio') for (const f of CUPED_RATIO_FIELDS) required(i, arm, f, 'for CUPED on a ratio metric')
      }
    })
    if (input.weights) {
      if (input.weights.length !== input.arms.length) issue(['weights'], `needs one weight per arm (${input.arms.length}), got ${input.weights.length}`)
      else if (!input.weights.some((w) => w > 0)) issue(['weights'], 'at least one weight must be positive')
    }
    if (input.sequential_tau !== null && input.sides !== 'two' && input.alpha >= 0.5) issue(['alpha'], 'one-sided sequential tests need alpha < 0.5')
  })
/** Validated (defaults filled in) form of {@link AnalyzeInput}. */
export type AnalyzeInput = z.infer<typeof AnalyzeInput>

/** One treatment-vs-control comparison; a null bound is unbounded. */
export interface Comparison {
  arm: string
  estimate: number
  ci: [number | null, number | null]
  se: number
  p: number
  p_adjusted?: number
  /** Present when the comparison could not be made (zero variance, zero control mean). */
  error?: string
}

/** Output of `stats analyze`. */
export interface AnalyzeOutput {
  srm_p: number
  arms: { name: string; n: number; mean: number }[]
  comparisons: Comparison[]
}

function baseStat(metric: AnalyzeInput['metric'], n: number, s: number, sumSquares: number | undefined): BaseStat {
  return metric === 'proportion' ? proportion(n, s) : sampleMean(n, s, sumSquares ?? 0)
}

/** Sufficient statistics of every arm, CUPED-adjusted with one θ pooled over all arms. */
export function armStatistics(input: AnalyzeInput): TestStatistic[] {
  const { metric } = input
  const post = input.arms.map((a) => baseStat(metric, a.n, a.sum, a.sum_squares))
  if (metric === 'ratio') {
    const den = input.arms.map((a) => sampleMean(a.n, a.den_sum ?? 0, a.den_sum_squares ?? 0))
    if (!input.cuped) return input.arms.map((a, i) => ratio(post[i], den[i], a.sum_num_den ?? 0))
    const stats: CupedRatioStat[] = input.arms.map((a, i) => ({
      kind: 'cuped_ratio',
      n: a.n,
      numPost: post[i],
      denPost: den[i],
      numPre: sampleMean(a.n, a.pre_sum ?? 0, a.pre_sum_squares ?? 0),
      denPre: sampleMean(a.n, a.pre_den_sum ?? 0, a.pre_den_sum_squares ?? 0),
      sumNumPostNumPre: a.sum_post_pre ?? 0,
      sumDenPostDenPre: a.sum_post_pre_den ?? 0,
      sumNumPreDenPre: a.sum_pre_num_den ?? 0,
      sumNumPostDenPost: a.sum_num_den ?? 0,
      sumNumPostDenPre: a.sum_post_num_pre_den ?? 0,
      sumNumPreDenPost: a.sum_pre_num_post_den ?? 0,
      theta: 0,
    }))
    const theta = computeThetaRatio(stats)
    return stats.map((s) => withTheta(s, theta))
  }
  if (!input.cuped) return post
  const stats = input.arms.map((a, i) => cuped(post[i], baseStat(metric, a.n, a.pre_sum ?? 0, a.pre_sum_squares), a.sum_post_pre ?? 0))
  // One θ for all arms (gbstats pools the two arms of each comparison; with two arms this is the same θ).
  const theta = computeTheta(stats)
  return stats.map((s) => withTheta(s, theta))
}

const bound = (x: number): number | null => (Number.isFinite(x) ? x : null)

/**
 * Analyzes one metric of an experiment: SRM p-value, each arm's (unadjusted) mean, and
 * each treatment arm compared with the first arm — Welch t test, or the always-valid
 * sequential test when `sequential_tau` is set — with Holm/BH-adjusted p-values across
 * the treatment arms when `correction` asks for it. Throws a ZodError on invalid input.
 * @example
 * analyze({ metric: 'proportion', relative: true, arms: [
 *   { name: 'control', n: 1000, sum: 100 }, { name: 'new', n: 1000, sum: 130 } ] })
 */
export function analyze(raw: z.input<typeof AnalyzeInput>): AnalyzeOutput {
  const input = AnalyzeInput.parse(raw)
  const stats = armStatistics(input)
  const srm_p = checkSrm(input.arms.map((a) => a.n), input.weights)
  const options = { relative: input.relative, alpha: input.alpha, sides: input.sides, sequentialTau: input.sequential_tau }
  const comparisons: Comparison[] = stats.slice(1).map((s, i) => {
    const r = compare(stats[0], s, options)
    const c: Comparison = { arm: input.arms[i + 1].name, estimate: r.estimate, ci: [bound(r.ci[0]), bound(r.ci[1])], se: r.se, p: r.p }
    if (r.error) c.error = r.error
    return c
  })
  if (input.correction !== 'none') {
    const adjusted = adjustPValues(comparisons.map((c) => c.p), input.correction)
    comparisons.forEach((c, i) => (c.p_adjusted = adjusted[i]))
  }
  return {
    srm_p,
    arms: input.arms.map((a, i) => ({ name: a.name, n: a.n, mean: unadjustedMean(stats[i]) })),
    comparisons,
  }
}
