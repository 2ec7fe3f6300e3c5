import { describe, it, expect } from 'vitest'
import { proportion, sampleMean, cuped, computeTheta, computeThetaRatio, withTheta, type CupedRatioStat } from './statistics'
import {
  effectMoments,
  sequentialIntervalHalfwidthOneSided,
  sequentialRho,
  sequentialTest,
  tTest,
  welchDof,
  type TestResult,
} from './tests'

// gbstats rounds its expectations to 5 decimals (packages/stats/tests/frequentist/test_tests.py).
const r5 = (x: number) => Math.round(x * 1e5) / 1e5
type Expected = { estimate: number; ci: [number, number]; se: number; p: number }
/** Our result rounded the way gbstats rounds its expectations (infinite bounds kept). */
const rounded = (r: TestResult): Expected & { error?: string } => ({
  estimate: r5(r.estimate),
  ci: [Number.isFinite(r.ci[0]) ? r5(r.ci[0]) : r.ci[0], Number.isFinite(r.ci[1]) ? r5(r.ci[1]) : r.ci[1]],
  se: r5(r.se),
  p: r5(r.p),
  ...(r.error ? { error: r.error } : {}),
})

// The fixtures of gbstats' test_tests.py.
const A3407 = sampleMean(3407, 1396.87, 52377.9767)
const A3000 = sampleMean(3000, 1396.87, 52377.9767)
const B = sampleMean(3461, 2422.7, 134698.29)

describe('Welch t test: hand-computed example', () => {
  // a = 1..5 (mean 3, s² 2.5), b = 2, 4, …, 12 (mean 7, s² 14).
  const a = sampleMean(5, 15, 55)
  const b = sampleMean(6, 42, 364)
  it('degrees of freedom, t and p match the Welch formulas (scipy ttest_ind(equal_var=False))', () => {
    const se2 = 2.5 / 5 + 14 / 6
    expect(welchDof(2.5, 5, 14, 6)).toBeCloseTo(se2 ** 2 / ((2.5 / 5) ** 2 / 4 + (14 / 6) ** 2 / 5), 12)
    const r = tTest(a, b)
    expect(r.estimate).toBe(4)
    expect(r.se).toBeCloseTo(Math.sqrt(se2), 14)
    expect(r.dof).toBeCloseTo(6.972255729794934, 10)
    expect(r.p).toBeCloseTo(0.04928433820673053, 12)
    expect(r.ci[0]).toBeCloseTo(0.01653130437116923, 10)
    expect(r.ci[1]).toBeCloseTo(7.983468695628831, 10)
    expect(tTest(a, b, { sides: 'greater' }).p).toBeCloseTo(0.024642169103365266, 12)
  })
})

describe('fixed-horizon tests: gbstats published cases', () => {
  it('two-sided, relative (test_two_sided_ttest)', () => {
    expect(rounded(tTest(A3407, B, { relative: true }))).toEqual({ estimate: 0.70732, ci: [-0.03526, 1.44989], se: 0.37879, p: 0.06191 })
  })
  it('two-sided, absolute (test_two_sided_ttest_absolute)', () => {
    expect(rounded(tTest(A3407, B))).toEqual({ estimate: 0.29, ci: [0.04538, 0.53462], se: 0.12478, p: 0.02016 })
  })
  it('proportions, relative (test_two_sided_ttest_binom)', () => {
    expect(rounded(tTest(proportion(28, 14), proportion(30, 16), { relative: true }))).toEqual({ estimate: 0.06667, ci: [-0.47767, 0.61101], se: 0.2717, p: 0.80707 })
  })
  it('one-sided greater and less, relative and absolute (TestOneSided{Greater,Lesser}TTest)', () => {
    expect(rounded(tTest(A3000, B, { relative: true, sides: 'greater' }))).toEqual({ estimate: 0.50336, ci: [-0.04514, Infinity], se: 0.33341, p: 0.06558 })
    expect(rounded(tTest(A3000, B, { sides: 'greater' }))).toEqual({ estimate: 0.23438, ci: [0.02079, Infinity], se: 0.12983, p: 0.03554 })
    expect(rounded(tTest(A3000, B, { relative: true, sides: 'less' }))).toEqual({ estimate: 0.50336, ci: [-Infinity, 1.05186], se: 0.33341, p: 0.93442 })
    expect(rounded(tTest(A3000, B, { sides: 'less' }))).toEqual({ estimate: 0.23438, ci: [-Infinity, 0.44796], se: 0.12983, p: 0.96446 })
  })
  it('zero variance returns the gbstats default output (test_two_sided_ttest_missing_variance)', () => {
    const r = tTest(sampleMean(2, 1396.87, 52377.9767), B, { relative: true })
    expect(r).toMatchObject({ estimate: 0, ci: [0, 0], p: 1 })
    expect(r.error).toBeDefined()
    expect(tTest(proportion(100, 0), proportion(100, 3), { relative: true }).error).toBeDefined()
  })
})

// gbstats test_two_sided_ttest_test_runs_ratio_ra / test_sequential_test_runs_ratio_ra fixtures.
function ratioRa(n: number, v: number[]): CupedRatioStat {
  const S = (i: number) => sampleMean(n, v[i], v[i + 1])
  return {
    kind: 'cuped_ratio', n, numPost: S(0), denPost: S(2), numPre: S(4), denPre: S(6),
    sumNumPostNumPre: v[8], sumDenPostDenPre: v[9], sumNumPreDenPre: v[10], sumNumPostDenPost: v[11], sumNumPostDenPre: v[12], sumNumPreDenPost: v[13], theta: 0,
  }
}
const RA_A = ratioRa(100, [485.112236689623, 2715.484666118136, 679.9093275844917, 4939.424001640236, 192.59138069991536, 460.076026390857, 290.1398399750233, 920.9461385038898, 1113.6215759318352, 2130.9404074446747, 634.239482353647, 3602.146836776702, 1559.2878434944676, 1460.3181079276983])
const RA_B = ratioRa(100, [514.7757826608777, 2994.897482705013, 705.4090874383759, 5291.36604146392, 206.94157227402536, 514.2903702246757, 302.54389139107326, 994.4506208125663, 1237.0953021125997, 2292.081739775257, 698.4173425817908, 3918.1561431600717, 1701.0287270040265, 1604.0759503266522])

describe('CUPED tests: gbstats published cases', () => {
  const theta = computeThetaRatio([RA_A, RA_B])
  const a = withTheta(RA_A, theta)
  const b = withTheta(RA_B, theta)
  it('ratio CUPED, relative, fixed horizon', () => {
    expect(rounded(tTest(a, b, { relative: true }))).toEqual({ estimate: -0.0007, ci: [-0.00841, 0.007], se: 0.00391, p: 0.85771 })
  })
  it('ratio CUPED, relative, sequential (τ = 5000)', () => {
    expect(rounded(sequentialTest(a, b, { relative: true, sequentialTau: 5000 }))).toEqual({ estimate: -0.0007, ci: [-0.02063, 0.01923], se: 0.00391, p: 1 })
  })
  it('CUPED, relative, sequential (test_sequential_test_runs_ra)', () => {
    const ra = cuped(A3000, sampleMean(3000, 16.87, 527.9767), 1)
    const rb = cuped(B, sampleMean(3461, 22.7, 1348.29), 1)
    const t = computeTheta([ra, rb])
    expect(rounded(sequentialTest(withTheta(ra, t), withTheta(rb, t), { relative: true, sequentialTau: 5000 }))).toEqual({ estimate: 0.50338, ci: [-0.50969, 1.51646], se: 0.33341, p: 1 })
  })
})

describe('sequential tests', () => {
  it('two-sided, relative (test_sequential_test_runs, τ = 1000)', () => {
    expect(rounded(sequentialTest(A3000, B, { relative: true, sequentialTau: 1000 }))).toEqual({ estimate: 0.50336, ci: [-0.55844, 1.56516], se: 0.33341, p: 1 })
  })
  it('proportions (test_sequential_test_runs_prop, τ = 5000)', () => {
    const r = sequentialTest(proportion(3000, 1396), proportion(3461, 2422), { relative: true, sequentialTau: 5000 })
    expect(rounded(r)).toEqual({ estimate: 0.50386, ci: [0.40098, 0.60675], se: 0.03386, p: 0 })
    expect(r.p).toBeGreaterThan(0)
  })
  it('one-sided intervals (TestSequentialOneSided{Greater,Lesser}TTest)', () => {
    const o = { sequentialTau: 5000 }
    expect(rounded(sequentialTest(A3000, B, { ...o, relative: true, sides: 'greater' }))).toEqual({ estimate: 0.50336, ci: [-0.42356, Infinity], se: 0.33341, p: 0.4999 })
    expect(rounded(sequentialTest(A3000, B, { ...o, relative: true, sides: 'less' }))).toEqual({ estimate: 0.50336, ci: [-Infinity, 1.43029], se: 0.33341, p: 0.4999 })
    expect(rounded(sequentialTest(A3000, B, { ...o, sides: 'less' }))).toEqual({ estimate: 0.23438, ci: [-Infinity, 0.59532], se: 0.12983, p: 0.4999 })
  })
  it('one-sided p-value is the α at which the bound touches 0 (gbstats bisects to 0.46316)', () => {
    const r = sequentialTest(A3000, B, { sequentialTau: 5000, sides: 'greater' })
    expect(r5(r.ci[0])).toBeCloseTo(-0.12657, 5)
    expect(Math.abs(r.p - 0.46316491943359384)).toBeLessThan(2e-4)
    const n = 6461
    const bound = r.estimate - sequentialIntervalHalfwidthOneSided(r.se ** 2 * n, n, 5000, r.p, sequentialRho(0.05, 5000, false))
    expect(Math.abs(bound)).toBeLessThan(1e-12)
  })
  it('two-sided p-value and interval agree: p < α exactly when 0 is outside the sequence', () => {
    const outcomes = new Set<boolean>()
    for (const shift of [-0.6, -0.2, 0, 0.1, 0.2, 0.3, 0.4, 0.6]) {
      // Shift every unit of B by `shift`: Σ → Σ + n·shift, Σ² → Σ² + 2·shift·Σ + n·shift².
      const b = sampleMean(3461, 2422.7 + 3461 * shift, 134698.29 + 2 * shift * 2422.7 + 3461 * shift ** 2)
      const r = sequentialTest(A3000, b, { sequentialTau: 5000 })
      expect(r.p < 0.05).toBe(r.ci[0] > 0 || r.ci[1] < 0)
      outcomes.add(r.p < 0.05)
    }
    expect(outcomes.size).toBe(2)
  })
  it('the interval is narrowest when τ is near the sample size (test_sequential_test_tuning_as_expected)', () => {
    expect(width(6461)).toBeLessThan(width(10000))
    expect(width(10000)).toBeLessThan(width(10))
  })
})

/** Width of the relative sequential interval for the A3000/B fixture at tuning parameter τ. */
function width(tau: number): number {
  const r = sequentialTest(A3000, B, { relative: true, sequentialTau: tau })
  return r.ci[1] - r.ci[0]
}

describe('effect moments', () => {
  it('relative variance is the delta method for (B̄ − Ā)/Ā with independent arms', () => {
    const m = effectMoments(A3407, B, true)
    const [ma, mb] = [1396.87 / 3407, 2422.7 / 3461]
    const va = (52377.9767 - 1396.87 ** 2 / 3407) / 3406 / 3407
    const vb = (134698.29 - 2422.7 ** 2 / 3461) / 3460 / 3461
    expect(m.se ** 2).toBeCloseTo(vb / ma ** 2 + (va * mb ** 2) / ma ** 4, 14)
  })
})
