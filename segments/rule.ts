/**
 * The segment rule language (DESIGN §5): a tree of `and` / `or` / `not` groups over attribute
 * comparisons, event conditions, membership of saved segments and uploaded lists. This file is
 * shared by the server and the browser: schemas only, no engine and no Node APIs.
 *
 * Structural validation has two forms: the zod schema {@link Rule} (types, OpenAPI, the web
 * builder) and {@link parseRule}, which reports each problem at its exact path in the tree
 * (`rule.and.1.or.0.value`) instead of zod's "no union option matched" at the group.
 */
import { z } from 'zod'
import { ENTITIES, type Entity } from './catalog.js'

export const SegmentEntity = z.enum(ENTITIES as [Entity, ...Entity[]])
export type SegmentEntity = z.infer<typeof SegmentEntity>

export const CompareOp = z.enum(['eq', 'neq', 'lt', 'lte', 'gt', 'gte'])
export type CompareOp = z.infer<typeof CompareOp>

/** A finite number, string or boolean: the value side of an attribute comparison. */
export const Scalar = z.union([z.number(), z.string().max(1000), z.boolean()])
export type Scalar = z.infer<typeof Scalar>

const AttrName = z.string().min(1).max(100)
/** Saved segment and list ids (server-generated, e.g. `seg_k3…`). */
export const RefId = z.string().min(1).max(64)

export const AttrCompare = z.strictObject({ attr: AttrName, op: CompareOp, value: Scalar })
export type AttrCompare = z.infer<typeof AttrCompare>

/** Inclusive on both ends. */
export const AttrBetween = z.strictObject({ attr: AttrName, op: z.literal('between'), value: z.tuple([Scalar, Scalar]) })
export type AttrBetween = z.infer<typeof AttrBetween>

export const MAX_IN_VALUES = 10_000
export const AttrIn = z.strictObject({ attr: AttrName, op: z.enum(['in', 'not_in']), value: z.array(Scalar).max(MAX_IN_VALUES) })
export type AttrIn = z.infer<typeof AttrIn>

export const AttrNull = z.strictObject({ attr: AttrName, op: z.enum(['is_null', 'not_null']) })
export type AttrNull = z.infer<typeof AttrNull>

export type AttrCondition = AttrCompare | AttrBetween | AttrIn | AttrNull

export const EventType = z.enum(['ship', 'stock_in', 'open', 'verify'])
export type EventType = z.infer<typeof EventType>

export const Measure = z.enum(['count', 'bottles', 'distinct_consumers', 'active_weeks'])
export type Measure = z.infer<typeof Measure>

export const LocalDate = z.iso.date()

/**
 * `{days: n}`: the n whole local days before as_of (as_of excluded).
 * `{from, to}`: both dates included (and never past as_of: see the compiler).
 */
export const EventWindow = z.union([
  z.strictObject({ days: z.number().int().min(1).max(3660) }),
  z.strictObject({ from: LocalDate, to: LocalDate }),
])
export type EventWindow = z.infer<typeof EventWindow>

const Names = z.array(z.string().min(1).max(100)).min(1).max(MAX_IN_VALUES)
export const EventWhere = z.strictObject({ sku_id: Names.optional(), tier: Names.optional(), city: Names.optional() })
export type EventWhere = z.infer<typeof EventWhere>

export const EventCondition = z.strictObject({
  event: EventType,
  window: EventWindow,
  where: EventWhere.optional(),
  measure: Measure,
  op: CompareOp,
  value: z.number(),
})
export type EventCondition = z.infer<typeof EventCondition>

export const SegmentRef = z.strictObject({ segment: RefId, member: z.boolean().optional() })
export type SegmentRef = z.infer<typeof SegmentRef>

export const ListRef = z.strictObject({ list: RefId })
export type ListRef = z.infer<typeof ListRef>

export type Rule =
  | { and: Rule[] }
  | { or: Rule[] }
  | { not: Rule }
  | AttrCondition
  | EventCondition
  | SegmentRef
  | ListRef

export const MAX_CHILDREN = 200

export const Rule: z.ZodType<Rule> = z.lazy(() =>
  z.union([
    z.strictObject({ and: z.array(Rule).max(MAX_CHILDREN) }),
    z.strictObject({ or: z.array(Rule).max(MAX_CHILDREN) }),
    z.strictObject({ not: Rule }),
    AttrCompare,
    AttrBetween,
    AttrIn,
    AttrNull,
    EventCondition,
    SegmentRef,
    ListRef,
  ]),
)

/** The kinds of rule node, named by their distinguishing key. */
export type NodeKind = 'and' | 'or' | 'not' | 'attr' | 'event' | 'segment' | 'list'

export type GroupNode = { and: Rule[] } | { or: Rule[] }

/** The kind of a (structurally valid) node. */
export function kindOf(node: Rule): NodeKind {
  if ('and' in node) return 'and'
  if ('or' in node) return 'or'
  if ('not' in node) return 'not'
  if ('attr' in node) return 'attr'
  if ('event' in node) return 'event'
  if ('segment' in node) return 'segment'
  return 'list'
}

/** A problem found in a rule, at a dotted path such as `rule.and.1.or.0.value`. */
export interface RuleIssue {
  path: string
  message: string
}

/** A rule that cannot be compiled; every issue names its path. */
export class RuleError extends Error {
  override name = 'RuleError'
  constructor(readonly issues: RuleIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '))
  }
}

/** Throws at compile time when a switch over a union misses a member. */
export function assertUnreachable(x: never): never {
  throw new Error(`unreachable: ${JSON.stringify(x)}`)
}

export const MAX_DEPTH = 32

const LEAVES: Record<Exclude<NodeKind, 'and' | 'or' | 'not'>, z.ZodType> = {
  attr: z.union([AttrCompare, AttrBetween, AttrIn, AttrNull]),
  event: EventCondition,
  segment: SegmentRef,
  list: ListRef,
}

const ATTR_BY_OP: Record<string, z.ZodType> = {
  eq: AttrCompare, neq: AttrCompare, lt: AttrCompare, lte: AttrCompare, gt: AttrCompare, gte: AttrCompare,
  between: AttrBetween, in: AttrIn, not_in: AttrIn, is_null: AttrNull, not_null: AttrNull,
}

/**
 * Validates the structure of a rule and reports every problem at its exact path.
 * @example parseRule({ and: [{ attr: 'kind', op: 'eq' }] }) // issues: [{ path: 'rule.and.0.value', … }]
 */
export function parseRule(input: unknown, path = 'rule'): { rule: Rule; issues: [] } | { rule?: undefined; issues: RuleIssue[] } {
  const issues: RuleIssue[] = []
  check(input, path, 0, issues)
  if (issues.length) return { issues }
  return { rule: input as Rule, issues: [] }
}

function check(input: unknown, path: string, depth: number, issues: RuleIssue[]): void {
  if (depth > MAX_DEPTH) {
    issues.push({ path, message: `the rule is nested deeper than ${MAX_DEPTH} levels` })
    return
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    issues.push({ path, message: 'expected a rule object' })
    return
  }
  const o = input as Record<string, unknown>
  const kinds = (['and', 'or', 'not', 'attr', 'event', 'segment', 'list'] as const).filter((k) => k in o)
  if (kinds.length !== 1) {
    issues.push({
      path,
      message: kinds.length === 0 ? 'expected one of the keys and, or, not, attr, event, segment, list' : `a node has exactly one of ${kinds.join(', ')}`,
    })
    return
  }
  const kind = kinds[0]
  if (kind === 'and' || kind === 'or') {
    const extra = Object.keys(o).filter((k) => k !== kind)
    if (extra.length) issues.push({ path: `${path}.${extra[0]}`, message: `unexpected key in an ${kind} group` })
    const children = o[kind]
    if (!Array.isArray(children)) issues.push({ path: `${path}.${kind}`, message: 'expected an array of rules' })
    else if (children.length > MAX_CHILDREN) issues.push({ path: `${path}.${kind}`, message: `at most ${MAX_CHILDREN} rules in a group` })
    else children.forEach((c, i) => check(c, `${path}.${kind}.${i}`, depth + 1, issues))
    return
  }
  if (kind === 'not') {
    const extra = Object.keys(o).filter((k) => k !== 'not')
    if (extra.length) issues.push({ path: `${path}.${extra[0]}`, message: 'unexpected key in a not group' })
    check(o.not, `${path}.not`, depth + 1, issues)
    return
  }
  const schema = kind === 'attr' ? (ATTR_BY_OP[String(o.op)] ?? LEAVES.attr) : LEAVES[kind]
  if (kind === 'attr' && !(String(o.op) in ATTR_BY_OP)) {
    issues.push({ path: `${path}.op`, message: `expected one of ${Object.keys(ATTR_BY_OP).join(', ')}` })
    return
  }
  const r = schema.safeParse(input)
  if (!r.success) for (const i of r.error.issues) issues.push({ path: [path, ...i.path.map(String)].join('.'), message: i.message })
}

/** Visits every node of a rule with its path (children after their parent). */
export function walk(rule: Rule, visit: (node: Rule, path: string) => void, path = 'rule'): void {
  visit(rule, path)
  if ('and' in rule) rule.and.forEach((c, i) => walk(c, visit, `${path}.and.${i}`))
  else if ('or' in rule) rule.or.forEach((c, i) => walk(c, visit, `${path}.or.${i}`))
  else if ('not' in rule) walk(rule.not, visit, `${path}.not`)
}

/** The attribute names a rule compares (its own tree; referenced segments not followed), in first-use order. */
export function ruleAttributes(rule: Rule): string[] {
  const out: string[] = []
  walk(rule, (n) => {
    if ('attr' in n && !out.includes(n.attr)) out.push(n.attr)
  })
  return out
}

/** The saved segments and lists a rule references directly, with the path of each reference. */
export function ruleRefs(rule: Rule): { segments: { id: string; path: string }[]; lists: { id: string; path: string }[] } {
  const segments: { id: string; path: string }[] = []
  const lists: { id: string; path: string }[] = []
  walk(rule, (n, path) => {
    if ('segment' in n) segments.push({ id: n.segment, path: `${path}.segment` })
    else if ('list' in n) lists.push({ id: n.list, path: `${path}.list` })
  })
  return { segments, lists }
}
