/**
 * The experiments service used by the API: drafts, the lifecycle (launch, stop, decide),
 * results, assignment exports, imports and the power calculator.
 */
import type { Experiment, Status } from '../../segments/api/experiments.js'
import { ApiError } from '../api/errors.js'
import type { Db } from '../db/gateway.js'
import { experimentResults } from './analysis.js'
import { localDate } from './dates.js'
import { importExperiment } from './import.js'
import { launch } from './launch.js'
import { PolicyStore } from './policies.js'
import { powerFor } from './power.js'
import type { ExperimentInput, ImportInput, PowerRequest, StoredDefinition } from './schemas.js'
import { armsOf, designOf, ExperimentStore } from './store.js'

export const EXPORT_PAGE = 50_000

/** One exported assignment row (what the payout system needs). */
export interface AssignmentRow {
  unit_id: string
  arm: string
  policy_id: string
  stratum: string
  cluster_id: string
}

function draftDefinition(input: ExperimentInput): StoredDefinition {
  const { name: _n, arms: _a, ...design } = input
  return { ...design, unit: 'store', external_metrics: [] }
}

export class ExperimentService {
  readonly store: ExperimentStore
  readonly policies: PolicyStore

  constructor(private readonly db: Db) {
    this.store = new ExperimentStore(db)
    this.policies = new PolicyStore(db)
  }

  private async checkPolicies(input: ExperimentInput): Promise<void> {
    for (const [i, a] of input.arms.entries()) {
      try {
        await this.policies.get(a.policy_id)
      } catch (e) {
        if (e instanceof ApiError && e.code === 'not_found') throw new ApiError('bad_request', `arms.${i}.policy_id: no policy "${a.policy_id}"`, { errors: [{ path: `arms.${i}.policy_id`, message: 'no such policy' }] })
        throw e
      }
    }
  }

  /** Saves a new draft. */
  async create(input: ExperimentInput) {
    await this.checkPolicies(input)
    const arms = input.arms.map((a) => ({ ...a, policy_version: 0 }))
    return this.store.exclusive(() => this.store.write(undefined, { name: input.name, status: 'draft', source: 'workbench', definition: draftDefinition(input), arms }))
  }

  /** Replaces a draft's design (a launched experiment is frozen). */
  async update(id: string, input: ExperimentInput) {
    await this.checkPolicies(input)
    return this.store.exclusive(async () => {
      const exp = await this.store.get(id)
      if (exp.status !== 'draft') throw new ApiError('bad_request', `experiment ${id} is ${exp.status}: only a draft can be edited`)
      return this.store.write(id, { name: input.name, status: 'draft', source: 'workbench', definition: draftDefinition(input), arms: input.arms.map((a) => ({ ...a, policy_version: 0 })) })
    })
  }

  /** Deletes a draft (soft: its revisions stay). */
  remove(id: string) {
    return this.store.exclusive(async () => {
      const exp = await this.store.get(id)
      if (exp.status !== 'draft') throw new ApiError('bad_request', `experiment ${id} is ${exp.status}: only a draft can be deleted`)
      await this.store.write(id, { name: exp.name, status: exp.status, source: exp.source, definition: designOf(exp), arms: armsOf(exp), deleted: true })
      return { id, deleted: true as const }
    })
  }

  get(id: string): Promise<Experiment> {
    return this.store.get(id)
  }

  list() {
    return this.store.list()
  }

  /** draft → running: freezes and assigns the audience as of `asOf` (default today). */
  launch(id: string, asOf = localDate(new Date())) {
    return launch(this.db, this.store, this.policies, id, asOf)
  }

  private transition(id: string, from: Status[], to: Status, times: { stopped?: boolean; decided?: boolean }, before?: (exp: Experiment) => Promise<void>) {
    return this.store.exclusive(async () => {
      const exp = await this.store.get(id)
      if (!from.includes(exp.status)) throw new ApiError('bad_request', `experiment ${id} is ${exp.status}: it must be ${from.join(' or ')} to become ${to}`)
      await before?.(exp)
      return this.store.write(id, { name: exp.name, status: to, source: exp.source, definition: designOf(exp), arms: armsOf(exp) }, times)
    })
  }

  /** running → stopped: the analysis window ends the day it stopped. */
  stop(id: string) {
    return this.transition(id, ['running'], 'stopped', { stopped: true })
  }

  /** stopped → decided, recording the winning arm and the policy (version) it ran. */
  decide(id: string, d: { arm: string; note: string }) {
    return this.transition(id, ['stopped'], 'decided', { decided: true }, async (exp) => {
      const arm = exp.arms.find((a) => a.name === d.arm)
      if (!arm) throw new ApiError('bad_request', `arm: "${d.arm}" is not an arm of ${id} (${exp.arms.map((a) => a.name).join(', ')})`, { errors: [{ path: 'arm', message: 'unknown arm' }] })
      await this.store.recordDecision(id, { arm: arm.name, policy_id: arm.policy_id, policy_version: arm.policy_version, note: d.note })
    })
  }

  async results(id: string, today?: string) {
    return experimentResults(this.db, await this.store.get(id), today)
  }

  import(input: ImportInput) {
    return importExperiment(this.db, this.store, input)
  }

  power(req: PowerRequest, today?: string) {
    return powerFor(this.db, req, today)
  }

  /** A page of the frozen assignment ordered by unit id, after `after` (keyset paging keeps each statement short). */
  async assignmentPage(exp: Experiment, after: string, limit: number): Promise<AssignmentRow[]> {
    const policy = new Map(exp.arms.map((a) => [a.name, a.policy_id]))
    const rows = await this.db.query<Omit<AssignmentRow, 'policy_id'>>(
      `SELECT unit_id, arm, stratum, cluster_id FROM experiment_assignments
       WHERE experiment_id = {id:String} AND unit_id > {after:String} ORDER BY unit_id LIMIT {n:UInt32}`,
      { id: exp.id, after, n: limit },
      'exp-export',
    )
    return rows.map((r) => ({ unit_id: r.unit_id, arm: r.arm, policy_id: policy.get(r.arm) ?? '', stratum: r.stratum, cluster_id: r.cluster_id }))
  }
}
