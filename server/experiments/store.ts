/**
 * Saved experiments: one `experiments` row per change (ReplacingMergeTree on revision), the
 * arms of each revision in `experiment_arms`, decisions in `experiment_decisions`. The
 * lifecycle is draft → running → stopped → decided; only a draft can be edited or deleted.
 */
import type { Experiment, Status } from '../../segments/api/experiments.js'
import { ApiError } from '../api/errors.js'
import type { Db } from '../db/gateway.js'
import { Mutex } from '../ingest/mutex.js'
import { StoredDefinition } from './schemas.js'
import { iso, newId } from './util.js'

interface Row {
  experiment_id: string
  revision: number
  name: string
  status: Status
  source: 'workbench' | 'external'
  definition: string
  audience_size: number
  deleted: number
  created_at: string
  updated_at: string
  launched_at: string | null
  stopped_at: string | null
  decided_at: string | null
}

/** An arm as stored: the policy version is pinned at launch (0 before). */
export interface StoredArm {
  name: string
  policy_id: string
  policy_version: number
  weight: number
}

/** What a save writes. */
export interface ExperimentWrite {
  name: string
  status: Status
  source: 'workbench' | 'external'
  definition: StoredDefinition
  arms: StoredArm[]
  audience_size?: number
  deleted?: boolean
}

// Every save and transition is read-modify-write (next revision = current + 1): one at a time.
const writes = new Mutex()

function definitionOf(json: string, id: string): StoredDefinition {
  const r = StoredDefinition.safeParse(JSON.parse(json))
  if (!r.success) throw new Error(`stored definition of ${id} is invalid: ${r.error.message}`)
  return r.data
}

/** The stored design of an experiment (everything but its identity, arms and lifecycle). */
export function designOf(exp: Experiment): StoredDefinition {
  return StoredDefinition.parse(exp)
}

/** The arms of an experiment as stored. */
export function armsOf(exp: Experiment): StoredArm[] {
  return exp.arms.map((a) => ({ name: a.name, policy_id: a.policy_id, policy_version: a.policy_version, weight: a.weight }))
}

export class ExperimentStore {
  constructor(private readonly db: Db) {}

  /** Serialises a read-modify-write of experiments (saves, transitions, launch). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return writes.run(fn)
  }

  private async row(id: string): Promise<Row | undefined> {
    const [r] = await this.db.query<Row>('SELECT * FROM experiments FINAL WHERE experiment_id = {id:String}', { id }, 'exp-get')
    return r
  }

  /** Writes a new revision (a new experiment when `id` is undefined); call inside {@link exclusive}. */
  async write(id: string | undefined, w: ExperimentWrite, times: { launched?: boolean; stopped?: boolean; decided?: boolean } = {}): Promise<{ id: string; revision: number; status: Status }> {
    const prior = id ? await this.row(id) : undefined
    const expId = id ?? newId('exp')
    const now = new Date().toISOString()
    const revision = Number(prior?.revision ?? 0) + 1
    await this.db.insert(
      'experiment_arms',
      w.arms.map((a, position) => ({ experiment_id: expId, revision, position, arm: a.name, policy_id: a.policy_id, policy_version: a.policy_version, weight: a.weight })),
      'exp-save',
    )
    const keep = (field: 'launched_at' | 'stopped_at' | 'decided_at', set?: boolean) => (set ? now : (prior?.[field] ?? null))
    await this.db.insert(
      'experiments',
      [{
        experiment_id: expId, revision, name: w.name, status: w.status, source: w.source, definition: JSON.stringify(w.definition),
        audience_size: w.audience_size ?? Number(prior?.audience_size ?? 0), deleted: w.deleted ? 1 : 0,
        created_at: prior?.created_at ?? now, updated_at: now,
        launched_at: keep('launched_at', times.launched), stopped_at: keep('stopped_at', times.stopped), decided_at: keep('decided_at', times.decided),
      }],
      'exp-save',
    )
    return { id: expId, revision, status: w.status }
  }

  /** An experiment with its arms (units per arm once assigned) and decision; 404 when unknown or deleted. */
  async get(id: string): Promise<Experiment> {
    const r = await this.row(id)
    if (!r || Number(r.deleted)) throw new ApiError('not_found', `no experiment "${id}"`)
    const arms = await this.db.query<{ arm: string; policy_id: string; policy_version: number; weight: number; units: number }>(
      `SELECT a.arm AS arm, a.policy_id AS policy_id, a.policy_version AS policy_version, a.weight AS weight, ifNull(c.units, 0) AS units
       FROM experiment_arms AS a
       LEFT JOIN (SELECT arm, count() AS units FROM experiment_assignments WHERE experiment_id = {id:String} GROUP BY arm) AS c ON c.arm = a.arm
       WHERE a.experiment_id = {id:String} AND a.revision = {rev:UInt64} ORDER BY a.position`,
      { id, rev: r.revision },
      'exp-arms',
    )
    const [d] = await this.db.query<{ arm: string; policy_id: string; policy_version: number; note: string; decided_at: string }>(
      'SELECT arm, policy_id, policy_version, note, decided_at FROM experiment_decisions WHERE experiment_id = {id:String} ORDER BY decided_at DESC LIMIT 1',
      { id },
      'exp-decision',
    )
    return {
      ...definitionOf(r.definition, id),
      id,
      name: r.name,
      status: r.status,
      source: r.source,
      revision: Number(r.revision),
      audience_size: Number(r.audience_size),
      arms: arms.map((a) => ({ name: a.arm, policy_id: a.policy_id, policy_version: Number(a.policy_version), weight: Number(a.weight), units: Number(a.units) })),
      created_at: iso(r.created_at)!,
      updated_at: iso(r.updated_at)!,
      launched_at: iso(r.launched_at),
      stopped_at: iso(r.stopped_at),
      decided_at: iso(r.decided_at),
      decision: d ? { arm: d.arm, policy_id: d.policy_id, policy_version: Number(d.policy_version), note: d.note, decided_at: iso(d.decided_at)! } : null,
    }
  }

  /** Every experiment that is not deleted, most recently changed first. */
  async list() {
    const rows = await this.db.query<Row & { arms: string[] }>(
      `SELECT e.*, a.arms AS arms FROM (SELECT * FROM experiments FINAL WHERE deleted = 0) AS e
       LEFT JOIN (SELECT experiment_id, revision, groupArray(arm) AS arms FROM (SELECT * FROM experiment_arms ORDER BY position) GROUP BY experiment_id, revision) AS a
         ON a.experiment_id = e.experiment_id AND a.revision = e.revision
       ORDER BY e.updated_at DESC`,
      undefined,
      'exp-list',
    )
    return rows.map((r) => {
      const d = definitionOf(r.definition, r.experiment_id)
      return {
        id: r.experiment_id, name: r.name, status: r.status, source: r.source, start: d.start, end: d.end,
        primary_metric: d.primary_metric, audience_size: Number(r.audience_size), updated_at: iso(r.updated_at)!, arms: r.arms ?? [],
      }
    })
  }

  /** Records a decision row (the transition itself is a {@link write}). */
  async recordDecision(id: string, d: { arm: string; policy_id: string; policy_version: number; note: string }): Promise<void> {
    await this.db.insert('experiment_decisions', [{ experiment_id: id, ...d, decided_at: new Date().toISOString() }], 'exp-decide')
  }
}
