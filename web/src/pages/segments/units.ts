/**
 * How rule values are shown and typed: shares and ratios as percentages (sent as fractions),
 * fen as yuan (sent as fen), counts with their unit; which operators fit an attribute's type.
 */
import type { Attribute } from '../../../../segments/catalog'
import { CATALOG, type Entity } from '../../../../segments/catalog'
import type { Measure } from '../../../../segments/rule'
import { isMessageKey, type I18n, type MessageKey } from '../../i18n'
import { formatAttrText, yuan } from '../profiles/format'
import type { AttrOp } from './model'

/** The catalog's attributes of an entity (shared with the server; identical to `GET /catalog`). */
export const attributesOf = (entity: Entity): readonly Attribute[] => CATALOG[entity]
/** One attribute by name, or undefined. */
export const attrOf = (entity: Entity, name: string): Attribute | undefined => CATALOG[entity].find((a) => a.name === name)

const isNumeric = (a: Attribute) => a.type === 'number' || a.type === 'integer'
const isTime = (a: Attribute) => a.type === 'date' || a.type === 'datetime'

/** The operators that fit an attribute: order for numbers and dates, sets for strings, null tests where it can be null. */
export function opsFor(a: Attribute | undefined): AttrOp[] {
  if (!a) return ['gte']
  const ops: AttrOp[] = isNumeric(a) ? ['gte', 'gt', 'lte', 'lt', 'eq', 'neq', 'between']
    : isTime(a) ? ['gte', 'gt', 'lte', 'lt', 'between']
    : ['in', 'not_in', 'eq', 'neq']
  return a.nullable ? [...ops, 'is_null', 'not_null'] : ops
}

/** The operator picked with a new attribute. */
export const defaultOp = (a: Attribute): AttrOp => (a.type === 'string' ? 'in' : 'gte')

/** Factor between the typed figure and the rule value: 100 for % (shares, ratios), 0.01 for ¥ (fen). */
export function inputScale(a: Attribute): number {
  if (a.unit === 'share' || a.unit === 'ratio') return 100
  if (a.unit === 'fen' || a.unit === 'fen_per_bottle') return 0.01
  return 1
}

// Twelve significant digits drop the binary noise of a scale (7 / 100 = 0.07000000000000001).
const clean = (x: number) => Number(x.toPrecision(12))

/** The rule value of a typed figure: `toRuleNumber(share, 35)` is 0.35, `toRuleNumber(fen, 12.5)` is 1250. */
export const toRuleNumber = (a: Attribute, typed: number) => clean(typed / inputScale(a))
/** The figure to show in an input for a rule value (inverse of {@link toRuleNumber}). */
export const toInputNumber = (a: Attribute, value: number) => clean(value * inputScale(a))

/** What stands before and after a number input: `¥` before money, `%` or a unit after. */
export function unitAffixes(i18n: I18n, a: Attribute): { prefix: string; suffix: string } {
  switch (a.unit) {
    case 'share':
    case 'ratio':
      return { prefix: '', suffix: '%' }
    case 'fen':
      return { prefix: '¥', suffix: '' }
    case 'fen_per_bottle':
      return { prefix: '¥', suffix: i18n.t('stores.unit.perBottle') }
    case 'none':
      return { prefix: '', suffix: '' }
    default: {
      const key = `stores.unit.${a.unit}`
      return { prefix: '', suffix: isMessageKey(key) ? i18n.t(key) : '' }
    }
  }
}

/** A human name of a unit for the picker ("%", "¥", "bottles"), searchable like the labels. */
export function unitName(i18n: I18n, a: Attribute): string {
  const { prefix, suffix } = unitAffixes(i18n, a)
  return [prefix, suffix].filter(Boolean).join(' ')
}

/** An attribute value for display, as the builder types it: shares and ratios as %, fen as ¥. */
export function formatValue(i18n: I18n, a: Attribute | undefined, v: unknown): string {
  if (v === null || v === undefined) return i18n.t('common.none')
  if (a && typeof v === 'number') {
    if (a.unit === 'share' || a.unit === 'ratio') return i18n.percent(v)
    if (a.unit === 'fen') return yuan(i18n, v)
  }
  if (typeof v === 'boolean') return String(v)
  return formatAttrText(i18n, a, typeof v === 'number' || typeof v === 'string' ? v : String(v))
}

/** A rule value as it reads in a condition summary (`≥ 35%`, `in 潍坊市, 青岛市`). */
export function formatRuleValue(i18n: I18n, a: Attribute | undefined, v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => formatRuleValue(i18n, a, x)).join(', ')
  if (typeof v === 'string') {
    const rel = /^as_of(?:-(\d+)d)?$/.exec(v)
    if (rel) return i18n.t('seg.date.relativeShort', { n: Number(rel[1] ?? 0) })
    if (a?.type === 'date' || a?.type === 'datetime') return /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : i18n.dateTime(v)
  }
  return formatValue(i18n, a, v)
}

/** Symbols of the comparison operators; set operators and null tests have words (`seg.op.*`). */
export const OP_SYMBOL: Partial<Record<string, string>> = { eq: '=', neq: '≠', lt: '<', lte: '≤', gt: '>', gte: '≥' }

/** The label of an operator: a symbol or a translated word. */
export function opLabel(i18n: I18n, op: string): string {
  const key = `seg.op.${op}`
  return OP_SYMBOL[op] ?? (isMessageKey(key) ? i18n.t(key) : op)
}

/** The path of an entity's own page. */
export function entityHref(entity: Entity, id: string): string {
  const plural = entity === 'store' ? 'stores' : entity === 'consumer' ? 'consumers' : 'distributors'
  return `/${plural}/${encodeURIComponent(id)}`
}

/** Known codes of string attributes that have translations (kinds, tiers). */
export function codePrefix(attr: string): string | null {
  if (attr === 'kind') return 'stores.kind'
  if (attr.startsWith('preferred_tier')) return 'stores.tier'
  return null
}

/** Labels of the event measures. */
export const MEASURE_KEYS: Record<Measure, MessageKey> = {
  bottles: 'seg.measure.bottles',
  count: 'seg.measure.count',
  distinct_consumers: 'seg.measure.distinct_consumers',
  active_weeks: 'seg.measure.active_weeks',
}
