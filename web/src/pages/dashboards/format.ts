import { escapeHtml as esc } from '../../charts/category'
import { isMessageKey, type I18n, type MessageKey } from '../../i18n'

/** A label from `dash.<group>.<value>`, or the raw value when there is none (a new kind, say). */
export function label(t: I18n['t'], group: 'tier' | 'kind' | 'reward' | 'beneficiary', value: string): string {
  const key = `dash.${group}.${value}`
  return isMessageKey(key) ? t(key) : value || t('dash.unknown')
}

/** Fen as yuan with the currency sign: ¥1,234.56 (`compact`: ¥1.2万 for axes and tiles). */
export function yuan(i18n: I18n, fen: number | null, compact = false): string {
  if (fen === null) return '—'
  const y = fen / 100
  if (compact && Math.abs(y) >= 10_000) return `¥${i18n.compact(y)}`
  return `¥${i18n.number(y, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`
}

/** Fen as whole yuan for an axis: ¥8,000 (¥1.2万 beyond ten thousand). */
export function yuanAxis(i18n: I18n, fen: number): string {
  const y = fen / 100
  if (Math.abs(y) >= 10_000) return `¥${i18n.compact(y)}`
  return `¥${i18n.number(y, { maximumFractionDigits: Math.abs(y) < 10 && y !== Math.round(y) ? 1 : 0 })}`
}

const fullDays = new Map<string, Intl.DateTimeFormat>()
/** A calendar day with its year and no weekday: 2026年3月1日 / Mar 1, 2026. */
export function fullDay(i18n: I18n, iso: string): string {
  let f = fullDays.get(i18n.locale)
  if (!f) fullDays.set(i18n.locale, (f = new Intl.DateTimeFormat(i18n.locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' })))
  return f.format(new Date(`${iso}T00:00:00Z`))
}

/** A relative change as a signed percentage (+3.2%), or — when unknown. */
export function signedPercent(i18n: I18n, change: number | null): string {
  if (change === null || !Number.isFinite(change)) return '—'
  const s = i18n.percent(Math.abs(change))
  return change > 0 ? `+${s}` : change < 0 ? `−${s}` : s
}

/** A bucket label: a day, a week (from its Monday) or a month. */
export function bucketLabel(i18n: I18n, start: string, grain: 'day' | 'week' | 'month'): string {
  if (grain === 'month') return i18n.locale === 'zh-CN' ? `${start.slice(0, 4)}年${Number(start.slice(5, 7))}月` : start.slice(0, 7)
  if (grain === 'week') return i18n.t('dash.weekOf', { day: i18n.day(start) })
  return i18n.day(start)
}

/** A month `YYYY-MM-01` as 2026年3月 / 2026-03. */
export function monthLabel(i18n: I18n, start: string): string {
  return bucketLabel(i18n, start, 'month')
}

export const TOOLTIP_STYLE = { confine: true, className: 'dash-tooltip' } as const

/** A tooltip body: a head line and label/value rows (values already formatted). */
export function tooltip(head: string, rows: [string, string][], marker = ''): string {
  return `<div class="tt"><div class="tt-head">${marker}${esc(head)}</div>${rows
    .map(([k, v]) => `<div class="tt-row"><span class="tt-name">${esc(k)}</span><b>${esc(v)}</b></div>`)
    .join('')}</div>`
}

/** Keys of the KPI tiles, in display order, with their message key. */
export const KPI_LABELS: [string, MessageKey][] = [
  ['stocked_bottles', 'dash.kpi.stocked'],
  ['opened_bottles', 'dash.kpi.opened'],
  ['open_rate', 'dash.kpi.openRate'],
  ['active_stores', 'dash.kpi.active'],
  ['new_active_stores', 'dash.kpi.newActive'],
  ['consumers', 'dash.kpi.consumers'],
  ['reward_fen', 'dash.kpi.reward'],
  ['reward_per_opened_fen', 'dash.kpi.rewardPerBottle'],
]

export const COLORS = { stocked: '#2f9e8f', opened: '#d08a2c', shipped: '#5b7db1', outside: '#c2574b', local: '#3b6ea5' }
