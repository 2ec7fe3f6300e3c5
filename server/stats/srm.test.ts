import { describe, it, expect } from 'vitest'
import { checkSrm, srm } from './srm'

describe('sample-ratio mismatch', () => {
  it('matches gbstats test_srm: check_srm([1000, 1200], [0.5, 0.5]) = 0.000020079', () => {
    expect(Math.round(checkSrm([1000, 1200], [0.5, 0.5]) * 1e9) / 1e9).toBe(0.000020079)
    expect(checkSrm([1000, 1200])).toBeCloseTo(checkSrm([1000, 1200], [0.5, 0.5]), 15) // default: equal weights
  })

  it('three arms with unequal weights: χ² by hand, p from scipy chisquare', () => {
    // expected 300, 300, 400 → χ² = 100/300 + 1600/300 + 2500/400 = 11.91667 on 2 df, p = e^(−χ²/2).
    const x2 = 100 / 300 + 1600 / 300 + 2500 / 400
    expect(checkSrm([310, 340, 350], [0.3, 0.3, 0.4])).toBeCloseTo(Math.exp(-x2 / 2), 14)
    expect(checkSrm([310, 340, 350], [3, 3, 4])).toBeCloseTo(0.0025842154105164676, 14)
  })

  it('no users → p = 1; a balanced split → p = 1', () => {
    expect(checkSrm([0, 0])).toBe(1)
    expect(checkSrm([500, 500])).toBe(1)
  })

  it('validates its input', () => {
    expect(() => srm({ users: [1, 2], weights: [1] })).toThrow(/weights/)
    expect(srm({ users: [1000, 1200] }).p).toBeCloseTo(0.000020079, 9)
  })
})
