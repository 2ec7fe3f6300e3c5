/**
 * The dashboards' filter state, kept in the URL so a view can be shared: `range` (a preset; absent
 * means 30 days) or `range=custom` with `from`/`to`, and the filters `city`, `district`, `kind`,
 * `distributor`, `tier`, `sku`. Pure functions here; the hook lives in useDashFilters.ts.
 *
 * Presets end at the anchor: the newest day with data (today's, in production), so a data set
 * loaded from the past still opens on its own last days instead of an empty month.
 */

export const PRESETS = ['7d', '30d', '90d', '365d', 'ytd', 'custom'] as const
export type Preset = (typeof PRESETS)[number]
export const DEFAULT_PRESET: Preset = '30d'

export const FILTER_KEYS = ['city', 'district', 'kind', 'distributor', 'tier', 'sku'] as const
export type FilterKey = (typeof FILTER_KEYS)[number]
export type Filters = Partial<Record<FilterKey, string>>

export interface DashState {
  preset: Preset
  /** Only for `custom`: the chosen days (YYYY-MM-DD), possibly missing or invalid. */
  from: string | null
  to: string | null
  filters: Filters
}

export interface Period {
  from: string
  to: string
  days: number
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/
const isDay = (s: string | null): s is string => !!s && DAY_RE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`))

/** `day` plus `n` calendar days (UTC arithmetic on a calendar date: no zone can shift it). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** Days in `from`..`to`, inclusive. */
export function daysIn(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1
}

/** Today in Asia/Shanghai, whatever the browser's zone. */
export function todayInShanghai(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
}

/** Reads the state from a query string; unknown presets fall back to the default. */
export function parseState(params: URLSearchParams): DashState {
  const raw = params.get('range')
  const preset = (PRESETS as readonly string[]).includes(raw ?? '') ? (raw as Preset) : DEFAULT_PRESET
  const filters: Filters = {}
  for (const k of FILTER_KEYS) {
    const v = params.get(k)
    if (v) filters[k] = v
  }
  return { preset, from: params.get('from'), to: params.get('to'), filters }
}

/**
 * The period a state stands for, ending at `anchor` for presets. A custom period with a bad or
 * reversed date falls back to the default preset rather than failing the page.
 */
export function resolvePeriod(state: DashState, anchor: string): Period {
  let from: string
  let to = anchor
  switch (state.preset) {
    case 'custom':
      if (isDay(state.from) && isDay(state.to) && state.from <= state.to) return { from: state.from, to: state.to, days: daysIn(state.from, state.to) }
      from = addDays(anchor, -29)
      break
    case 'ytd':
      from = `${anchor.slice(0, 4)}-01-01`
      break
    default:
      from = addDays(anchor, -(Number.parseInt(state.preset, 10) - 1))
  }
  to = anchor
  return { from, to, days: daysIn(from, to) }
}

/** The last day of a day/week/month bucket starting at `start`. */
export function bucketEnd(start: string, grain: 'day' | 'week' | 'month'): string {
  if (grain === 'day') return start
  if (grain === 'week') return addDays(start, 6)
  const [y, m] = start.split('-').map(Number)
  return addDays(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`, -1)
}

/** The part of `start`'s bucket inside the period: the period a click on a bucket drills to. */
export function bucketWithin(start: string, grain: 'day' | 'week' | 'month', p: Period): { from: string; to: string } {
  const end = bucketEnd(start, grain)
  return { from: start < p.from ? p.from : start, to: end > p.to ? p.to : end }
}

/** The period of the same length just before `p` (what the KPI changes compare against). */
export function previousOf(p: Period): Period {
  return { from: addDays(p.from, -p.days), to: addDays(p.from, -1), days: p.days }
}

/**
 * The API query string for a period, filters and page parameters, in a fixed order (it is also
 * the cache key, so the same view always maps to the same string).
 */
export function apiQuery(period: Period, filters: Filters, extra: Record<string, string | number | null | undefined> = {}): string {
  const q = new URLSearchParams({ from: period.from, to: period.to })
  for (const k of FILTER_KEYS) if (filters[k]) q.set(k, filters[k]!)
  for (const [k, v] of Object.entries(extra)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v))
  return q.toString()
}

/** The part of a page's query string that the other dashboards share (period and filters). */
export function sharedSearch(params: URLSearchParams): string {
  const out = new URLSearchParams()
  for (const k of ['range', 'from', 'to', ...FILTER_KEYS]) {
    const v = params.get(k)
    if (v) out.set(k, v)
  }
  const s = out.toString()
  return s ? `?${s}` : ''
}

/** True when any filter besides the period is set. */
export const hasFilters = (f: Filters) => FILTER_KEYS.some((k) => !!f[k])
