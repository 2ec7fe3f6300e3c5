import { useMemo } from 'react'
import { useDash, useDashOptions, type Geography } from '../../api/dashboards'
import { Chart, CsvButton } from '../../charts/Chart'
import { categoryOption } from '../../charts/category'
import { PageHeader, Panel } from '../../components/Panel'
import { EmptyState, ErrorNotice } from '../../components/States'
import { useI18n } from '../../i18n'
import { Link, navigate } from '../../router'
import { FilterBar } from './FilterBar'
import { COLORS } from './format'
import { GeoMapPanel } from './GeoMapPanel'
import { useDashFilters, type DashFilterState } from './useDashFilters'
import './dashboards.css'

/** All › city › district: each step goes back up (clears the filters below it). */
function Breadcrumbs({ f }: { f: DashFilterState }) {
  const { t } = useI18n()
  const { city, district } = f.state.filters
  return (
    <nav className="dash-crumbs" aria-label={t('dash.geo.path')} data-testid="dash-crumbs">
      {city ? <button type="button" className="btn-link" onClick={() => f.setFilters({ city: null, district: null })}>{t('dash.geo.all')}</button> : <span aria-current="page">{t('dash.geo.all')}</span>}
      {city ? (
        <>
          <span className="dash-crumb-sep" aria-hidden="true">›</span>
          {district ? <button type="button" className="btn-link" onClick={() => f.setFilters({ district: null })}>{city}</button> : <span aria-current="page">{city}</span>}
        </>
      ) : null}
      {district ? (
        <>
          <span className="dash-crumb-sep" aria-hidden="true">›</span>
          <span aria-current="page">{district}</span>
        </>
      ) : null}
    </nav>
  )
}

function drill(f: DashFilterState, g: Geography, key: string) {
  if (g.level === 'city') f.setFilters({ city: key, district: null })
  else if (g.level === 'district') f.setFilters({ district: key })
  else navigate(`/stores/${encodeURIComponent(key)}`)
}

function Breakdown({ g, loading, f }: { g: Geography | undefined; loading: boolean; f: DashFilterState }) {
  const i18n = useI18n()
  const { t, number, percent } = i18n
  const rows = (g?.rows ?? []).slice(0, 40)
  const level = g?.level ?? 'city'
  const title = t(`dash.geo.by.${level}`)
  const option = useMemo(
    () =>
      categoryOption({
        categories: rows.map((r) => r.label),
        series: [
          { name: t('dash.opened'), data: rows.map((r) => r.opened), color: COLORS.opened },
          { name: t('dash.stocked'), data: rows.map((r) => r.stocked), color: COLORS.stocked },
        ],
        formatValue: (v) => t('dash.bottlesN', { n: number(v) }),
        formatAxis: i18n.compact,
      }),
    [rows, t, number, i18n],
  )
  const csv = {
    header: [t(`dash.geo.level.${level}`), t('dash.name'), t('dash.geo.stores'), t('dash.kpi.active'), t('dash.stocked'), t('dash.opened'), t('dash.kpi.openRate')],
    rows: (g?.rows ?? []).map((r) => [r.key, r.label, r.stores, r.active_stores, r.stocked, r.opened, r.open_rate]),
  }
  return (
    <Panel title={title} description={t(level === 'store' ? 'dash.geo.leadStore' : 'dash.geo.lead')} testId="dash-geo-breakdown" actions={<Breadcrumbs f={f} />}>
      <Chart title={title} option={option} loading={loading} empty={rows.length === 0} emptyText={t('dash.empty')} height={300} csv={csv}
        onClick={(e) => g && rows[e.dataIndex] && drill(f, g, rows[e.dataIndex].key)} testId="dash-geo-chart" />
      {g && g.rows.length > 0 ? (
        <div className="table-wrap dash-table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t(`dash.geo.level.${level}`)}</th>
                <th scope="col" className="num">{t('dash.geo.stores')}</th>
                <th scope="col" className="num">{t('dash.kpi.active')}</th>
                <th scope="col" className="num">{t('dash.stocked')}</th>
                <th scope="col" className="num">{t('dash.opened')}</th>
                <th scope="col" className="num">{t('dash.kpi.openRate')}</th>
              </tr>
            </thead>
            <tbody>
              {g.rows.map((r) => (
                <tr key={r.key}>
                  <th scope="row">
                    {level === 'store' ? (
                      <Link to={`/stores/${encodeURIComponent(r.key)}`} className="link">{r.label}</Link>
                    ) : (
                      <button type="button" className="btn-link dash-drill" onClick={() => drill(f, g, r.key)}>{r.label}</button>
                    )}
                  </th>
                  <td className="num tabular">{number(r.stores)}</td>
                  <td className="num tabular">{number(r.active_stores)}</td>
                  <td className="num tabular">{number(r.stocked)}</td>
                  <td className="num tabular">{number(r.opened)}</td>
                  <td className="num tabular">{r.open_rate === null ? '—' : percent(r.open_rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : g && !loading ? (
        <EmptyState>{t('dash.empty')}</EmptyState>
      ) : null}
      {g?.truncated ? <p className="dash-note muted">{t('dash.geo.truncated', { n: g.rows.length })}</p> : null}
      {g ? <div className="dash-table-actions"><CsvButton title={title} csv={csv} /></div> : null}
    </Panel>
  )
}

/** Geography: city → district → store drill-down, and the map of stores and opens. */
export default function GeographyPage() {
  const { t } = useI18n()
  const f = useDashFilters()
  const options = useDashOptions()
  const g = useDash('geography', f.query())
  const m = useDash('geography/map', f.query())
  const busy = (q: { isPending: boolean; isPlaceholderData: boolean; isFetching: boolean }) => q.isPending || q.isPlaceholderData || q.isFetching
  return (
    <div className="page" data-testid="page-geography">
      <PageHeader title={t('nav.geography')} lead={t('dash.geo.pageLead')} />
      <FilterBar f={f} options={options.data} />
      {g.isError && !g.data ? <ErrorNotice what={t('dash.geo.what')} error={g.error} onRetry={g.refetch} /> : <Breakdown g={g.data} loading={busy(g)} f={f} />}
      {m.isError && !m.data ? <ErrorNotice what={t('dash.map.what')} error={m.error} onRetry={m.refetch} /> : <GeoMapPanel data={m.data} loading={busy(m)} />}
    </div>
  )
}
