/**
 * Event conditions → SQL over the daily rollups. An entity with no matching events has measure
 * 0, and it is not in any rollup; so whether `0 op value` holds is decided here, statically:
 * when it holds, members are everyone *except* those whose measure fails; otherwise members are
 * those whose measure passes.
 */
import type { Entity } from '../catalog.js'
import type { RuleContext } from '../context.js'
import { RuleError, type CompareOp, type EventCondition, type EventWindow } from '../rule.js'
import { addDays } from '../values.js'
import type { Params } from './params.js'

const CMP = { eq: '=', neq: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const

/** Whether `x op y` holds, the same way the SQL comparison does. */
export function holds(x: number, op: CompareOp, y: number): boolean {
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

/**
 * The local days a window covers, as `[from, until)`. Relative windows are the n days before
 * as_of; absolute ones include both dates but never reach as_of or later, so a rule as of a past
 * date cannot see the future (backtests stay honest).
 * @example windowDays({ days: 7 }, '2026-03-08') // { from: '2026-03-01', until: '2026-03-08' }
 */
export function windowDays(w: EventWindow, asOf: string): { from: string; until: string } {
  if ('days' in w) return { from: addDays(asOf, -w.days), until: asOf }
  const end = addDays(w.to, 1)
  return { from: w.from, until: end < asOf ? end : asOf }
}

interface Rollup {
  table: string
  /** The entity id column. */
  id: string
  /** Whether the table has a `type` column (store_opens_daily holds opens only). */
  typed: boolean
  /** Fixed conditions of this reading. */
  where: string[]
  measure: string
}

// Tables and columns come from this fixed map, never from input.
const MEASURES = { count: 'sum(events)', bottles: 'sum(bottles)', active_weeks: 'uniqExact(toMonday(day))' } as const
const ID_COLUMN: Record<Entity, string> = { store: 'store_id', consumer: 'consumer_id', distributor: 'distributor_id' }
const TABLE: Record<Entity, string> = { store: 'store_daily', consumer: 'consumer_daily', distributor: 'distributor_daily' }

function rollup(entity: Entity, n: EventCondition, path: string): Rollup {
  if (n.measure === 'distinct_consumers') {
    if (entity !== 'store') throw new RuleError([{ path: `${path}.measure`, message: `distinct_consumers is a measure of stores only` }])
    // Distinct counts read the per-consumer rows: opens from store_opens_daily, verifies from
    // consumer_daily (which carries the store). Unknown consumers ('') are not counted.
    if (n.event === 'open') return { table: 'store_opens_daily', id: 'store_id', typed: false, where: ["consumer_id != ''"], measure: 'uniqExact(consumer_id)' }
    if (n.event === 'verify') return { table: 'consumer_daily', id: 'store_id', typed: true, where: ["store_id != ''"], measure: 'uniqExact(consumer_id)' }
    throw new RuleError([{ path: `${path}.measure`, message: `distinct_consumers needs open or verify events` }])
  }
  return { table: TABLE[entity], id: ID_COLUMN[entity], typed: true, where: [], measure: MEASURES[n.measure] }
}

function conditions(r: Rollup, n: EventCondition, ctx: RuleContext, params: Params): string[] {
  const { from, until } = windowDays(n.window, ctx.asOf)
  const out = [...r.where]
  if (r.typed) out.push(`type = ${params.bind(n.event, 'String')}`)
  out.push(`day >= ${params.bind(from, 'Date')}`, `day < ${params.bind(until, 'Date')}`)
  const w = n.where ?? {}
  if (w.sku_id) out.push(`sku_id IN (SELECT arrayJoin(${params.bind(w.sku_id, 'Array(String)')}))`)
  if (w.tier) out.push(`sku_id IN (SELECT sku_id FROM products FINAL WHERE tier IN (SELECT arrayJoin(${params.bind(w.tier, 'Array(String)')})))`)
  if (w.city) out.push(`city IN (SELECT arrayJoin(${params.bind(w.city, 'Array(String)')}))`)
  return out
}

/** Membership predicate of an event condition, over the source's `id`. */
export function compileEvent(n: EventCondition, ctx: RuleContext, params: Params, path: string): string {
  const r = rollup(ctx.entity, n, path)
  const where = conditions(r, n, ctx, params)
  const cmp = `${r.measure} ${CMP[n.op]} ${params.bind(n.value, 'Float64')}`
  const zeroPasses = holds(0, n.op, n.value)
  const sub = `SELECT ${r.id} FROM ${r.table} WHERE ${where.join(' AND ')} GROUP BY ${r.id} HAVING ${zeroPasses ? `NOT (${cmp})` : cmp}`
  return zeroPasses ? `id NOT IN (${sub})` : `id IN (${sub})`
}

/** The measure of an event condition for one entity (bound as `idParam`): a scalar subquery, 0 without events. */
export function compileEventMeasure(n: EventCondition, ctx: RuleContext, params: Params, path: string, idParam: string): string {
  const r = rollup(ctx.entity, n, path)
  const where = [`${r.id} = ${idParam}`, ...conditions(r, n, ctx, params)]
  return `(SELECT toFloat64(${r.measure}) FROM ${r.table} WHERE ${where.join(' AND ')})`
}
