/**
 * The one coupling point between experiments and segments: who is in an audience as of a
 * date. A saved segment and a rule are evaluated live by the segments compiler (the same SQL
 * the segment's preview and members use); explicit store ids are taken as given.
 */
import { parseRule } from '../../segments/rule.js'
import type { Audience } from '../../segments/api/experiments.js'
import { ApiError } from '../api/errors.js'
import type { Db } from '../db/gateway.js'
import { asBadRequest } from '../segments/errors.js'
import { SegmentQueries } from '../segments/query.js'
import { SegmentStore } from '../segments/store.js'

/**
 * Store ids of an audience as of a local date, sorted and without duplicates.
 * @example await audienceMembers(db, { segment_id: 'seg_abc' }, '2026-10-01') // ['S0001', 'S0007', …]
 */
export async function audienceMembers(db: Db, source: Audience, asOf: string): Promise<string[]> {
  if ('store_ids' in source) return [...new Set(source.store_ids)].sort()
  const store = new SegmentStore(db)
  const queries = new SegmentQueries(db, store)
  let compiled: Awaited<ReturnType<SegmentQueries['compile']>>
  if ('segment_id' in source) {
    const seg = await store.get(source.segment_id)
    if (seg.entity !== 'store') throw new ApiError('bad_request', `audience.segment_id: segment ${seg.id} is over ${seg.entity}s; an experiment randomises stores`)
    compiled = await queries.compile('store', seg.rule, asOf, seg.id)
  } else {
    const parsed = parseRule(source.rule, 'audience.rule')
    if (!parsed.rule) throw new ApiError('bad_request', parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; '), { errors: parsed.issues })
    const rule = parsed.rule
    compiled = await asBadRequest(() => queries.compile('store', rule, asOf))
  }
  const rows = await db.query<{ id: string }>(`SELECT id FROM ${compiled.from} WHERE ${compiled.where} ORDER BY id`, compiled.params.values, 'exp-audience')
  return rows.map((r) => String(r.id))
}
