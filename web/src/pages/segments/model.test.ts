import { describe, expect, test } from 'vitest'
import type { Rule } from '../../../../segments/rule'
import { fromRule, moveBy, moveNode, newGroup, newLeaf, placeErrors, removeNode, toRule, type GroupNode } from './model'

const city: Rule = { attr: 'city', op: 'eq', value: '潍坊市' }
const weeks: Rule = { attr: 'active_weeks_12w', op: 'gte', value: 10 }
const rate: Rule = { attr: 'open_rate_90d', op: 'between', value: [0.2, 0.8] }

describe('rule ↔ tree', () => {
  test.each<[string, Rule]>([
    ['a nested rule', { and: [city, { or: [weeks, { not: rate }] }] }],
    ['a negated root', { not: { or: [city, weeks] } }],
    ['events, segments and lists', { or: [{ event: 'open', window: { days: 30 }, where: { tier: ['premium'] }, measure: 'bottles', op: 'gte', value: 6 }, { segment: 'seg_a', member: false }, { list: 'lst_b' }] }],
    ['null tests', { and: [{ attr: 'open_rate_90d', op: 'is_null' }] }],
  ])('round-trips %s', (_name, rule) => {
    expect(toRule(fromRule(rule)).rule).toEqual(rule)
  })

  test('wraps a lone condition in an AND group', () => {
    expect(toRule(fromRule(city)).rule).toEqual({ and: [city] })
  })

  test('leaves out incomplete conditions and emptied groups, and reports them', () => {
    const root = fromRule({ and: [city] })
    const empty = newLeaf('attr')
    const sub: GroupNode = { ...newGroup('or'), children: [empty] }
    const s = toRule({ ...root, children: [...root.children, sub] })
    expect(s.rule).toEqual({ and: [city] })
    expect(s.incomplete).toEqual([empty.id])
  })

  test('maps rule paths back to nodes, through NOT and skipped siblings', () => {
    const root = fromRule({ and: [city, { or: [weeks, { not: rate }] }] })
    const skipped = newLeaf('attr')
    const withGap: GroupNode = { ...root, children: [skipped, ...root.children] }
    const s = toRule(withGap)
    const rateNode = (root.children[1] as GroupNode).children[1]
    expect(s.paths.get('rule.and.1.or.1')).toBe(rateNode.id)
    expect(s.paths.get('rule.and.1.or.1.not')).toBe(rateNode.id)
    const placed = placeErrors([{ path: 'rule.and.1.or.1.not.value.0', message: 'bad' }, { path: 'entity', message: 'x' }], s.paths)
    expect(placed.get(rateNode.id)).toEqual([{ field: 'value.0', message: 'bad' }])
    expect(placed.get('')).toEqual([{ field: 'entity', message: 'x' }])
  })
})

describe('editing', () => {
  const tree = () => fromRule({ and: [city, { or: [weeks, rate] }, { attr: 'kind', op: 'is_null' }] })

  test('moves a condition into another group and back out, by drag or by keyboard', () => {
    const t = tree()
    const sub = t.children[1] as GroupNode
    const dragged = moveNode(t, t.children[0].id, sub.id, 1)
    expect(toRule(dragged).rule).toEqual({ and: [{ or: [weeks, city, rate] }, { attr: 'kind', op: 'is_null' }] })
    // Within one group, later positions account for the node's own removal.
    expect(toRule(moveNode(t, t.children[0].id, t.id, 2)).rule).toEqual({ and: [{ or: [weeks, rate] }, city, { attr: 'kind', op: 'is_null' }] })
    const up = moveBy(t, sub.children[0].id, -1)
    expect(toRule(up).rule).toEqual({ and: [city, weeks, { or: [rate] }, { attr: 'kind', op: 'is_null' }] })
    const down = moveBy(t, sub.children[1].id, 1)
    expect(toRule(down).rule).toEqual({ and: [city, { or: [weeks] }, rate, { attr: 'kind', op: 'is_null' }] })
    expect(moveBy(t, t.children[0].id, -1)).toBe(t)
  })

  test('refuses to move a group into itself, and never removes the root', () => {
    const t = tree()
    const sub = t.children[1] as GroupNode
    expect(moveNode(t, sub.id, sub.id, 0)).toBe(t)
    expect(removeNode(t, t.id)).toBe(t)
    expect(toRule(removeNode(t, sub.id)).rule).toEqual({ and: [city, { attr: 'kind', op: 'is_null' }] })
  })
})
