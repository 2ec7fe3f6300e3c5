/**
 * Reading segments: preview counts with a sample, member pages, CSV exports of any size in
 * short statements, explanations of one entity, and overlaps (Venn regions). Everything is
 * computed live as of a date from the profile source and the rollups.
 */
import { randomUUID } from 'node:crypto'
import type { Explanation, MembersPage, OverlapResponse, PreviewRequest, PreviewResponse, SegmentDetail } from '../../segments/api.js'
import { attribute, type Entity } from '../../segments/catalog.js'
import { column } from '../../segments/compile/attr.js'
import { assertValid, compileExplainLeaves, compilePredicate, Params } from '../../segments/compile.js'
import type { RuleContext } from '../../segments/context.js'
import { explainRule } from '../../segments/evaluate.js'
import { ruleAttributes, type Rule } from '../../segments/rule.js'
import { ApiError } from '../api/errors.js'
import type { Db } from '../db/gateway.js'
import { log } from '../log.js'
import { asBadRequest, isoUtc } from './errors.js'
import { currentAsOf, materialisedAsOf, profileSource } from './source.js'
import type { SegmentStore } from './store.js'

/** Where CSV text goes, chunk by chunk; `write` resolves when the chunk may be followed by more. */
export interface TextSink {
  write(chunk: string): Promise<void>
}

export const EXPORT_PAGE = 10_000

interface Compiled {
  ctx: RuleContext
  params: Params
  /** `<source> AS p WHERE <rule>`, to follow `SELECT … FROM`. */
  from: string
  where: string
  attrs: string[]
}

export class SegmentQueries {
  constructor(
    private readonly db: Db,
    private readonly store: SegmentStore,
  ) {}

  /** Compiles a rule against the profile source as of a date (400 naming the path when it cannot). */
  async compile(entity: Entity, rule: Rule, asOf: string | undefined, self?: string): Promise<Compiled> {
    const date = asOf ?? currentAsOf()
    const ctx = await this.store.context(entity, rule, date, self)
    const latest = await materialisedAsOf(this.db, entity)
    return asBadRequest(() => {
      assertValid(rule, ctx)
      const params = new Params()
      const source = params.adopt(profileSource(entity, asOf, latest))
      const where = compilePredicate(rule, ctx, params)
      return { ctx, params, from: `${source} AS p`, where, attrs: ruleAttributes(rule) }
    })
  }

  async preview(req: PreviewRequest): Promise<PreviewResponse> {
    const c = await this.compile(req.entity, req.rule, req.as_of)
    const cols = ['id', ...c.attrs.map((a) => column(attribute(req.entity, a)!))]
    // One scan: the count and a reservoir sample together.
    const sample = req.sample > 0 ? `, groupArraySample({q_k:UInt32}, 1)(tuple(${cols.join(', ')})) AS s` : ''
    const [row] = await this.db.query<{ n: number; s?: unknown[][] }>(
      `SELECT count() AS n${sample} FROM ${c.from} WHERE ${c.where}`,
      { ...c.params.values, q_k: req.sample },
      'segment-preview',
    )
    const members = (row.s ?? []).map((t) => memberRow(req.entity, c.attrs, String(t[0]), t.slice(1)))
    members.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    return { count: Number(row.n), as_of: c.ctx.asOf, sample: members }
  }

  /** A page of members ordered by id, with the values of the rule's attributes. */
  async members(id: string, q: { as_of?: string; limit: number; offset: number }): Promise<MembersPage> {
    const seg = await this.store.get(id)
    const c = await this.compile(seg.entity, seg.rule, q.as_of, id)
    const cols = c.attrs.map((a) => column(attribute(seg.entity, a)!))
    const [count] = await this.db.query<{ n: number }>(`SELECT count() AS n FROM ${c.from} WHERE ${c.where}`, c.params.values, 'segment-members')
    const rows = await this.db.query<Record<string, unknown>>(
      `SELECT ${['id', ...cols].join(', ')} FROM ${c.from} WHERE ${c.where} ORDER BY id LIMIT {q_n:UInt32} OFFSET {q_o:UInt64}`,
      { ...c.params.values, q_n: q.limit, q_o: q.offset },
      'segment-members',
    )
    return {
      id,
      version: seg.version,
      as_of: c.ctx.asOf,
      count: Number(count.n),
      attributes: c.attrs,
      members: rows.map((r) => memberRow(seg.entity, c.attrs, String(r.id), c.attrs.map((a) => r[a]))),
    }
  }

  /**
   * Writes every member as CSV (header `id` + the rule's attributes). The members are staged
   * once (one statement), then read back in pages of {@link EXPORT_PAGE} by id, so no
   * statement is long and other requests run between pages.
   */
  async exportCsv(seg: SegmentDetail, asOf: string | undefined, sink: TextSink): Promise<{ rows: number; as_of: string }> {
    const c = await this.compile(seg.entity, seg.rule, asOf, seg.id)
    const exportId = randomUUID()
    await this.db.command(
      `INSERT INTO segment_exports (export_id, member_id, created_at) SELECT {q_x:String}, id, now() FROM ${c.from} WHERE ${c.where}`,
      { ...c.params.values, q_x: exportId },
      'segment-export',
    )
    await sink.write(csvLine(['id', ...c.attrs]))
    const cols = c.attrs.map((a) => column(attribute(seg.entity, a)!))
    const source = profileSource(seg.entity, asOf, await materialisedAsOf(this.db, seg.entity))
    let last = ''
    let total = 0
    for (;;) {
      const ids = await this.db.query<{ id: string }>(
        'SELECT member_id AS id FROM segment_exports WHERE export_id = {q_x:String} AND member_id > {q_last:String} ORDER BY member_id LIMIT {q_n:UInt32}',
        { q_x: exportId, q_last: last, q_n: EXPORT_PAGE },
        'segment-export',
      )
      if (ids.length === 0) break
      last = ids[ids.length - 1].id
      let byId = new Map<string, Record<string, unknown>>()
      if (cols.length) {
        const values = await this.db.query<Record<string, unknown>>(
          `SELECT ${['id', ...cols].join(', ')} FROM ${source.sql} AS p WHERE id IN (SELECT arrayJoin({q_ids:Array(String)}))`,
          { ...source.params, q_ids: ids.map((r) => r.id) },
          'segment-export',
        )
        byId = new Map(values.map((v) => [String(v.id), v]))
      }
      let chunk = ''
      for (const { id } of ids) {
        const v = byId.get(id)
        chunk += csvLine([id, ...c.attrs.map((a) => display(seg.entity, a, v?.[a]))])
      }
      await sink.write(chunk)
      total += ids.length
    }
    return { rows: total, as_of: c.ctx.asOf }
  }

  /** Each condition of the segment's rule for one entity: its value and whether it passed, as a tree. */
  async explain(seg: SegmentDetail, entityId: string, asOf: string | undefined): Promise<Explanation> {
    const c = await this.compile(seg.entity, seg.rule, asOf, seg.id)
    const params = new Params('e')
    const eid = params.bind(entityId, 'String')
    const leaves = compileExplainLeaves(seg.rule, c.ctx, params, eid)
    const cols = leaves.attrs.map((a) => column(attribute(seg.entity, a)!))
    const exprs = leaves.leaves.map((l, i) => `${l.expr} AS x_leaf_${i}`)
    const [row] = await this.db.query<Record<string, unknown>>(
      `SELECT ${['id', ...cols, ...exprs, `(${c.where}) AS x_member`].join(', ')} FROM ${c.from} WHERE id = ${eid}`,
      { ...c.params.values, ...params.values },
      'segment-explain',
    )
    if (!row) throw new ApiError('not_found', `no ${seg.entity} ${entityId} in the profiles as of ${c.ctx.asOf}`)
    for (const a of leaves.attrs) row[a] = display(seg.entity, a, row[a])
    const leafValue = new Map(leaves.leaves.map((l, i) => [l.path, Number(row[`x_leaf_${i}`])]))
    const tree = explainRule(seg.rule, row, {
      ...c.ctx,
      measure: (_n, path) => leafValue.get(path) ?? 0,
      inList: (_id, path) => leafValue.get(path) === 1,
    })
    const member = Number(row.x_member) === 1
    if (tree.pass !== member) log.warn('segment explanation disagrees with the compiled rule', { segment: seg.id, entity_id: entityId })
    return { id: seg.id, version: seg.version, as_of: c.ctx.asOf, entity_id: entityId, member, tree }
  }

  /** Sizes of every Venn region and every intersection of 2 or 3 segments over the same entity, in one scan. */
  async overlap(segs: SegmentDetail[], asOf: string | undefined): Promise<OverlapResponse> {
    const entity = segs[0].entity
    const other = segs.findIndex((s) => s.entity !== entity)
    if (other >= 0) throw new ApiError('bad_request', `ids.${other}: segment ${segs[other].id} is over ${segs[other].entity}, ${segs[0].id} over ${entity}`)
    const params = new Params()
    let from = ''
    let date = ''
    const preds: string[] = []
    for (const s of segs) {
      const c = await this.compile(entity, s.rule, asOf, s.id)
      // Each rule compiles into the same bag so that all predicates run in one statement.
      from = params.adopt(profileSource(entity, asOf, await materialisedAsOf(this.db, entity)))
      preds.push(await asBadRequest(() => compilePredicate(s.rule, c.ctx, params)))
      date = c.ctx.asOf
    }
    const k = segs.length
    const cols = preds.map((p, i) => `(${p}) AS s${i}`)
    const rows = await this.db.query<Record<string, number>>(
      `SELECT ${cols.join(', ')}, count() AS n FROM ${from} AS p GROUP BY ${preds.map((_, i) => `s${i}`).join(', ')}`,
      params.values,
      'segment-overlap',
    )
    const byMask = new Map<number, number>()
    for (const r of rows) {
      let mask = 0
      for (let i = 0; i < k; i++) if (Number(r[`s${i}`]) === 1) mask |= 1 << i
      byMask.set(mask, (byMask.get(mask) ?? 0) + Number(r.n))
    }
    const ids = (mask: number) => segs.filter((_, i) => mask & (1 << i)).map((s) => s.id)
    const within = (subset: number) => [...byMask].reduce((sum, [m, n]) => ((m & subset) === subset ? sum + n : sum), 0)
    const masks = Array.from({ length: (1 << k) - 1 }, (_, i) => i + 1)
    return {
      as_of: date,
      entity,
      segments: segs.map((s, i) => ({ id: s.id, name: s.name, size: within(1 << i) })),
      regions: masks.map((m) => ({ in: ids(m), count: byMask.get(m) ?? 0 })),
      intersections: masks.filter((m) => m & (m - 1)).map((m) => ({ ids: ids(m), count: within(m) })),
    }
  }
}

/** Attribute values as the API shows them: date-times in ISO 8601, nulls as null. */
function display(entity: Entity, name: string, v: unknown): unknown {
  if (v === undefined || v === null) return null
  return attribute(entity, name)?.type === 'datetime' && typeof v === 'string' ? isoUtc(v) : v
}

function memberRow(entity: Entity, attrs: string[], id: string, values: unknown[]) {
  return { id, values: Object.fromEntries(attrs.map((a, i) => [a, display(entity, a, values[i])])) }
}

/** One CSV record (RFC 4180): quoted when it holds a comma, quote or line break; null is empty. */
export function csvLine(cells: unknown[]): string {
  return (
    cells
      .map((c) => {
        if (c === null || c === undefined) return ''
        const s = String(c)
        return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
      })
      .join(',') + '\r\n'
  )
}
