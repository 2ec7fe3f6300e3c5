/**
 * Two-sample frequentist tests, as in gbstats (`gbstats/frequentist/tests.py`,
 * `gbstats/models/tests.py`):
 *  - fixed-horizon Welch t test with Welch–Satterthwaite degrees of freedom, two-sided or
 *    one-sided, on the absolute or the relative (delta-method) lift;
 *  - sequential (always-valid) tests: the asymptotic confidence sequences of
 *    Waudby-Smith, Ramdas et al. (2023), "Time-uniform central limit theory and
 *    asymptotic confidence sequences", arXiv:2103.06476, with tuning parameter τ
 *    (gbstats `sequential_tuning_parameter`, default 5000).
 */
import { tCdf, tQuantile } from './distributions'
import {
  baseMoments,
  cupedCovariance,
  cupedRatioMoments,
  statMean,
  statVariance,
  unadjustedMean,
  type CupedRatioStat,
  type CupedStat,
  type TestStatistic,
} from './statistics'

/** Alternative hypothesis: treatment ≠, >, or < control. */
export type Sides = 'two' | 'greater' | 'less'

/** Options shared by all tests. */
export interface TestOptions {
  /** Relative lift (treatment / control − 1) instead of the absolute difference. */
  relative?: boolean
  /** Significance level (default 0.05). */
  alpha?: number
  sides?: Sides
  /** Non-null: always-valid test with this tuning parameter τ (the planned total sample size). */
  sequentialTau?: number | null
}

/** Point estimate and its standard error (gbstats `EffectMomentsResult`). */
export interface EffectMoments {
  estimate: number
  se: number
  error?: string
}

/** Output of a two-sample test. A bound of ±Infinity is an unbounded side. */
export interface TestResult {
  estimate: number
  se: number
  ci: [number, number]
  p: number
  /** Welch–Satterthwaite degrees of freedom (fixed-horizon tests only). */
  dof?: number
  /** Set when the comparison cannot be made (then estimate 0, ci [0, 0], p 1, as gbstats). */
  error?: string
}

/** Error of a comparison with a zero variance (an arm with n ≤ 1, or all values equal). */
export const ZERO_VARIANCE = 'zero or negative variance'
/** Error of a comparison whose control mean is 0 (a relative lift is undefined; gbstats refuses absolute ones too). */
export const BASELINE_ZERO = 'control mean is zero'

/**
 * Delta-method variance of (b̂ − â)/ā for CUPED statistics, where the denominator is the
 * *unadjusted* control mean and is correlated with the adjusted numerator
 * (gbstats `frequentist_variance_relative_cuped`).
 */
function relativeCupedVariance(a: CupedStat, b: CupedStat): number {
  const meanA = unadjustedMean(a)
  const denTrt = b.n * meanA ** 2
  const denCtrl = a.n * meanA ** 2
  if (denTrt === 0 || denCtrl === 0) return 0
  const theta = a.theta
  const vTrt = statVariance(b) / denTrt
  const k = -baseMoments.mean(b.post)
  const postMeanA = baseMoments.mean(a.post)
  const numA = (baseMoments.variance(a.post) * k ** 2) / postMeanA ** 2
  const numB = (2 * theta * cupedCovariance(a) * k) / postMeanA
  const numC = theta ** 2 * baseMoments.variance(a.pre)
  return vTrt + (numA + numB + numC) / denCtrl
}

/** gᵀ M g. */
function quadratic(g: number[], m: number[][]): number {
  return g.reduce((t, gi, i) => t + gi * g.reduce((u, gj, j) => u + m[i][j] * gj, 0), 0)
}

/** Same for ratio CUPED (gbstats `frequentist_variance_relative_cuped_ratio`). */
function relativeCupedRatioVariance(a: CupedRatioStat, b: CupedRatioStat): number {
  const meanA = unadjustedMean(a)
  const dPostA = baseMoments.mean(a.denPost)
  if (meanA === 0 || dPostA === 0) return 0
  const gAbs = statMean(b) - statMean(a)
  const rel = Math.abs(meanA)
  const mPostA = baseMoments.mean(a.numPost)
  const ma = cupedRatioMoments(a)
  const mb = cupedRatioMoments(b)
  const gradA = [
    -(rel + gAbs) / dPostA / rel ** 2,
    ((mPostA * rel) / dPostA ** 2 + (mPostA * gAbs) / dPostA ** 2) / rel ** 2,
    -ma.gradient[2] / rel,
    -ma.gradient[3] / rel,
  ]
  const gradB = mb.gradient.map((g) => g / rel)
  return quadratic(gradA, ma.lambda) / a.n + quadratic(gradB, mb.lambda) / b.n
}

/** Variance of the estimated effect for every statistic kind (gbstats `frequentist_variance_all_cases`). */
function effectVariance(a: TestStatistic, b: TestStatistic, relative: boolean): number {
  if (relative && a.kind === 'cuped' && b.kind === 'cuped') return relativeCupedVariance(a, b)
  if (relative && a.kind === 'cuped_ratio' && b.kind === 'cuped_ratio') return relativeCupedRatioVariance(a, b)
  const varA = statVariance(a) / a.n
  const varB = statVariance(b) / b.n
  if (!relative) return varA + varB
  // Var(B/A) by the delta method with independent arms: Var(B)/μ_A² + μ_B² Var(A)/μ_A⁴.
  const meanA = unadjustedMean(a)
  const meanB = unadjustedMean(b)
  return varB / meanA ** 2 + (varA * meanB ** 2) / meanA ** 4
}

/**
 * Point estimate and standard error of the treatment effect of `b` over control `a`.
 * The relative estimate divides by the unadjusted control mean, as gbstats does for CUPED.
 * @example effectMoments(sampleMean(3407, 1396.87, 52377.9767), sampleMean(3461, 2422.7, 134698.29), true)
 *   // { estimate: 0.70732…, se: 0.37879… } (gbstats test_two_sided_ttest)
 */
export function effectMoments(a: TestStatistic, b: TestStatistic, relative: boolean): EffectMoments {
  if (a.kind !== b.kind) throw new TypeError(`control and treatment statistics differ in kind (${a.kind} vs ${b.kind})`)
  const variance = effectVariance(a, b, relative)
  if (statVariance(a) <= 0 || statVariance(b) <= 0 || !(variance > 0)) return { estimate: 0, se: 0, error: ZERO_VARIANCE }
  const meanA = statMean(a)
  const rawMeanA = unadjustedMean(a)
  if (meanA === 0 || rawMeanA === 0) return { estimate: 0, se: 0, error: BASELINE_ZERO }
  const diff = statMean(b) - meanA
  return { estimate: relative ? diff / rawMeanA : diff, se: Math.sqrt(variance) }
}

/**
 * Welch–Satterthwaite degrees of freedom of the two-sample t statistic, from the per-unit
 * variances (gbstats uses these even for the relative lift).
 * @example welchDof(4, 10, 9, 20) // (0.4 + 0.45)² / (0.4²/9 + 0.45²/19)
 */
export function welchDof(varA: number, nA: number, varB: number, nB: number): number {
  const va = varA / nA
  const vb = varB / nB
  return (va + vb) ** 2 / ((vb * vb) / (nB - 1) + (va * va) / (nA - 1))
}

function failed(error: string): TestResult {
  return { estimate: 0, se: 0, ci: [0, 0], p: 1, error }
}

/**
 * Fixed-horizon Welch t test of `b` against control `a` (gbstats `TwoSidedTTest`,
 * `OneSidedTreatmentGreaterTTest`, `OneSidedTreatmentLesserTTest`). The one-sided
 * interval is unbounded on the other side.
 * @example tTest(proportion(28, 14), proportion(30, 16), { relative: true })
 *   // ci ≈ [−0.47767, 0.61101], p ≈ 0.80707 (gbstats test_two_sided_ttest_binom)
 */
export function tTest(a: TestStatistic, b: TestStatistic, options: TestOptions = {}): TestResult {
  const { relative = false, alpha = 0.05, sides = 'two' } = options
  const m = effectMoments(a, b, relative)
  if (m.error) return failed(m.error)
  const dof = welchDof(statVariance(a), a.n, statVariance(b), b.n)
  const t = m.estimate / m.se
  if (sides === 'two') {
    const w = tQuantile(1 - alpha / 2, dof) * m.se
    return { estimate: m.estimate, se: m.se, ci: [m.estimate - w, m.estimate + w], p: 2 * tCdf(-Math.abs(t), dof), dof }
  }
  const w = tQuantile(1 - alpha, dof) * m.se
  if (sides === 'greater') return { estimate: m.estimate, se: m.se, ci: [m.estimate - w, Infinity], p: tCdf(-t, dof), dof }
  return { estimate: m.estimate, se: m.se, ci: [-Infinity, m.estimate + w], p: tCdf(t, dof), dof }
}

/**
 * Mixing parameter ρ of the normal-mixture confidence sequence, chosen so that the
 * sequence is tightest when the total sample size reaches τ (Waudby-Smith et al. 2023,
 * eq. 161): ρ = √((−2 ln α + ln(1 − 2 ln α)) / τ). One-sided sequences use 2α
 * (gbstats `sequential_rho(..., two_sided=False)`).
 * @example sequentialRho(0.05, 5000)
 */
export function sequentialRho(alpha: number, tau: number, twoSided = true): number {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError('alpha must be in (0, 1)')
  if (!(tau > 0)) throw new RangeError('the sequential tuning parameter must be > 0')
  const a = twoSided ? alpha : 2 * alpha
  return Math.sqrt((-2 * Math.log(a) + Math.log(-2 * Math.log(a) + 1)) / tau)
}

/**
 * Half-width of the two-sided asymptotic confidence sequence (Waudby-Smith et al. 2023,
 * eq. 9; gbstats `sequential_interval_halfwidth`):
 * √s² · √(2(nρ² + 1) ln(√(nρ² + 1)/α) / (nρ)²), where s² is the per-observation variance
 * (for two samples: se² · (n_A + n_B)) and n the combined sample size.
 */
export function sequentialIntervalHalfwidth(s2: number, n: number, tau: number, alpha: number, rho = sequentialRho(alpha, tau)): number {
  const u = n * rho * rho + 1
  return Math.sqrt(s2) * Math.sqrt((2 * u * Math.log(Math.sqrt(u) / alpha)) / (n * rho) ** 2)
}

/**
 * One-sided version (gbstats `sequential_interval_halfwidth_one_sided`):
 * √(s² · 2(nρ² + 1)/(nρ)² · ln(1 + √(nρ² + 1)/(2α))), with ρ computed from 2α.
 */
export function sequentialIntervalHalfwidthOneSided(s2: number, n: number, tau: number, alpha: number, rho = sequentialRho(alpha, tau, false)): number {
  const u = n * rho * rho + 1
  return Math.sqrt(((s2 * 2 * u) / (n * rho) ** 2) * Math.log(1 + Math.sqrt(u) / (2 * alpha)))
}

/** gbstats searches one-sided sequential p-values in this range; we report them clamped to it. */
export const SEQUENTIAL_ONE_SIDED_P_RANGE: [number, number] = [1e-5, 0.4999]

/**
 * Always-valid test of `b` against control `a`, valid under continuous monitoring
 * (gbstats `SequentialTwoSidedTTest`, `SequentialOneSidedTreatment{Greater,Lesser}TTest`).
 * Normal-theory: no t quantiles. The two-sided p-value is 1/e-value (eq. 155 of
 * Waudby-Smith et al.); the one-sided p-value is the smallest α whose sequence excludes 0,
 * solved in closed form (gbstats bisects for it) and clamped, like gbstats, to
 * [1e−5, 0.4999] — 0.4999 reads "no evidence at any α < ½".
 * @example sequentialTest(sampleMean(3000, 1396.87, 52377.9767), sampleMean(3461, 2422.7, 134698.29), { relative: true, sequentialTau: 1000 })
 *   // ci ≈ [−0.55844, 1.56516], p = 1 (gbstats test_sequential_test_runs)
 */
export function sequentialTest(a: TestStatistic, b: TestStatistic, options: TestOptions = {}): TestResult {
  const { relative = false, alpha = 0.05, sides = 'two', sequentialTau = 5000 } = options
  const tau = sequentialTau ?? 5000
  const m = effectMoments(a, b, relative)
  if (m.error) return failed(m.error)
  const n = a.n + b.n
  const s2 = m.se * m.se * n
  const pe = m.estimate
  if (sides === 'two') {
    const rho = sequentialRho(alpha, tau)
    const hw = sequentialIntervalHalfwidth(s2, n, tau, alpha, rho)
    const u = n * rho * rho + 1
    // ln e-value = ρ² t² n / (2(nρ² + 1)) − ½ ln(nρ² + 1), t = pe/se; kept in logs to avoid overflow.
    const lnE = (rho * rho * (pe / m.se) ** 2 * n) / (2 * u) - 0.5 * Math.log(u)
    return { estimate: pe, se: m.se, ci: [pe - hw, pe + hw], p: lnE <= 0 ? 1 : Math.exp(-lnE) }
  }
  if (alpha >= 0.5) throw new RangeError('one-sided sequential tests need alpha < 0.5')
  const rho = sequentialRho(alpha, tau, false)
  const hw = sequentialIntervalHalfwidthOneSided(s2, n, tau, alpha, rho)
  const ci: [number, number] = sides === 'greater' ? [pe - hw, Infinity] : [-Infinity, pe + hw]
  const [pMin, pMax] = SEQUENTIAL_ONE_SIDED_P_RANGE
  let p = pMax
  if ((sides === 'greater' && pe > 0) || (sides === 'less' && pe < 0)) {
    // Half-width(α) = |pe| ⇔ ln(1 + √u/(2α)) = K, K = pe²(nρ)² / (2 s² u), with ρ held fixed.
    const u = n * rho * rho + 1
    const k = (pe * pe * (n * rho) ** 2) / (2 * s2 * u)
    const solved = Math.sqrt(u) / (2 * Math.expm1(k))
    p = Math.min(pMax, Math.max(pMin, solved))
  }
  return { estimate: pe, se: m.se, ci, p }
}

/** Runs the fixed-horizon or the sequential test according to `options.sequentialTau`. */
export function compare(a: TestStatistic, b: TestStatistic, options: TestOptions = {}): TestResult {
  return options.sequentialTau == null ? tTest(a, b, options) : sequentialTest(a, b, options)
}
