import { describe, it, expect } from 'vitest'
import { adjustPValues, benjaminiHochberg, holm } from './corrections'

describe('multiple-comparison corrections', () => {
  // Hand example, p = [0.01, 0.04, 0.03, 0.005], m = 4. Sorted: 0.005, 0.01, 0.03, 0.04.
  const p = [0.01, 0.04, 0.03, 0.005]

  it('Holm: (m − i + 1)·p₍ᵢ₎ = 0.02, 0.03, 0.06, 0.04, made monotone → 0.02, 0.03, 0.06, 0.06', () => {
    const adj = holm(p)
    ;[0.03, 0.06, 0.06, 0.02].forEach((e, i) => expect(adj[i]).toBeCloseTo(e, 15))
  })

  it('Benjamini–Hochberg: m·p₍ᵢ₎/i = 0.02, 0.02, 0.04, 0.04', () => {
    const adj = benjaminiHochberg(p)
    ;[0.02, 0.04, 0.04, 0.02].forEach((e, i) => expect(adj[i]).toBeCloseTo(e, 15))
  })

  it('step-up min is needed: BH of [0.01, 0.02, 0.028] is 0.028 for all', () => {
    // m·p/i = 0.03, 0.03, 0.028 → running min from the top gives 0.028 everywhere.
    benjaminiHochberg([0.02, 0.01, 0.028]).forEach((x) => expect(x).toBeCloseTo(0.028, 15))
  })

  it('adjusted p-values are monotone in the raw ones, ≥ raw, ≤ 1, and Holm ≥ BH', () => {
    const raw = [0.2, 0.001, 0.04, 0.04, 0.9, 0.3, 0.012]
    const h = holm(raw)
    const b = benjaminiHochberg(raw)
    const idx = raw.map((_, i) => i).sort((i, j) => raw[i] - raw[j])
    for (let k = 1; k < idx.length; k++) {
      expect(h[idx[k]]).toBeGreaterThanOrEqual(h[idx[k - 1]])
      expect(b[idx[k]]).toBeGreaterThanOrEqual(b[idx[k - 1]])
    }
    raw.forEach((x, i) => {
      expect(h[i]).toBeGreaterThanOrEqual(x)
      expect(b[i]).toBeGreaterThanOrEqual(x)
      expect(h[i]).toBeLessThanOrEqual(1)
      expect(h[i]).toBeGreaterThanOrEqual(b[i])
    })
    expect(holm([0.6, 0.7])).toEqual([1, 1])
  })

  it('"none" returns the raw p-values; invalid p-values are rejected', () => {
    expect(adjustPValues(p, 'none')).toEqual(p)
    expect(() => holm([0.1, 1.2])).toThrow(RangeError)
  })
})
