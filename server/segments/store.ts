/**
 * Saved segments: every version kept in `segment_versions`, the current state in `segments`
 * (soft delete), and the references a rule makes resolved from the database.
 */
import type { SegmentDetail, SegmentInput, SegmentSummary, SegmentVersion } from '../../segments/api.js'
import { checkRule } from '../../segments/check.js'
import type { Entity } from '../../segments/catalog.js'
import type { RuleContext, SavedList, SavedSegment } from '../../segments/context.js'
import { parseRule, ruleRefs, RuleError, type Rule } from '../../segments/rule.js'
import type { Db } from '../db/gateway.js'
import { Mutex } from '../ingest/mutex.js'
import { ApiError } from '../api/errors.js'
import { isoUtc, newId } from './errors.js'

interface SegmentRow {
  segment_id: string
  name: string
  entity: Entity
  version: number
  deleted: number
  created_at: string
  updated_at: string
}

// Saves are read-modify-write (next version = current + 1): one at a time per process.
const writes = new Mutex()

/** Rule JSON read back from the database is validated again: a bad row is a server bug, not the caller's. */
function storedRule(json: string, where: string): Rule {
  const r = parseRule(JSON.parse(json))
  if (!r.rule) throw new Error(`stored rule of ${where} is invalid: ${r.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`)
  return r.rule
}

export class SegmentStore {
  constructor(private readonly db: Db) {}

  /**
   * A rule context with the saved segments (transitively) and lists the rule references loaded.
   * `self` is the id of the segment being saved, whose reference back to itself is a cycle.
   */
  async context(entity: Entity, rule: Rule, asOf: string, self?: string): Promise<RuleContext> {
    const segments = new Map<string, SavedSegment>()
    const lists = new Map<string, SavedList>()
    let pending = ruleRefs(rule)
    const listIds = new Set(pending.lists.map((l) => l.id))
    for (let depth = 0; depth < 32 && pending.segments.length; depth++) {
      const ids = [...new Set(pending.segments.map((s) => s.id))].filter((id) => !segments.has(id) && id !== self)
      if (ids.length === 0) break
      const rows = await this.db.query<{ segment_id: string; name: string; entity: Entity; rule: string }>(
        `SELECT segment_id, name, entity, rule FROM segment_versions
         WHERE (segment_id, version) IN (SELECT segment_id, version FROM segments FINAL WHERE segment_id IN (SELECT arrayJoin({ids:Array(String)})))`,
        { ids },
        'segment-refs',
      )
      const next: ReturnType<typeof ruleRefs> = { segments: [], lists: [] }
      for (const r of rows) {
        const saved = { id: r.segment_id, name: r.name, entity: r.entity, rule: storedRule(r.rule, r.segment_id) }
        segments.set(r.segment_id, saved)
        const refs = ruleRefs(saved.rule)
        next.segments.push(...refs.segments)
        for (const l of refs.lists) listIds.add(l.id)
      }
      pending = next
    }
    if (listIds.size) {
      const rows = await this.db.query<{ list_id: string; name: string; entity: Entity }>(
        'SELECT list_id, name, entity FROM lists FINAL WHERE list_id IN (SELECT arrayJoin({ids:Array(String)}))',
        { ids: [...listIds] },
        'segment-lists',
      )
      for (const r of rows) lists.set(r.list_id, { id: r.list_id, name: r.name, entity: r.entity })
    }
    return { entity, asOf, self, segment: (id) => segments.get(id), list: (id) => lists.get(id) }
  }

  /** Checks a rule for saving (as of `asOf`, which only matters for relative dates): 400 naming each path. */
  private async validate(entity: Entity, rule: Rule, asOf: string, self?: string): Promise<void> {
    const issues = checkRule(rule, await this.context(entity, rule, asOf, self))
    if (issues.length) throw new RuleError(issues)
  }

  async create(input: SegmentInput, asOf: string): Promise<{ id: string; version: number }> {
    const id = newId('seg')
    return writes.run(async () => {
      await this.validate(input.entity, input.rule, asOf, id)
      await this.write(id, 1, input, undefined)
      return { id, version: 1 }
    })
  }

  /** Saves a new version; the entity of a segment never changes (its history would not compare). */
  async update(id: string, input: SegmentInput, asOf: string): Promise<{ id: string; version: number }> {
    return writes.run(async () => {
      const cur = await this.current(id)
      if (!cur || cur.deleted) throw new ApiError('not_found', `no segment ${id}`)
      if (cur.entity !== input.entity) throw new ApiError('bad_request', `entity: segment ${id} is over ${cur.entity}; it cannot become a ${input.entity} segment`, { errors: [{ path: 'entity', message: 'cannot change' }] })
      await this.validate(input.entity, input.rule, asOf, id)
      const version = cur.version + 1
      await this.write(id, version, input, cur.created_at)
      return { id, version }
    })
  }

  async remove(id: string): Promise<void> {
    await writes.run(async () => {
      const cur = await this.current(id)
      if (!cur || cur.deleted) throw new ApiError('not_found', `no segment ${id}`)
      const now = new Date().toISOString()
      await this.db.insert('segments', [{ ...cur, deleted: 1, revision: cur.version * 2 + 1, updated_at: now }], 'segment-delete')
    })
  }

  private async write(id: string, version: number, input: SegmentInput, createdAt: string | undefined): Promise<void> {
    const now = new Date().toISOString()
    // The version row first: a segments row never points at a version that is not there.
    await this.db.insert(
      'segment_versions',
      [{ segment_id: id, version, name: input.name, entity: input.entity, rule: JSON.stringify(input.rule), note: input.note ?? '', created_at: now }],
      'segment-save',
    )
    await this.db.insert(
      'segments',
      [{ segment_id: id, name: input.name, entity: input.entity, version, deleted: 0, revision: version * 2, created_at: createdAt ?? now, updated_at: now }],
      'segment-save',
    )
  }

  private async current(id: string): Promise<SegmentRow | undefined> {
    const [row] = await this.db.query<SegmentRow>(
      'SELECT segment_id, name, entity, version, deleted, created_at, updated_at FROM segments FINAL WHERE segment_id = {id:String}',
      { id },
      'segment-get',
    )
    return row
  }

  /** A segment with its latest rule; deleted ones too (their history stays readable). 404 when unknown. */
  async get(id: string): Promise<SegmentDetail> {
    const cur = await this.current(id)
    if (!cur) throw new ApiError('not_found', `no segment ${id}`)
    const [v] = await this.db.query<{ rule: string; note: string }>(
      'SELECT rule, note FROM segment_versions WHERE segment_id = {id:String} AND version = {v:UInt32}',
      { id, v: cur.version },
      'segment-get',
    )
    const [last] = await this.latestRefreshes([id])
    return { ...summary(cur, last), rule: storedRule(v.rule, id), note: v.note }
  }

  async list(includeDeleted = false): Promise<SegmentSummary[]> {
    const rows = await this.db.query<SegmentRow>(
      `SELECT segment_id, name, entity, version, deleted, created_at, updated_at FROM segments FINAL
       WHERE deleted = 0 OR {all:UInt8} ORDER BY updated_at DESC, segment_id`,
      { all: includeDeleted ? 1 : 0 },
      'segment-list',
    )
    const last = new Map((await this.latestRefreshes(rows.map((r) => r.segment_id))).map((r) => [r.segment_id, r]))
    return rows.map((r) => summary(r, last.get(r.segment_id)))
  }

  private async latestRefreshes(ids: string[]): Promise<{ segment_id: string; size: number; refreshed_at: string }[]> {
    if (ids.length === 0) return []
    // Aliases differ from the column names: an alias shadows its column inside the aggregates.
    return this.db.query(
      `SELECT segment_id, argMax(size, refreshed_at) AS last_size, max(refreshed_at) AS last_at FROM segment_refreshes
       WHERE segment_id IN (SELECT arrayJoin({ids:Array(String)})) GROUP BY segment_id`,
      { ids },
      'segment-sizes',
    ).then((rows) => (rows as { segment_id: string; last_size: number; last_at: string }[]).map((r) => ({ segment_id: r.segment_id, size: Number(r.last_size), refreshed_at: r.last_at })))
  }

  async versions(id: string): Promise<SegmentVersion[]> {
    const rows = await this.db.query<{ version: number; name: string; entity: Entity; rule: string; note: string; created_at: string }>(
      'SELECT version, name, entity, rule, note, created_at FROM segment_versions WHERE segment_id = {id:String} ORDER BY version',
      { id },
      'segment-versions',
    )
    if (rows.length === 0) throw new ApiError('not_found', `no segment ${id}`)
    return rows.map((r) => ({ ...r, version: Number(r.version), rule: storedRule(r.rule, `${id} v${r.version}`), created_at: isoUtc(r.created_at) }))
  }
}

function summary(r: SegmentRow, last: { size: number; refreshed_at: string } | undefined): SegmentSummary {
  return {
    id: r.segment_id,
    name: r.name,
    entity: r.entity,
    version: Number(r.version),
    created_at: isoUtc(r.created_at),
    updated_at: isoUtc(r.updated_at),
    deleted: Number(r.deleted) === 1,
    size: last ? Number(last.size) : null,
    refreshed_at: last ? isoUtc(last.refreshed_at) : null,
  }
}
