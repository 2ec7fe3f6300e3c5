import { useMemo } from 'react'
import { useDash, useDashOptions, type Incentives, type PerBottle } from '../../api/dashboards'
import { Chart, CsvButton } from '../../charts/Chart'
import { categoryOption, CHART_PALETTE } from '../../charts/category'
import { PageHeader, Panel } from '../../components/Panel'
import { Segmented } from '../../components/Segmented'
import { EmptyState, ErrorNotice } from '../../components/States'
import { useI18n } from '../../i18n'
import { Link } from '../../router'
import { FilterBar } from './FilterBar'
import { bucketWithin } from './filters'
import { bucketLabel, label, yuan, yuanAxis } from './format'
import { setParams, useDashFilters, type DashFilterState } from './useDashFilters'
import './dashboards.css'

const KIND_COLORS: Record<string, string> = { stock_in: '#2f9e8f', sell_through: '#3b6ea5', red_envelope: '#c2574b', distributor_bonus: '#8a6bb8', campaign: '#d08a2c' }

function SpendChart({ d, loading, f }: { d: Incentives | undefined; loading: boolean; f: DashFilterState }) {
  const i18n = useI18n()
  const { t } = i18n
  const by = f.params.measure === 'policy' ? 'policy' : 'kind'
  const list = useMemo(() => (by === 'policy' ? d?.by_policy : d?.by_kind) ?? [], [d, by])
  const grain = d?.grain ?? 'day'
  const title = t(by === 'policy' ? 'dash.inc.byPolicy' : 'dash.inc.byKind')
  const option = useMemo(
    () =>
      categoryOption({
        stacked: true,
        totalLabel: t('common.total'),
        categories: d?.buckets ?? [],
        series: list.map((s, i) => ({
          name: by === 'kind' ? label(t, 'reward', s.name) : s.name || t('dash.inc.noPolicy'),
          data: s.fen,
          color: by === 'kind' ? KIND_COLORS[s.name] : CHART_PALETTE[i % CHART_PALETTE.length],
        })),
        formatValue: (v) => yuan(i18n, v),
        formatAxis: (v) => yuanAxis(i18n, v),
        formatCategory: (c) => bucketLabel(i18n, c, grain),
      }),
    [d, list, by, grain, t, i18n],
  )
  return (
    <Panel title={title} description={t('dash.inc.spendLead')} testId="dash-spend">
      <Chart title={title} option={option} loading={loading} empty={list.length === 0} emptyText={t('dash.empty')} height={320}
        csv={{ header: [t('dash.bucket'), ...list.map((s) => s.name || '-')], rows: (d?.buckets ?? []).map((b, i) => [b, ...list.map((s) => s.fen[i] / 100)]) }}
        onClick={(e) => {
          // Drill down: the clicked day, week or month becomes the period.
          const start = d?.buckets[e.dataIndex]
          if (!start || !f.period) return
          const b = bucketWithin(start, grain, f.period)
          f.setCustom(b.from, b.to)
        }}
        actions={<Segmented label={t('dash.inc.split')} value={by} testId="dash-spend-by" onChange={(v) => setParams({ measure: v === 'kind' ? null : v })}
          options={[{ value: 'kind', label: t('dash.inc.kind') }, { value: 'policy', label: t('dash.inc.policy') }]} />}
      />
    </Panel>
  )
}

function PerBottleChart({ rows, loading, by, f }: { rows: PerBottle[]; loading: boolean; by: 'city' | 'kind'; f: DashFilterState }) {
  const i18n = useI18n()
  const { t, number } = i18n
  const shown = useMemo(() => rows.filter((r) => r.per_bottle_fen !== null), [rows])
  const option = useMemo(
    () =>
      categoryOption({
        horizontal: true,
        categories: shown.map((r) => (by === 'kind' ? label(t, 'kind', r.key) : r.key)),
        series: [{ name: t('dash.inc.perBottle'), data: shown.map((r) => r.per_bottle_fen), color: '#3b6ea5' }],
        formatValue: (v) => t('dash.perBottle', { v: yuan(i18n, v) }),
        formatAxis: (v) => yuanAxis(i18n, v),
      }),
    [shown, by, t, i18n],
  )
  const title = t(by === 'city' ? 'dash.inc.perCity' : 'dash.inc.perKind')
  return (
    <Panel title={title} description={t('dash.inc.perLead')} testId={`dash-per-${by}`}>
      <Chart title={title} option={option} loading={loading} empty={shown.length === 0} emptyText={t('dash.empty')} height={Math.max(200, 26 * shown.length + 40)}
        csv={{ header: [t(by === 'city' ? 'dash.city' : 'dash.filter.kind'), t('dash.inc.storeReward'), t('dash.opened'), t('dash.geo.stores'), t('dash.inc.perBottle')], rows: rows.map((r) => [r.key, r.reward_fen / 100, r.opened, r.stores, r.per_bottle_fen === null ? null : r.per_bottle_fen / 100]) }}
        onClick={(e) => shown[e.dataIndex] && f.setFilter(by === 'city' ? 'city' : 'kind', shown[e.dataIndex].key)} />
      <p className="dash-note muted">{t('dash.inc.perFoot', { n: number(shown.reduce((a, r) => a + r.stores, 0)) })}</p>
    </Panel>
  )
}

function TopStores({ d }: { d: Incentives | undefined }) {
  const i18n = useI18n()
  const { t, number } = i18n
  const rows = d?.top_stores ?? []
  const title = t('dash.inc.top')
  return (
    <Panel title={title} description={t('dash.inc.topLead', { n: d?.min_bottles ?? 10 })} testId="dash-top-earners"
      actions={<CsvButton title={title} csv={{ header: ['store_id', t('dash.name'), t('dash.city'), t('dash.filter.kind'), t('dash.inc.storeReward'), t('dash.opened'), t('dash.inc.perBottle')], rows: rows.map((r) => [r.store_id, r.name, r.city, r.kind, r.reward_fen / 100, r.opened, r.per_bottle_fen / 100]) }} />}>
      {rows.length === 0 ? (
        <EmptyState>{t('dash.empty')}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('dash.store')}</th>
                <th scope="col">{t('dash.filter.kind')}</th>
                <th scope="col" className="num">{t('dash.inc.perBottle')}</th>
                <th scope="col" className="num">{t('dash.inc.storeReward')}</th>
                <th scope="col" className="num">{t('dash.opened')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.store_id}>
                  <th scope="row"><Link to={`/stores/${encodeURIComponent(r.store_id)}`} className="link">{r.name}</Link><span className="muted"> · {r.city}</span></th>
                  <td>{label(t, 'kind', r.kind)}</td>
                  <td className="num tabular">{yuan(i18n, r.per_bottle_fen)}</td>
                  <td className="num tabular">{yuan(i18n, r.reward_fen)}</td>
                  <td className="num tabular">{number(r.opened)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  )
}

/** Incentive spend: by kind and policy over time, per opened bottle by city and store kind, top earners. */
export default function IncentivesPage() {
  const i18n = useI18n()
  const { t } = i18n
  const f = useDashFilters()
  const options = useDashOptions()
  const q = useDash('incentives', f.query())
  const d = q.data
  const loading = q.isPending || q.isPlaceholderData || q.isFetching
  const notes = d ? [!d.reward_basis.consumers ? t('dash.basis.noConsumers') : '', d.reward_basis.product_ignored ? t('dash.basis.productIgnored') : ''].filter(Boolean) : []
  return (
    <div className="page" data-testid="page-incentives">
      <PageHeader title={t('nav.incentives')} lead={t('dash.inc.pageLead')} />
      <FilterBar f={f} options={options.data} />
      {q.isError && !d ? (
        <ErrorNotice what={t('dash.inc.what')} error={q.error} onRetry={q.refetch} />
      ) : (
        <>
          <ul className="totals dash-totals" data-testid="dash-spend-totals">
            <li className="total">
              <span className="total-label">{t('dash.inc.total')}</span>
              <span className="total-value tabular">{d ? yuan(i18n, d.total_fen, true) : '…'}</span>
            </li>
            {(d?.by_beneficiary ?? []).map((b) => (
              <li key={b.beneficiary_type} className="total">
                <span className="total-label">{label(t, 'beneficiary', b.beneficiary_type)}</span>
                <span className="total-value tabular">{yuan(i18n, b.fen, true)}</span>
              </li>
            ))}
          </ul>
          {notes.length ? <p className="dash-note muted">{notes.join(' ')}</p> : null}
          <SpendChart d={d} loading={loading} f={f} />
          <div className="dash-grid-2">
            <PerBottleChart rows={d?.by_city ?? []} loading={loading} by="city" f={f} />
            <PerBottleChart rows={d?.by_store_kind ?? []} loading={loading} by="kind" f={f} />
          </div>
          <TopStores d={d} />
        </>
      )}
    </div>
  )
}
