import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { analyze } from './analyze'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
// In CI the repo is cloned elsewhere with shared/ as its sibling.
const COOKIE_CATS = path.resolve(repoRoot, '../shared/datasets/cookie_cats.csv')

function cli(command: string, input: unknown) {
  const r = spawnSync('npx', ['tsx', 'server/cli/stats.ts', command], {
    cwd: repoRoot,
    input: typeof input === 'string' ? input : JSON.stringify(input),
    encoding: 'utf8',
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) }
}

// Independent normal CDF for expected values: Abramowitz & Stegun 7.1.26 (|error| < 1.5e−7).
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2
  const t = 1 / (1 + 0.3275911 * z)
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z)
  return x >= 0 ? 1 - erfc / 2 : erfc / 2
}

const total = (v: number[]) => v.reduce((t, x) => t + x, 0)
const dot = (u: number[], v: number[]) => total(u.map((x, i) => x * v[i]))
const avg = (v: number[]) => total(v) / v.length
const sampleVariance = (v: number[]) => total(v.map((t) => (t - avg(v)) ** 2)) / (v.length - 1)
const ratioOf = (y: number[], x: number[]) => total(y) / total(x)
/** Two-arm mean-metric input from sufficient statistics. */
const meanInput = (a: { n: number; sum: number; sum_squares: number }, b: { n: number; sum: number; sum_squares: number }) => ({
  metric: 'mean' as const,
  arms: [{ name: 'gate_30', ...a }, { name: 'gate_40', ...b }],
})

describe('cookie_cats (90,189 players, gate_30 vs gate_40) through the CLI', () => {
  const lines = readFileSync(COOKIE_CATS, 'utf8').trim().split(/\r?\n/)
  const header = lines[0].split(',')
  const col = (name: string) => header.indexOf(name)
  const arms = new Map<string, { n: number; rounds: number; rounds2: number; r1: number; r7: number; values: number[] }>()
  for (const line of lines.slice(1)) {
    const f = line.split(',')
    const version = f[col('version')]
    if (!arms.has(version)) arms.set(version, { n: 0, rounds: 0, rounds2: 0, r1: 0, r7: 0, values: [] })
    const a = arms.get(version)!
    const rounds = Number(f[col('sum_gamerounds')])
    a.n++
    a.rounds += rounds
    a.rounds2 += rounds * rounds
    a.values.push(rounds)
    if (f[col('retention_1')] === 'TRUE') a.r1++
    if (f[col('retention_7')] === 'TRUE') a.r7++
  }
  const g30 = arms.get('gate_30')!
  const g40 = arms.get('gate_40')!

  it('has the known arm sizes', () => {
    expect([g30.n, g40.n]).toEqual([44700, 45489])
  })

  it('retention_7 drops from 0.19020 to 0.18200: unpooled two-proportion z test by hand', () => {
    const out = cli('analyze', {
      metric: 'proportion', relative: false, alpha: 0.05, sides: 'two', cuped: false, sequential_tau: null, correction: 'none',
      arms: [{ name: 'gate_30', n: g30.n, sum: g30.r7 }, { name: 'gate_40', n: g40.n, sum: g40.r7 }],
    })
    expect(out.status).toBe(0)
    const res = out.json()
    const [p1, p2] = [g30.r7 / g30.n, g40.r7 / g40.n]
    expect(p1).toBeCloseTo(0.1902, 4)
    expect(p2).toBeCloseTo(0.182, 4)
    const se = Math.sqrt((p1 * (1 - p1)) / g30.n + (p2 * (1 - p2)) / g40.n)
    const z = (p2 - p1) / se
    expect(z).toBeCloseTo(-3.1644, 3)
    expect(res.arms).toEqual([{ name: 'gate_30', n: 44700, mean: p1 }, { name: 'gate_40', n: 45489, mean: p2 }])
    const c = res.comparisons[0]
    expect(c.arm).toBe('gate_40')
    expect(c.estimate).toBeCloseTo(p2 - p1, 14)
    expect(c.se).toBeCloseTo(se, 14)
    // Welch t on ~90,000 df vs the textbook z: identical to ~1e−7.
    expect(Math.abs(c.p - 2 * phi(-Math.abs(z)))).toBeLessThan(1e-6)
    expect(c.p).toBeLessThan(0.002)
    expect((c.ci[1] - c.estimate) / (1.959963984540054 * se)).toBeCloseTo(1, 4)
    // SRM: χ² = Σ(o − e)²/e on 1 df, p = 2(1 − Φ(√χ²)); the well-known 0.0086 for this dataset.
    const e = (g30.n + g40.n) / 2
    const x2 = ((g30.n - e) ** 2 + (g40.n - e) ** 2) / e
    expect(Math.abs(res.srm_p - 2 * phi(-Math.sqrt(x2)))).toBeLessThan(1e-6)
    expect(res.srm_p).toBeCloseTo(0.008607987810836262, 12) // scipy chisquare
  })

  it('retention_7 relative lift is −4.3% with the delta-method se', () => {
    const res = analyze({ metric: 'proportion', relative: true, arms: [{ name: 'gate_30', n: g30.n, sum: g30.r7 }, { name: 'gate_40', n: g40.n, sum: g40.r7 }] })
    const [p1, p2] = [g30.r7 / g30.n, g40.r7 / g40.n]
    const c = res.comparisons[0]
    expect(c.estimate).toBeCloseTo(p2 / p1 - 1, 14)
    expect(c.estimate).toBeCloseTo(-0.0431, 4)
    const varRel = (p2 * (1 - p2)) / g40.n / p1 ** 2 + (p1 * (1 - p1) * p2 ** 2) / g30.n / p1 ** 4
    expect(c.se).toBeCloseTo(Math.sqrt(varRel), 14)
  })

  it('sum_gamerounds: Welch t test equals scipy ttest_ind(equal_var=False) on the raw data', () => {
    const res = analyze({
      metric: 'mean',
      arms: [{ name: 'gate_30', n: g30.n, sum: g30.rounds, sum_squares: g30.rounds2 }, { name: 'gate_40', n: g40.n, sum: g40.rounds, sum_squares: g40.rounds2 }],
    })
    const c = res.comparisons[0]
    expect(c.estimate).toBeCloseTo(51.29877552814966 - 52.45626398210291, 10)
    expect(c.estimate / c.se).toBeCloseTo(-0.885437433127067, 9)
    expect(c.p).toBeCloseTo(0.37592438409326173, 9)
  })

  it('capping the 49,854-round outlier at the pooled 99th percentile shrinks the se', async () => {
    const { cappedArms } = await import('./capping')
    const [c30, c40] = cappedArms([g30.values, g40.values], { percentile: 0.99 })
    const pooled = [...g30.values, ...g40.values].sort((x, y) => x - y)
    const h = (pooled.length - 1) * 0.99
    const lo = Math.floor(h)
    expect(c30.cap).toBeCloseTo(pooled[lo] + (h - lo) * (pooled[lo + 1] - pooled[lo]), 12)
    expect(c30.capped + c40.capped).toBeGreaterThan(800)
    const raw = analyze(meanInput({ n: g30.n, sum: g30.rounds, sum_squares: g30.rounds2 }, { n: g40.n, sum: g40.rounds, sum_squares: g40.rounds2 }))
    const capped = analyze(meanInput(c30, c40))
    expect(capped.comparisons[0].se).toBeLessThan(0.5 * raw.comparisons[0].se)
  })
})

/** An arm whose post metric is y and pre-period (or ratio denominator) is x. */
const arm = (name: string, y: number[], x: number[]) => ({
  name, n: y.length, sum: total(y), sum_squares: dot(y, y), pre_sum: total(x), pre_sum_squares: dot(x, x), sum_post_pre: dot(y, x),
  den_sum: total(x), den_sum_squares: dot(x, x), sum_num_den: dot(y, x),
})

describe('analyze: CUPED, ratio and corrections on hand-checkable data', () => {
  // Units: control y/x and treatment y/x.
  const ya = [5, 7, 6, 9, 4, 8, 6]
  const xa = [4, 6, 6, 8, 3, 7, 5]
  const yb = [7, 8, 9, 6, 10, 8]
  const xb = [5, 6, 8, 5, 8, 6]

  it('CUPED estimate is the difference of the means of y − θx with the pooled OLS θ', () => {
    const y = [...ya, ...yb]
    const x = [...xa, ...xb]
    const my = total(y) / y.length
    const mx = total(x) / x.length
    const theta = total(y.map((v, i) => (v - my) * (x[i] - mx))) / total(x.map((v) => (v - mx) ** 2))
    const adj = (yy: number[], xx: number[]) => yy.map((v, i) => v - theta * xx[i])
    const res = analyze({ metric: 'mean', cuped: true, arms: [arm('a', ya, xa), arm('b', yb, xb)] })
    const c = res.comparisons[0]
    expect(c.estimate).toBeCloseTo(avg(adj(yb, xb)) - avg(adj(ya, xa)), 12)
    expect(c.se).toBeCloseTo(Math.sqrt(sampleVariance(adj(ya, xa)) / 7 + sampleVariance(adj(yb, xb)) / 6), 12)
    expect(res.arms[0].mean).toBeCloseTo(avg(ya), 14) // arms report unadjusted means
    const plain = analyze({ metric: 'mean', arms: [arm('a', ya, xa), arm('b', yb, xb)] })
    expect(c.se).toBeLessThan(plain.comparisons[0].se)
  })

  it('ratio metric: Σy/Σx per arm, delta-method se', () => {
    const res = analyze({ metric: 'ratio', arms: [arm('a', ya, xa), arm('b', yb, xb)] })
    const lin = (y: number[], x: number[]) => y.map((v, i) => (v - ratioOf(y, x) * x[i]) / avg(x))
    expect(res.arms.map((a) => a.mean)).toEqual([ratioOf(ya, xa), ratioOf(yb, xb)])
    expect(res.comparisons[0].estimate).toBeCloseTo(ratioOf(yb, xb) - ratioOf(ya, xa), 14)
    expect(res.comparisons[0].se).toBeCloseTo(Math.sqrt(sampleVariance(lin(ya, xa)) / 7 + sampleVariance(lin(yb, xb)) / 6), 12)
  })

  it('Holm/BH across arms, one-sided null bounds, degenerate arm reported with an error', () => {
    const arms = [
      { name: 'control', n: 2000, sum: 200 },
      { name: 'b', n: 2000, sum: 250 },
      { name: 'c', n: 2000, sum: 215 },
      { name: 'd', n: 2000, sum: 0 },
    ]
    const res = analyze({ metric: 'proportion', sides: 'greater', correction: 'holm', arms })
    const [b, c, dd] = res.comparisons
    expect(b.ci[1]).toBeNull()
    expect(b.ci[0]).not.toBeNull()
    expect(dd).toMatchObject({ arm: 'd', estimate: 0, p: 1, p_adjusted: 1 })
    expect(dd.error).toBeDefined()
    const sorted = [b.p, c.p, dd.p]
    expect(b.p_adjusted).toBeCloseTo(Math.min(1, 3 * b.p), 14) // smallest p × m
    expect(c.p_adjusted).toBeCloseTo(Math.max(3 * b.p, 2 * c.p), 14)
    expect(sorted.every((p) => p >= 0 && p <= 1)).toBe(true)
    const bh = analyze({ metric: 'proportion', correction: 'bh', arms: arms.slice(0, 3) })
    expect(bh.comparisons[1].p_adjusted).toBeCloseTo(Math.max(bh.comparisons[0].p, bh.comparisons[1].p), 14)
    expect(analyze({ metric: 'proportion', arms }).comparisons[0].p_adjusted).toBeUndefined()
  })
})

describe('CLI contract', () => {
  it('sequential analyze, srm and power print JSON only', () => {
    const seq = cli('analyze', {
      metric: 'mean', relative: true, sequential_tau: 1000, weights: [0.5, 0.5],
      arms: [{ name: 'a', n: 3000, sum: 1396.87, sum_squares: 52377.9767 }, { name: 'b', n: 3461, sum: 2422.7, sum_squares: 134698.29 }],
    })
    expect(seq.status).toBe(0)
    const c = seq.json().comparisons[0]
    // gbstats test_sequential_test_runs: ci (−0.55844, 1.56516), p = 1
    expect(c.ci[0]).toBeCloseTo(-0.55844, 5)
    expect(c.ci[1]).toBeCloseTo(1.56516, 5)
    expect(c.p).toBe(1)
    const srm = cli('srm', { users: [1000, 1200], weights: [0.5, 0.5] })
    expect(srm.json().p).toBeCloseTo(0.000020079, 9)
    const power = cli('power', { metric: 'mean', mean: 10, variance: 100, relative: false, n_per_arm: 1000 })
    expect(power.json()).toMatchObject({ n_per_arm: 1000, n_total: 2000 })
    expect(power.json().mde).toBeCloseTo((1.959963984540054 + 0.8416212335729143) * Math.sqrt(0.2), 12)
    expect(cli('power', { metric: 'mean', mean: 10, variance: 100, relative: false, mde: power.json().mde }).json().n_per_arm).toBe(1000)
  })

  it('bad input: message naming the field path on stderr, exit 2, nothing on stdout', () => {
    const missing = cli('analyze', { metric: 'mean', arms: [{ name: 'a', n: 10, sum: 5, sum_squares: 9 }, { name: 'b', n: 10, sum: 6 }] })
    expect(missing.status).toBe(2)
    expect(missing.stdout).toBe('')
    expect(missing.stderr).toContain('arms.1.sum_squares')
    const wrongType = cli('analyze', { metric: 'median', arms: [] })
    expect(wrongType.status).toBe(2)
    expect(wrongType.stderr).toContain('metric')
    expect(wrongType.stderr).toContain('arms')
    expect(cli('analyze', '{not json').status).toBe(2)
    const both = cli('power', { metric: 'proportion', p: 0.1, mde: 0.1, n_per_arm: 100 })
    expect(both.status).toBe(2)
    expect(both.stderr).toContain('n_per_arm')
    expect(cli('nonsense', {}).status).toBe(2)
  })
})
