/**
 * The segments service used by the API: saved segments and their versions, live queries
 * (preview, members, export, explain, overlap), refresh history and uploaded lists.
 */
import type { ListCreated, ListSummary, OverlapRequest, SegmentInput } from '../../segments/api.js'
import type { Entity } from '../../segments/catalog.js'
import { ApiError } from '../api/errors.js'
import type { Db } from '../db/gateway.js'
import type { BodyFormat } from '../ingest/parse.js'
import { asBadRequest } from './errors.js'
import { createList, listLists } from './lists.js'
import { SegmentQueries, type TextSink } from './query.js'
import { SegmentRefresher, segmentHistory } from './refresh.js'
import { currentAsOf } from './source.js'
import { SegmentStore } from './store.js'

export class SegmentService {
  readonly store: SegmentStore
  readonly queries: SegmentQueries
  readonly refresher: SegmentRefresher

  constructor(private readonly db: Db) {
    this.store = new SegmentStore(db)
    this.queries = new SegmentQueries(db, this.store)
    this.refresher = new SegmentRefresher(db)
  }

  create(input: SegmentInput) {
    return asBadRequest(() => this.store.create(input, currentAsOf()))
  }

  update(id: string, input: SegmentInput) {
    return asBadRequest(() => this.store.update(id, input, currentAsOf()))
  }

  remove(id: string) {
    return this.store.remove(id)
  }

  get(id: string) {
    return this.store.get(id)
  }

  list(includeDeleted: boolean) {
    return this.store.list(includeDeleted)
  }

  versions(id: string) {
    return this.store.versions(id)
  }

  async history(id: string) {
    await this.store.get(id)
    return segmentHistory(this.db, id)
  }

  preview = (req: Parameters<SegmentQueries['preview']>[0]) => this.queries.preview(req)

  async members(id: string, q: { as_of?: string; limit: number; offset: number }) {
    return this.queries.members(id, q)
  }

  async exportCsv(id: string, asOf: string | undefined, sink: TextSink) {
    return this.queries.exportCsv(await this.store.get(id), asOf, sink)
  }

  async explain(id: string, entityId: string, asOf: string | undefined) {
    return this.queries.explain(await this.store.get(id), entityId, asOf)
  }

  async overlap(req: OverlapRequest) {
    const dup = req.ids.findIndex((id, i) => req.ids.indexOf(id) !== i)
    if (dup >= 0) throw new ApiError('bad_request', `ids.${dup}: ${req.ids[dup]} is listed twice`, { errors: [{ path: `ids.${dup}`, message: 'listed twice' }] })
    const segs = []
    for (const id of req.ids) segs.push(await this.store.get(id))
    return this.queries.overlap(segs, req.as_of)
  }

  refresh(id: string, asOf: string | undefined) {
    return asBadRequest(() => this.refresher.refresh(id, asOf))
  }

  createList(text: string, format: BodyFormat, opts: { name?: string; entity: Entity }): Promise<ListCreated> {
    return createList(this.db, text, format, opts)
  }

  lists(): Promise<ListSummary[]> {
    return listLists(this.db)
  }
}
