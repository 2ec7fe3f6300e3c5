/**
 * Versioned incentive policies: every save appends a version to `policy_versions`; the
 * current state lives in `policies` (ReplacingMergeTree on revision, read with FINAL).
 */
import { PolicyConfig, type Policy } from '../../segments/api/experiments.js'
import { ApiError } from '../api/errors.js'
import type { Db } from '../db/gateway.js'
import { Mutex } from '../ingest/mutex.js'
import type { PolicyInput } from './schemas.js'
import { iso, newId } from './util.js'

interface Row {
  policy_id: string
  name: string
  version: number
  created_at: string
  updated_at: string
  config: string
  note: string
}

// Saves are read-modify-write (next version = current + 1): one at a time per process.
const writes = new Mutex()

/** Stored JSON is validated again: a bad row is a server bug, not the caller's. */
function config(json: string, where: string): PolicyConfig {
  const r = PolicyConfig.safeParse(JSON.parse(json))
  if (!r.success) throw new Error(`stored policy ${where} is invalid: ${r.error.message}`)
  return r.data
}

const CURRENT = `SELECT p.policy_id AS policy_id, p.name AS name, p.version AS version, p.created_at AS created_at, p.updated_at AS updated_at,
       v.config AS config, v.note AS note
  FROM (SELECT * FROM policies FINAL WHERE deleted = 0) AS p
  INNER JOIN policy_versions AS v ON v.policy_id = p.policy_id AND v.version = p.version`

function toPolicy(r: Row): Policy {
  return { id: r.policy_id, name: r.name, version: Number(r.version), config: config(r.config, r.policy_id), note: r.note, created_at: iso(r.created_at)!, updated_at: iso(r.updated_at)! }
}

export class PolicyStore {
  constructor(private readonly db: Db) {}

  /** Saves a new policy as version 1. */
  create(input: PolicyInput): Promise<{ id: string; version: number }> {
    return writes.run(() => this.write(newId('pol'), input, null))
  }

  /** Saves a new version of a policy (experiments pin the version they launched with). */
  update(id: string, input: PolicyInput): Promise<{ id: string; version: number }> {
    return writes.run(async () => this.write(id, input, await this.get(id)))
  }

  private async write(id: string, input: PolicyInput, prior: Policy | null) {
    const now = new Date().toISOString()
    const version = (prior?.version ?? 0) + 1
    await this.db.insert('policy_versions', [{ policy_id: id, version, name: input.name, config: JSON.stringify(input.config), note: input.note, created_at: now }], 'policy-save')
    await this.db.insert('policies', [{ policy_id: id, name: input.name, version, deleted: 0, revision: version, created_at: prior?.created_at ?? now, updated_at: now }], 'policy-save')
    return { id, version }
  }

  /** Every current policy, most recently changed first. */
  async list(): Promise<Policy[]> {
    const rows = await this.db.query<Row>(`${CURRENT} ORDER BY p.updated_at DESC, p.policy_id`, undefined, 'policy-list')
    return rows.map(toPolicy)
  }

  /** The current version of a policy (404 when unknown). */
  async get(id: string): Promise<Policy> {
    const [row] = await this.db.query<Row>(`${CURRENT} WHERE p.policy_id = {id:String}`, { id }, 'policy-get')
    if (!row) throw new ApiError('not_found', `no policy "${id}"`)
    return toPolicy(row)
  }

  /** Every version of a policy, oldest first. */
  async versions(id: string) {
    await this.get(id)
    const rows = await this.db.query<Row>(
      'SELECT policy_id, version, name, config, note, created_at FROM policy_versions WHERE policy_id = {id:String} ORDER BY version',
      { id },
      'policy-versions',
    )
    return { id, versions: rows.map((r) => ({ version: Number(r.version), name: r.name, config: config(r.config, `${id} v${r.version}`), note: r.note, created_at: iso(r.created_at)! })) }
  }
}
