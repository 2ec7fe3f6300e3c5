import type { AttributeInfo, Catalog, Entity } from '../../api/profiles'
import { isMessageKey, type I18n } from '../../i18n'

/** Values of one attribute: a figure and its unit apart, so tiles can set the unit smaller. */
export interface Formatted {
  value: string
  unit: string
}

const UNIT_KEYS: Record<string, string> = {
  bottles: 'stores.unit.bottles',
  days: 'stores.unit.days',
  weeks: 'stores.unit.weeks',
  consumers: 'stores.unit.consumers',
  stores: 'stores.unit.stores',
  skus: 'stores.unit.skus',
  opens: 'stores.unit.opens',
  fen_per_bottle: 'stores.unit.perBottle',
}

/** The label of an attribute in the UI language. */
export const attrLabel = (a: AttributeInfo, i18n: I18n) => (i18n.locale === 'zh-CN' ? a.label.zh : a.label.en)
/** The description of an attribute in the UI language (tooltips). */
export const attrDescription = (a: AttributeInfo, i18n: I18n) => (i18n.locale === 'zh-CN' ? a.description.zh : a.description.en)

/** The attribute `name` of an entity from the catalog. */
export function findAttr(catalog: Catalog | undefined, entity: Entity, name: string): AttributeInfo | undefined {
  return catalog?.[entity].find((a) => a.name === name)
}

/** A translated label for an open-ended code (`stores.kind.restaurant`…), or the code itself. */
export function codeLabel(i18n: I18n, prefix: string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return i18n.t('common.none')
  const key = `${prefix}.${code}`
  return isMessageKey(key) ? i18n.t(key) : code
}

/** Fen as yuan, e.g. ¥12.34. Rewards are kept in fen; people read yuan. */
export const yuan = (i18n: I18n, fen: number) => i18n.number(fen / 100, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol', minimumFractionDigits: 2, maximumFractionDigits: 2 })

/**
 * One attribute value for display, by its catalog type and unit: shares as percentages,
 * fen as yuan, times in Asia/Shanghai, kinds and tiers translated; null as a dash.
 */
export function formatAttr(i18n: I18n, a: AttributeInfo | undefined, v: string | number | null | undefined): Formatted {
  if (v === null || v === undefined) return { value: i18n.t('common.none'), unit: '' }
  if (!a) return { value: String(v), unit: '' }
  if (typeof v === 'string') {
    if (a.type === 'datetime') return { value: i18n.dateTime(v), unit: '' }
    if (a.type === 'date') return { value: i18n.day(v, 'long'), unit: '' }
    if (a.name === 'kind') return { value: codeLabel(i18n, 'stores.kind', v), unit: '' }
    if (a.name.startsWith('preferred_tier')) return { value: codeLabel(i18n, 'stores.tier', v), unit: '' }
    return { value: v, unit: '' }
  }
  const unitKey = UNIT_KEYS[a.unit]
  const unit = unitKey && isMessageKey(unitKey) ? i18n.t(unitKey) : ''
  switch (a.unit) {
    case 'share':
      return { value: i18n.percent(v), unit: '' }
    case 'ratio':
      // An open rate reads best as a percentage; a coefficient of variation as a plain ratio.
      return a.name.includes('rate') ? { value: i18n.percent(v), unit: '' } : { value: i18n.number(v, { maximumFractionDigits: 2, minimumFractionDigits: 2 }), unit: '' }
    case 'fen':
      return { value: yuan(i18n, v), unit: '' }
    case 'fen_per_bottle':
      return { value: yuan(i18n, v), unit }
    default:
      return { value: i18n.number(v, { maximumFractionDigits: a.type === 'integer' ? 0 : 1 }), unit }
  }
}

/** `formatAttr` as one string, e.g. "12 bottles" / "12 瓶". */
export function formatAttrText(i18n: I18n, a: AttributeInfo | undefined, v: string | number | null | undefined): string {
  const f = formatAttr(i18n, a, v)
  return f.unit ? `${f.value} ${f.unit}` : f.value
}

/** "2025-W46" → "W46", with a mark for the week still in progress. */
export function weekLabel(i18n: I18n, iso: string, partial: boolean): string {
  const w = iso.slice(5)
  return partial ? i18n.t('stores.week.partial', { week: w }) : w
}

/** How long ago an instant was, roughly: "just now", "12 min ago", "3 h ago", "2 d ago". */
export function ago(i18n: I18n, iso: string, now = Date.now()): string {
  const s = Math.max(0, (now - Date.parse(iso)) / 1000)
  if (s < 60) return i18n.t('stores.ago.now')
  if (s < 3600) return i18n.t('stores.ago.min', { n: Math.floor(s / 60) })
  if (s < 86_400) return i18n.t('stores.ago.hours', { n: Math.floor(s / 3600) })
  return i18n.t('stores.ago.days', { n: Math.floor(s / 86_400) })
}
