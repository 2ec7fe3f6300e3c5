/**
 * Checks a structurally valid rule against the attribute catalog and the saved segments and
 * lists it references. Every problem names its path in the rule, so the API can answer 400 with
 * `rule.and.1.or.0.value: …` and the builder can mark the field.
 */
import { attribute } from './catalog.js'
import type { RuleContext } from './context.js'
import { assertUnreachable, kindOf, type EventCondition, type Rule, type RuleIssue } from './rule.js'
import { isLocalDate, isOrdered, normalizeValue } from './values.js'

/**
 * Every semantic problem of a rule (empty when it compiles).
 * @example checkRule({ attr: 'nope', op: 'is_null' }, { entity: 'store', asOf: '2026-01-01' }) // [{ path: 'rule.attr', … }]
 */
export function checkRule(rule: Rule, ctx: RuleContext, path = 'rule'): RuleIssue[] {
  const issues: RuleIssue[] = []
  new Checker(ctx, issues).node(rule, path, ctx.self ? [ctx.self] : [])
  return issues
}

class Checker {
  private readonly acyclic = new Set<string>()
  constructor(
    private readonly ctx: RuleContext,
    private readonly issues: RuleIssue[],
  ) {}

  private fail(path: string, message: string): void {
    this.issues.push({ path, message })
  }

  node(n: Rule, path: string, stack: string[]): void {
    const kind = kindOf(n)
    switch (kind) {
      case 'and':
        return (n as { and: Rule[] }).and.forEach((c, i) => this.node(c, `${path}.and.${i}`, stack))
      case 'or':
        return (n as { or: Rule[] }).or.forEach((c, i) => this.node(c, `${path}.or.${i}`, stack))
      case 'not':
        return this.node((n as { not: Rule }).not, `${path}.not`, stack)
      case 'attr':
        return this.attr(n as Extract<Rule, { attr: string }>, path)
      case 'event':
        return this.event(n as EventCondition, path)
      case 'segment':
        return this.segment((n as { segment: string }).segment, path, stack)
      case 'list':
        return this.list((n as { list: string }).list, path)
      default:
        return assertUnreachable(kind)
    }
  }

  private attr(n: Extract<Rule, { attr: string }>, path: string): void {
    const a = attribute(this.ctx.entity, n.attr)
    if (!a) return this.fail(`${path}.attr`, `unknown attribute ${JSON.stringify(n.attr)} for ${this.ctx.entity}`)
    const value = (v: unknown, p: string) => {
      const r = normalizeValue(a, v as never, this.ctx.asOf)
      if (!r.ok) this.fail(p, r.message)
    }
    switch (n.op) {
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte':
      case 'between':
        if (!isOrdered(a.type)) return this.fail(`${path}.op`, `${n.op} needs an ordered attribute; ${a.name} is a ${a.type} (use eq, neq, in or not_in)`)
        break
      default:
        break
    }
    switch (n.op) {
      case 'eq':
      case 'neq':
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte':
        return value(n.value, `${path}.value`)
      case 'between':
        return n.value.forEach((v, i) => value(v, `${path}.value.${i}`))
      case 'in':
      case 'not_in':
        return n.value.forEach((v, i) => value(v, `${path}.value.${i}`))
      case 'is_null':
      case 'not_null':
        return
      default:
        return assertUnreachable(n)
    }
  }

  private event(n: EventCondition, path: string): void {
    if ('from' in n.window) {
      if (!isLocalDate(n.window.from)) this.fail(`${path}.window.from`, `${n.window.from} is not a calendar date`)
      else if (!isLocalDate(n.window.to)) this.fail(`${path}.window.to`, `${n.window.to} is not a calendar date`)
      else if (n.window.from > n.window.to) this.fail(`${path}.window.to`, 'the window ends before it starts')
    }
    if (this.ctx.entity === 'consumer' && n.event !== 'open' && n.event !== 'verify')
      this.fail(`${path}.event`, `consumers scan only open and verify events; ${n.event} scans have no consumer`)
    if (n.measure === 'distinct_consumers') {
      if (this.ctx.entity !== 'store')
        this.fail(`${path}.measure`, `distinct_consumers is a measure of stores only (a ${this.ctx.entity} rollup has no consumer per event)`)
      else if (n.event !== 'open' && n.event !== 'verify') this.fail(`${path}.measure`, `distinct_consumers needs open or verify events; ${n.event} scans carry no consumer`)
    }
  }

  private segment(id: string, path: string, stack: string[]): void {
    const p = `${path}.segment`
    if (stack.includes(id)) return this.fail(p, `segment references form a cycle: ${[...stack.slice(stack.indexOf(id)), id].join(' → ')}`)
    const s = this.ctx.segment?.(id)
    if (!s) return this.fail(p, `unknown segment ${JSON.stringify(id)}`)
    if (s.entity !== this.ctx.entity) return this.fail(p, `segment ${id} is a ${s.entity} segment; this rule is over ${this.ctx.entity}`)
    if (this.acyclic.has(id)) return
    const inner: RuleIssue[] = []
    new Checker({ ...this.ctx, self: undefined }, inner).node(s.rule, 'rule', [...stack, id])
    for (const i of inner) {
      // A cycle found further down is reported once, at the reference that starts it here.
      this.fail(p, i.message.startsWith('segment references form a cycle') ? i.message : `segment ${id} does not compile: ${i.path}: ${i.message}`)
    }
    if (inner.length === 0) this.acyclic.add(id)
  }

  private list(id: string, path: string): void {
    const l = this.ctx.list?.(id)
    if (!l) return this.fail(`${path}.list`, `unknown list ${JSON.stringify(id)}`)
    if (l.entity !== this.ctx.entity) this.fail(`${path}.list`, `list ${id} holds ${l.entity} ids; this rule is over ${this.ctx.entity}`)
  }
}
