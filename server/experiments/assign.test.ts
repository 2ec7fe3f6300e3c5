import { describe, expect, it } from 'vitest'
import { assign, blockCounts, seededHash, type AssignUnit } from './assign.js'

// 600 stores in 3 cities and 40 distributors, with pre-period sell-through 0..99.
const CITIES = ['潍坊市', '青岛市', '济南市']
const units: AssignUnit[] = Array.from({ length: 600 }, (_, i) => ({
  id: `S${String(i).padStart(4, '0')}`,
  city: CITIES[i % 3],
  pre: (i * 37) % 100,
  distributor: `D${i % 40}`,
}))
const ARMS_2 = [{ name: 'control', weight: 1 }, { name: 'b', weight: 1 }]
const ARMS_3 = [{ name: 'control', weight: 0.5 }, { name: 'b', weight: 0.3 }, { name: 'c', weight: 0.2 }]
const opts = { experimentId: 'exp_test', arms: ARMS_2, stratify: true, clusterByDistributor: false }

const countBy = <T,>(xs: T[], key: (x: T) => string) => {
  const m = new Map<string, number>()
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1)
  return m
}

describe('seeded hash', () => {
  it('is stable and roughly uniform', () => {
    expect(seededHash('exp_1', 'S0001')).toBe(seededHash('exp_1', 'S0001'))
    expect(seededHash('exp_1', 'S0001')).not.toBe(seededHash('exp_2', 'S0001'))
    // χ² over 10 bins of 10,000 keys: df 9, 99.9% quantile 27.9.
    const bins = Array.from({ length: 10 }, () => 0)
    for (let i = 0; i < 10_000; i++) bins[Math.floor(seededHash('seed', `k${i}`) * 10)]++
    const x2 = bins.reduce((t, b) => t + (b - 1000) ** 2 / 1000, 0)
    expect(x2).toBeLessThan(27.9)
  })
})

describe('block counts', () => {
  it('gives each arm ⌊n·w⌋ and spreads the remainder with probability equal to the fraction', () => {
    expect(blockCounts(10, [1, 1], 0.3, [0, 1])).toEqual([5, 5])
    // 10 units, weights 1:1:1 → 3.33 each: one arm gets 4, each with probability 1/3.
    const extra = [0, 0, 0]
    for (let i = 0; i < 300; i++) {
      const c = blockCounts(10, [1, 1, 1], (i + 0.5) / 300, [0, 1, 2])
      expect(c.reduce((a, b) => a + b)).toBe(10)
      c.forEach((x, k) => (extra[k] += x - 3))
    }
    expect(extra).toEqual([100, 100, 100])
    // 7 units at 0.5/0.3/0.2 → quotas 3.5, 2.1, 1.4: r = 1, P(+1) = 0.5, 0.1, 0.4.
    const got = [0, 0, 0]
    for (let i = 0; i < 1000; i++) blockCounts(7, [0.5, 0.3, 0.2], (i + 0.5) / 1000, [2, 0, 1]).forEach((x, k) => (got[k] += x - [3, 2, 1][k]))
    expect(got).toEqual([500, 100, 400])
  })
})

describe('assignment', () => {
  it('is deterministic: same experiment id → same arms whatever the input order; another id → another draw', () => {
    const a = assign(units, opts)
    const b = assign([...units].reverse(), opts)
    expect(b).toEqual(a)
    const c = assign(units, { ...opts, experimentId: 'exp_other' })
    const differ = a.filter((x, i) => x.arm !== c[i].arm).length
    expect(differ).toBeGreaterThan(200) // about half of 600
    expect(differ).toBeLessThan(400)
  })

  it.each([
    ['two arms 1:1', ARMS_2],
    ['three arms 0.5/0.3/0.2', ARMS_3],
  ])('puts each stratum (city × pre tercile) within one unit of its weights: %s', (_name, arms) => {
    const rows = assign(units, { ...opts, arms })
    const total = arms.reduce((t, a) => t + a.weight, 0)
    const strata = countBy(rows, (r) => r.stratum)
    expect(strata.size).toBe(9) // 3 cities × 3 terciles
    for (const [stratum, n] of strata) {
      const inStratum = rows.filter((r) => r.stratum === stratum)
      for (const arm of arms) {
        const got = inStratum.filter((r) => r.arm === arm.name).length
        expect(Math.abs(got - (n * arm.weight) / total)).toBeLessThan(1)
      }
    }
    // Terciles are terciles: the pre values of tercile 1 lie below those of tercile 3.
    const t = (k: number) => rows.filter((r) => r.stratum.endsWith(`t${k}`)).map((r) => r.pre_value)
    expect(Math.max(...t(1))).toBeLessThanOrEqual(Math.min(...t(3)))
  })

  it('keeps every distributor whole when clustered, and balances clusters within strata', () => {
    const rows = assign(units, { ...opts, clusterByDistributor: true })
    const byDist = new Map<string, Set<string>>()
    for (const r of rows) byDist.set(r.cluster_id, (byDist.get(r.cluster_id) ?? new Set()).add(r.arm))
    expect(byDist.size).toBe(40)
    for (const arms of byDist.values()) expect(arms.size).toBe(1)
    const clusters = new Map(rows.map((r) => [r.cluster_id, r]))
    for (const [stratum, n] of countBy([...clusters.values()], (r) => r.stratum)) {
      const control = [...clusters.values()].filter((r) => r.stratum === stratum && r.arm === 'control').length
      expect(Math.abs(control - n / 2)).toBeLessThan(1)
    }
    // A store without a distributor is its own cluster.
    const solo = assign([...units.slice(0, 10), { id: 'LONE', city: '潍坊市', pre: 1, distributor: '' }], { ...opts, clusterByDistributor: true })
    expect(solo.find((r) => r.unit_id === 'LONE')?.cluster_id).toBe('LONE')
  })

  it('without stratification splits the whole audience by the weights', () => {
    const rows = assign(units, { ...opts, arms: ARMS_3, stratify: false })
    expect(new Set(rows.map((r) => r.stratum))).toEqual(new Set(['all']))
    const c = countBy(rows, (r) => r.arm)
    expect(Math.abs(c.get('control')! - 300)).toBeLessThan(1)
    expect(Math.abs(c.get('b')! - 180)).toBeLessThan(1)
    expect(Math.abs(c.get('c')! - 120)).toBeLessThan(1)
  })

  it('refuses a unit listed twice', () => {
    expect(() => assign([units[0], units[0]], opts)).toThrow(/twice/)
  })
})
