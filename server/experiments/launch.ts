/**
 * Launch: freeze the audience as of the launch date, assign it (stratified, optionally
 * clustered), pin each arm's policy version, and move the experiment to running. The frozen
 * assignment is written before the status changes, so a running experiment always has one.
 */
import type { Experiment } from '../../segments/api/experiments.js'
import { ApiError } from '../api/errors.js'
import type { Db } from '../db/gateway.js'
import { assign, type AssignUnit } from './assign.js'
import { audienceMembers } from './audience.js'
import { addDays, minDate } from './dates.js'
import type { PolicyStore } from './policies.js'
import { designOf, type ExperimentStore } from './store.js'

/** Stratification uses this many days of pre-period sell-through when the design has no pre-period. */
const DEFAULT_STRATA_DAYS = 28

/** City, distributor and pre-period opened bottles of the given stores (master data FINAL and store_daily). */
export async function assignmentUnits(db: Db, ids: string[], pre: { from: string; to: string }): Promise<AssignUnit[]> {
  const rows = await db.query<{ id: string; city: string; distributor: string; pre: number }>(
    `SELECT u.id AS id, ifNull(m.city, '') AS city, ifNull(m.distributor_id, '') AS distributor, ifNull(o.opened, 0) AS pre
     FROM (SELECT arrayJoin({ids:Array(String)}) AS id) AS u
     LEFT JOIN (SELECT store_id, city, distributor_id FROM stores FINAL WHERE store_id IN (SELECT arrayJoin({ids:Array(String)}))) AS m ON m.store_id = u.id
     LEFT JOIN (SELECT store_id, sum(bottles) AS opened FROM store_daily
                WHERE store_id IN (SELECT arrayJoin({ids:Array(String)})) AND type = 'open' AND day >= {from:Date} AND day <= {to:Date}
                GROUP BY store_id) AS o ON o.store_id = u.id`,
    { ids, from: pre.from, to: pre.to },
    'exp-units',
  )
  return rows.map((r) => ({ id: String(r.id), city: String(r.city), distributor: String(r.distributor), pre: Number(r.pre) }))
}

/** Inserts a frozen assignment in batches (one statement each, kept short). */
export async function writeAssignments(db: Db, experimentId: string, rows: { unit_id: string; arm: string; stratum: string; cluster_id: string; pre_value: number }[]): Promise<void> {
  const at = new Date().toISOString()
  for (let i = 0; i < rows.length; i += 50_000)
    await db.insert('experiment_assignments', rows.slice(i, i + 50_000).map((r) => ({ experiment_id: experimentId, ...r, assigned_at: at })), 'exp-assign')
}

/**
 * Launches a draft experiment as of `asOf` (local date): resolves the audience, assigns it and
 * records the assignment; returns the running experiment's id and revision.
 */
export async function launch(db: Db, store: ExperimentStore, policies: PolicyStore, id: string, asOf: string) {
  return store.exclusive(async () => {
    const exp: Experiment = await store.get(id)
    if (exp.status !== 'draft') throw new ApiError('bad_request', `experiment ${id} is ${exp.status}: only a draft can be launched`)
    if (!exp.audience) throw new ApiError('bad_request', `experiment ${id} has no audience`)
    const ids = await audienceMembers(db, exp.audience, asOf)
    if (ids.length < exp.arms.length) throw new ApiError('bad_request', `the audience has ${ids.length} stores as of ${asOf}: fewer than the ${exp.arms.length} arms`)
    const days = exp.pre_days > 0 ? exp.pre_days : DEFAULT_STRATA_DAYS
    // Pre-period sell-through up to the day before the start (or before launch, if that is earlier).
    const to = addDays(minDate(exp.start, asOf), -1)
    const units = await assignmentUnits(db, ids, { from: addDays(to, 1 - days), to })
    const rows = assign(units, {
      experimentId: id,
      arms: exp.arms.map((a) => ({ name: a.name, weight: a.weight })),
      stratify: exp.stratify,
      clusterByDistributor: exp.cluster_by_distributor,
    })
    // A launch interrupted after writing its assignment leaves rows behind: replace them.
    const [left] = await db.query<{ n: number }>('SELECT count() AS n FROM experiment_assignments WHERE experiment_id = {id:String}', { id }, 'exp-assign')
    if (Number(left.n) > 0) await db.command('DELETE FROM experiment_assignments WHERE experiment_id = {id:String}', { id }, 'exp-assign')
    await writeAssignments(db, id, rows)
    const arms = []
    for (const a of exp.arms) arms.push({ name: a.name, policy_id: a.policy_id, weight: a.weight, policy_version: a.policy_id ? (await policies.get(a.policy_id)).version : 0 })
    return store.write(id, { name: exp.name, status: 'running', source: exp.source, definition: designOf(exp), arms, audience_size: ids.length }, { launched: true })
  })
}
