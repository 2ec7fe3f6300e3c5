/**
 * Fetchers of the segment endpoints (server/api/routes/segments.ts), parsing every answer with the
 * schemas the server's contracts use (segments/api.ts), and the query options built on them.
 */
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query'
import {
  AttrValues,
  Explanation,
  ListCreated,
  ListList,
  OverlapResponse,
  PreviewResponse,
  RefreshResult,
  SegmentCreated,
  SegmentDetail,
  SegmentHistory,
  SegmentList,
  SegmentVersions,
  SkuValues,
  TemplateList,
  type SegmentInput,
} from '../../../../segments/api'
import type { Entity } from '../../../../segments/catalog'
import type { Rule } from '../../../../segments/rule'
import { apiGet, apiSend } from '../../api/client'
import { queryKeys } from '../../api/queryKeys'

const seg = (id: string) => `/segments/${encodeURIComponent(id)}`

/** GET /segments: saved segments with their latest size. */
export const segmentListQuery = () =>
  queryOptions({ queryKey: queryKeys.segments.list(), queryFn: ({ signal }) => apiGet('/segments', SegmentList, { signal }) })

/** GET /segments/templates: shipped templates; they change only with a deploy. */
export const templatesQuery = () =>
  queryOptions({ queryKey: queryKeys.segments.templates(), queryFn: ({ signal }) => apiGet('/segments/templates', TemplateList, { signal }), staleTime: Infinity })

/** GET /lists: uploaded id lists. */
export const listsQuery = () => queryOptions({ queryKey: queryKeys.segments.lists(), queryFn: ({ signal }) => apiGet('/lists', ListList, { signal }) })

/** GET /segments/:id: the latest version's rule. */
export const segmentQuery = (id: string) =>
  queryOptions({ queryKey: queryKeys.segments.one(id), queryFn: ({ signal }) => apiGet(seg(id), SegmentDetail, { signal }), staleTime: Infinity })

/** GET /segments/:id/versions */
export const versionsQuery = (id: string) =>
  queryOptions({ queryKey: queryKeys.segments.versions(id), queryFn: ({ signal }) => apiGet(`${seg(id)}/versions`, SegmentVersions, { signal }) })

/** GET /segments/:id/history: size, entered and left per refresh. */
export const historyQuery = (id: string) =>
  queryOptions({ queryKey: queryKeys.segments.history(id), queryFn: ({ signal }) => apiGet(`${seg(id)}/history`, SegmentHistory, { signal }) })

/** GET /segments/:id/explain/:entityId */
export const explainQuery = (id: string, entityId: string) =>
  queryOptions({
    queryKey: queryKeys.segments.explain(id, entityId),
    queryFn: ({ signal }) => apiGet(`${seg(id)}/explain/${encodeURIComponent(entityId)}`, Explanation, { signal }),
    enabled: entityId !== '',
  })

/**
 * POST /segments/preview for a rule (sent as its JSON text, which is also the key). The last
 * count stays on screen while the next one loads; a 400 is an answer, not a reason to retry.
 */
export const previewQuery = (entity: Entity, ruleJson: string, sample = 20) =>
  queryOptions({
    queryKey: queryKeys.segments.preview(entity, ruleJson),
    queryFn: ({ signal }) => apiSend('POST', '/segments/preview', { entity, rule: JSON.parse(ruleJson) as Rule, sample }, PreviewResponse, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  })

/** POST /segments/overlap for 2 or 3 segments. */
export const overlapQuery = (ids: readonly string[]) =>
  queryOptions({
    queryKey: queryKeys.segments.overlap(ids),
    queryFn: ({ signal }) => apiSend('POST', '/segments/overlap', { ids }, OverlapResponse, { signal }),
    enabled: ids.length >= 2 && ids.length <= 3,
    placeholderData: keepPreviousData,
  })

/** GET /segments/values/:entity/:attr?q= : known values of a string attribute, most frequent first. */
export const attrValuesQuery = (entity: Entity, attr: string, q: string) =>
  queryOptions({
    queryKey: queryKeys.segments.values(entity, attr, q),
    queryFn: ({ signal }) => apiGet(`/segments/values/${entity}/${encodeURIComponent(attr)}?limit=50&q=${encodeURIComponent(q)}`, AttrValues, { signal }),
    staleTime: 5 * 60_000,
    placeholderData: keepPreviousData,
  })

/** GET /segments/values/sku?q= : products for SKU filters. */
export const skuValuesQuery = (q: string) =>
  queryOptions({
    queryKey: queryKeys.segments.values('product', 'sku_id', q),
    queryFn: ({ signal }) => apiGet(`/segments/values/sku?limit=100&q=${encodeURIComponent(q)}`, SkuValues, { signal }),
    staleTime: 5 * 60_000,
    placeholderData: keepPreviousData,
  })

/** Saves a new segment (POST) or a new version of one (PUT), then refreshes it so its size is known at once. */
export async function saveSegment(id: string | null, input: SegmentInput): Promise<{ id: string; version: number }> {
  const saved = id ? await apiSend('PUT', seg(id), input, SegmentCreated) : await apiSend('POST', '/segments', input, SegmentCreated)
  await apiSend('POST', `${seg(saved.id)}/refresh`, undefined, RefreshResult)
  return saved
}

/** Uploads a CSV of ids (a header row with an `id` column) as a list usable in rules. */
export const uploadList = (csv: string, name: string, entity: Entity) =>
  apiSend('POST', `/lists?name=${encodeURIComponent(name)}&entity=${entity}`, csv, ListCreated, { contentType: 'text/csv' })

/** The CSV export of a segment's members (streamed by the server). */
export const exportHref = (id: string) => `/api/v1${seg(id)}/members?format=csv`

export const useSegmentList = () => useQuery(segmentListQuery())
export const useLists = () => useQuery(listsQuery())
export const useTemplates = () => useQuery(templatesQuery())
