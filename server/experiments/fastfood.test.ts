/**
 * A real store-level promotion test imported as an external experiment: 137 fast-food stores
 * (LocationID), each given one of 3 promotions, weekly sales for 4 weeks (shared/datasets,
 * from the WA_Marketing-Campaign data). Analysed at the store level (the mean of each store's
 * weekly sales) and checked against an independent Welch computation written out below.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../api/app.js'
import { openTestDb } from '../testing/db.js'
import { serve } from '../testing/http.js'

const repoRoot = path.resolve(import.meta.dirname, '../..')
const FILE = path.resolve(repoRoot, '../shared/datasets/fastfood_promotions.csv')

let base: string
let stop: () => Promise<void>

interface Row { market: string; store: string; promotion: string; week: number; sales: number }
function readCsv(): Row[] {
  const [header, ...lines] = fs.readFileSync(FILE, 'utf8').trim().split(/\r?\n/)
  const cols = header.split(',')
  const at = (name: string) => cols.indexOf(name)
  return lines.map((l) => {
    const c = l.split(',')
    return { market: c[at('MarketID')], store: c[at('LocationID')], promotion: c[at('Promotion')], week: Number(c[at('week')]), sales: Number(c[at('SalesInThousands')]) }
  })
}

// ---- an independent Welch test (no code shared with server/stats) ----
function lnGamma(x: number): number {
  // Lanczos approximation, g = 7, n = 9 (Numerical Recipes 3rd ed. §6.1 coefficients).
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7]
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x)
  x -= 1
  let a = c[0]
  const t = x + 7.5
  for (let i = 1; i < 9; i++) a += c[i] / (x + i)
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a)
}
/** P(T > t) for t ≥ 0 by Simpson's rule on the density over [t, t + 80]. */
function tTail(t: number, df: number): number {
  const k = Math.exp(lnGamma((df + 1) / 2) - lnGamma(df / 2)) / Math.sqrt(df * Math.PI)
  const f = (x: number) => k * (1 + (x * x) / df) ** (-(df + 1) / 2)
  const n = 40_000
  const h = 80 / n
  let s = f(t) + f(t + 80)
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * f(t + i * h)
  return (s * h) / 3
}
function tQuantile(p: number, df: number): number {
  let lo = 0, hi = 20
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2
    if (tTail(mid, df) > 1 - p) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
}
function welch(a: number[], b: number[]) {
  const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length
  const variance = (x: number[]) => x.reduce((s, v) => s + (v - mean(x)) ** 2, 0) / (x.length - 1)
  const [ma, mb, va, vb, na, nb] = [mean(a), mean(b), variance(a), variance(b), a.length, b.length]
  const se = Math.sqrt(va / na + vb / nb)
  const df = (va / na + vb / nb) ** 2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1))
  const diff = mb - ma
  const q = tQuantile(0.975, df)
  // Relative lift by the delta method: Var(m_b/m_a) ≈ v_b/(n_b m_a²) + m_b² v_a/(n_a m_a⁴).
  const rel = diff / ma
  const seRel = Math.sqrt(vb / (nb * ma * ma) + (mb * mb * va) / (na * ma ** 4))
  return {
    ma, mb, diff, df,
    ci: [diff - q * se, diff + q * se],
    pAbs: 2 * tTail(Math.abs(diff / se), df),
    rel, relCi: [rel - q * seRel, rel + q * seRel], pRel: 2 * tTail(Math.abs(rel / seRel), df),
  }
}

beforeAll(async () => {
  const t = await openTestDb()
  const s = await serve(createApp({ db: t.db, webDir: '/nonexistent' }))
  base = `${s.base}/api/v1`
  stop = async () => {
    await s.close()
    await t.cleanup()
  }
})
afterAll(() => stop())

describe('fastfood promotions, imported as an external experiment', () => {
  it('analyses mean weekly sales per store like an independent Welch test', async () => {
    const rows = readCsv()
    expect(rows).toHaveLength(548)
    const arm = (p: string) => `promotion_${p}`
    const stores = new Map(rows.map((r) => [r.store, arm(r.promotion)]))
    expect(stores.size).toBe(137)
    const body = {
      name: 'Fast-food promotions (WA_Marketing-Campaign)',
      hypothesis: 'Which of three promotions sells most',
      unit: 'external',
      start: '2026-01-05',
      end: '2026-02-01',
      pre_days: 0,
      arms: ['1', '2', '3'].map((p) => ({ name: arm(p) })),
      assignments: [...stores].map(([unit_id, a]) => ({ unit_id, arm: a })),
      metrics: [{ name: 'sales', kind: 'mean', label: 'Weekly sales (thousands)' }],
      values: rows.map((r) => ({ unit_id: r.store, metric: 'sales', value: r.sales, week: r.week })),
      primary_metric: 'ext:sales',
    }
    const imported = await fetch(`${base}/experiments/import`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    expect(imported.status).toBe(200)
    const { id, units, values } = await imported.json()
    expect({ units, values }).toEqual({ units: 137, values: 548 })
    const res = await (await fetch(`${base}/experiments/${id}/results`)).json()
    expect(res.unit).toBe('external')
    expect(res.srm.counts).toEqual([43, 47, 47])
    const m = res.metrics[0]
    expect(m.arms.map((a: any) => a.n)).toEqual([43, 47, 47])

    // Store-level values: the mean of each store's four weekly sales.
    const perStore = new Map<string, number[]>()
    for (const r of rows) perStore.set(r.store, [...(perStore.get(r.store) ?? []), r.sales])
    const values1 = (p: string) => [...perStore].filter(([s]) => stores.get(s) === arm(p)).map(([, v]) => v.reduce((a, b) => a + b, 0) / v.length)
    const control = values1('1')
    const ps: number[] = []
    for (const [j, p] of ['2', '3'].entries()) {
      const w = welch(control, values1(p))
      const c = m.comparisons[j]
      expect(m.arms[0].mean).toBeCloseTo(w.ma, 10)
      expect(m.arms[j + 1].mean).toBeCloseTo(w.mb, 10)
      expect(c.difference.estimate).toBeCloseTo(w.diff, 10)
      expect(c.difference.ci[0]).toBeCloseTo(w.ci[0], 6)
      expect(c.difference.ci[1]).toBeCloseTo(w.ci[1], 6)
      expect(c.lift.estimate).toBeCloseTo(w.rel, 10)
      expect(c.lift.ci[0]).toBeCloseTo(w.relCi[0], 6)
      expect(c.lift.ci[1]).toBeCloseTo(w.relCi[1], 6)
      expect(Math.abs(c.p - w.pRel)).toBeLessThan(1e-7 + 1e-4 * w.pRel)
      ps.push(w.pRel)
    }
    // Holm over the two comparisons of the primary metric.
    const [lo, hi] = ps[0] < ps[1] ? [0, 1] : [1, 0]
    expect(m.comparisons[lo].p_adjusted).toBeCloseTo(Math.min(1, 2 * ps[lo]), 10)
    expect(m.comparisons[hi].p_adjusted).toBeCloseTo(Math.max(Math.min(1, 2 * ps[lo]), ps[hi]), 10)
    // The published picture: promotion 2 sells clearly less than 1 (≈ −18.5%); 3 is not distinguishable from 1.
    expect(m.comparisons[0].lift.estimate).toBeCloseTo(-0.1854, 3)
    expect(m.comparisons[0].outcome).toBe('worse')
    expect(m.comparisons[1].outcome).toBe('inconclusive')
    expect(res.verdict.en).toMatch(/promotion_2 does worse than the control/)
    // Cumulative lift over the four weeks ends at the full-period estimate.
    expect(res.cumulative.points).toHaveLength(4)
    expect(res.cumulative.points[3].comparisons[0].estimate).toBeCloseTo(m.comparisons[0].lift.estimate, 10)
  })

  it('rejects an import whose values or arms do not match its assignment', async () => {
    const post = (b: unknown) => fetch(`${base}/experiments/import`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(b) }).then(async (r) => ({ status: r.status, json: await r.json() }))
    const ok = { name: 'x', unit: 'external', start: '2026-01-01', end: '2026-01-31', primary_metric: 'ext:y', assignments: [{ unit_id: 'a', arm: 'c' }, { unit_id: 'b', arm: 't' }], values: [{ unit_id: 'a', metric: 'y', value: 1 }] }
    expect((await post({ ...ok, values: [{ unit_id: 'zz', metric: 'y', value: 1 }] })).json.detail).toMatch(/values\.0\.unit_id: zz has no assignment/)
    expect((await post({ ...ok, assignments: [...ok.assignments, { unit_id: 'a', arm: 't' }] })).json.detail).toMatch(/assigned twice/)
    expect((await post({ ...ok, primary_metric: 'opened_bottles' })).json.detail).toMatch(/ext: metrics/)
    expect((await post(ok)).status).toBe(200)
  })
})
