/**
 * The plain TypeScript evaluator: the meaning of a rule for one entity, given its profile row
 * and the measures of its event conditions. The compiled SQL must agree with it on every row
 * (the property test checks that); explanations ("why is this store in?") are built with it.
 */
import { attribute, type Attribute } from './catalog.js'
import { holds } from './compile/event.js'
import type { RuleContext } from './context.js'
import { assertUnreachable, kindOf, RuleError, type AttrCondition, type CompareOp, type EventCondition, type Rule, type Scalar } from './rule.js'
import { normalizeValue, toEpochMs } from './values.js'

export interface EvalContext extends RuleContext {
  /** The measure of an event condition for the row's entity (0 without events). */
  measure: (node: EventCondition, path: string) => number
  /** Whether the row's entity is in an uploaded list. */
  inList: (id: string, path: string) => boolean
}

/** A profile row: attribute name → value as the engine returns it (null when unknown). */
export type ProfileRow = Record<string, unknown>

interface Base {
  path: string
  pass: boolean
}
export type ExplainNode =
  | (Base & { kind: 'and' | 'or' | 'not'; children: ExplainNode[] })
  | (Base & { kind: 'attr'; attr: string; op: AttrCondition['op']; value?: Scalar | Scalar[]; actual: unknown })
  | (Base & { kind: 'event'; event: EventCondition['event']; measure: EventCondition['measure']; op: CompareOp; value: number; actual: number })
  | (Base & { kind: 'segment'; segment: string; name?: string; member: boolean; children: ExplainNode[] })
  | (Base & { kind: 'list'; list: string; actual: boolean })

/** Whether the entity of `row` satisfies `rule`. */
export function evaluate(rule: Rule, row: ProfileRow, ctx: EvalContext): boolean {
  return explainRule(rule, row, ctx).pass
}

/**
 * The rule as a tree of conditions, each with the entity's value and whether it passed.
 * @example explainRule({ attr: 'active_weeks_12w', op: 'gte', value: 10 }, { active_weeks_12w: 11 }, ctx)
 * // { path: 'rule', kind: 'attr', attr: 'active_weeks_12w', op: 'gte', value: 10, actual: 11, pass: true }
 */
export function explainRule(rule: Rule, row: ProfileRow, ctx: EvalContext, path = 'rule', stack: string[] = ctx.self ? [ctx.self] : []): ExplainNode {
  const kind = kindOf(rule)
  switch (kind) {
    case 'and': {
      const children = (rule as { and: Rule[] }).and.map((c, i) => explainRule(c, row, ctx, `${path}.and.${i}`, stack))
      return { path, kind, pass: children.every((c) => c.pass), children }
    }
    case 'or': {
      const children = (rule as { or: Rule[] }).or.map((c, i) => explainRule(c, row, ctx, `${path}.or.${i}`, stack))
      return { path, kind, pass: children.some((c) => c.pass), children }
    }
    case 'not': {
      const child = explainRule((rule as { not: Rule }).not, row, ctx, `${path}.not`, stack)
      return { path, kind, pass: !child.pass, children: [child] }
    }
    case 'attr': {
      const n = rule as AttrCondition
      const a = attribute(ctx.entity, n.attr)
      if (!a) throw new RuleError([{ path: `${path}.attr`, message: `unknown attribute ${JSON.stringify(n.attr)} for ${ctx.entity}` }])
      const actual = row[n.attr] ?? null
      return { path, kind, attr: n.attr, op: n.op, ...('value' in n ? { value: n.value } : {}), actual, pass: attrPasses(n, a, actual, ctx.asOf, path) }
    }
    case 'event': {
      const n = rule as EventCondition
      const actual = ctx.measure(n, path)
      return { path, kind, event: n.event, measure: n.measure, op: n.op, value: n.value, actual, pass: holds(actual, n.op, n.value) }
    }
    case 'segment': {
      const n = rule as { segment: string; member?: boolean }
      const s = ctx.segment?.(n.segment)
      if (!s || stack.includes(n.segment)) throw new RuleError([{ path: `${path}.segment`, message: `cannot evaluate segment ${n.segment}` }])
      const child = explainRule(s.rule, row, { ...ctx, self: undefined }, `${path}>rule`, [...stack, n.segment])
      const member = n.member !== false
      return { path, kind, segment: n.segment, ...(s.name ? { name: s.name } : {}), member, pass: member ? child.pass : !child.pass, children: [child] }
    }
    case 'list': {
      const id = (rule as { list: string }).list
      const actual = ctx.inList(id, path)
      return { path, kind, list: id, actual, pass: actual }
    }
    default:
      return assertUnreachable(kind)
  }
}

/** Compares like the SQL does: any comparison with null is false (not_in too); only is_null/not_null see nulls. */
function attrPasses(n: AttrCondition, a: Attribute, actual: unknown, asOf: string, path: string): boolean {
  const x = actual === null ? null : rowValue(a, actual)
  const v = (s: Scalar, p: string) => {
    const r = normalizeValue(a, s, asOf)
    if (!r.ok) throw new RuleError([{ path: p, message: r.message }])
    return a.type === 'datetime' ? toEpochMs(r.value) : r.value
  }
  switch (n.op) {
    case 'is_null':
      return x === null
    case 'not_null':
      return x !== null
    case 'eq':
    case 'neq':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return x !== null && compare(x, n.op, v(n.value, `${path}.value`))
    case 'between':
      return x !== null && compare(x, 'gte', v(n.value[0], `${path}.value.0`)) && compare(x, 'lte', v(n.value[1], `${path}.value.1`))
    case 'in':
      return x !== null && n.value.some((s, i) => compare(x, 'eq', v(s, `${path}.value.${i}`)))
    case 'not_in':
      return x !== null && !n.value.some((s, i) => compare(x, 'eq', v(s, `${path}.value.${i}`)))
    default:
      return assertUnreachable(n)
  }
}

function rowValue(a: Attribute, actual: unknown): number | string {
  switch (a.type) {
    case 'number':
    case 'integer':
      return Number(actual)
    case 'datetime':
      return toEpochMs(actual)
    case 'string':
    case 'date':
      return String(actual)
  }
}

function compare(x: number | string, op: CompareOp, y: number | string): boolean {
  switch (op) {
    case 'eq':
      return x === y
    case 'neq':
      return x !== y
    case 'lt':
      return x < y
    case 'lte':
      return x <= y
    case 'gt':
      return x > y
    case 'gte':
      return x >= y
  }
}
