/**
 * The parts of the results page around the metric table: the balance table of pre-period
 * metrics, the cumulative lift of the primary metric week by week, and exposures seen in the
 * reward ledger.
 */
import type { BalanceRow } from '../../segments/api/experiments.js'
import type { Db } from '../db/gateway.js'
import { CATALOG, type MetricDef } from './catalog.js'
import { estimate } from './estimate.js'
import { armSumsOf, armSumsSql, cumulativeSql, unitsOfExperiment, type ArmSums, type MetricSpec, type Windows } from './sql.js'
import { addDays } from './dates.js'

/** Mean and standard deviation of one arm from its sums. */
function moments(s: ArmSums | undefined): { n: number; mean: number; sd: number } {
  const n = s?.n ?? 0
  if (!s || n === 0) return { n, mean: 0, sd: 0 }
  const mean = s.sum / n
  const v = n > 1 ? Math.max(0, (s.sum_squares - (s.sum * s.sum) / n) / (n - 1)) : 0
  return { n, mean, sd: Math.sqrt(v) }
}

/**
 * Balance rows from per-arm sums of pre-period values: means, SDs and the standardized
 * difference of each arm against the control (Austin 2009, "Balance diagnostics for comparing
 * the distribution of baseline covariates…", Stat Med 28:3083 — |d| < 0.1 is negligible).
 */
export function balanceRow(metric: string, label: BalanceRow['label'], sums: ArmSums[], arms: string[]): BalanceRow {
  const m = arms.map((name) => ({ name, ...moments(sums.find((s) => s.arm === name)) }))
  const c = m[0]
  return {
    metric,
    label,
    arms: m,
    std_diff: m.slice(1).map((t) => {
      const pooled = Math.sqrt((t.sd * t.sd + c.sd * c.sd) / 2)
      return { arm: t.name, d: pooled > 0 ? (t.mean - c.mean) / pooled : null }
    }),
  }
}

/** The non-ratio catalog metrics over the pre-period window, per arm at the store level: one statement. */
export async function storeBalance(db: Db, experimentId: string, arms: string[], pre: Windows['pre']): Promise<BalanceRow[]> {
  if (!pre) return []
  const defs = CATALOG.filter((m) => m.kind !== 'ratio')
  const q = armSumsSql(unitsOfExperiment(experimentId), defs.map((def) => ({ def })), { pre: null, post: pre }, { cuped: false, clustered: false })
  const rows = await db.query<Record<string, unknown>>(q.sql, q.params, 'exp-balance')
  return defs.map((d, i) => balanceRow(d.id, d.label, rows.map((r) => armSumsOf(r, i)), arms))
}

export interface CumulativeOptions {
  experimentId: string
  arms: string[]
  metric: MetricSpec
  kind: MetricDef['kind']
  windows: Windows
  cuped: boolean
  clustered: boolean
  alpha: number
  sequentialTau: number | null
}

/**
 * Relative lift of the primary metric on the data through the end of each week. Each point is
 * the analysis as it would have been read that week: with a fixed-horizon test the early
 * intervals are only valid at the planned end (peeking inflates false positives; Johari et
 * al. 2017, "Peeking at A/B tests", KDD) — with sequential on they are always valid.
 */
export async function cumulativeLift(db: Db, o: CumulativeOptions) {
  const q = cumulativeSql(unitsOfExperiment(o.experimentId), o.metric, o.windows, { cuped: o.cuped, clustered: o.clustered, experimentId: o.experimentId })
  const rows = await db.query<Record<string, unknown>>(q.sql, q.params, 'exp-cumulative')
  const points = []
  for (let k = 0; k < q.weeks; k++) {
    const sums = rows.filter((r) => Number(r.k) === k).map((r) => armSumsOf(r, 0))
    if (!sums.length) continue
    const e = estimate(sums, o.arms, { kind: o.kind, cuped: o.cuped, alpha: o.alpha, sequentialTau: o.sequentialTau })
    points.push({
      week: k + 1,
      through: addDays(o.windows.post.from, Math.min(7 * (k + 1), q.days) - 1),
      comparisons: e.relative.map((c) => ({ arm: c.arm, estimate: c.estimate, ci: c.ci, error: c.error ?? null })),
    })
  }
  return points
}

/**
 * Records which assigned stores received rewards tagged with the experiment (and under which
 * arm) from reward_daily into experiment_exposures, and sums them up per assigned arm. A store
 * paid under another arm than its own is contamination: the payout system did not follow the export.
 */
export async function exposures(db: Db, experimentId: string) {
  await db.command(
    `INSERT INTO experiment_exposures (experiment_id, unit_id, arm, first_day, last_day, rewards, amount_fen, refreshed_at)
     SELECT experiment_id, beneficiary_id, arm, min(day), max(day), sum(rewards), sum(amount_fen), now64(3)
     FROM reward_daily
     WHERE beneficiary_type = 'store' AND beneficiary_id IN (SELECT unit_id FROM experiment_assignments WHERE experiment_id = {e:String})
       AND experiment_id = {e:String}
     GROUP BY experiment_id, beneficiary_id, arm`,
    { e: experimentId },
    'exp-exposures',
  )
  const rows = await db.query<{ arm: string; assigned: number; exposed: number; mismatched: number }>(
    `SELECT a.arm AS arm, count() AS assigned, countIf(x.unit_id != '') AS exposed, countIf(x.unit_id != '' AND x.arm != a.arm) AS mismatched
     FROM experiment_assignments AS a
     LEFT JOIN (SELECT unit_id, argMax(arm, rewards) AS arm FROM experiment_exposures FINAL WHERE experiment_id = {e:String} GROUP BY unit_id) AS x
       ON x.unit_id = a.unit_id
     WHERE a.experiment_id = {e:String}
     GROUP BY a.arm ORDER BY a.arm`,
    { e: experimentId },
    'exp-exposures',
  )
  return rows.map((r) => ({ arm: r.arm, assigned: Number(r.assigned), exposed: Number(r.exposed), mismatched: Number(r.mismatched) }))
}
