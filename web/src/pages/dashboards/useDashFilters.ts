import { useMemo } from 'react'
import { useDashOptions } from '../../api/dashboards'
import { navigate, useSearch } from '../../router'
import {
  apiQuery, FILTER_KEYS, parseState, resolvePeriod, todayInShanghai,
  type DashState, type FilterKey, type Filters, type Period, type Preset,
} from './filters'

/** Every query parameter a dashboard reads: the shared ones, then the pages' own. */
const KEYS = ['range', 'from', 'to', ...FILTER_KEYS, 'grain', 'measure', 'alert', 'min', 'flow', 'local', 'layer'] as const
export type ParamKey = (typeof KEYS)[number]

/** Sets or clears (null) query parameters at once, replacing the history entry. */
export function setParams(patch: Partial<Record<ParamKey, string | null>>): void {
  const url = new URL(window.location.href)
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || v === undefined || v === '') url.searchParams.delete(k)
    else url.searchParams.set(k, v)
  }
  navigate(url.pathname + url.search + url.hash, { replace: true })
}

export interface DashFilterState {
  state: DashState
  /** The resolved period, or null until the newest day with data is known. */
  period: Period | null
  /** Newest day with data (presets end there), or null while loading. */
  anchor: string | null
  /** All current query parameters (page parameters included). */
  params: Record<ParamKey, string | null>
  /** The API query string for this view plus page parameters, or null while the period is unknown. */
  query: (extra?: Record<string, string | number | null | undefined>) => string | null
  setFilter: (key: FilterKey, value: string | null) => void
  /** Sets several filters at once (drill-down: city and district together, say). */
  setFilters: (patch: Filters | Partial<Record<FilterKey, string | null>>) => void
  setPreset: (preset: Preset) => void
  setCustom: (from: string, to: string) => void
  reset: () => void
}

/**
 * The dashboards' filter state from the URL, with setters that write it back.
 * @example const { period, query, setFilter } = useDashFilters(); useDash('overview', query())
 */
export function useDashFilters(): DashFilterState {
  const [search] = useSearch()
  // The search object is new on every render; its text is the identity.
  const text = search.toString()
  const params = useMemo(() => {
    const sp = new URLSearchParams(text)
    return Object.fromEntries(KEYS.map((k) => [k, sp.get(k)])) as Record<ParamKey, string | null>
  }, [text])
  const state = useMemo(() => parseState(new URLSearchParams(text)), [text])
  const options = useDashOptions()
  // With no options (an error), presets end today: the page still answers.
  const anchor = options.data ? (options.data.latest_day ?? todayInShanghai()) : options.isError ? todayInShanghai() : null
  const period = useMemo(() => (anchor ? resolvePeriod(state, anchor) : null), [state, anchor])

  const setFilters = (patch: Partial<Record<FilterKey, string | null>>) => {
    const next: Partial<Record<ParamKey, string | null>> = { ...patch }
    // A district belongs to its city, a SKU to its tier: changing the parent clears the child.
    if ('city' in patch && patch.city !== state.filters.city && !('district' in patch)) next.district = null
    if ('tier' in patch && patch.tier !== state.filters.tier && !('sku' in patch)) next.sku = null
    // A flow picked on the diversion page belongs to the old view.
    next.flow = null
    setParams(next)
  }
  return {
    state,
    period,
    anchor,
    params,
    query: (extra) => (period ? apiQuery(period, state.filters, extra) : null),
    setFilter: (k, v) => setFilters({ [k]: v }),
    setFilters,
    setPreset: (preset) =>
      setParams(
        preset === 'custom'
          ? { range: 'custom', from: period?.from ?? null, to: period?.to ?? null }
          : { range: preset === '30d' ? null : preset, from: null, to: null },
      ),
    setCustom: (from, to) => setParams({ range: 'custom', from, to, flow: null }),
    reset: () => setParams(Object.fromEntries([...FILTER_KEYS, 'flow'].map((k) => [k, null]))),
  }
}
