import { describe, it, expect } from 'vitest'
import { capValue, cappedArms, cappedSufficientStats, quantile } from './capping'

describe('outlier capping', () => {
  it('quantile is linear interpolation (type 7; numpy.percentile gives 3.5, 6.9, 8.79)', () => {
    const x = [3, 1, 4, 1, 5, 9, 2, 6]
    expect(quantile(x, 0.5)).toBeCloseTo(3.5, 14)
    expect(quantile(x, 0.9)).toBeCloseTo(6.9, 14)
    expect(quantile(x, 0.99)).toBeCloseTo(8.79, 14)
    expect(quantile(x, 0)).toBe(1)
    expect(quantile(x, 1)).toBe(9)
  })

  it('caps values above an absolute cap before summing', () => {
    expect(cappedSufficientStats([1, 2, 50], 10)).toEqual({ n: 3, sum: 13, sum_squares: 105, cap: 10, capped: 1 })
    expect(cappedSufficientStats([1, 2, 3])).toEqual({ n: 3, sum: 6, sum_squares: 14, cap: Infinity, capped: 0 })
  })

  it('percentile caps, optionally ignoring zeros; the smaller of two caps wins', () => {
    const x = [0, 0, 0, 0, 2, 4, 6, 100]
    expect(capValue(x, { percentile: 0.5 })).toBe(1)
    expect(capValue(x, { percentile: 0.5, ignoreZeros: true })).toBe(5)
    expect(capValue(x, { percentile: 0.5, ignoreZeros: true, absolute: 3 })).toBe(3)
  })

  it('one cap pooled over all arms is applied to every arm', () => {
    const arms = cappedArms([[1, 2, 3, 4], [5, 6, 7, 800]], { percentile: 0.75 })
    // pooled sorted 1..7, 800: h = 7·0.75 = 5.25 → 6 + 0.25·(7 − 6) = 6.25
    expect(arms[0]).toMatchObject({ cap: 6.25, sum: 10, capped: 0 })
    expect(arms[1]).toMatchObject({ cap: 6.25, sum: 5 + 6 + 6.25 + 6.25, sum_squares: 25 + 36 + 2 * 6.25 ** 2, capped: 2 })
  })
})
