import { useMemo } from 'react'
import type { GeoMap } from '../../api/dashboards'
import { Chart, type ChartOption, type ChartSize } from '../../charts/Chart'
import { Panel } from '../../components/Panel'
import { useI18n, type I18n } from '../../i18n'
import { navigate } from '../../router'
import { COLORS, tooltip } from './format'

const GRID = { left: 64, right: 24, top: 44, bottom: 40 }

interface Extent {
  lon: [number, number]
  lat: [number, number]
}

/**
 * Axis ranges that keep one km the same length on both axes (equal aspect): a degree of
 * longitude is cos(latitude) of a degree of latitude, so the shorter side is widened to fit.
 */
export function equalAspect(points: { lat: number; lon: number }[], size: ChartSize, padding = 0.06): Extent | null {
  if (points.length === 0) return null
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity]
  for (const p of points) {
    x0 = Math.min(x0, p.lon); x1 = Math.max(x1, p.lon); y0 = Math.min(y0, p.lat); y1 = Math.max(y1, p.lat)
  }
  const w = Math.max(1, size.width - GRID.left - GRID.right)
  const h = Math.max(1, size.height - GRID.top - GRID.bottom)
  const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180)
  let lonSpan = Math.max(x1 - x0, 0.05) * (1 + 2 * padding)
  let latSpan = Math.max(y1 - y0, 0.05) * (1 + 2 * padding)
  // km per pixel along each axis; widen the axis that is denser so both match.
  if (lonSpan * k / w > latSpan / h) latSpan = (lonSpan * k * h) / w
  else lonSpan = (latSpan * w) / (h * k)
  const cx = (x0 + x1) / 2
  const cy = (y0 + y1) / 2
  return { lon: [cx - lonSpan / 2, cx + lonSpan / 2], lat: [cy - latSpan / 2, cy + latSpan / 2] }
}

/** The map option for a data set, as a function of the plot size (for the equal aspect). */
function mapOption(data: GeoMap, i18n: I18n): (size: ChartSize) => ChartOption {
  const { t, number } = i18n
  const maxStore = Math.max(1, ...data.stores.map((s) => s.opened))
  const maxCell = Math.max(1, ...data.opens.map((c) => c.bottles))
  const names = { stores: t('dash.map.stores'), opens: t('dash.map.opens'), cities: t('dash.map.cities') }
  const deg = (v: number) => `${i18n.number(v, { maximumFractionDigits: 2 })}°`
  return (size: ChartSize): ChartOption => {
    const ext = equalAspect([...data.stores, ...data.opens, ...data.cities], size)
    if (!ext) return {}
    return {
      animation: false,
      grid: GRID,
      legend: { top: 0, left: 0, icon: 'circle', itemWidth: 10, itemHeight: 10, textStyle: { color: '#4a5565' } },
      tooltip: { trigger: 'item', confine: true },
      xAxis: { type: 'value', min: ext.lon[0], max: ext.lon[1], name: t('dash.map.lon'), nameLocation: 'middle', nameGap: 26,
        axisLabel: { color: '#5b6675', formatter: deg, showMinLabel: false, showMaxLabel: false }, splitLine: { lineStyle: { color: '#eef1f4' } } },
      yAxis: { type: 'value', min: ext.lat[0], max: ext.lat[1], name: t('dash.map.lat'), nameLocation: 'middle', nameGap: 46,
        axisLabel: { color: '#5b6675', formatter: deg, showMinLabel: false, showMaxLabel: false }, splitLine: { lineStyle: { color: '#eef1f4' } } },
      series: [
        {
          name: names.opens, type: 'scatter', symbol: 'rect', z: 1,
          data: data.opens.map((c) => [c.lon, c.lat, c.bottles]),
          symbolSize: (v: number[]) => 3 + 11 * Math.sqrt(v[2] / maxCell),
          itemStyle: { color: COLORS.opened, opacity: 0.45 },
          tooltip: { formatter: (p: { value: number[] }) => tooltip(t('dash.map.cell'), [[t('dash.opened'), t('dash.bottlesN', { n: number(p.value[2]) })], [t('dash.map.where'), `${deg(p.value[1])} N, ${deg(p.value[0])} E`]]) },
        },
        {
          name: names.stores, type: 'scatter', z: 2, cursor: 'pointer',
          data: data.stores.map((s) => ({ value: [s.lon, s.lat, s.opened, s.stocked], name: s.name, id: s.store_id, city: s.city })),
          symbolSize: (v: number[]) => 4 + 16 * Math.sqrt(v[2] / maxStore),
          itemStyle: { color: COLORS.local, opacity: 0.75, borderColor: '#fff', borderWidth: 0.5 },
          tooltip: {
            formatter: (p: { name: string; value: number[]; data: { city: string; id: string } }) =>
              tooltip(p.name, [[t('dash.city'), p.data.city], [t('dash.opened'), t('dash.bottlesN', { n: number(p.value[2]) })], [t('dash.stocked'), t('dash.bottlesN', { n: number(p.value[3]) })], ['ID', p.data.id]]),
          },
        },
        {
          name: names.cities, type: 'scatter', symbol: 'diamond', symbolSize: 7, z: 3, silent: false,
          data: data.cities.map((c) => ({ value: [c.lon, c.lat, c.stores], name: c.city })),
          itemStyle: { color: '#1e2731' },
          label: { show: true, position: 'right', formatter: '{b}', color: '#1e2731', fontWeight: 600, fontSize: 12, textBorderColor: '#fff', textBorderWidth: 3 },
          labelLayout: { hideOverlap: true },
          tooltip: { formatter: (p: { name: string; value: number[] }) => tooltip(p.name, [[t('dash.map.storeCount'), number(p.value[2])]]) },
        },
      ],
    } as ChartOption
  }
}

/**
 * Stores at their coordinates (dot area ∝ opened bottles), open scans with coordinates binned
 * on a grid, and city names at the mean position of their stores. Coordinates only: no outline
 * of the province is drawn (none is bundled), so the axes say what the plane is.
 */
export function GeoMapPanel({ data, loading }: { data: GeoMap | undefined; loading: boolean }) {
  const i18n = useI18n()
  const { t } = i18n
  const title = t('dash.map.title')
  const option = useMemo(() => (data ? mapOption(data, i18n) : () => ({}) as ChartOption), [data, i18n])
  return (
    <Panel title={title} description={t('dash.map.lead', { cell: data ? i18n.number(data.cell_deg) : '…' })} testId="dash-map">
      <Chart
        title={title}
        option={option}
        loading={loading}
        empty={!data || data.stores.length + data.opens.length === 0}
        emptyText={t('dash.empty')}
        height={520}
        csv={{
          header: ['store_id', t('dash.name'), t('dash.city'), 'lat', 'lon', t('dash.stocked'), t('dash.opened')],
          rows: (data?.stores ?? []).map((s) => [s.store_id, s.name, s.city, s.lat, s.lon, s.stocked, s.opened]),
        }}
        onClick={(e) => {
          const id = (e.data as { id?: string } | undefined)?.id
          if (e.seriesIndex === 1 && id) navigate(`/stores/${encodeURIComponent(id)}`)
        }}
      />
      {data?.truncated ? <p className="dash-note muted">{t('dash.map.truncated')}</p> : null}
    </Panel>
  )
}
