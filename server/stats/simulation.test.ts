import { describe, it, expect } from 'vitest'
import { sampleMean, type SampleMeanStat } from './statistics'
import { sequentialTest, tTest, type TestOptions } from './tests'
import { rng as mulberry32 } from '../../segments/testing/random.js'


/** Standard normal draws by Box–Muller. */
function normals(rand: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
}

/** Running sufficient statistics of one arm. */
class Arm {
  n = 0
  sum = 0
  sumSquares = 0
  add(x: number) {
    this.n++
    this.sum += x
    this.sumSquares += x * x
  }
  stat(): SampleMeanStat {
    return sampleMean(this.n, this.sum, this.sumSquares)
  }
}

const SIMS = 2000
const ALPHA = 0.05

/** Fraction of A/A experiments (both arms N(10, 3²)) rejected at α, by any of the `looks`. */
function aaRejectionRate(seed: number, looks: number[], test: (a: SampleMeanStat, b: SampleMeanStat) => number): number {
  const z = normals(mulberry32(seed))
  let rejected = 0
  for (let s = 0; s < SIMS; s++) {
    const a = new Arm()
    const b = new Arm()
    let hit = false
    for (const n of looks) {
      while (a.n < n) {
        a.add(10 + 3 * z())
        b.add(10 + 3 * z())
      }
      if (test(a.stat(), b.stat()) < ALPHA) hit = true
    }
    if (hit) rejected++
  }
  return rejected / SIMS
}

const fixed = (o: TestOptions) => (a: SampleMeanStat, b: SampleMeanStat) => tTest(a, b, { alpha: ALPHA, ...o }).p
const sequential = (o: TestOptions) => (a: SampleMeanStat, b: SampleMeanStat) => sequentialTest(a, b, { alpha: ALPHA, ...o }).p

describe('A/A false-positive rate (2,000 seeded simulations)', () => {
  it('Welch t test rejects about α of A/A tests, absolute and relative', () => {
    const abs = aaRejectionRate(20240601, [100], fixed({}))
    const rel = aaRejectionRate(20240602, [100], fixed({ relative: true }))
    for (const rate of [abs, rel]) {
      expect(rate).toBeGreaterThanOrEqual(0.03)
      expect(rate).toBeLessThanOrEqual(0.07)
    }
  })

  it('one-sided tests also have size α', () => {
    const rate = aaRejectionRate(20240603, [100], fixed({ sides: 'greater' }))
    expect(rate).toBeGreaterThanOrEqual(0.03)
    expect(rate).toBeLessThanOrEqual(0.07)
  })

  it('the sequential test at a single look rejects well below α', () => {
    const rate = aaRejectionRate(20240604, [100], sequential({ sequentialTau: 200 }))
    expect(rate).toBeLessThan(0.025)
  })

  it('under 20 peeks the fixed test inflates the error rate, the always-valid test stays below α', () => {
    const looks = Array.from({ length: 20 }, (_, i) => 25 * (i + 1))
    const peekingFixed = aaRejectionRate(20240605, looks, fixed({}))
    const peekingSequential = aaRejectionRate(20240605, looks, sequential({ sequentialTau: 1000 }))
    expect(peekingFixed).toBeGreaterThan(0.1)
    expect(peekingSequential).toBeLessThanOrEqual(ALPHA)
  })
})
