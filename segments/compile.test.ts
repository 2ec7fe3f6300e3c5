import { describe, expect, it } from 'vitest'
import { compileMembers, holds, Params, renderDebug, windowDays } from './compile.js'
import type { RuleContext } from './context.js'
import { RuleError, type CompareOp, type Rule } from './rule.js'
import { normalizeValue, tomorrowLocal } from './values.js'

const source = { sql: '(SELECT store_id AS id, * FROM store_profiles FINAL)', params: {} }
const ctx: RuleContext = { entity: 'store', asOf: '2026-03-01', list: (id) => (id === 'L1' ? { id, entity: 'store' } : undefined), segment: (id) => (id === 's1' ? { id, entity: 'store', rule: { attr: 'kind', op: 'eq', value: 'restaurant' } } : undefined) }
const compile = (rule: Rule, over: Partial<RuleContext> = {}) => compileMembers(rule, { ...ctx, ...over, source })

describe('the SQL of each node kind', () => {
  it.each<[string, Rule, string, Record<string, unknown>]>([
    ['a comparison', { attr: 'open_rate_90d', op: 'gte', value: 0.5 }, 'ifNull(`open_rate_90d` >= {p0:Float64}, 0)', { p0: 0.5 }],
    ['between', { attr: 'active_weeks_12w', op: 'between', value: [2, 5] }, 'ifNull(`active_weeks_12w` >= {p0:Float64} AND `active_weeks_12w` <= {p1:Float64}, 0)', { p0: 2, p1: 5 }],
    ['not_in', { attr: 'kind', op: 'not_in', value: ['a', 'b'] }, 'ifNull(`kind` NOT IN (SELECT arrayJoin({p0:Array(String)})), 0)', { p0: ['a', 'b'] }],
    ['is_null', { attr: 'city', op: 'is_null' }, 'isNull(`city`)', {}],
    ['not', { not: { attr: 'city', op: 'not_null' } }, 'NOT (isNotNull(`city`))', {}],
    ['an empty and', { and: [] }, '1', {}],
    ['an empty or', { or: [] }, '0', {}],
    ['a list', { list: 'L1' }, 'id IN (SELECT member_id FROM list_members WHERE list_id = {p0:String})', { p0: 'L1' }],
    ['a saved segment, inlined over the same row', { segment: 's1', member: false }, 'NOT (ifNull(`kind` = {p0:String}, 0))', { p0: 'restaurant' }],
  ])('%s', (_name, rule, where, params) => {
    const q = compile(rule)
    expect(q.sql).toBe(`SELECT id FROM ${source.sql} AS p WHERE ${where}`)
    expect(q.params).toEqual(params)
  })

  it('an event condition reads the rollup with every value bound', () => {
    const q = compile({ event: 'open', window: { days: 7 }, where: { sku_id: ['K1'], tier: ['premium'], city: ['潍坊市'] }, measure: 'bottles', op: 'gte', value: 12 })
    expect(q.sql).toContain(
      'id IN (SELECT store_id FROM store_daily WHERE type = {p0:String} AND day >= {p1:Date} AND day < {p2:Date} AND sku_id IN (SELECT arrayJoin({p3:Array(String)})) AND sku_id IN (SELECT sku_id FROM products FINAL WHERE tier IN (SELECT arrayJoin({p4:Array(String)}))) AND city IN (SELECT arrayJoin({p5:Array(String)})) GROUP BY store_id HAVING sum(bottles) >= {p6:Float64})',
    )
    expect(q.params).toEqual({ p0: 'open', p1: '2026-02-22', p2: '2026-03-01', p3: ['K1'], p4: ['premium'], p5: ['潍坊市'], p6: 12 })
  })

  it.each<[CompareOp, number, 'IN' | 'NOT IN']>([
    ['gte', 1, 'IN'],
    ['gt', 0, 'IN'],
    ['eq', 3, 'IN'],
    ['lt', 3, 'NOT IN'],
    ['lte', 0, 'NOT IN'],
    ['eq', 0, 'NOT IN'],
    ['neq', 0, 'IN'],
    ['neq', 2, 'NOT IN'],
    ['gte', 0, 'NOT IN'],
  ])('measure %s %d: entities without events (measure 0) are decided statically (%s)', (op, value, form) => {
    const q = compile({ event: 'open', window: { days: 30 }, measure: 'count', op, value })
    expect(q.sql).toContain(`WHERE id ${form} (SELECT`)
    expect(q.sql.includes('HAVING NOT (')).toBe(form === 'NOT IN')
    expect(holds(0, op, value)).toBe(form === 'NOT IN')
  })

  it('reads distinct consumers from the per-consumer rollups', () => {
    expect(compile({ event: 'open', window: { days: 7 }, measure: 'distinct_consumers', op: 'gt', value: 2 }).sql).toContain("FROM store_opens_daily WHERE consumer_id != '' AND day")
    expect(compile({ event: 'verify', window: { days: 7 }, measure: 'distinct_consumers', op: 'gt', value: 2 }).sql).toContain("FROM consumer_daily WHERE store_id != '' AND type =")
    expect(compile({ event: 'open', window: { days: 7 }, measure: 'active_weeks', op: 'gt', value: 2 }).sql).toContain('uniqExact(toMonday(day))')
  })

  it('uses the rollup of each entity', () => {
    const e = { event: 'open', window: { days: 7 }, measure: 'count', op: 'gt', value: 0 } as const
    expect(compileMembers(e, { ...ctx, entity: 'consumer', source }).sql).toContain('SELECT consumer_id FROM consumer_daily')
    expect(compileMembers(e, { ...ctx, entity: 'distributor', source }).sql).toContain('SELECT distributor_id FROM distributor_daily')
  })

  it('throws a RuleError naming the path instead of compiling a bad rule', () => {
    expect(() => compile({ and: [{ attr: 'kind', op: 'eq', value: 'x' }, { attr: 'nope', op: 'is_null' }] })).toThrow(RuleError)
    const err = (() => {
      try {
        compile({ or: [{ attr: 'nope', op: 'is_null' }] })
      } catch (e) {
        return e as RuleError
      }
    })()
    expect(err?.issues).toEqual([{ path: 'rule.or.0.attr', message: expect.any(String) }])
  })

  it("merges the source's parameters without a clash of names", () => {
    const q = compileMembers({ attr: 'kind', op: 'eq', value: 'x' }, { ...ctx, source: { sql: '(SELECT 1 WHERE {as_of:Date} > 0)', params: { as_of: '2026-03-01' } } })
    expect(q.params).toEqual({ as_of: '2026-03-01', p0: 'x' })
    const clash = compileMembers({ attr: 'kind', op: 'eq', value: 'x' }, { ...ctx, source: { sql: '({p0:String})', params: { p0: 'other' } } })
    expect(clash.params).toEqual({ p0: 'other', p1: 'x' })
    expect(clash.sql).toContain('`kind` = {p1:String}')
    const p = new Params()
    p.adopt({ sql: '', params: { a: 1 } })
    expect(() => p.adopt({ sql: '', params: { a: 2 } })).toThrow(/bound twice/)
  })
})

describe('windows, dates and values', () => {
  it.each([
    [{ days: 1 }, '2026-03-01', { from: '2026-02-28', until: '2026-03-01' }],
    [{ days: 7 }, '2026-03-08', { from: '2026-03-01', until: '2026-03-08' }],
    [{ from: '2026-02-01', to: '2026-02-28' }, '2026-03-10', { from: '2026-02-01', until: '2026-03-01' }],
    // An absolute window never reaches as_of: a backtest cannot see its future.
    [{ from: '2026-02-01', to: '2026-03-31' }, '2026-03-10', { from: '2026-02-01', until: '2026-03-10' }],
  ])('%j as of %s covers %j', (w, asOf, want) => {
    expect(windowDays(w, asOf)).toEqual(want)
  })

  it('reads date-time values in Asia/Shanghai and relative to as_of', () => {
    const a = { name: 'first_open_at', type: 'datetime' as const }
    expect(normalizeValue(a, '2026-03-01', '2026-04-01')).toEqual({ ok: true, value: '2026-02-28 16:00:00.000' })
    expect(normalizeValue(a, 'as_of-1d', '2026-03-02')).toEqual({ ok: true, value: '2026-02-28 16:00:00.000' })
    expect(normalizeValue(a, '2026-03-01T08:30:00+08:00', '2026-04-01')).toEqual({ ok: true, value: '2026-03-01 00:30:00.000' })
    expect(normalizeValue({ name: 'x', type: 'integer' }, '3', '2026-04-01').ok).toBe(false)
  })

  it('defaults as_of to tomorrow in Asia/Shanghai', () => {
    expect(tomorrowLocal(Date.parse('2026-03-01T15:59:59Z'))).toBe('2026-03-02')
    expect(tomorrowLocal(Date.parse('2026-03-01T16:00:00Z'))).toBe('2026-03-03')
  })
})

describe('parameters', () => {
  it('binds huge integers exactly and renders a debug copy with literals', () => {
    const p = new Params()
    const sql = `x > ${p.bind(1e21, 'Float64')} AND s = ${p.bind("it's \\ here", 'String')} AND a IN ${p.bind(['a', "b'"], 'Array(String)')}`
    expect(p.values.p0).toBe(10n ** 21n)
    expect(renderDebug({ sql, params: p.values })).toBe("x > 1000000000000000000000 AND s = 'it\\'s \\\\ here' AND a IN ['a', 'b\\'']")
  })
})
