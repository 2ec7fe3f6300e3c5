import { useMemo } from 'react'
import { useDash, useDashOptions, type Cohorts } from '../../api/dashboards'
import { Chart, type ChartOption } from '../../charts/Chart'
import { PageHeader, Panel } from '../../components/Panel'
import { ErrorNotice } from '../../components/States'
import { useI18n } from '../../i18n'
import { FilterBar } from './FilterBar'
import { monthLabel, tooltip } from './format'
import { useDashFilters } from './useDashFilters'
import './dashboards.css'

/** Cell colour for a share 0..1 (the heatmap's scale, reused by the table). */
function shade(share: number): string {
  const a = 0.08 + 0.82 * Math.max(0, Math.min(1, share))
  return `rgba(39, 76, 119, ${a.toFixed(2)})`
}

function CohortChart({ c, loading }: { c: Cohorts | undefined; loading: boolean }) {
  const i18n = useI18n()
  const { t, number, percent } = i18n
  const rows = useMemo(() => c?.cohorts ?? [], [c])
  const title = t('dash.coh.heatmap')
  const months = useMemo(() => Array.from({ length: c?.months ?? 0 }, (_, k) => t('dash.coh.month', { k })), [c, t])
  const option = useMemo(() => {
    const ylabels = rows.map((r) => `${monthLabel(i18n, r.cohort)}${r.censored ? ' *' : ''}`)
    return {
      grid: { left: 8, right: 16, top: 8, bottom: 56, containLabel: true },
      tooltip: {
        trigger: 'item',
        confine: true,
        formatter: (p: { value: number[] }) => {
          const r = rows[p.value[1]]
          return tooltip(`${monthLabel(i18n, r.cohort)} · ${months[p.value[0]]}`, [
            [t('dash.coh.active'), `${number(r.active[p.value[0]])} / ${number(r.stores)}`],
            [t('dash.coh.share'), percent(p.value[2])],
          ])
        },
      },
      xAxis: { type: 'category', data: months, splitArea: { show: true }, axisLabel: { color: '#5b6675' } },
      yAxis: { type: 'category', data: ylabels, inverse: true, axisLabel: { color: '#5b6675' } },
      visualMap: {
        min: 0, max: 1, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 160,
        inRange: { color: [shade(0), shade(1)] }, text: ['100%', '0%'], textStyle: { color: '#5b6675' },
      },
      series: [
        {
          type: 'heatmap',
          data: rows.flatMap((r, y) => r.share.map((s, x) => [x, y, s])),
          label: { show: rows.length * (c?.months ?? 0) <= 240, formatter: (p: { value: number[] }) => percent(p.value[2], 0), fontSize: 11, color: '#fff' },
          itemStyle: { borderColor: '#fff', borderWidth: 1 },
        },
      ],
    } as ChartOption
  }, [rows, months, c, t, number, percent, i18n])
  return (
    <Chart title={title} option={option} loading={loading} empty={rows.length === 0} emptyText={t('dash.coh.empty')} height={Math.max(240, 34 * rows.length + 90)} testId="dash-cohort-heatmap"
      csv={{ header: [t('dash.coh.cohort'), t('dash.geo.stores'), ...months], rows: rows.map((r) => [r.cohort, r.stores, ...r.share]) }} />
  )
}

function CohortTable({ c }: { c: Cohorts }) {
  const i18n = useI18n()
  const { t, number, percent } = i18n
  return (
    <div className="table-wrap">
      <table className="table dash-cohorts">
        <thead>
          <tr>
            <th scope="col">{t('dash.coh.cohort')}</th>
            <th scope="col" className="num">{t('dash.geo.stores')}</th>
            {Array.from({ length: c.months }, (_, k) => <th key={k} scope="col" className="num">{t('dash.coh.month', { k })}</th>)}
          </tr>
        </thead>
        <tbody>
          {c.cohorts.map((r) => (
            <tr key={r.cohort}>
              <th scope="row" className="nowrap">{monthLabel(i18n, r.cohort)}{r.censored ? <span title={t('dash.coh.censored')}> *</span> : null}</th>
              <td className="num tabular">{number(r.stores)}</td>
              {Array.from({ length: c.months }, (_, k) => (
                <td key={k} className="num tabular dash-cell" style={k < r.share.length ? { background: shade(r.share[k]), color: r.share[k] > 0.45 ? '#fff' : undefined } : undefined}>
                  {k < r.share.length ? percent(r.share[k], 0) : ''}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Store activity cohorts: by month of first stock-in, the share still selling each later month. */
export default function CohortsPage() {
  const i18n = useI18n()
  const { t, day } = i18n
  const f = useDashFilters()
  const options = useDashOptions()
  const q = useDash('cohorts', f.query())
  const c = q.data
  const loading = q.isPending || q.isPlaceholderData || q.isFetching
  const short = f.period !== null && f.period.days < 90
  return (
    <div className="page" data-testid="page-cohorts">
      <PageHeader title={t('nav.cohorts')} lead={t('dash.coh.pageLead')} />
      <FilterBar f={f} options={options.data} />
      {short ? (
        <div className="notice" role="status">
          <span>{t('dash.coh.short')}</span>
          <button type="button" className="btn btn-small" onClick={() => f.setPreset('365d')} data-testid="dash-cohort-365">{t('dash.range.365d')}</button>
        </div>
      ) : null}
      {q.isError && !c ? (
        <ErrorNotice what={t('dash.coh.what')} error={q.error} onRetry={q.refetch} />
      ) : (
        <Panel title={t('dash.coh.heatmap')} description={t('dash.coh.lead')} testId="dash-cohorts">
          <CohortChart c={c} loading={loading} />
          {c && c.cohorts.length > 0 ? <CohortTable c={c} /> : null}
          {c ? (
            <p className="dash-note muted">
              {[
                c.cohorts.some((r) => r.censored) && c.data_start ? t('dash.coh.censoredNote', { day: day(c.data_start, 'long') }) : '',
                c.partial_month ? t('dash.coh.partial', { month: monthLabel(i18n, c.partial_month) }) : '',
              ].filter(Boolean).join(' ')}
            </p>
          ) : null}
        </Panel>
      )}
    </div>
  )
}
