/**
 * Seeded random rule trees and profile rows, for property tests of the compiler against the
 * plain evaluator. Deterministic: the same seed gives the same trees.
 */
import { CATALOG, type Attribute, type Entity } from '../catalog.js'
import type { CompareOp, EventCondition, Rule, Scalar } from '../rule.js'

/** mulberry32: a small seeded 32-bit generator. */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]

/** Strings that must stay data: quotes, comment markers, backslashes, backticks, placeholders. */
export const NASTY = ["' OR 1=1 --", "\\'); DROP TABLE stores; --", '`stores`', '{p0:String}', 'a\\b', 'tab\there', '潍坊市', '']

export interface Domain {
  integer: number[]
  number: number[]
  string: string[]
  datetime: string[]
  date: string[]
}

export const ROW_DOMAIN: Domain = {
  integer: [0, 1, 2, 3, 5, 8],
  number: [0, 0.25, 1 / 3, 0.5, 0.75, 1, 1.5],
  string: ['a', 'b', 'premium', ...NASTY],
  datetime: ['2026-02-27 15:59:59.999', '2026-02-27 16:00:00.000', '2026-03-01 08:30:00.000', '2026-01-10 00:00:00.000'],
  date: ['2026-02-27', '2026-02-28', '2026-03-01'],
}

export const RULE_DOMAIN: Domain = {
  integer: [0, 1, 2, 2.5, 3, 5, 8, -1, 100],
  number: [0, 0.25, 1 / 3, 0.4, 0.5, 0.75, 1, 1.5],
  string: ['a', 'b', 'premium', 'zzz', ...NASTY],
  datetime: ['2026-02-28', '2026-03-01', 'as_of-2d', 'as_of', '2026-02-27T16:00:00Z', '2026-03-01T16:30:00+08:00', '2026-01-10T08:00:00+08:00'],
  date: ['2026-02-28', 'as_of-3d', '2026-03-01'],
}

const domainOf = (d: Domain, a: Attribute): readonly (string | number)[] => d[a.type]

/** A random profile row for every attribute of an entity; nullable attributes are null about a fifth of the time. */
export function randomRow(r: () => number, entity: Entity, d: Domain = ROW_DOMAIN): Record<string, unknown> {
  const row: Record<string, unknown> = {}
  for (const a of CATALOG[entity]) row[a.name] = a.nullable && r() < 0.2 ? null : pick(r, domainOf(d, a))
  return row
}

export interface TreeOptions {
  entity: Entity
  depth?: number
  domain?: Domain
  /** Saved segment ids a tree may reference. */
  segments?: string[]
  lists?: string[]
  events?: boolean
  /** Event filter values. */
  skus?: string[]
  tiers?: string[]
  cities?: string[]
  asOf?: string
}

const CMP: CompareOp[] = ['eq', 'neq', 'lt', 'lte', 'gt', 'gte']

/** A random, valid rule tree over the catalog of an entity. */
export function randomRule(r: () => number, o: TreeOptions): Rule {
  const depth = o.depth ?? 3
  const d = o.domain ?? RULE_DOMAIN
  const roll = r()
  if (depth > 0 && roll < 0.3) {
    const n = Math.floor(r() * 4)
    const children = Array.from({ length: n }, () => randomRule(r, { ...o, depth: depth - 1 }))
    return r() < 0.5 ? { and: children } : { or: children }
  }
  if (depth > 0 && roll < 0.4) return { not: randomRule(r, { ...o, depth: depth - 1 }) }
  if (o.segments?.length && roll < 0.47) {
    const m = r()
    return { segment: pick(r, o.segments), ...(m < 0.33 ? { member: false } : m < 0.66 ? { member: true } : {}) }
  }
  if (o.lists?.length && roll < 0.52) return { list: pick(r, o.lists) }
  if (o.events && roll < 0.7) return randomEvent(r, o)
  return randomAttr(r, o.entity, d)
}

function randomAttr(r: () => number, entity: Entity, d: Domain): Rule {
  const a = pick(r, CATALOG[entity])
  const values = domainOf(d, a)
  const v = () => pick(r, values) as Scalar
  const ordered = a.type !== 'string'
  const ops = [...(ordered ? CMP : (['eq', 'neq'] as const)), ...(ordered ? (['between'] as const) : []), 'in', 'not_in', 'is_null', 'not_null'] as const
  const op = pick(r, ops)
  switch (op) {
    case 'between':
      return { attr: a.name, op, value: [v(), v()] }
    case 'in':
    case 'not_in':
      return { attr: a.name, op, value: Array.from({ length: Math.floor(r() * 4) }, v) }
    case 'is_null':
    case 'not_null':
      return { attr: a.name, op }
    default:
      return { attr: a.name, op, value: v() }
  }
}

function randomEvent(r: () => number, o: TreeOptions): EventCondition {
  const event = o.entity === 'consumer' ? pick(r, ['open', 'open', 'verify'] as const) : pick(r, ['open', 'open', 'stock_in', 'verify', 'ship'] as const)
  const measures = o.entity === 'store' && (event === 'open' || event === 'verify') ? (['count', 'bottles', 'distinct_consumers', 'active_weeks'] as const) : (['count', 'bottles', 'active_weeks'] as const)
  let window: EventCondition['window'] = { days: pick(r, [1, 2, 3, 7, 14, 30]) }
  if (r() < 0.4) {
    const from = pick(r, ['2026-02-01', '2026-02-20', '2026-02-27'])
    const to = pick(r, ['2026-02-27', '2026-02-28', '2026-03-05'])
    window = { from, to: to < from ? from : to }
  }
  const where: EventCondition['where'] = {}
  if (o.skus && r() < 0.25) where.sku_id = [pick(r, o.skus), pick(r, o.skus)]
  if (o.tiers && r() < 0.2) where.tier = [pick(r, o.tiers)]
  if (o.cities && r() < 0.2) where.city = [pick(r, o.cities)]
  return {
    event,
    window,
    ...(Object.keys(where).length ? { where } : {}),
    measure: pick(r, measures),
    op: pick(r, CMP),
    value: pick(r, [0, 1, 2, 3, 5, 0.5]),
  }
}
