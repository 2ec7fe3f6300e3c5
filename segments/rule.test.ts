import { describe, expect, it } from 'vitest'
import { CATALOG } from './catalog.js'
import { checkRule } from './check.js'
import type { RuleContext } from './context.js'
import { parseRule, Rule, ruleAttributes, ruleRefs, type RuleIssue } from './rule.js'
import { TEMPLATES } from './templates.js'

const ctx = (over: Partial<RuleContext> = {}): RuleContext => ({
  entity: 'store',
  asOf: '2026-03-01',
  segment: (id) =>
    ({
      s1: { id: 's1', entity: 'store' as const, rule: { segment: 's2' } },
      s2: { id: 's2', entity: 'store' as const, rule: { attr: 'kind', op: 'eq' as const, value: 'restaurant' } },
      loopA: { id: 'loopA', entity: 'store' as const, rule: { segment: 'loopB' } },
      loopB: { id: 'loopB', entity: 'store' as const, rule: { and: [{ segment: 'loopA' }] } },
      c1: { id: 'c1', entity: 'consumer' as const, rule: { and: [] } },
      broken: { id: 'broken', entity: 'store' as const, rule: { attr: 'gone', op: 'is_null' as const } },
    })[id],
  list: (id) => (id === 'L1' ? { id, entity: 'store' } : id === 'LC' ? { id, entity: 'consumer' } : undefined),
  ...over,
})

const paths = (issues: RuleIssue[]) => issues.map((i) => i.path)

describe('parseRule: structure, with the exact path of each problem', () => {
  it.each<[string, unknown, string[]]>([
    ['a deep bad value', { and: [{ attr: 'kind', op: 'eq', value: 'x' }, { or: [{ attr: 'kind', op: 'eq', value: { x: 1 } }] }] }, ['rule.and.1.or.0.value']],
    ['a missing value', { not: { attr: 'kind', op: 'eq' } }, ['rule.not.value']],
    ['an unknown op', { attr: 'kind', op: 'like', value: 'x' }, ['rule.op']],
    ['two kinds in a node', { attr: 'kind', and: [] }, ['rule']],
    ['no kind', { foo: 1 }, ['rule']],
    ['not an object', ['x'], ['rule']],
    ['between needs two values', { attr: 'open_rate_90d', op: 'between', value: [1] }, ['rule.value']],
    ['an extra key', { attr: 'kind', op: 'is_null', value: 3 }, ['rule']],
    ['a bad window', { event: 'open', window: { days: 0 }, measure: 'count', op: 'gt', value: 1 }, ['rule.window.days']],
    ['a bad measure', { event: 'open', window: { days: 7 }, measure: 'sum', op: 'gt', value: 1 }, ['rule.measure']],
    ['an empty filter list', { event: 'open', window: { days: 7 }, where: { sku_id: [] }, measure: 'count', op: 'gt', value: 1 }, ['rule.where.sku_id']],
    ['a non-boolean member flag', { segment: 's1', member: 'yes' }, ['rule.member']],
  ])('%s', (_name, input, want) => {
    const r = parseRule(input)
    expect(r.rule).toBeUndefined()
    expect(paths(r.issues)).toEqual(want)
    // The zod schema rejects it too.
    expect(Rule.safeParse(input).success).toBe(false)
  })

  it.each<[string, unknown]>([
    ['an empty and', { and: [] }],
    ['a comparison', { attr: 'kind', op: 'neq', value: 'restaurant' }],
    ['an in list', { attr: 'kind', op: 'in', value: [] }],
    ['an absolute window', { event: 'open', window: { from: '2026-01-01', to: '2026-01-31' }, where: { tier: ['premium'] }, measure: 'bottles', op: 'gte', value: 12 }],
    ['a negated reference', { not: { segment: 's1', member: false } }],
    ['a list', { list: 'L1' }],
  ])('accepts %s', (_name, input) => {
    expect(parseRule(input).issues).toEqual([])
    expect(Rule.safeParse(input).success).toBe(true)
  })

  it('refuses absurd nesting', () => {
    let deep: unknown = { attr: 'kind', op: 'is_null' }
    for (let i = 0; i < 40; i++) deep = { not: deep }
    expect(parseRule(deep).issues[0].message).toMatch(/deeper/)
  })
})

describe('checkRule: against the catalog and the saved segments', () => {
  it.each<[string, Rule, string[], RegExp]>([
    ['an unknown attribute', { and: [{ attr: 'kind', op: 'is_null' }, { or: [{ attr: 'nope', op: 'eq', value: 1 }] }] }, ['rule.and.1.or.0.attr'], /unknown attribute "nope"/],
    ['a string for a number', { attr: 'open_rate_90d', op: 'gt', value: 'high' }, ['rule.value'], /number/],
    ['a number for a string', { attr: 'kind', op: 'eq', value: 3 }, ['rule.value'], /string/],
    ['a boolean for a number', { attr: 'active_weeks_12w', op: 'eq', value: true }, ['rule.value'], /number/],
    ['ordering on a string', { attr: 'city', op: 'lt', value: 'a' }, ['rule.op'], /ordered/],
    ['between on a string', { attr: 'city', op: 'between', value: ['a', 'b'] }, ['rule.op'], /ordered/],
    ['a bad item in a list', { attr: 'active_weeks_12w', op: 'in', value: [1, '2', 3] }, ['rule.value.1'], /"2"/],
    ['a bad bound', { attr: 'open_rate_90d', op: 'between', value: [0, 'x'] }, ['rule.value.1'], /"x"/],
    ['an unknown segment', { segment: 'nope' }, ['rule.segment'], /unknown segment/],
    ['a segment of another entity', { segment: 'c1' }, ['rule.segment'], /consumer segment/],
    ['a cycle between saved segments', { or: [{ attr: 'kind', op: 'is_null' }, { segment: 'loopA' }] }, ['rule.or.1.segment'], /cycle: loopA → loopB → loopA/],
    ['a broken referenced segment', { segment: 'broken' }, ['rule.segment'], /does not compile: rule.attr/],
    ['an unknown list', { list: 'L9' }, ['rule.list'], /unknown list/],
    ['a list of another entity', { list: 'LC' }, ['rule.list'], /consumer ids/],
    ['a window ending before it starts', { event: 'open', window: { from: '2026-02-01', to: '2026-01-01' }, measure: 'count', op: 'gt', value: 0 }, ['rule.window.to'], /ends before/],
    ['a date that does not exist', { event: 'open', window: { from: '2026-02-30', to: '2026-03-01' }, measure: 'count', op: 'gt', value: 0 }, ['rule.window.from'], /calendar/],
    ['distinct consumers of stock-ins', { event: 'stock_in', window: { days: 7 }, measure: 'distinct_consumers', op: 'gt', value: 0 }, ['rule.measure'], /open or verify/],
  ])('%s is reported at its path', (_name, rule, want, message) => {
    const issues = checkRule(rule, ctx())
    expect(paths(issues)).toEqual(want)
    expect(issues[0].message).toMatch(message)
  })

  it('reports a reference back to the segment being saved as a cycle', () => {
    const issues = checkRule({ and: [{ segment: 's1' }] }, ctx({ self: 's2', segment: (id) => (id === 's1' ? { id, entity: 'store', rule: { segment: 's2' } } : undefined) }))
    expect(issues).toEqual([{ path: 'rule.and.0.segment', message: expect.stringMatching(/cycle: s2 → s1 → s2/) }])
  })

  it.each<[string, Rule, string]>([
    ['distinct consumers for consumers', { event: 'open', window: { days: 7 }, measure: 'distinct_consumers', op: 'gt', value: 0 }, 'rule.measure'],
    ['stock-ins of consumers', { event: 'stock_in', window: { days: 7 }, measure: 'count', op: 'gt', value: 0 }, 'rule.event'],
    ['a store attribute', { attr: 'kind', op: 'is_null' }, 'rule.attr'],
  ])('consumer rules: %s is refused', (_name, rule, path) => {
    expect(paths(checkRule(rule, ctx({ entity: 'consumer' })))).toContain(path)
  })

  it('accepts date-times as dates, instants and as_of-relative values', () => {
    for (const value of ['2026-01-01', '2026-01-01T08:00:00+08:00', '2026-01-01T00:00:00Z', 'as_of', 'as_of-30d'])
      expect(checkRule({ attr: 'first_open_at', op: 'gte', value }, ctx({ entity: 'consumer' }))).toEqual([])
    for (const value of ['yesterday', '2026-13-01', '2026-01-01T08:00:00', 'as_of+3d', 5])
      expect(paths(checkRule({ attr: 'first_open_at', op: 'gte', value }, ctx({ entity: 'consumer' })))).toEqual(['rule.value'])
  })
})

describe('helpers', () => {
  it('lists attributes in first-use order and references with their paths', () => {
    const rule: Rule = { and: [{ attr: 'kind', op: 'is_null' }, { not: { attr: 'city', op: 'eq', value: 'x' } }, { attr: 'kind', op: 'not_null' }, { segment: 's1' }, { or: [{ list: 'L1' }] }] }
    expect(ruleAttributes(rule)).toEqual(['kind', 'city'])
    expect(ruleRefs(rule)).toEqual({ segments: [{ id: 's1', path: 'rule.and.3.segment' }], lists: [{ id: 'L1', path: 'rule.and.4.or.0.list' }] })
  })
})

describe('templates', () => {
  it.each(TEMPLATES.map((t) => [t.id, t]))('%s is a valid rule over the catalog, named in both languages', (_id, t) => {
    expect(parseRule(t.rule).issues).toEqual([])
    expect(checkRule(t.rule, ctx({ entity: t.entity }))).toEqual([])
    expect(t.name.zh && t.name.en && t.description.zh && t.description.en).toBeTruthy()
    for (const a of ruleAttributes(t.rule)) expect(CATALOG[t.entity].map((x) => x.name)).toContain(a)
  })

  it('ship the five templates of the brief', () => {
    expect(TEMPLATES.map((t) => t.id).sort()).toEqual(['diversion_suspects', 'dormant_stores', 'group_buy_candidates', 'new_high_value_consumers', 'scan_farm_suspects'])
  })
})
