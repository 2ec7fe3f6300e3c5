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
import { codeLabel, findAttr, formatAttrText } from '../profiles/format'
import { AsOfPicker, DetailHead, KpiTiles, useAsOf } from '../profiles/parts'
import { TierMixPanel } from '../profiles/TierMixPanel'
import { useWeekAxis } from '../profiles/weekly'

const KPIS = [
  'opened_bottles_90d', 'opened_bottles_365d', 'distinct_stores_365d', 'distinct_skus_365d',
  'red_envelope_fen_365d', 'max_opens_per_day_365d', 'first_open_at', 'last_open_at',
] as const

/** One consumer as of a date: KPIs, weekly timeline, tier mix, cities, stores visited, latest activity. */
export function ConsumerPage({ id }: { id: string }) {
  const i18n = useI18n()
  const { t, number, dateTime } = i18n
  const [asOf, setAsOf] = useAsOf()
  const catalog = useCatalog()
  const profile = useProfile('consumer', id, asOf)
  const detail = useDetail('consumer', id, asOf)
  const d = detail.data
  const attrs = profile.data?.attributes
  const loading = detail.isPending || detail.isPlaceholderData
  const axis = useWeekAxis(d?.weeks)
  const timeline = useMemo<ChartSeries[]>(
    () => (d ? [{ name: t('consumers.timeline.opened'), data: d.timeline.opened, kind: 'bar', color: EVENT_COLORS.open }] : []),
    [d, t],
  )
  const cities = useMemo(() => (d?.cities ?? []).slice(0, 12), [d])
  const timelineChart = useCategoryChart({ kind: 'bar', categories: axis.categories, series: timeline, formatCategory: axis.format, categoryLabel: t('stores.weekly.week') })
  const cityChart = useCategoryChart({
    kind: 'bar',
    categories: cities.map((c) => c.city ?? t('consumers.cities.unknown')),
    series: [{ name: t('consumers.cities.opens'), data: cities.map((c) => c.opens) }],
    categoryLabel: t('consumers.cities.city'),
  })
  const attrText = (name: string) => formatAttrText(i18n, findAttr(catalog.data, 'consumer', name), attrs?.[name] ?? null)

  const head = (
    <DetailHead
      back="/consumers"
      backLabel={t('nav.consumers')}
      title={t('consumers.page.title', { id })}
      facts={attrs ? <span>{t('consumers.page.facts', { city: attrText('home_city'), tier: attrText('preferred_tier_365d') })}</span> : null}
      actions={<AsOfPicker asOf={asOf} shown={d?.as_of ?? profile.data?.as_of} onChange={setAsOf} />}
    />
  )
  if (isApiError(detail.error) && detail.error.status === 404)
    return (
      <div className="page" data-testid="page-consumer">
        {head}
        <EmptyState testId="consumer-not-found">{t('consumers.page.notFound', { id })}</EmptyState>
      </div>
    )
  return (
    <div className="page" data-testid="page-consumer">
      {head}
      {detail.isError && !d ? <ErrorNotice what={t('consumers.page.what')} error={detail.error} onRetry={detail.refetch} /> : null}
      <KpiTiles entity="consumer" catalog={catalog.data} attributes={attrs} names={KPIS} testId="consumer-kpis" loading={profile.isPlaceholderData} />
      <Panel title={t('consumers.timeline.title')} testId="consumer-timeline-chart">
        <Chart title={t('consumers.timeline.title')} {...timelineChart} loading={loading} height={240} />
      </Panel>
      <div className="grid-1-2">
        <TierMixPanel mix={d?.tier_mix} loading={loading} testId="consumer-tier-mix" />
        <Panel title={t('consumers.cities.title')} description={t('consumers.cities.lead')} testId="consumer-cities">
          <Chart title={t('consumers.cities.title')} {...cityChart} loading={loading} height={260} />
        </Panel>
      </div>
      <Panel title={t('consumers.stores.title')} description={t('consumers.stores.lead')} testId="consumer-stores">
        {!d ? (
          <LoadingBlock lines={3} />
        ) : d.stores.length === 0 ? (
          <EmptyState>{t('consumers.stores.empty')}</EmptyState>
        ) : (
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">{t('consumers.stores.store')}</th>
                <th scope="col">{t('consumers.cities.city')}</th>
                <th scope="col" className="num">{t('consumers.cities.opens')}</th>
                <th scope="col" className="num">{t('stores.unit.bottlesHeader')}</th>
                <th scope="col">{t('consumers.stores.last')}</th>
              </tr>
            </thead>
            <tbody>
              {d.stores.map((s) => (
                <tr key={s.store_id}>
                  <th scope="row">
                    <Link to={`/stores/${encodeURIComponent(s.store_id)}`} className="link">{s.name ?? s.store_id}</Link>
                    <code className="table-id">{s.store_id}</code>
                  </th>
                  <td>{s.city ?? t('common.none')}</td>
                  <td className="num tabular">{number(s.opens)}</td>
                  <td className="num tabular">{number(s.bottles)}</td>
                  <td className="tabular">{i18n.day(s.last_day, 'long')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
      <Panel title={t('consumers.recent.title')} description={t('consumers.recent.lead')} testId="consumer-recent">
        {!d ? (
          <LoadingBlock lines={3} />
        ) : (
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col">{t('consumers.recent.last')}</th>
                <th scope="col">{t('stores.events.type')}</th>
                <th scope="col">{t('consumers.stores.store')}</th>
                <th scope="col">{t('stores.events.product')}</th>
                <th scope="col">{t('consumers.cities.city')}</th>
                <th scope="col" className="num">{t('consumers.cities.opens')}</th>
              </tr>
            </thead>
            <tbody>
              {d.recent.map((r) => (
                <tr key={`${r.day}-${r.type}-${r.store_id}-${r.sku_id}-${r.city}`}>
                  <td className="tabular nowrap">{dateTime(r.last_ts)}</td>
                  <td><span className={`event-tag event-${r.type}`}>{codeLabel(i18n, 'event', r.type)}</span></td>
                  <td>{r.store_id ? <Link to={`/stores/${encodeURIComponent(r.store_id)}`} className="link">{r.store_name ?? r.store_id}</Link> : t('common.none')}</td>
                  <td>{r.sku_id}</td>
                  <td>{r.city ?? t('common.none')}</td>
                  <td className="num tabular">{number(r.events)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Panel>
    </div>
  )
}
