/**
 * The segment compiler: a rule tree → ClickHouse SQL selecting the member ids of an entity as of
 * a date. One small pure function per node kind; every value is a bound parameter
 * ({@link Params}) and every identifier comes from the catalog or a fixed map.
 *
 * The profile source is given by the caller (the server's `profileSource(entity, asOf)`): a
 * parenthesised SELECT yielding `id` and every attribute column, one row per entity. Attribute
 * conditions read its columns; event conditions are `id [NOT] IN (…rollup…)`; a saved segment
 * is its own rule inlined over the same row (same entity, same source), so a reference costs no
 * second scan; an uploaded list is `id IN (…list_members…)`.
 */
import { checkRule } from './check.js'
import { compileAttr } from './compile/attr.js'
import { compileEvent, compileEventMeasure } from './compile/event.js'
import { Params, type SqlFragment } from './compile/params.js'
import type { RuleContext } from './context.js'
import { assertUnreachable, kindOf, RuleError, type AttrCondition, type EventCondition, type Rule } from './rule.js'

export { Params, renderDebug, type SqlFragment } from './compile/params.js'
export { holds, windowDays } from './compile/event.js'

/** Throws {@link RuleError} naming every problem's path unless the rule compiles. */
export function assertValid(rule: Rule, ctx: RuleContext): void {
  const issues = checkRule(rule, ctx)
  if (issues.length) throw new RuleError(issues)
}

/**
 * A boolean SQL expression over the profile source's columns: true exactly for members. Never
 * null. Assumes {@link assertValid} passed (it still throws {@link RuleError} on a bad node).
 */
export function compilePredicate(rule: Rule, ctx: RuleContext, params: Params, path = 'rule', stack: string[] = ctx.self ? [ctx.self] : []): string {
  const kind = kindOf(rule)
  switch (kind) {
    case 'and':
      return group((rule as { and: Rule[] }).and, 'AND', '1', ctx, params, `${path}.and`, stack)
    case 'or':
      return group((rule as { or: Rule[] }).or, 'OR', '0', ctx, params, `${path}.or`, stack)
    case 'not':
      return `NOT (${compilePredicate((rule as { not: Rule }).not, ctx, params, `${path}.not`, stack)})`
    case 'attr':
      return compileAttr(rule as AttrCondition, ctx, params, path)
    case 'event':
      return compileEvent(rule as EventCondition, ctx, params, path)
    case 'segment':
      return compileSegmentRef(rule as { segment: string; member?: boolean }, ctx, params, path, stack)
    case 'list':
      return `id IN (${listMembers((rule as { list: string }).list, params)})`
    default:
      return assertUnreachable(kind)
  }
}

function group(children: Rule[], op: 'AND' | 'OR', empty: string, ctx: RuleContext, params: Params, path: string, stack: string[]): string {
  if (children.length === 0) return empty
  const parts = children.map((c, i) => compilePredicate(c, ctx, params, `${path}.${i}`, stack))
  return parts.length === 1 ? parts[0] : `(${parts.join(` ${op} `)})`
}

function compileSegmentRef(n: { segment: string; member?: boolean }, ctx: RuleContext, params: Params, path: string, stack: string[]): string {
  const s = resolveSegment(n.segment, ctx, `${path}.segment`, stack)
  const inner = compilePredicate(s.rule, { ...ctx, self: undefined }, params, `${path}>rule`, [...stack, n.segment])
  return n.member === false ? `NOT (${inner})` : `(${inner})`
}

function resolveSegment(id: string, ctx: RuleContext, path: string, stack: string[]) {
  if (stack.includes(id)) throw new RuleError([{ path, message: `segment references form a cycle through ${id}` }])
  const s = ctx.segment?.(id)
  if (!s || s.entity !== ctx.entity) throw new RuleError([{ path, message: `unknown ${ctx.entity} segment ${JSON.stringify(id)}` }])
  return s
}

function listMembers(id: string, params: Params): string {
  return `SELECT member_id FROM list_members WHERE list_id = ${params.bind(id, 'String')}`
}

/** Options of a whole query: the rule's context and the profile source to read. */
export interface CompileOptions extends RuleContext {
  source: SqlFragment
}

/**
 * `SELECT id FROM <source> WHERE <rule>`: the members of the rule's entity as of `asOf`.
 * @example compileMembers({ attr: 'active_weeks_12w', op: 'gte', value: 10 }, { entity: 'store', asOf: '2026-03-01', source })
 * // { sql: 'SELECT id FROM (…) AS p WHERE ifNull(`active_weeks_12w` >= {p0:Float64}, 0)', params: { p0: 10 } }
 */
export function compileMembers(rule: Rule, opts: CompileOptions): SqlFragment {
  assertValid(rule, opts)
  const params = new Params()
  const from = params.adopt(opts.source)
  const where = compilePredicate(rule, opts, params)
  return { sql: `SELECT id FROM ${from} AS p WHERE ${where}`, params: params.values }
}

/** The values an explanation needs for one entity: attribute columns, and one expression per event and list leaf. */
export interface ExplainLeaves {
  /** Attributes read anywhere in the tree, referenced segments included. */
  attrs: string[]
  /** Keyed by the leaf's path (`rule.and.1`, or `rule.and.2>rule.or.0` inside a referenced segment). */
  leaves: { path: string; alias: string; expr: string }[]
}

/** Expressions computing the leaves of a rule for the entity bound as `idParam` (a placeholder). */
export function compileExplainLeaves(rule: Rule, ctx: RuleContext, params: Params, idParam: string): ExplainLeaves {
  const out: ExplainLeaves = { attrs: [], leaves: [] }
  const visit = (n: Rule, path: string, stack: string[]): void => {
    const kind = kindOf(n)
    switch (kind) {
      case 'and':
        return (n as { and: Rule[] }).and.forEach((c, i) => visit(c, `${path}.and.${i}`, stack))
      case 'or':
        return (n as { or: Rule[] }).or.forEach((c, i) => visit(c, `${path}.or.${i}`, stack))
      case 'not':
        return visit((n as { not: Rule }).not, `${path}.not`, stack)
      case 'attr': {
        const a = (n as AttrCondition).attr
        if (!out.attrs.includes(a)) out.attrs.push(a)
        return
      }
      case 'event':
        out.leaves.push({ path, alias: `v${out.leaves.length}`, expr: compileEventMeasure(n as EventCondition, ctx, params, path, idParam) })
        return
      case 'list':
        out.leaves.push({ path, alias: `v${out.leaves.length}`, expr: `toFloat64(${idParam} IN (${listMembers((n as { list: string }).list, params)}))` })
        return
      case 'segment': {
        const id = (n as { segment: string }).segment
        const s = resolveSegment(id, ctx, `${path}.segment`, stack)
        return visit(s.rule, `${path}>rule`, [...stack, id])
      }
      default:
        return assertUnreachable(kind)
    }
  }
  visit(rule, 'rule', ctx.self ? [ctx.self] : [])
  return out
}
