import { describe, it, expect } from 'vitest'
import { criticalValue, effectStandardError, minimumDetectableEffect, powerAt, sampleSizeForEffect, type PowerDesign } from './power'
import { plan } from './plan'
import { sequentialIntervalHalfwidth, sequentialIntervalHalfwidthOneSided } from './tests'

const Z975 = 1.959963984540054
const Z80 = 0.8416212335729143

describe('fixed-horizon power', () => {
  const abs: PowerDesign = { mean: 10, variance: 100, relative: false }

  it('absolute MDE is (z₁₋α/₂ + z_power)·√(2σ²/n)', () => {
    expect(minimumDetectableEffect(abs, 1000)).toBeCloseTo((Z975 + Z80) * Math.sqrt(0.2), 12)
    expect(minimumDetectableEffect({ ...abs, sides: 'less' }, 1000)).toBeCloseTo(-(1.6448536269514722 + Z80) * Math.sqrt(0.2), 12)
  })

  it('textbook sample size: 10% → 12% conversion needs 2(z + z)²p(1 − p)/δ² per arm', () => {
    const d: PowerDesign = { mean: 0.1, variance: 0.09, relative: false }
    const n = sampleSizeForEffect(d, 0.02)
    expect(n).toBeCloseTo((2 * (Z975 + Z80) ** 2 * 0.09) / 0.02 ** 2, 8) // ≈ 3532
    expect(Math.ceil(n)).toBe(3532)
  })

  it('relative MDE solves |δ|/se(δ) = z + z_power with the delta-method se', () => {
    const d: PowerDesign = { mean: 0.1, variance: 0.09 }
    const mde = minimumDetectableEffect(d, 10000)
    const se = Math.sqrt((0.09 * (1 + (1 + mde) ** 2)) / (10000 * 0.01))
    expect(mde / se).toBeCloseTo(Z975 + Z80, 12)
    expect(effectStandardError(d, 10000, mde)).toBeCloseTo(se, 15)
    expect(() => minimumDetectableEffect(d, 10)).toThrow(RangeError) // no relative MDE exists
  })

  it('CUPED divides the needed sample by 1/(1 − ρ²)', () => {
    expect(sampleSizeForEffect({ ...abs, cupedR2: 0.36 }, 1)).toBeCloseTo(0.64 * sampleSizeForEffect(abs, 1), 9)
  })

  it('power at the MDE is the target (plus the negligible opposite tail when two-sided)', () => {
    const d: PowerDesign = { mean: 3, variance: 4, power: 0.9, sides: 'greater' }
    expect(powerAt(d, 500, minimumDetectableEffect(d, 500))).toBeCloseTo(0.9, 12)
    const two = powerAt(abs, 1000, minimumDetectableEffect(abs, 1000))
    expect(two - 0.8).toBeGreaterThan(0)
    expect(two - 0.8).toBeLessThan(1e-5)
    expect(powerAt(abs, 1000, 0)).toBeCloseTo(0.05, 12) // size of the test
  })
})

describe('sequential power', () => {
  it('critical value × se is the confidence-sequence half-width at N = 2n', () => {
    const d: PowerDesign = { mean: 1, variance: 2, relative: false, sequentialTau: 5000 }
    const n = 1500
    const se = effectStandardError(d, n, 0.1)
    expect(criticalValue(d, n) * se).toBeCloseTo(sequentialIntervalHalfwidth(se * se * 2 * n, 2 * n, 5000, 0.05), 12)
    const one = { ...d, sides: 'greater' as const }
    expect(criticalValue(one, n) * se).toBeCloseTo(sequentialIntervalHalfwidthOneSided(se * se * 2 * n, 2 * n, 5000, 0.05), 12)
    expect(criticalValue(d, n)).toBeGreaterThan(Z975)
  })

  it('sequential designs need more units than fixed ones for the same MDE', () => {
    const fixed: PowerDesign = { mean: 0.1, variance: 0.09 }
    expect(sampleSizeForEffect({ ...fixed, sequentialTau: 5000 }, 0.05)).toBeGreaterThan(1.3 * sampleSizeForEffect(fixed, 0.05))
  })
})

describe('MDE ↔ sample size round trip', () => {
  const designs: PowerDesign[] = [
    { mean: 10, variance: 100, relative: false },
    { mean: 0.1, variance: 0.09 },
    { mean: 0.1, variance: 0.09, sides: 'less', cupedR2: 0.3 },
    { mean: 0.1, variance: 0.09, sequentialTau: 5000 },
    { mean: 52, variance: 1e4, relative: false, sequentialTau: 20000, sides: 'greater', alpha: 0.1, numTests: 3 },
  ]
  it.each(designs.map((d, i) => [i, d] as const))('design %i: n(MDE(n)) = n', (_, d) => {
    for (const n of [800, 3000, 25000]) {
      const mde = minimumDetectableEffect(d, n)
      expect(sampleSizeForEffect(d, mde) / n).toBeCloseTo(1, 8)
    }
  })

  it('through the CLI-shaped plan(): MDE at 10,000 per arm gives back 10,000', () => {
    const base = { metric: 'proportion' as const, p: 0.1, arms: 3, sequential_tau: 8000, cuped_r2: 0.2 }
    const forward = plan({ ...base, n_per_arm: 10000 })
    const back = plan({ ...base, mde: forward.mde })
    expect(back.n_per_arm).toBe(10000)
    expect(back.n_total).toBe(30000)
    expect(back.power).toBeCloseTo(forward.power, 6)
  })
})
