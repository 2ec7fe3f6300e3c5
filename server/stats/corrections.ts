/**
 * Multiple-comparison corrections across arms and metrics: adjusted p-values that can
 * be compared with α directly.
 */

/** Correction method: none, Holm (family-wise error rate) or Benjamini–Hochberg (false discovery rate). */
export type Correction = 'none' | 'holm' | 'bh'

function order(p: number[]): number[] {
  for (const x of p) if (!(x >= 0 && x <= 1)) throw new RangeError(`p-values must be in [0, 1] (got ${x})`)
  return p.map((_, i) => i).sort((i, j) => p[i] - p[j] || i - j)
}

/**
 * Holm's step-down adjustment (Holm 1979): with p sorted ascending,
 * p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1) p₍ⱼ₎). Controls the family-wise error rate under
 * any dependence and is uniformly more powerful than Bonferroni.
 * @example holm([0.01, 0.04, 0.03]) // [0.03, 0.06, 0.06]
 */
export function holm(p: number[]): number[] {
  const m = p.length
  const idx = order(p)
  const out: number[] = Array.from({ length: m }, () => 0)
  let running = 0
  idx.forEach((i, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p[i]))
    out[i] = running
  })
  return out
}

/**
 * Benjamini–Hochberg step-up adjustment (Benjamini & Hochberg 1995):
 * p̃₍ᵢ₎ = min_{j ≥ i} min(1, m p₍ⱼ₎ / j). Controls the false discovery rate for independent
 * or positively dependent tests (arms sharing a control are positively dependent).
 * @example benjaminiHochberg([0.01, 0.04, 0.03]) // [0.03, 0.04, 0.04]
 */
export function benjaminiHochberg(p: number[]): number[] {
  const m = p.length
  const idx = order(p)
  const out: number[] = Array.from({ length: m }, () => 0)
  let running = 1
  for (let rank = m - 1; rank >= 0; rank--) {
    const i = idx[rank]
    running = Math.min(running, Math.min(1, (m * p[i]) / (rank + 1)))
    out[i] = running
  }
  return out
}

/**
 * Adjusts a family of p-values (e.g. every treatment arm × every metric of an
 * experiment) in their input order.
 */
export function adjustPValues(p: number[], method: Correction): number[] {
  if (method === 'holm') return holm(p)
  if (method === 'bh') return benjaminiHochberg(p)
  return p.slice()
}
