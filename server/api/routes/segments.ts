/**
 * Segments and lists (DESIGN §5): endpoint contracts as data, mounted on one router. JSON
 * bodies are parsed here (so rules may be larger than the API's default body limit) and list
 * uploads are read as raw text like the ingest routes.
 */
import express, { Router, type Request, type Response } from 'express'
import { z } from 'zod'
import {
  AttrValues,
  Explanation,
  ListCreated,
  ListList,
  ListQuery,
  MembersPage,
  MembersQuery,
  OverlapRequest,
  OverlapResponse,
  PreviewRequest,
  PreviewResponse,
  RefreshResult,
  SegmentCreated,
  SegmentDetail,
  SegmentHistory,
  SegmentInput,
  SegmentList,
  SegmentVersions,
  SkuValues,
  TemplateList,
  ValuesQuery,
} from '../../../segments/api.js'
import { LocalDate, parseRule } from '../../../segments/rule.js'
import { TEMPLATES } from '../../../segments/templates.js'
import type { Db } from '../../db/gateway.js'
import { formatOf } from '../../ingest/parse.js'
import { errorText, log } from '../../log.js'
import { SegmentService } from '../../segments/service.js'
import { attrValues, skuValues } from '../../segments/values.js'
import { endpoint, mount } from '../contract.js'
import { ApiError } from '../errors.js'

const id = z.string().min(1).max(64)
const AsOf = z.object({ as_of: LocalDate.optional() })
const json = (s: z.ZodType) => ({ 'application/json': s })

const E = {
  templates: endpoint({ method: 'get', path: '/segments/templates', summary: 'Segment templates shipped with the product (editable rule trees)', tag: 'segments', response: TemplateList }),
  skuValues: endpoint({ method: 'get', path: '/segments/values/sku', tag: 'segments', summary: 'Products for SKU pickers (id, name, tier), searchable', query: ValuesQuery, response: SkuValues }),
  attrValues: endpoint({
    method: 'get', path: '/segments/values/:entity/:attr', params: { entity: z.string(), attr: z.string() }, tag: 'segments', errors: [400, 404],
    summary: 'The most frequent distinct values of a string attribute in the current profiles, for pickers', query: ValuesQuery, response: AttrValues,
  }),
  preview: endpoint({
    method: 'post', path: '/segments/preview', tag: 'segments', errors: [400],
    summary: 'Count the members of a rule as of a date, with a sample and the values of the attributes it uses',
    body: json(PreviewRequest), response: PreviewResponse,
  }),
  overlap: endpoint({
    method: 'post', path: '/segments/overlap', tag: 'segments', errors: [400, 404],
    summary: 'Sizes of every Venn region and intersection of 2 or 3 segments over the same entity',
    body: json(OverlapRequest), response: OverlapResponse,
  }),
  list: endpoint({
    method: 'get', path: '/segments', tag: 'segments', summary: 'Saved segments with their size at the latest refresh',
    query: z.object({ include_deleted: z.enum(['true', 'false']).default('false') }), response: SegmentList,
  }),
  create: endpoint({ method: 'post', path: '/segments', tag: 'segments', errors: [400], summary: 'Save a new segment (version 1)', body: json(SegmentInput), response: SegmentCreated }),
  get: endpoint({ method: 'get', path: '/segments/:id', params: { id }, tag: 'segments', errors: [404], summary: 'A segment with its latest rule (deleted ones too, marked)', response: SegmentDetail }),
  update: endpoint({ method: 'put', path: '/segments/:id', params: { id }, tag: 'segments', errors: [400, 404], summary: 'Save a new version of a segment', body: json(SegmentInput), response: SegmentCreated }),
  remove: endpoint({
    method: 'delete', path: '/segments/:id', params: { id }, tag: 'segments', errors: [404],
    summary: 'Soft-delete a segment: it leaves the list and stops refreshing; its versions and history stay',
    response: z.object({ id: z.string(), deleted: z.literal(true) }),
  }),
  versions: endpoint({ method: 'get', path: '/segments/:id/versions', params: { id }, tag: 'segments', errors: [404], summary: 'Every saved version of a segment', response: SegmentVersions }),
  history: endpoint({ method: 'get', path: '/segments/:id/history', params: { id }, tag: 'segments', errors: [404], summary: 'Size, entered and left at each refresh', response: SegmentHistory }),
  refresh: endpoint({
    method: 'post', path: '/segments/:id/refresh', params: { id }, tag: 'segments', errors: [400, 404],
    summary: 'Refresh a segment now: append who entered and left to the membership changelog', query: AsOf, response: RefreshResult,
  }),
  members: endpoint({
    method: 'get', path: '/segments/:id/members', params: { id }, tag: 'segments', errors: [400, 404],
    summary: 'Members as of a date: a JSON page ordered by id, or all of them as streamed CSV (header id + the rule\'s attributes)',
    query: MembersQuery, response: MembersPage,
  }),
  explain: endpoint({
    method: 'get', path: '/segments/:id/explain/:entityId', params: { id, entityId: id }, tag: 'segments', errors: [400, 404],
    summary: 'Why an entity is in a segment or not: each condition with its value and pass/fail, as a tree', query: AsOf, response: Explanation,
  }),
  createList: endpoint({
    method: 'post', path: '/lists', tag: 'lists', errors: [400, 413, 415],
    summary: 'Upload a list of ids (CSV with an id column, NDJSON, or a JSON array), usable in rules as {"list": id}',
    query: ListQuery,
    body: {
      'text/csv': z.string().describe('CSV with a header row that has an id column'),
      'application/x-ndjson': z.union([z.string(), z.object({ id: z.string() })]),
      'application/json': z.array(z.union([z.string(), z.object({ id: z.string() })])),
    },
    response: ListCreated,
  }),
  lists: endpoint({ method: 'get', path: '/lists', tag: 'lists', summary: 'Uploaded lists', response: ListList }),
}

export const segmentEndpoints = Object.values(E)

export const MAX_LIST_BYTES = 64 * 1024 * 1024

/**
 * Validates a JSON body. A `rule` field is checked separately so that each problem names its
 * exact path (`rule.and.1.or.0.value`) rather than the group where no union option matched.
 */
export function readBody<S extends z.ZodObject>(schema: S, body: unknown): z.output<S> {
  const hasRule = 'rule' in schema.shape
  const loose = hasRule ? schema.extend({ rule: z.unknown() }) : schema
  const r = loose.safeParse(body)
  const errors = r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
  if (r.success && hasRule) errors.push(...parseRule((r.data as { rule: unknown }).rule).issues)
  if (errors.length) throw new ApiError('bad_request', errors.map((e) => `${e.path || 'body'}: ${e.message}`).join('; '), { errors })
  return r.data as z.output<S>
}

/** Writes to a response, waiting for the socket to drain; rejects if the client goes away. */
function responseSink(res: Response, start: () => void) {
  let started = false
  return {
    async write(chunk: string): Promise<void> {
      if (!started) {
        start()
        started = true
      }
      if (res.destroyed) throw new Error('the client closed the connection')
      if (res.write(chunk)) return
      await new Promise<void>((resolve, reject) => {
        const done = () => {
          res.off('close', gone)
          resolve()
        }
        const gone = () => {
          res.off('drain', done)
          reject(new Error('the client closed the connection'))
        }
        res.once('drain', done)
        res.once('close', gone)
      })
    },
    get started() {
      return started
    },
  }
}

const p = (req: Request, name: string) => String(req.params[name])

export function segmentsRouter(db: Db): Router {
  const svc = new SegmentService(db)
  const router = Router()
  router.use('/segments', express.json({ limit: '4mb' }))
  router.use('/lists', express.text({ type: () => true, limit: MAX_LIST_BYTES }))

  mount(router, E.templates, () => ({ templates: TEMPLATES }))
  mount(router, E.skuValues, ({ query }) => skuValues(db, query))
  mount(router, E.attrValues, ({ req, query }) => attrValues(db, p(req, 'entity'), p(req, 'attr'), query))
  mount(router, E.preview, ({ req }) => svc.preview(readBody(PreviewRequest, req.body)))
  mount(router, E.overlap, ({ req }) => svc.overlap(readBody(OverlapRequest, req.body)))
  mount(router, E.list, async ({ query }) => ({ segments: await svc.list(query.include_deleted === 'true') }))
  mount(router, E.create, ({ req }) => svc.create(readBody(SegmentInput, req.body)))
  mount(router, E.get, ({ req }) => svc.get(p(req, 'id')))
  mount(router, E.update, ({ req }) => svc.update(p(req, 'id'), readBody(SegmentInput, req.body)))
  mount(router, E.remove, async ({ req }) => {
    await svc.remove(p(req, 'id'))
    return { id: p(req, 'id'), deleted: true as const }
  })
  mount(router, E.versions, async ({ req }) => ({ id: p(req, 'id'), versions: await svc.versions(p(req, 'id')) }))
  mount(router, E.history, ({ req }) => svc.history(p(req, 'id')))
  mount(router, E.refresh, ({ req, query }) => svc.refresh(p(req, 'id'), query.as_of))
  mount(router, E.members, async ({ req, res, query }) => {
    const segId = p(req, 'id')
    if (query.format === 'json') return svc.members(segId, query)
    const sink = responseSink(res, () => {
      res.status(200)
      res.setHeader('Content-Type', 'text/csv; charset=utf-8')
      res.setHeader('Content-Disposition', `attachment; filename="segment-${segId.replace(/[^\w-]/g, '_')}.csv"`)
    })
    try {
      await svc.exportCsv(segId, query.as_of, sink)
      res.end()
    } catch (e) {
      // Once rows are on the wire a problem+json reply is impossible: cut the response short.
      if (!sink.started) throw e
      log.error('segment export failed mid-stream', { segment: segId, error: errorText(e) })
      res.destroy()
    }
    return undefined as never
  })
  mount(router, E.explain, ({ req, query }) => svc.explain(p(req, 'id'), p(req, 'entityId'), query.as_of))
  mount(router, E.createList, async ({ req, query }) => {
    const format = formatOf(req.headers['content-type'])
    if (!format) throw new ApiError('unsupported_media_type', `content type ${JSON.stringify(req.headers['content-type'] ?? '')} is not accepted; send text/csv, application/x-ndjson or application/json`)
    // Raw text normally; a body another parser already read (mounted before this router) is re-serialised.
    const text = typeof req.body === 'string' ? req.body : req.body === undefined ? '' : JSON.stringify(req.body)
    return svc.createList(text, format, query)
  })
  mount(router, E.lists, async () => ({ lists: await svc.lists() }))
  return router
}
