import type { FilterOptions } from '../../api/dashboards'
import { Segmented } from '../../components/Segmented'
import { useI18n, type MessageKey } from '../../i18n'
import { Link, usePath } from '../../router'
import { hasFilters, previousOf, PRESETS, sharedSearch, type FilterKey, type Preset } from './filters'
import { fullDay, label } from './format'
import type { DashFilterState } from './useDashFilters'

/** The dashboard pages, in tab order. */
export const DASH_PAGES: { path: string; label: MessageKey; id: string }[] = [
  { id: 'overview', path: '/', label: 'nav.overview' },
  { id: 'geography', path: '/geography', label: 'nav.geography' },
  { id: 'diversion', path: '/diversion', label: 'nav.diversion' },
  { id: 'incentives', path: '/incentives', label: 'nav.incentives' },
  { id: 'cohorts', path: '/cohorts', label: 'nav.cohorts' },
]

const PRESET_LABEL: Record<Preset, MessageKey> = {
  '7d': 'dash.range.7d', '30d': 'dash.range.30d', '90d': 'dash.range.90d', '365d': 'dash.range.365d', ytd: 'dash.range.ytd', custom: 'dash.range.custom',
}

/** Tabs between the dashboards that keep the period and filters (the side nav starts afresh). */
function DashTabs() {
  const { t } = useI18n()
  const path = usePath()
  const search = sharedSearch(new URLSearchParams(window.location.search))
  return (
    <nav className="dash-tabs" aria-label={t('dash.tabs')}>
      {DASH_PAGES.map((p) => (
        <Link key={p.id} to={p.path + search} className="dash-tab" aria-current={path === p.path ? 'page' : undefined} data-testid={`dash-tab-${p.id}`}>
          {t(p.label)}
        </Link>
      ))}
    </nav>
  )
}

interface SelectProps {
  k: FilterKey
  value: string | undefined
  choices: { value: string; label: string }[]
  onChange: (value: string | null) => void
  disabled?: boolean
}

function FilterSelect({ k, value, choices, onChange, disabled }: SelectProps) {
  const { t } = useI18n()
  const known = !value || choices.some((c) => c.value === value)
  return (
    <label className="dash-select">
      <span className="dash-select-label">{t(`dash.filter.${k}`)}</span>
      <select value={value ?? ''} onChange={(e) => onChange(e.target.value || null)} disabled={disabled} data-testid={`dash-filter-${k}`}>
        <option value="">{t('dash.filter.all')}</option>
        {/* A value from a shared link that is not offered (another scope, say) stays visible. */}
        {!known && value ? <option value={value}>{value}</option> : null}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  )
}

/**
 * The one filter bar of every dashboard: tabs, period presets (7/30/90/365 days, this year,
 * custom), city → district, tier → SKU, distributor and store kind. Everything lives in the URL.
 */
export function FilterBar({ f, options }: { f: DashFilterState; options: FilterOptions | undefined }) {
  const i18n = useI18n()
  const { t } = i18n
  const { state, period } = f
  const city = options?.cities.find((c) => c.city === state.filters.city)
  const skus = (options?.skus ?? []).filter((s) => !state.filters.tier || s.tier === state.filters.tier)
  const prev = period ? previousOf(period) : null
  return (
    <section className="dash-bar panel" aria-label={t('dash.filters')} data-testid="dash-filter-bar">
      <DashTabs />
      <div className="dash-bar-row">
        <Segmented
          label={t('common.period')}
          value={state.preset}
          onChange={f.setPreset}
          options={PRESETS.map((p) => ({ value: p, label: t(PRESET_LABEL[p]) }))}
          testId="dash-range"
        />
        {state.preset === 'custom' && period ? (
          <span className="dash-dates">
            <input type="date" aria-label={t('dash.range.from')} value={period.from} max={period.to} data-testid="dash-from"
              onChange={(e) => e.target.value && f.setCustom(e.target.value, period.to)} />
            <span aria-hidden="true">–</span>
            <input type="date" aria-label={t('dash.range.to')} value={period.to} min={period.from} data-testid="dash-to"
              onChange={(e) => e.target.value && f.setCustom(period.from, e.target.value)} />
          </span>
        ) : null}
        <span className="dash-period muted" data-testid="dash-period" data-from={period?.from} data-to={period?.to}>
          {period && prev
            ? t('dash.period', { from: fullDay(i18n, period.from), to: fullDay(i18n, period.to), n: period.days, pfrom: fullDay(i18n, prev.from), pto: fullDay(i18n, prev.to) })
            : t('common.loading')}
        </span>
      </div>
      <div className="dash-bar-row dash-bar-filters">
        <FilterSelect k="city" value={state.filters.city} onChange={(v) => f.setFilter('city', v)}
          choices={(options?.cities ?? []).map((c) => ({ value: c.city, label: c.city }))} />
        <FilterSelect k="district" value={state.filters.district} onChange={(v) => f.setFilter('district', v)} disabled={!state.filters.city}
          choices={(city?.districts ?? []).map((d) => ({ value: d.district, label: d.district }))} />
        <FilterSelect k="tier" value={state.filters.tier} onChange={(v) => f.setFilter('tier', v)}
          choices={(options?.tiers ?? []).map((x) => ({ value: x, label: label(t, 'tier', x) }))} />
        <FilterSelect k="sku" value={state.filters.sku} onChange={(v) => f.setFilter('sku', v)}
          choices={skus.map((s) => ({ value: s.sku_id, label: s.name }))} />
        <FilterSelect k="distributor" value={state.filters.distributor} onChange={(v) => f.setFilter('distributor', v)}
          choices={(options?.distributors ?? []).map((d) => ({ value: d.distributor_id, label: d.name }))} />
        <FilterSelect k="kind" value={state.filters.kind} onChange={(v) => f.setFilter('kind', v)}
          choices={(options?.kinds ?? []).map((k) => ({ value: k, label: label(t, 'kind', k) }))} />
        {hasFilters(state.filters) ? (
          <button type="button" className="btn btn-small dash-reset" onClick={f.reset} data-testid="dash-reset">
            {t('dash.filter.reset')}
          </button>
        ) : null}
      </div>
    </section>
  )
}
