import { useMemo } from 'react'
import { isApiError } from '../../api/errors'
import { useCatalog, useDetail, useProfile, type StoreDetail } from '../../api/profiles'
import { useCategoryChart, type ChartSeries } from '../../charts/category'
import { Chart } from '../../charts/Chart'
import { Panel } from '../../components/Panel'
import { EmptyState, ErrorNotice, LoadingBlock } from '../../components/States'
import { useI18n } from '../../i18n'
import { Link } from '../../router'
import { EVENT_COLORS } from '../data/eventsSeries'
import { codeLabel, findAttr, formatAttrText, yuan } from '../profiles/format'
import { AsOfPicker, DetailHead, Facts, KpiTiles, useAsOf } from '../profiles/parts'
import { TierMixPanel } from '../profiles/TierMixPanel'
import { rewardSeries, useWeekAxis } from '../profiles/weekly'
import { OpenMap } from './OpenMap'
import { RecentEvents } from './RecentEvents'

const KPIS = [
  'opened_bottles_30d', 'opened_bottles_90d', 'stocked_bottles_30d', 'stocked_bottles_90d', 'open_rate_90d',
  'weekly_opened_mean_12w', 'weekly_opened_cv_12w', 'distinct_consumers_90d', 'reward_per_opened_bottle_90d',
  'days_since_last_open', 'days_since_last_stock_in',
] as const
const MEAN_COLOR = '#274c77'

function WeeklyPanel({ detail, loading }: { detail: StoreDetail | undefined; loading: boolean }) {
  const i18n = useI18n()
  const { t, number } = i18n
  const axis = useWeekAxis(detail?.weeks)
  const series = useMemo<ChartSeries[]>(() => {
    if (!detail) return []
    const w = detail.weekly
    // The mean spans the 12 complete weeks it is computed over: the last 12 before the partial week.
    const complete = detail.weeks.map((x) => !x.partial)
    const lastComplete = complete.lastIndexOf(true)
    const mean = detail.weeks.map((_, i) => (i <= lastComplete && i > lastComplete - 12 ? w.mean_12w : null))
    return [
      { name: t('stores.weekly.opened'), data: w.opened, kind: 'bar', color: EVENT_COLORS.open },
      { name: t('stores.weekly.stocked'), data: w.stocked, kind: 'bar', color: EVENT_COLORS.stock_in },
      { name: t('stores.weekly.mean'), data: mean, kind: 'line', color: MEAN_COLOR },
    ]
  }, [detail, t])
  const chart = useCategoryChart({
    categories: axis.categories,
    series,
    formatCategory: axis.format,
    formatValue: (n) => number(n, { maximumFractionDigits: 1 }),
    categoryLabel: t('stores.weekly.week'),
  })
  const w = detail?.weekly
  const title = t('stores.weekly.title')
  return (
    <Panel
      title={title}
      testId="store-weekly-chart"
      description={
        w
          ? t('stores.weekly.stats', {
              mean: number(w.mean_12w, { maximumFractionDigits: 1 }),
              cv: w.cv_12w === null ? t('common.none') : number(w.cv_12w, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
              active: w.active_weeks_12w,
            })
          : undefined
      }
    >
      <Chart title={title} {...chart} loading={loading} emptyText={t('stores.weekly.empty')} height={300} />
    </Panel>
  )
}

function RewardsPanel({ detail, loading }: { detail: StoreDetail | undefined; loading: boolean }) {
  const i18n = useI18n()
  const { t } = i18n
  const axis = useWeekAxis(detail?.weeks)
  const series = useMemo(() => rewardSeries(i18n, detail?.rewards), [i18n, detail])
  const chart = useCategoryChart({
    kind: 'bar',
    stacked: true,
    categories: series.length ? axis.categories : [],
    series,
    formatCategory: axis.format,
    formatValue: (n) => yuan(i18n, n * 100),
    formatAxis: (n) => i18n.compact(n),
    categoryLabel: t('stores.weekly.week'),
  })
  const title = t('stores.rewards.title')
  return (
    <Panel title={title} testId="store-rewards-chart" description={detail ? t('stores.rewards.total', { amount: yuan(i18n, detail.rewards.total_fen), weeks: detail.weeks.length }) : undefined}>
      <Chart title={title} {...chart} loading={loading} emptyText={t('stores.rewards.empty')} height={260} />
    </Panel>
  )
}

/** One store as of a date: header, KPI tiles, weekly sell-through, tier mix, open map, rewards, latest scans. */
export function StorePage({ id }: { id: string }) {
  const i18n = useI18n()
  const { t, number } = i18n
  const [asOf, setAsOf] = useAsOf()
  const catalog = useCatalog()
  const profile = useProfile('store', id, asOf)
  const detail = useDetail('store', id, asOf)
  const d = detail.data
  const attrs = profile.data?.attributes
  const shownAsOf = d?.as_of ?? profile.data?.as_of
  const s = d?.store
  const notFound = isApiError(detail.error) && detail.error.status === 404

  const attrText = (name: string) => formatAttrText(i18n, findAttr(catalog.data, 'store', name), attrs?.[name] ?? null)
  const head = (
    <DetailHead
      back="/stores"
      backLabel={t('nav.stores')}
      title={s?.name ?? id}
      facts={
        s ? (
          <span>
            {codeLabel(i18n, 'stores.kind', s.kind)} · {s.city} {s.district} · <code>{id}</code>
          </span>
        ) : null
      }
      actions={<AsOfPicker asOf={asOf} shown={shownAsOf} onChange={setAsOf} />}
    />
  )
  if (notFound)
    return (
      <div className="page" data-testid="page-store">
        {head}
        <EmptyState testId="store-not-found">{t('stores.page.notFound', { id })}</EmptyState>
      </div>
    )
  const loading = detail.isPending || detail.isPlaceholderData

  return (
    <div className="page" data-testid="page-store">
      {head}
      {detail.isError && !d ? <ErrorNotice what={t('stores.page.what')} error={detail.error} onRetry={detail.refetch} /> : null}
      <section className="panel panel-body" data-testid="store-header">
        {!d ? (
          <LoadingBlock lines={2} />
        ) : (
          <Facts
            items={[
              [t('stores.header.name'), s?.name ?? t('stores.header.unknown')],
              [t('stores.header.kind'), s ? codeLabel(i18n, 'stores.kind', s.kind) : t('common.none')],
              [t('stores.header.place'), s ? [s.province, s.city, s.district].join(' ') : t('common.none')],
              [
                t('stores.header.distributor'),
                s?.distributor_id ? (
                  <Link to={`/distributors/${encodeURIComponent(s.distributor_id)}`} className="link">
                    {s.distributor_name ?? s.distributor_id}
                  </Link>
                ) : (
                  t('common.none')
                ),
              ],
              [t('stores.header.rep'), s?.rep_id ? `${s.rep_name ?? ''} (${s.rep_id})`.trim() : t('common.none')],
              [t('stores.header.location'), s ? `${number(s.lat, { maximumFractionDigits: 4 })}°, ${number(s.lon, { maximumFractionDigits: 4 })}°` : t('common.none')],
            ]}
          />
        )}
      </section>
      {profile.isError && !attrs ? <ErrorNotice what={t('stores.page.what')} error={profile.error} onRetry={profile.refetch} /> : null}
      <KpiTiles entity="store" catalog={catalog.data} attributes={attrs} names={KPIS} testId="store-kpis" loading={profile.isPlaceholderData} />
      <WeeklyPanel detail={d} loading={loading} />
      <div className="grid-1-2">
        <TierMixPanel mix={d?.tier_mix} loading={loading} testId="store-tier-mix" />
        <Panel
          title={t('stores.map.title', { days: d?.open_map.window_days ?? 90 })}
          testId="store-open-map"
          description={
            d
              ? t('stores.map.lead', { n: number(d.open_map.total_bottles), local: attrText('local_open_share_90d'), outside: attrText('outside_city_share_90d') }) +
                (d.open_map.precision !== null ? ` ${t('stores.map.merged', { places: d.open_map.precision })}` : '')
              : undefined
          }
        >
          <OpenMap data={d?.open_map} title={t('stores.map.title', { days: d?.open_map.window_days ?? 90 })} loading={loading} />
        </Panel>
      </div>
      <RewardsPanel detail={d} loading={loading} />
      <Panel title={t('stores.events.title')} description={t('stores.events.lead')} testId="store-recent-events">
        {!d ? <LoadingBlock lines={4} /> : <RecentEvents events={d.recent_events} />}
      </Panel>
    </div>
  )
}
