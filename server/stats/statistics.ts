/**
 * Sufficient statistics → per-arm mean and per-unit variance, following gbstats
 * (`gbstats/models/statistics.py`) so that our numbers match GrowthBook's:
 *  - mean metric: sample variance with n − 1;
 *  - proportion: Bernoulli variance p(1 − p) (gbstats uses the plug-in variance, not n/(n−1));
 *  - ratio metric: delta-method variance of M/D at the unit level (Deng et al. 2018,
 *    "Applying the Delta Method in Metric Analytics", KDD);
 *  - CUPED / regression adjustment: Y − θX with one pooled θ (Deng et al. 2013, WSDM),
 *    and its ratio-metric extension (gbstats `RegressionAdjustedRatioStatistic`).
 * A statistic's `variance` is per unit; the variance of its mean is variance / n.
 */

/** Sum and sum of squares of a continuous per-unit metric. */
export interface SampleMeanStat {
  kind: 'mean'
  n: number
  sum: number
  sumSquares: number
}

/** Count of successes among n units (binary per-unit metric). */
export interface ProportionStat {
  kind: 'proportion'
  n: number
  sum: number
}

/** A per-unit metric: continuous or binary. */
export type BaseStat = SampleMeanStat | ProportionStat

/** Ratio metric Σnum / Σden over n units, e.g. revenue per order with users randomized. */
export interface RatioStat {
  kind: 'ratio'
  n: number
  num: BaseStat
  den: BaseStat
  /** Σ num_i · den_i over units. */
  sumNumDen: number
}

/** Regression-adjusted (CUPED) metric: post − θ·pre, θ shared by all arms. */
export interface CupedStat {
  kind: 'cuped'
  n: number
  post: BaseStat
  pre: BaseStat
  /** Σ post_i · pre_i over units. */
  sumPostPre: number
  theta: number
}

/** Regression-adjusted ratio metric: mPost/dPost − θ·mPre/dPre (gbstats RegressionAdjustedRatioStatistic). */
export interface CupedRatioStat {
  kind: 'cuped_ratio'
  n: number
  numPost: BaseStat
  denPost: BaseStat
  numPre: BaseStat
  denPre: BaseStat
  sumNumPostNumPre: number
  sumDenPostDenPre: number
  sumNumPreDenPre: number
  sumNumPostDenPost: number
  sumNumPostDenPre: number
  sumNumPreDenPost: number
  theta: number
}

/** Any statistic the two-sample tests accept. */
export type TestStatistic = BaseStat | RatioStat | CupedStat | CupedRatioStat

/** @example sampleMean(3, 6, 14) // values 1, 2, 3 */
export function sampleMean(n: number, sum: number, sumSquares: number): SampleMeanStat {
  return { kind: 'mean', n, sum, sumSquares }
}

/** @example proportion(100, 23) // 23 conversions among 100 units */
export function proportion(n: number, sum: number): ProportionStat {
  return { kind: 'proportion', n, sum }
}

/** Builds a ratio statistic from numerator/denominator statistics and Σ num·den. */
export function ratio(num: BaseStat, den: BaseStat, sumNumDen: number): RatioStat {
  return { kind: 'ratio', n: num.n, num, den, sumNumDen }
}

/** Builds a CUPED statistic; θ is normally filled in later by {@link withTheta}. */
export function cuped(post: BaseStat, pre: BaseStat, sumPostPre: number, theta = 0): CupedStat {
  if (post.kind !== pre.kind) throw new TypeError('CUPED post and pre statistics must be of the same kind')
  return { kind: 'cuped', n: post.n, post, pre, sumPostPre, theta }
}

/** Mean of a base statistic (0 when n = 0, as gbstats). */
function baseMean(s: BaseStat): number {
  return s.n === 0 ? 0 : s.sum / s.n
}

function baseSumSquares(s: BaseStat): number {
  return s.kind === 'proportion' ? s.sum : s.sumSquares
}

function baseVariance(s: BaseStat): number {
  if (s.kind === 'proportion') {
    const p = baseMean(s)
    return p * (1 - p)
  }
  if (s.n <= 1) return 0
  return (s.sumSquares - (s.sum * s.sum) / s.n) / (s.n - 1)
}

/**
 * Per-unit covariance of two base statistics from Σ a_i b_i.
 * Two proportions use the plug-in (÷n) form so that it is consistent with p(1 − p);
 * anything else uses the unbiased (÷(n − 1)) form — gbstats `compute_covariance`.
 */
export function covariance(n: number, a: BaseStat, b: BaseStat, sumProducts: number): number {
  if (n <= 1) return 0
  if (a.kind === 'proportion' && b.kind === 'proportion') return sumProducts / n - (a.sum * b.sum) / (n * n)
  return (sumProducts - (a.sum * b.sum) / n) / (n - 1)
}

/** Joint 4×4 covariance matrix of (mPost, dPost, mPre, dPre), gbstats `lambda_matrix`. */
function lambdaMatrix(s: CupedRatioStat): number[][] {
  const c = (a: BaseStat, b: BaseStat, sp: number) => covariance(s.n, a, b, sp)
  const mPostDPost = c(s.numPost, s.denPost, s.sumNumPostDenPost)
  const mPostMPre = c(s.numPost, s.numPre, s.sumNumPostNumPre)
  const mPostDPre = c(s.numPost, s.denPre, s.sumNumPostDenPre)
  const dPostMPre = c(s.denPost, s.numPre, s.sumNumPreDenPost)
  const dPostDPre = c(s.denPost, s.denPre, s.sumDenPostDenPre)
  const mPreDPre = c(s.numPre, s.denPre, s.sumNumPreDenPre)
  return [
    [baseVariance(s.numPost), mPostDPost, mPostMPre, mPostDPre],
    [mPostDPost, baseVariance(s.denPost), dPostMPre, dPostDPre],
    [mPostMPre, dPostMPre, baseVariance(s.numPre), mPreDPre],
    [mPostDPre, dPostDPre, mPreDPre, baseVariance(s.denPre)],
  ]
}

/** Gradient of mPost/dPost − θ·mPre/dPre with respect to the four means (gbstats `nabla`). */
function cupedRatioGradient(s: CupedRatioStat, theta = s.theta): number[] {
  const [mPost, dPost, mPre, dPre] = [s.numPost, s.denPost, s.numPre, s.denPre].map(baseMean)
  if (dPost === 0 || dPre === 0) return [0, 0, 0, 0]
  return [1 / dPost, -mPost / dPost ** 2, -theta / dPre, (theta * mPre) / dPre ** 2]
}

/** uᵀ M v restricted to index ranges, for the blocks of the 4×4 delta-method matrix. */
function quadForm(u: number[], m: number[][], v: number[], rows: number[], cols: number[]): number {
  let total = 0
  for (const i of rows) for (const j of cols) total += u[i] * m[i][j] * v[j]
  return total
}

const ALL = [0, 1, 2, 3]
const POST = [0, 1]
const PRE = [2, 3]

/**
 * Estimated mean of the statistic (CUPED-adjusted when applicable). For ratios this is
 * Σnum/Σden.
 */
export function statMean(s: TestStatistic): number {
  switch (s.kind) {
    case 'mean':
    case 'proportion':
      return baseMean(s)
    case 'ratio':
      return s.den.sum === 0 ? 0 : s.num.sum / s.den.sum
    case 'cuped':
      return baseMean(s.post) - s.theta * baseMean(s.pre)
    case 'cuped_ratio': {
      if (s.denPost.sum === 0 || s.denPre.sum === 0) return 0
      return s.numPost.sum / s.denPost.sum - s.theta * (s.numPre.sum / s.denPre.sum)
    }
  }
}

/** The mean without regression adjustment: what is reported as the arm's value. */
export function unadjustedMean(s: TestStatistic): number {
  if (s.kind === 'cuped') return baseMean(s.post)
  if (s.kind === 'cuped_ratio') return s.denPost.sum === 0 ? 0 : s.numPost.sum / s.denPost.sum
  return statMean(s)
}

/** Per-unit variance of the statistic (delta method for ratios; Var(Y − θX) for CUPED). */
export function statVariance(s: TestStatistic): number {
  switch (s.kind) {
    case 'mean':
    case 'proportion':
      return baseVariance(s)
    case 'ratio': {
      const dMean = baseMean(s.den)
      if (dMean === 0 || s.n <= 1) return 0
      return varianceOfRatio(baseMean(s.num), baseVariance(s.num), dMean, baseVariance(s.den), covariance(s.n, s.num, s.den, s.sumNumDen))
    }
    case 'cuped': {
      if (s.n <= 1) return 0
      const cov = covariance(s.n, s.post, s.pre, s.sumPostPre)
      return baseVariance(s.post) + s.theta ** 2 * baseVariance(s.pre) - 2 * s.theta * cov
    }
    case 'cuped_ratio': {
      const g = cupedRatioGradient(s)
      return quadForm(g, lambdaMatrix(s), g, ALL, ALL)
    }
  }
}

/**
 * Delta-method variance of M/D given the moments of M and D:
 * Var(M/D) ≈ Var(M)/μ_D² + μ_M² Var(D)/μ_D⁴ − 2 μ_M Cov(M, D)/μ_D³ (gbstats `variance_of_ratios`).
 */
export function varianceOfRatio(meanM: number, varM: number, meanD: number, varD: number, covMD: number): number {
  return varM / meanD ** 2 + (varD * meanM ** 2) / meanD ** 4 - (2 * covMD * meanM) / meanD ** 3
}

/** Per-unit covariance of post and pre for a CUPED statistic. */
export function cupedCovariance(s: CupedStat): number {
  return covariance(s.n, s.post, s.pre, s.sumPostPre)
}

/** Mean / variance of a base statistic (exported for the relative-CUPED variance formula). */
export const baseMoments = { mean: baseMean, variance: baseVariance, sumSquares: baseSumSquares }

/** Gradient and covariance matrix of a CUPED ratio statistic (for the relative variance). */
export function cupedRatioMoments(s: CupedRatioStat): { gradient: number[]; lambda: number[][] } {
  return { gradient: cupedRatioGradient(s), lambda: lambdaMatrix(s) }
}

function pooled(stats: BaseStat[]): BaseStat {
  const n = stats.reduce((t, s) => t + s.n, 0)
  const sum = stats.reduce((t, s) => t + s.sum, 0)
  if (stats.every((s) => s.kind === 'proportion')) return proportion(n, sum)
  if (stats.some((s) => s.kind === 'proportion')) throw new TypeError('a metric cannot mix proportion and mean statistics across arms')
  return sampleMean(n, sum, stats.reduce((t, s) => t + baseSumSquares(s), 0))
}

/**
 * The single CUPED coefficient θ = Cov(post, pre) / Var(pre), estimated on the data of
 * all given arms pooled (gbstats `compute_theta`, which pools the two arms it compares).
 * One θ for every arm keeps the adjustment identical across arms, so the adjusted
 * difference stays unbiased (the pre-period means differ only by chance). Returns 0 when
 * the pooled pre or post variance is 0 — gbstats then falls back to the unadjusted test.
 * @example computeTheta([armA, armB]) // ≈ ρ·σ_post/σ_pre
 */
export function computeTheta(stats: CupedStat[]): number {
  const post = pooled(stats.map((s) => s.post))
  const pre = pooled(stats.map((s) => s.pre))
  const postVar = baseVariance(post)
  const preVar = baseVariance(pre)
  if (postVar === 0 || preVar === 0) return 0
  const sumPostPre = stats.reduce((t, s) => t + s.sumPostPre, 0)
  return covariance(post.n, post, pre, sumPostPre) / preVar
}

/**
 * The single θ for ratio CUPED: −Σ Cov_pre,post / Σ Var_pre over arms, with the
 * delta-method gradients evaluated at θ = 1 (gbstats `compute_theta_regression_adjusted_ratio`).
 */
export function computeThetaRatio(stats: CupedRatioStat[]): number {
  let cov = 0
  let varPre = 0
  for (const s of stats) {
    const g = cupedRatioGradient(s, 1)
    const lambda = lambdaMatrix(s)
    cov += quadForm(g, lambda, g, PRE, POST)
    varPre += quadForm(g, lambda, g, PRE, PRE)
  }
  return varPre === 0 ? 0 : -cov / varPre
}

/**
 * Applies a shared θ. As gbstats does, a θ of (numerically) zero reverts to the
 * unadjusted statistic, so degenerate pre-periods never change the analysis.
 */
export function withTheta(s: CupedStat | CupedRatioStat, theta: number): TestStatistic {
  if (s.kind === 'cuped') return theta === 0 ? s.post : { ...s, theta }
  if (Math.abs(theta) < 1e-8) return ratio(s.numPost, s.denPost, s.sumNumPostDenPost)
  return { ...s, theta }
}
