/**
 * The power calculator of the launch wizard: the minimum detectable (relative) effect for an
 * audience, a metric and arm weights, without and with CUPED. The metric's mean and per-store
 * variance come from the audience's own history — the `days` before `as_of` stand in for the
 * analysis window and the `pre_days` before those for the pre-period — and the expected CUPED
 * variance reduction is the squared correlation of the two (Deng et al. 2013, WSDM §3.2).
 */
import type { PowerResponse } from '../../segments/api/experiments.js'
import type { Db } from '../db/gateway.js'
import { plan } from '../stats/index.js'
import { audienceMembers } from './audience.js'
import { catalogMetric } from './catalog.js'
import { addDays, localDate } from './dates.js'
import type { PowerRequest } from './schemas.js'
import { armSumsOf, armSumsSql, unitsOfIds, type ArmSums } from './sql.js'

export interface Baseline {
  mean: number
  variance: number
  r2: number
}

const varOf = (n: number, s: number, ss: number) => (n > 1 ? Math.max(0, (ss - (s * s) / n) / (n - 1)) : 0)
const covOf = (n: number, a: number, b: number, sab: number) => (n > 1 ? (sab - (a * b) / n) / (n - 1) : 0)

/**
 * Mean, per-unit variance and pre/post ρ² from one arm's sums. A ratio metric is linearised
 * (delta method): per-unit variance (Var m − 2R Cov(m, d) + R² Var d) / d̄², R = Σm / Σd.
 */
export function baselineOf(s: ArmSums, kind: 'mean' | 'proportion' | 'ratio'): Baseline {
  const n = s.n
  if (n === 0) return { mean: 0, variance: 0, r2: 0 }
  if (kind === 'ratio') {
    const den = s.den_sum ?? 0
    const dbar = den / n
    const r = den ? s.sum / den : 0
    const v = varOf(n, s.sum, s.sum_squares) - 2 * r * covOf(n, s.sum, den, s.sum_num_den ?? 0) + r * r * varOf(n, den, s.den_sum_squares ?? 0)
    return { mean: r, variance: dbar ? Math.max(0, v) / (dbar * dbar) : 0, r2: 0 }
  }
  const variance = varOf(n, s.sum, s.sum_squares)
  const pre = varOf(n, s.pre_sum ?? 0, s.pre_sum_squares ?? 0)
  const cov = covOf(n, s.sum, s.pre_sum ?? 0, s.sum_post_pre ?? 0)
  const r2 = variance > 0 && pre > 0 ? Math.min(0.99, (cov * cov) / (variance * pre)) : 0
  return { mean: s.sum / n, variance, r2 }
}

/** The baseline of a catalog metric over a set of stores, as of a date: one statement. */
export async function baseline(db: Db, ids: string[], metric: string, days: number, preDays: number, asOf: string) {
  const def = catalogMetric(metric)
  if (!def) throw new Error(`no baseline for ${metric}: imported metrics have no history here`)
  const post = { from: addDays(asOf, -days), to: addDays(asOf, -1) }
  const pre = preDays > 0 ? { from: addDays(post.from, -preDays), to: addDays(post.from, -1) } : null
  const q = armSumsSql(unitsOfIds(ids), [{ def }], { post, pre }, { cuped: pre !== null, clustered: false })
  const [row] = await db.query<Record<string, unknown>>(q.sql, q.params, 'exp-power')
  const sums: ArmSums = row ? armSumsOf(row, 0) : { arm: '', n: 0, sum: 0, sum_squares: 0 }
  return { ...baselineOf(sums, def.kind), window: post }
}

/**
 * Effective units per arm of a control-vs-treatment comparison: the harmonic mean of the
 * control and the smallest treatment arm, so 2σ²/n is the variance of their difference.
 */
export function effectivePerArm(total: number, weights: number[]): number {
  const sum = weights.reduce((a, b) => a + b, 0)
  const nc = (total * weights[0]) / sum
  const nt = (total * Math.min(...weights.slice(1))) / sum
  return 2 / (1 / nc + 1 / nt)
}

/**
 * MDE without and with CUPED for a planned experiment.
 * @example await powerFor(db, { audience: { segment_id: 'seg_…' }, metric: 'opened_bottles', weights: [1, 1], … })
 */
export async function powerFor(db: Db, req: PowerRequest, today = localDate(new Date())): Promise<PowerResponse> {
  const asOf = req.as_of ?? today
  const ids = req.audience ? await audienceMembers(db, req.audience, asOf) : null
  const n = ids?.length ?? req.n ?? 0
  const def = catalogMetric(req.metric)
  let b: Baseline & { window: { from: string; to: string } | null }
  if (req.mean !== undefined && req.variance !== undefined) b = { mean: req.mean, variance: req.variance, r2: req.cuped_r2 ?? 0, window: null }
  else if (ids && def) b = await baseline(db, ids, req.metric, req.days, req.pre_days, asOf)
  else b = { mean: 0, variance: 0, r2: 0, window: null }
  const out = { metric: req.metric, n_total: n, n_per_arm: 0, mean: b.mean, variance: b.variance, cuped_r2: b.r2, mde: null, mde_cuped: null, baseline: b.window, note: null }
  if (n < req.weights.length * 2) return { ...out, note: 'the audience is too small to split into these arms' }
  if (!(b.variance > 0) || b.mean === 0) return { ...out, note: 'the audience has no history of this metric to plan with' }
  const perArm = effectivePerArm(n, req.weights)
  const mdeAt = (r2: number) => {
    try {
      // Power of each treatment-vs-control comparison, α shared by them (Bonferroni: a conservative plan for Holm).
      return plan({
        metric: 'mean', mean: b.mean, variance: b.variance, n_per_arm: perArm, relative: true, alpha: req.alpha, power: req.power,
        sequential_tau: req.sequential_tau, cuped_r2: r2, num_tests: req.weights.length - 1,
      }).mde
    } catch (e) {
      if (e instanceof RangeError) return null
      throw e
    }
  }
  const mde = mdeAt(0)
  return { ...out, n_per_arm: perArm, mde, mde_cuped: mdeAt(b.r2), note: mde === null ? 'no effect is detectable with this audience and power' : null }
}
