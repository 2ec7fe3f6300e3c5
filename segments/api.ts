/**
 * Request and response schemas of the segment and list endpoints, shared by the server's route
 * contracts, the OpenAPI document and the web's fetchers. Schema and type share a name.
 */
import { z } from 'zod'
import { LocalDate, RefId, Rule, SegmentEntity } from './rule.js'

export const SegmentId = RefId
export const MAX_SAMPLE = 200

export const PreviewRequest = z.object({
  entity: SegmentEntity,
  rule: Rule,
  as_of: LocalDate.optional(),
  sample: z.number().int().min(0).max(MAX_SAMPLE).default(20),
})
export type PreviewRequest = z.infer<typeof PreviewRequest>

/** A member with the values of the attributes its rule uses (null when unknown). */
export const MemberRow = z.object({ id: z.string(), values: z.record(z.string(), z.unknown()) })
export type MemberRow = z.infer<typeof MemberRow>

export const PreviewResponse = z.object({ count: z.number().int(), as_of: LocalDate, sample: z.array(MemberRow) })
export type PreviewResponse = z.infer<typeof PreviewResponse>

export const SegmentInput = z.object({
  name: z.string().trim().min(1).max(200),
  entity: SegmentEntity,
  rule: Rule,
  note: z.string().max(4000).optional(),
})
export type SegmentInput = z.infer<typeof SegmentInput>

export const SegmentCreated = z.object({ id: SegmentId, version: z.number().int() })
export type SegmentCreated = z.infer<typeof SegmentCreated>

export const SegmentSummary = z.object({
  id: SegmentId,
  name: z.string(),
  entity: SegmentEntity,
  version: z.number().int(),
  created_at: z.string(),
  updated_at: z.string(),
  deleted: z.boolean(),
  /** Size at the latest refresh; null before the first. */
  size: z.number().int().nullable(),
  refreshed_at: z.string().nullable(),
})
export type SegmentSummary = z.infer<typeof SegmentSummary>

export const SegmentList = z.object({ segments: z.array(SegmentSummary) })
export type SegmentList = z.infer<typeof SegmentList>

export const SegmentDetail = SegmentSummary.extend({ rule: Rule, note: z.string() })
export type SegmentDetail = z.infer<typeof SegmentDetail>

export const SegmentVersion = z.object({
  version: z.number().int(),
  name: z.string(),
  entity: SegmentEntity,
  rule: Rule,
  note: z.string(),
  created_at: z.string(),
})
export type SegmentVersion = z.infer<typeof SegmentVersion>
export const SegmentVersions = z.object({ id: SegmentId, versions: z.array(SegmentVersion) })
export type SegmentVersions = z.infer<typeof SegmentVersions>

export const RefreshResult = z.object({
  segment_id: SegmentId,
  refresh_id: z.string(),
  version: z.number().int(),
  as_of: LocalDate,
  refreshed_at: z.string(),
  size: z.number().int(),
  entered: z.number().int(),
  left: z.number().int(),
  duration_ms: z.number().int(),
})
export type RefreshResult = z.infer<typeof RefreshResult>

export const SegmentHistory = z.object({ id: SegmentId, refreshes: z.array(RefreshResult.omit({ segment_id: true })) })
export type SegmentHistory = z.infer<typeof SegmentHistory>

export const MembersQuery = z.object({
  format: z.enum(['json', 'csv']).default('json'),
  as_of: LocalDate.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  offset: z.coerce.number().int().min(0).default(0),
})
export type MembersQuery = z.infer<typeof MembersQuery>

export const MembersPage = z.object({
  id: SegmentId,
  version: z.number().int(),
  as_of: LocalDate,
  count: z.number().int(),
  attributes: z.array(z.string()),
  members: z.array(MemberRow),
})
export type MembersPage = z.infer<typeof MembersPage>

/** One node of an explanation: the condition, the entity's value and whether it passed. */
export const ExplainNode: z.ZodType<unknown> = z.lazy(() =>
  z
    .object({
      path: z.string(),
      kind: z.enum(['and', 'or', 'not', 'attr', 'event', 'segment', 'list']),
      pass: z.boolean(),
      children: z.array(ExplainNode).optional(),
      actual: z.unknown().optional(),
    })
    .loose(),
)

export const Explanation = z.object({
  id: SegmentId,
  version: z.number().int(),
  as_of: LocalDate,
  entity_id: z.string(),
  member: z.boolean(),
  tree: ExplainNode,
})
export type Explanation = z.infer<typeof Explanation>

export const OverlapRequest = z.object({ ids: z.array(SegmentId).min(2).max(3), as_of: LocalDate.optional() })
export type OverlapRequest = z.infer<typeof OverlapRequest>

export const OverlapResponse = z.object({
  as_of: LocalDate,
  entity: SegmentEntity,
  segments: z.array(z.object({ id: SegmentId, name: z.string(), size: z.number().int() })),
  /** Venn regions: entities in exactly these segments and none of the others. */
  regions: z.array(z.object({ in: z.array(SegmentId), count: z.number().int() })),
  /** Every intersection: entities in all of these segments (whatever else). */
  intersections: z.array(z.object({ ids: z.array(SegmentId), count: z.number().int() })),
})
export type OverlapResponse = z.infer<typeof OverlapResponse>

export const ListQuery = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  entity: SegmentEntity.default('store'),
})
export type ListQuery = z.infer<typeof ListQuery>

export const RejectedId = z.object({ line: z.number().int(), errors: z.array(z.object({ path: z.string(), message: z.string() })) })

export const ListCreated = z.object({
  id: RefId,
  size: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(RejectedId),
})
export type ListCreated = z.infer<typeof ListCreated>

export const ListSummary = z.object({ id: RefId, name: z.string(), entity: SegmentEntity, size: z.number().int(), rejected: z.number().int(), created_at: z.string() })
export type ListSummary = z.infer<typeof ListSummary>
export const ListList = z.object({ lists: z.array(ListSummary) })
export type ListList = z.infer<typeof ListList>

export const SegmentTemplate = z.object({
  id: z.string(),
  entity: SegmentEntity,
  name: z.object({ zh: z.string(), en: z.string() }),
  description: z.object({ zh: z.string(), en: z.string() }),
  rule: Rule,
})
export type SegmentTemplate = z.infer<typeof SegmentTemplate>
export const TemplateList = z.object({ templates: z.array(SegmentTemplate) })
export type TemplateList = z.infer<typeof TemplateList>

/** Query of the distinct-value endpoints (`q` matches anywhere, case-insensitively). */
export const ValuesQuery = z.object({
  q: z.string().max(100).default(''),
  limit: z.coerce.number().int().min(1).max(500).default(50),
})
export type ValuesQuery = z.infer<typeof ValuesQuery>

/** The most frequent distinct values of a string attribute, most frequent first. */
export const AttrValues = z.object({
  entity: SegmentEntity,
  attr: z.string(),
  values: z.array(z.object({ value: z.string(), count: z.number().int() })),
})
export type AttrValues = z.infer<typeof AttrValues>

/** Products for SKU pickers, by SKU id. */
export const SkuValues = z.object({ values: z.array(z.object({ sku_id: z.string(), name: z.string(), tier: z.string() })) })
export type SkuValues = z.infer<typeof SkuValues>
