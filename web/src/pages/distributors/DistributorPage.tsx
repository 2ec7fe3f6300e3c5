import { useMemo } from 'react'
import { isApiError } from '../../api/errors'
import { useCatalog, useDetail, useProfile } from '../../api/profiles'
import { useCategoryChart, type ChartSeries } from '../../charts/category'
import { Chart } from '../../charts/Chart'
import { Panel } from '../../components/Panel'
import { EmptyState, ErrorNotice, LoadingBlock } from '../../components/States'
import { useI18n } from '../../i18n'
import { Link } from '../../router'
import { EVENT_COLORS } from '../data/eventsSeries'
import { AsOfPicker, DetailHead, Facts, KpiTiles, useAsOf } from '../profiles/parts'
import { useWeekAxis } from '../profiles/weekly'

const KPIS = ['stores_served_90d', 'stocked_bottles_90d', 'opened_bottles_90d', 'open_rate_90d', 'outside_territory_open_share_90d', 'active_store_share_90d'] as const
const INSIDE_COLOR = '#3b6ea5'
const OUTSIDE_COLOR = '#c2574b'

/** One distributor as of a date: header, KPIs, weekly series, opens by city against its territory, stores served. */
export function DistributorPage({ id }: { id: string }) {
  const i18n = useI18n()
  const { t, number, percent } = i18n
  const [asOf, setAsOf] = useAsOf()
  const catalog = useCatalog()
  const profile = useProfile('distributor', id, asOf)
  const detail = useDetail('distributor', id, asOf)
  const d = detail.data
  const m = d?.distributor
  const loading = detail.isPending || detail.isPlaceholderData
  const axis = useWeekAxis(d?.weeks)
  const weekly = useMemo<ChartSeries[]>(
    () =>
      d
        ? [
            { name: t('stores.weekly.opened'), data: d.weekly.opened, kind: 'bar', color: EVENT_COLORS.open },
            { name: t('stores.weekly.stocked'), data: d.weekly.stocked, kind: 'bar', color: EVENT_COLORS.stock_in },
          ]
        : [],
    [d, t],
  )
  // Two series over the same cities, one of them null per city: bars coloured by territory.
  const cities = useMemo(() => (d?.cities ?? []).slice(0, 15), [d])
  const citySeries = useMemo<ChartSeries[]>(
    () => [
      { name: t('distributors.cities.inside'), data: cities.map((c) => (c.inside !== false ? c.bottles : null)), color: INSIDE_COLOR },
      { name: t('distributors.cities.outside'), data: cities.map((c) => (c.inside === false ? c.bottles : null)), color: OUTSIDE_COLOR },
    ],
    [cities, t],
  )
  const weeklyChart = useCategoryChart({ kind: 'bar', categories: axis.categories, series: weekly, formatCategory: axis.format, categoryLabel: t('stores.weekly.week') })
  const cityChart = useCategoryChart({
    kind: 'bar',
    stacked: true,
    categories: cities.map((c) => c.city),
    series: cities.length ? citySeries : [],
    categoryLabel: t('consumers.cities.city'),
  })

  const head = (
    <DetailHead
      back="/distributors"
      backLabel={t('nav.distributors')}
      title={m?.name ?? id}
      facts={m ? <span>{m.province} {m.city} · <code>{id}</code></span> : null}
      actions={<AsOfPicker asOf={asOf} shown={d?.as_of ?? profile.data?.as_of} onChange={setAsOf} />}
    />
  )
  if (isApiError(detail.error) && detail.error.status === 404)
    return (
      <div className="page" data-testid="page-distributor">
        {head}
        <EmptyState testId="distributor-not-found">{t('distributors.page.notFound', { id })}</EmptyState>
      </div>
    )
  return (
    <div className="page" data-testid="page-distributor">
      {head}
      {detail.isError && !d ? <ErrorNotice what={t('distributors.page.what')} error={detail.error} onRetry={detail.refetch} /> : null}
      <section className="panel panel-body" data-testid="distributor-header">
        {!d ? (
          <LoadingBlock lines={2} />
        ) : (
          <Facts
            items={[
              [t('stores.header.name'), m?.name ?? t('stores.header.unknown')],
              [t('stores.header.place'), m ? `${m.province} ${m.city}` : t('common.none')],
              [t('distributors.header.territory'), m ? m.territory.join('、') : t('common.none')],
            ]}
          />
        )}
      </section>
      <KpiTiles entity="distributor" catalog={catalog.data} attributes={profile.data?.attributes} names={KPIS} testId="distributor-kpis" loading={profile.isPlaceholderData} />
      <Panel title={t('distributors.weekly.title')} testId="distributor-weekly-chart">
        <Chart title={t('distributors.weekly.title')} {...weeklyChart} loading={loading} height={260} />
      </Panel>
      <div className="grid-1-2">
        <Panel title={t('distributors.cities.title')} description={t('distributors.cities.lead')} testId="distributor-cities">
          <Chart title={t('distributors.cities.title')} {...cityChart} loading={loading} emptyText={t('distributors.cities.empty')} height={280} />
        </Panel>
        <Panel
          title={t('distributors.stores.title')}
          description={d ? t('distributors.stores.lead', { total: number(d.stores.total), served: number(d.stores.served) }) : undefined}
          testId="distributor-stores"
        >
          {!d ? (
            <LoadingBlock lines={4} />
          ) : d.stores.rows.length === 0 ? (
            <EmptyState>{t('distributors.stores.empty')}</EmptyState>
          ) : (
            <div className="table-wrap table-scroll">
              <table className="table table-compact">
                <thead>
                  <tr>
                    <th scope="col">{t('consumers.stores.store')}</th>
                    <th scope="col">{t('consumers.cities.city')}</th>
                    <th scope="col" className="num">{t('stores.weekly.stocked')}</th>
                    <th scope="col" className="num">{t('stores.weekly.opened')}</th>
                    <th scope="col" className="num">{t('distributors.stores.rate')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.stores.rows.map((s) => (
                    <tr key={s.store_id}>
                      <th scope="row">
                        <Link to={`/stores/${encodeURIComponent(s.store_id)}`} className="link">{s.name ?? s.store_id}</Link>
                        <code className="table-id">{s.store_id}</code>
                      </th>
                      <td>{s.city ?? t('common.none')}</td>
                      <td className="num tabular">{number(s.stocked)}</td>
                      <td className="num tabular">{number(s.opened)}</td>
                      <td className="num tabular">{s.open_rate === null ? t('common.none') : percent(s.open_rate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      </div>
    </div>
  )
}
