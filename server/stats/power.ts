/**
 * Power, minimum detectable effect (MDE) and sample size for a two-arm comparison within
 * a k-arm experiment, fixed-horizon or sequential, following GrowthBook's power
 * calculator (`front-end/components/PowerCalculation/stats.ts`: `powerEst`, `findMde`)
 * and gbstats `power/midexperimentpower.py`.
 *
 * Formulas (n = units per arm, μ = control mean, σ² = per-unit variance):
 *  - CUPED: σ² ← σ²(1 − ρ²), ρ² = `cupedR2`, the squared pre/post correlation
 *    (Deng et al. 2013, WSDM: Var(Ȳ − θX̄) = Var(Ȳ)(1 − ρ²) at the optimal θ).
 *  - Standard error of the estimated effect δ with equal variances in both arms:
 *      absolute: se² = 2σ²/n;
 *      relative: se² = σ²(1 + (1 + δ)²)/(n μ²)   (delta method, GrowthBook `powerStandardError`).
 *  - Critical value c: z_{1−α/2} (two-sided) or z_{1−α} (one-sided) for a fixed horizon;
 *    for a sequential design the confidence-sequence multiplier at the planned size
 *    N = 2n of the pairwise comparison (the N gbstats uses when it analyses the test):
 *      two-sided: c = √(N · 2(Nρ² + 1)/(Nρ)² · ln(√(Nρ² + 1)/α)),
 *      one-sided: c = √(N · 2(Nρ² + 1)/(Nρ)² · ln(1 + √(Nρ² + 1)/(2α))), ρ from `sequentialRho`.
 *    (GrowthBook's calculator evaluates the sequence at the per-arm n instead; using the
 *    analysis' N makes the planned interval the one the test will report.)
 *    With `numTests` > 1, α is replaced by α/numTests (Bonferroni: a conservative plan for Holm).
 *  - Power of the final analysis (both rejection regions for two-sided tests):
 *      Φ(|δ|/se − c) + Φ(−|δ|/se − c).
 *  - MDE: the δ solving |δ|/se(δ) = c + z_power (the opposite tail ignored, as in
 *    GrowthBook `findMde`); for relative effects this is the quadratic
 *    (1 − w)δ² − 2wδ − 2w = 0, w = (c + z_power)² σ²/(n μ²), which has a root only when w < 1.
 *  - Sample size: the same equation solved for n — in closed form for fixed designs,
 *    by bisection for sequential ones (c then depends on n; |δ|/se − c grows with n
 *    wherever it crosses zero, so the root is unique).
 */
import { normalCdf, normalQuantile } from './distributions'
import { sequentialRho, type Sides } from './tests'

/** What is known before the experiment. */
export interface PowerDesign {
  /** Control mean (for a proportion: the baseline rate p). */
  mean: number
  /** Per-unit variance (for a proportion: p(1 − p)). */
  variance: number
  /** Effects are relative lifts (default true, as GrowthBook) or absolute differences. */
  relative?: boolean
  alpha?: number
  /** Target power, e.g. 0.8. */
  power?: number
  sides?: Sides
  /** Non-null: sequential (always-valid) analysis with this tuning parameter τ. */
  sequentialTau?: number | null
  /** Expected CUPED variance reduction ρ² ∈ [0, 1). */
  cupedR2?: number
  /** Number of comparisons sharing α (Bonferroni), default 1. */
  numTests?: number
}

function settings(d: PowerDesign) {
  const alpha = (d.alpha ?? 0.05) / (d.numTests ?? 1)
  const r2 = d.cupedR2 ?? 0
  if (!(r2 >= 0 && r2 < 1)) throw new RangeError('cupedR2 must be in [0, 1)')
  if (!(d.variance > 0)) throw new RangeError('variance must be > 0')
  const relative = d.relative ?? true
  if (relative && d.mean === 0) throw new RangeError('a relative effect needs a non-zero control mean')
  return { alpha, relative, sides: d.sides ?? 'two', power: d.power ?? 0.8, variance: d.variance * (1 - r2), tau: d.sequentialTau ?? null }
}

/**
 * Critical value of the planned test at `nPerArm` units per arm (see the module comment).
 * @example criticalValue({ mean: 1, variance: 1 }, 1000) // 1.959963984540054
 */
export function criticalValue(design: PowerDesign, nPerArm: number): number {
  const { alpha, sides, tau } = settings(design)
  const twoSided = sides === 'two'
  if (tau === null) return normalQuantile(1 - (twoSided ? alpha / 2 : alpha))
  const n = 2 * nPerArm
  const rho = sequentialRho(alpha, tau, twoSided)
  const u = n * rho * rho + 1
  const log = twoSided ? Math.log(Math.sqrt(u) / alpha) : Math.log(1 + Math.sqrt(u) / (2 * alpha))
  return Math.sqrt((n * 2 * u * log) / (n * rho) ** 2)
}

/** Standard error of the estimated effect `effect` with `nPerArm` units per arm. */
export function effectStandardError(design: PowerDesign, nPerArm: number, effect: number): number {
  const { relative, variance } = settings(design)
  if (!relative) return Math.sqrt((2 * variance) / nPerArm)
  return Math.sqrt((variance * (1 + (1 + effect) ** 2)) / (nPerArm * design.mean ** 2))
}

/**
 * Probability that the test rejects when the true effect is `effect`.
 * @example powerAt({ mean: 0.1, variance: 0.09, relative: false }, 1000, 0.04)
 */
export function powerAt(design: PowerDesign, nPerArm: number, effect: number): number {
  const { sides } = settings(design)
  const c = criticalValue(design, nPerArm)
  const z = effect / effectStandardError(design, nPerArm, effect)
  if (sides === 'greater') return normalCdf(z - c)
  if (sides === 'less') return normalCdf(-z - c)
  return normalCdf(Math.abs(z) - c) + normalCdf(-Math.abs(z) - c)
}

/**
 * Minimum detectable effect at `nPerArm` units per arm: positive for two-sided and
 * `greater` designs, negative for `less`. Throws when n is too small for a relative MDE
 * to exist.
 * @example minimumDetectableEffect({ mean: 10, variance: 100, relative: false }, 1000)
 *   // (1.959964 + 0.841621) · √(2·100/1000) ≈ 1.2529
 */
export function minimumDetectableEffect(design: PowerDesign, nPerArm: number): number {
  const s = settings(design)
  if (!(nPerArm > 0)) throw new RangeError('n per arm must be > 0')
  if (!(s.power > 0 && s.power < 1)) throw new RangeError('power must be in (0, 1)')
  const k = criticalValue(design, nPerArm) + normalQuantile(s.power)
  const sign = s.sides === 'less' ? -1 : 1
  if (!s.relative) return sign * k * Math.sqrt((2 * s.variance) / nPerArm)
  const w = (k * k * s.variance) / (nPerArm * design.mean ** 2)
  if (w >= 1) throw new RangeError('n per arm is too small: no relative effect is detectable with this power')
  return (w + sign * Math.sqrt(2 * w - w * w)) / (1 - w)
}

/**
 * Units per arm (not rounded) needed to detect `effect` with the design's power.
 * @example sampleSizeForEffect({ mean: 10, variance: 100, relative: false }, 1.2529) // ≈ 1000
 */
export function sampleSizeForEffect(design: PowerDesign, effect: number): number {
  const s = settings(design)
  if (!(s.power > 0 && s.power < 1)) throw new RangeError('power must be in (0, 1)')
  if (!(effect !== 0 && Number.isFinite(effect))) throw new RangeError('the effect must be non-zero')
  if (s.sides === 'greater' && effect < 0) throw new RangeError('a "greater" design needs a positive effect')
  if (s.sides === 'less' && effect > 0) throw new RangeError('a "less" design needs a negative effect')
  if (s.relative && effect <= -1) throw new RangeError('a relative effect must be > −1')
  const zPower = normalQuantile(s.power)
  // |δ|/se(δ, n) = g·√n, where g does not depend on n.
  const g = Math.abs(effect) / effectStandardError(design, 1, effect)
  if (s.tau === null) return ((criticalValue(design, 1) + zPower) / g) ** 2
  const f = (n: number) => g * Math.sqrt(n) - criticalValue(design, n) - zPower
  let lo = 1e-6
  let hi = 1
  while (f(hi) < 0) {
    lo = hi
    hi *= 2
    if (hi > 1e15) throw new RangeError('no feasible sample size below 1e15 per arm')
  }
  for (let i = 0; i < 200 && hi - lo > 1e-9 * hi; i++) {
    const mid = 0.5 * (lo + hi)
    if (f(mid) < 0) lo = mid
    else hi = mid
  }
  return hi
}
