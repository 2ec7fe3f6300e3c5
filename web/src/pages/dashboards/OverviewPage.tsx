import { useMemo } from 'react'
import { useDash, useDashOptions, type Grain, type Overview } from '../../api/dashboards'
import { Chart, CsvButton } from '../../charts/Chart'
import { categoryOption } from '../../charts/category'
import { PageHeader, Panel } from '../../components/Panel'
import { Segmented } from '../../components/Segmented'
import { EmptyState, ErrorNotice } from '../../components/States'
import { useI18n } from '../../i18n'
import { Link } from '../../router'
import { FilterBar } from './FilterBar'
import { bucketWithin } from './filters'
import { bucketLabel, COLORS, label, yuan } from './format'
import { KpiTiles } from './KpiTiles'
import { setParams, useDashFilters, type DashFilterState } from './useDashFilters'
import './dashboards.css'

const GRAINS: Grain[] = ['day', 'week', 'month']

function TrendPanel({ data, loading, f }: { data: Overview | undefined; loading: boolean; f: DashFilterState }) {
  const i18n = useI18n()
  const { t, number } = i18n
  const trend = data?.trend
  const grain = trend?.grain ?? 'day'
  const fmtCat = useMemo(() => (c: string) => bucketLabel(i18n, c, grain), [i18n, grain])
  const option = useMemo(
    () =>
      categoryOption({
        kind: 'line',
        categories: trend?.buckets ?? [],
        series: [
          { name: t('dash.stocked'), data: trend?.stocked ?? [], color: COLORS.stocked },
          { name: t('dash.opened'), data: trend?.opened ?? [], color: COLORS.opened },
        ],
        formatValue: (v) => t('dash.bottlesN', { n: number(v) }),
        formatAxis: i18n.compact,
        formatCategory: fmtCat,
      }),
    [trend, t, number, i18n, fmtCat],
  )
  const title = t('dash.trend.title')
  return (
    <Panel title={title} description={t('dash.trend.lead')} testId="dash-trend">
      <Chart
        title={title}
        option={option}
        loading={loading}
        empty={!trend || trend.buckets.length === 0 || (trend.stocked.every((v) => v === 0) && trend.opened.every((v) => v === 0))}
        emptyText={t('dash.empty')}
        height={300}
        csv={{ header: [t('dash.bucket'), t('dash.stocked'), t('dash.opened')], rows: (trend?.buckets ?? []).map((b, i) => [b, trend!.stocked[i], trend!.opened[i]]) }}
        // Drill down: the clicked day, week or month becomes the period.
        onClick={(e) => {
          const start = trend?.buckets[e.dataIndex]
          if (!start || !f.period) return
          const b = bucketWithin(start, grain, f.period)
          f.setCustom(b.from, b.to)
        }}
        actions={
          <Segmented label={t('dash.grain')} value={(f.params.grain as Grain | null) ?? 'auto'} testId="dash-grain"
            onChange={(g) => setParams({ grain: g === 'auto' ? null : g })}
            options={[{ value: 'auto', label: t('dash.grain.auto') }, ...GRAINS.map((g) => ({ value: g, label: t(`dash.grain.${g}`) }))]} />
        }
      />
    </Panel>
  )
}

function FunnelPanel({ data, loading }: { data: Overview | undefined; loading: boolean }) {
  const i18n = useI18n()
  const { t, number, percent } = i18n
  const fu = data?.funnel
  const steps = useMemo(() => [t('dash.funnel.ship'), t('dash.funnel.stock'), t('dash.funnel.open')], [t])
  const values = useMemo(() => (fu ? [fu.shipped, fu.stocked, fu.opened] : []), [fu])
  const option = useMemo(
    () =>
      categoryOption({
        horizontal: true,
        categories: steps,
        series: [{ name: t('dash.bottles'), data: values, color: COLORS.shipped }],
        formatValue: (v) => t('dash.bottlesN', { n: number(v) }),
        formatAxis: i18n.compact,
      }),
    [steps, values, t, number, i18n],
  )
  const title = t('dash.funnel.title')
  const rate = (a: number, b: number) => (b > 0 ? percent(a / b) : '—')
  return (
    <Panel title={title} description={t('dash.funnel.lead')} testId="dash-funnel">
      <Chart title={title} option={option} loading={loading} empty={!fu || values.every((v) => v === 0)} emptyText={t('dash.empty')} height={190}
        csv={{ header: [t('dash.funnel.step'), t('dash.bottles')], rows: steps.map((s, i) => [s, values[i] ?? null]) }} />
      {fu ? (
        <ul className="dash-conversions">
          <li>{t('dash.funnel.stockRate', { p: rate(fu.stocked, fu.shipped) })}</li>
          <li>{t('dash.funnel.openRate', { p: rate(fu.opened, fu.stocked) })}</li>
          {fu.shipped < fu.stocked ? <li className="muted">{t('dash.funnel.unscanned')}</li> : null}
        </ul>
      ) : null}
    </Panel>
  )
}

function MixPanels({ data, loading, f }: { data: Overview | undefined; loading: boolean; f: DashFilterState }) {
  const i18n = useI18n()
  const { t, number } = i18n
  const tiers = useMemo(() => data?.tiers ?? [], [data])
  const skus = useMemo(() => (data?.skus ?? []).slice(0, 10), [data])
  const tierOption = useMemo(
    () =>
      categoryOption({
        categories: tiers.map((x) => label(t, 'tier', x.tier)),
        series: [
          { name: t('dash.stocked'), data: tiers.map((x) => x.stocked), color: COLORS.stocked },
          { name: t('dash.opened'), data: tiers.map((x) => x.opened), color: COLORS.opened },
        ],
        formatValue: (v) => t('dash.bottlesN', { n: number(v) }),
        formatAxis: i18n.compact,
      }),
    [tiers, t, number, i18n],
  )
  const skuOption = useMemo(
    () =>
      categoryOption({
        horizontal: true,
        categories: skus.map((s) => s.name ?? s.sku_id),
        series: [{ name: t('dash.opened'), data: skus.map((s) => s.opened), color: COLORS.opened }],
        formatValue: (v) => t('dash.bottlesN', { n: number(v) }),
        formatAxis: i18n.compact,
      }),
    [skus, t, number, i18n],
  )
  const tierTitle = t('dash.mix.tier')
  const skuTitle = t('dash.mix.sku')
  return (
    <>
      <Panel title={tierTitle} description={t('dash.mix.tierLead')} testId="dash-tier-mix">
        <Chart title={tierTitle} option={tierOption} loading={loading} empty={tiers.length === 0} emptyText={t('dash.empty')} height={260}
          csv={{ header: [t('dash.filter.tier'), t('dash.stocked'), t('dash.opened')], rows: tiers.map((x) => [x.tier, x.stocked, x.opened]) }}
          onClick={(e) => tiers[e.dataIndex] && tiers[e.dataIndex].tier !== 'unknown' && f.setFilter('tier', tiers[e.dataIndex].tier)} />
      </Panel>
      <Panel title={skuTitle} description={t('dash.mix.skuLead')} testId="dash-sku-mix">
        <Chart title={skuTitle} option={skuOption} loading={loading} empty={skus.length === 0} emptyText={t('dash.empty')} height={260}
          csv={{ header: ['sku_id', t('dash.product'), t('dash.filter.tier'), t('dash.stocked'), t('dash.opened')], rows: (data?.skus ?? []).map((s) => [s.sku_id, s.name, s.tier, s.stocked, s.opened]) }}
          onClick={(e) => skus[e.dataIndex] && f.setFilters({ sku: skus[e.dataIndex].sku_id, tier: skus[e.dataIndex].tier ?? null })} />
      </Panel>
    </>
  )
}

function Leaderboard({ data, f }: { data: Overview | undefined; f: DashFilterState }) {
  const i18n = useI18n()
  const { t, number, percent } = i18n
  const rows = data?.distributors ?? []
  const max = Math.max(1, ...rows.map((r) => r.opened))
  const title = t('dash.leaders.title')
  return (
    <Panel title={title} description={t('dash.leaders.lead')} testId="dash-leaderboard"
      actions={<CsvButton title={title} csv={{ header: ['distributor_id', t('dash.name'), t('dash.opened'), t('dash.stocked'), t('dash.kpi.openRate'), t('dash.kpi.active')], rows: rows.map((r) => [r.distributor_id, r.name, r.opened, r.stocked, r.open_rate, r.active_stores]) }} />}>
      {rows.length === 0 ? (
        <EmptyState>{t('dash.empty')}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('dash.filter.distributor')}</th>
                <th scope="col" className="num">{t('dash.opened')}</th>
                <th scope="col" className="num">{t('dash.stocked')}</th>
                <th scope="col" className="num">{t('dash.kpi.openRate')}</th>
                <th scope="col" className="num">{t('dash.kpi.active')}</th>
                <th scope="col"><span className="visually-hidden">{t('dash.filterBy')}</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={r.distributor_id}>
                  <td className="tabular muted">{i + 1}</td>
                  <th scope="row"><Link to={`/distributors/${encodeURIComponent(r.distributor_id)}`} className="link">{r.name ?? r.distributor_id}</Link></th>
                  <td className="num tabular">
                    <span className="bar-cell"><span className="bar" style={{ width: `${(r.opened / max) * 100}%` }} aria-hidden="true" /><span className="bar-value">{number(r.opened)}</span></span>
                  </td>
                  <td className="num tabular">{number(r.stocked)}</td>
                  <td className="num tabular">{r.open_rate === null ? '—' : percent(r.open_rate)}</td>
                  <td className="num tabular">{number(r.active_stores)}</td>
                  <td><button type="button" className="btn-link" onClick={() => f.setFilter('distributor', r.distributor_id)}>{t('dash.filterBy')}</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  )
}

/** Notes under the KPIs when the reward figures cannot follow every filter. */
function RewardNote({ data }: { data: Overview | undefined }) {
  const i18n = useI18n()
  const { t } = i18n
  if (!data) return null
  const b = data.reward_basis
  const parts: string[] = []
  if (!b.consumers) parts.push(t('dash.basis.noConsumers'))
  if (b.product_ignored) parts.push(t('dash.basis.productIgnored'))
  const r = data.reward_by_beneficiary
  const split = t('dash.basis.split', {
    store: yuan(i18n, r.store, true), distributor: r.distributor === null ? '—' : yuan(i18n, r.distributor, true), consumer: r.consumer === null ? '—' : yuan(i18n, r.consumer, true),
  })
  return <p className="dash-note muted" data-testid="dash-reward-note">{[split, ...parts].join(' ')}</p>
}

/** The overview dashboard: KPIs, trend, funnel, mix and the distributor leaderboard. */
export default function OverviewPage() {
  const { t } = useI18n()
  const f = useDashFilters()
  const options = useDashOptions()
  const grain = GRAINS.find((g) => g === f.params.grain)
  const q = useDash('overview', f.query({ grain }))
  const loading = q.isPending || q.isPlaceholderData || q.isFetching
  return (
    <div className="page" data-testid="page-overview">
      <PageHeader title={t('dash.overview.title')} lead={t('dash.overview.lead')} />
      <FilterBar f={f} options={options.data} />
      {options.isError ? <ErrorNotice what={t('dash.options.what')} error={options.error} onRetry={options.refetch} /> : null}
      {q.isError && !q.data ? (
        <ErrorNotice what={t('dash.overview.what')} error={q.error} onRetry={q.refetch} />
      ) : (
        <>
          <KpiTiles data={q.data} loading={loading} />
          <RewardNote data={q.data} />
          <div className="grid-2-1">
            <TrendPanel data={q.data} loading={loading} f={f} />
            <FunnelPanel data={q.data} loading={loading} />
          </div>
          <div className="dash-grid-3">
            <MixPanels data={q.data} loading={loading} f={f} />
          </div>
          <Leaderboard data={q.data} f={f} />
        </>
      )}
    </div>
  )
}
