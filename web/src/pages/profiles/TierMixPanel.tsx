import { useMemo } from 'react'
import type { TierMix } from '../../api/profiles'
import { Chart, type ChartOption } from '../../charts/Chart'
import { Panel } from '../../components/Panel'
import { useI18n } from '../../i18n'
import { codeLabel } from './format'

/** One colour per tier, dearer tiers warmer; unknown products grey. */
export const TIER_COLORS: Record<string, string> = { mass: '#3b6ea5', sub_premium: '#d08a2c', premium: '#8a5a9e', unknown: '#b8c0ca' }
const TOP_SKUS = 8

/**
 * Opened bottles by tier (a ring) and by SKU (a short table) over the mix window.
 * @example <TierMixPanel mix={detail.tier_mix} testId="store-tier-mix" />
 */
export function TierMixPanel({ mix, loading, testId }: { mix: TierMix | undefined; loading?: boolean; testId: string }) {
  const i18n = useI18n()
  const { t, number, percent } = i18n
  const tiers = useMemo(() => (mix?.by_tier ?? []).filter((x) => x.bottles > 0), [mix])
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'item', confine: true, valueFormatter: (v) => number(Number(v)) },
      legend: { bottom: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 8, textStyle: { color: '#4a5565' } },
      series: [
        {
          type: 'pie',
          radius: ['45%', '72%'],
          center: ['50%', '45%'],
          avoidLabelOverlap: true,
          label: { formatter: (p: { percent?: number }) => percent((p.percent ?? 0) / 100, 0), color: '#4a5565' },
          data: tiers.map((x) => ({ name: codeLabel(i18n, 'stores.tier', x.tier), value: x.bottles, itemStyle: { color: TIER_COLORS[x.tier] ?? '#6b7785' } })),
        },
      ],
    }),
    [tiers, i18n, number, percent],
  )
  const title = t('stores.mix.title', { days: mix?.window_days ?? 90 })
  return (
    <Panel title={title} description={mix ? t('stores.mix.total', { n: number(mix.total) }) : undefined} testId={testId}>
      <Chart
        title={title}
        option={option}
        empty={!mix || mix.total === 0}
        emptyText={t('stores.mix.empty')}
        loading={loading}
        height={220}
        csv={{ header: ['sku_id', 'name', 'tier', 'bottles'], rows: (mix?.by_sku ?? []).map((s) => [s.sku_id, s.name, s.tier, s.bottles]) }}
      />
      {mix && mix.by_sku.length > 0 ? (
        <table className="table table-compact">
          <thead>
            <tr>
              <th scope="col">{t('stores.mix.sku')}</th>
              <th scope="col">{t('stores.mix.tier')}</th>
              <th scope="col" className="num">{t('stores.unit.bottlesHeader')}</th>
              <th scope="col" className="num">{t('stores.mix.share')}</th>
            </tr>
          </thead>
          <tbody>
            {mix.by_sku.slice(0, TOP_SKUS).map((s) => (
              <tr key={s.sku_id}>
                <th scope="row">
                  {s.name ?? s.sku_id}
                  {s.name ? <code className="table-id">{s.sku_id}</code> : null}
                </th>
                <td>
                  <span className="swatch-inline" style={{ background: TIER_COLORS[s.tier ?? 'unknown'] }} aria-hidden="true" />
                  {codeLabel(i18n, 'stores.tier', s.tier ?? 'unknown')}
                </td>
                <td className="num tabular">{number(s.bottles)}</td>
                <td className="num tabular">{s.share === null ? t('common.none') : percent(s.share)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Panel>
  )
}
