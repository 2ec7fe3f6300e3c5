import { describe, it, expect } from 'vitest'
import {
  computeTheta,
  computeThetaRatio,
  covariance,
  cuped,
  proportion,
  ratio,
  sampleMean,
  statMean,
  statVariance,
  unadjustedMean,
  withTheta,
  type CupedRatioStat,
} from './statistics'

// Every expected value here is computed from raw unit-level data by the textbook formula,
// independently of the sufficient-statistic algebra under test.
const sum = (x: number[]) => x.reduce((t, v) => t + v, 0)
const mean = (x: number[]) => sum(x) / x.length
const dot = (x: number[], y: number[]) => sum(x.map((v, i) => v * y[i]))
const sampleCov = (x: number[], y: number[]) => {
  const mx = mean(x)
  const my = mean(y)
  return sum(x.map((v, i) => (v - mx) * (y[i] - my))) / (x.length - 1)
}
const sampleVar = (x: number[]) => sampleCov(x, x)
const meanStat = (x: number[]) => sampleMean(x.length, sum(x), dot(x, x))

describe('mean and proportion statistics', () => {
  it('mean metric: mean and n − 1 sample variance (gbstats test_shared_models inputs)', () => {
    const x = [0.3, 0.5, 0.9, 22]
    const s = meanStat(x)
    expect(statMean(s)).toBeCloseTo(mean(x), 14)
    expect(statVariance(s)).toBeCloseTo(sampleVar(x), 12)
  })

  it('proportion: Bernoulli variance p(1 − p), as gbstats', () => {
    const s = proportion(4, 3)
    expect(statMean(s)).toBe(0.75)
    expect(statVariance(s)).toBeCloseTo(0.75 * 0.25, 15)
  })

  it('degenerate samples have zero variance', () => {
    expect(statVariance(sampleMean(1, 5, 25))).toBe(0)
    expect(statMean(sampleMean(0, 0, 0))).toBe(0)
  })
})

describe('ratio statistic (delta method)', () => {
  const m = [0.3, 0.5, 0.9, 22, 4.1]
  const d = [2, 1, 5, 3, 2]
  const s = ratio(meanStat(m), meanStat(d), dot(m, d))

  it('covariance equals the sample covariance of the raw pairs', () => {
    expect(covariance(m.length, meanStat(m), meanStat(d), dot(m, d))).toBeCloseTo(sampleCov(m, d), 12)
  })

  it('mean is Σm/Σd and variance the linearized (m − R d)/μ_d variance', () => {
    const r = sum(m) / sum(d)
    expect(statMean(s)).toBeCloseTo(r, 14)
    // Delta method: Var(M/D) ≈ Var(m − R·d) / μ_d², the variance of the linearized unit values.
    const linearized = m.map((v, i) => v - r * d[i])
    expect(statVariance(s)).toBeCloseTo(sampleVar(linearized) / mean(d) ** 2, 12)
  })
})

describe('CUPED statistic', () => {
  // Two arms of post (y) and pre (x) values.
  const ya = [5, 7, 6, 9, 4, 8, 6]
  const xa = [4, 6, 6, 8, 3, 7, 5]
  const yb = [7, 8, 9, 6, 10, 8]
  const xb = [5, 6, 8, 5, 8, 6]
  const a = cuped(meanStat(ya), meanStat(xa), dot(ya, xa))
  const b = cuped(meanStat(yb), meanStat(xb), dot(yb, xb))

  it('θ is the pooled OLS slope of post on pre over all arms', () => {
    const y = [...ya, ...yb]
    const x = [...xa, ...xb]
    expect(computeTheta([a, b])).toBeCloseTo(sampleCov(y, x) / sampleVar(x), 12)
  })

  it('adjusted mean and variance equal those of the unit values y − θx', () => {
    const theta = computeTheta([a, b])
    const adjA = withTheta(a, theta)
    const adjusted = ya.map((v, i) => v - theta * xa[i])
    expect(statMean(adjA)).toBeCloseTo(mean(adjusted), 12)
    expect(statVariance(adjA)).toBeCloseTo(sampleVar(adjusted), 12)
    expect(unadjustedMean(adjA)).toBeCloseTo(mean(ya), 14)
    // The pooled θ minimizes the pooled variance, so CUPED never increases it here.
    expect(statVariance(adjA)).toBeLessThan(sampleVar(ya))
  })

  it('θ = 0 (constant pre-period) reverts to the unadjusted statistic, as gbstats', () => {
    const flat = cuped(meanStat(ya), meanStat(ya.map(() => 1)), sum(ya))
    const theta = computeTheta([flat, flat])
    expect(theta).toBe(0)
    expect(withTheta(flat, theta)).toEqual(meanStat(ya))
  })

  it('proportion CUPED uses plug-in moments, consistently with p(1 − p)', () => {
    const post = [1, 0, 1, 1, 0, 0, 1, 0]
    const pre = [1, 0, 1, 0, 0, 0, 1, 1]
    const s = cuped(proportion(8, sum(post)), proportion(8, sum(pre)), dot(post, pre))
    const plugInCov = dot(post, pre) / 8 - mean(post) * mean(pre)
    const plugInVarPre = mean(pre) * (1 - mean(pre))
    expect(computeTheta([s])).toBeCloseTo(plugInCov / plugInVarPre, 14)
  })
})

describe('ratio CUPED statistic', () => {
  // Unit-level (mPost, dPost, mPre, dPre).
  const rows = [
    [3, 2, 2.5, 2],
    [5, 3, 4, 3],
    [1, 1, 1.5, 1],
    [8, 4, 6, 4],
    [2, 2, 2, 1],
    [6, 3, 5, 3],
  ]
  const col = (j: number) => rows.map((r) => r[j])
  const [mPost, dPost, mPre, dPre] = [0, 1, 2, 3].map(col)
  const s: CupedRatioStat = {
    kind: 'cuped_ratio',
    n: rows.length,
    numPost: meanStat(mPost),
    denPost: meanStat(dPost),
    numPre: meanStat(mPre),
    denPre: meanStat(dPre),
    sumNumPostNumPre: dot(mPost, mPre),
    sumDenPostDenPre: dot(dPost, dPre),
    sumNumPreDenPre: dot(mPre, dPre),
    sumNumPostDenPost: dot(mPost, dPost),
    sumNumPostDenPre: dot(mPost, dPre),
    sumNumPreDenPost: dot(mPre, dPost),
    theta: 0,
  }

  it('variance is the variance of the linearized unit values, and θ is their OLS slope', () => {
    // Linearize R_post = Σm/Σd and R_pre: u_i = (m_i − R d_i)/d̄ (delta method).
    const rPost = sum(mPost) / sum(dPost)
    const rPre = sum(mPre) / sum(dPre)
    const uPost = mPost.map((v, i) => (v - rPost * dPost[i]) / mean(dPost))
    const uPre = mPre.map((v, i) => (v - rPre * dPre[i]) / mean(dPre))
    const theta = computeThetaRatio([s])
    expect(theta).toBeCloseTo(sampleCov(uPost, uPre) / sampleVar(uPre), 12)
    const adj = withTheta(s, theta)
    expect(statMean(adj)).toBeCloseTo(rPost - theta * rPre, 12)
    expect(statVariance(adj)).toBeCloseTo(sampleVar(uPost.map((v, i) => v - theta * uPre[i])), 12)
  })

  it('a negligible θ reverts to the plain ratio statistic', () => {
    expect(withTheta(s, 1e-10).kind).toBe('ratio')
  })
})
