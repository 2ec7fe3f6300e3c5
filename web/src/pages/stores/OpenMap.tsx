import { useCallback, useState } from 'react'
import type { StoreDetail } from '../../api/profiles'
import { Chart, type ChartOption, type ChartSize } from '../../charts/Chart'
import { Segmented } from '../../components/Segmented'
import { useI18n } from '../../i18n'

type OpenMapData = StoreDetail['open_map']

// No base map ships (DESIGN §10: ECharts has no China maps any more): this is a plain lat/lon
// plot, drawn to scale so the 5 km ring is round and distances read true.
const KM_PER_DEG = 111.195 // 2πR/360 with R = 6371 km, as the haversine the server uses
const GRID = { left: 64, right: 20, top: 36, bottom: 40 }
const NEAR_HALF_KM = 12
const LOCAL_COLOR = '#3b6ea5'
const FAR_COLOR = '#c2574b' // beyond the ring: where diversion would show
const STORE_COLOR = '#1e2731'

/** A circle of `km` around a point, as lon/lat pairs (flat-earth: fine at 5 km). */
function ring(lat: number, lon: number, km: number): [number, number][] {
  const out: [number, number][] = []
  for (let i = 0; i <= 72; i++) {
    const a = (i / 72) * 2 * Math.PI
    out.push([lon + (km * Math.cos(a)) / (KM_PER_DEG * Math.cos((lat * Math.PI) / 180)), lat + (km * Math.sin(a)) / KM_PER_DEG])
  }
  return out
}

interface Labels {
  store: string
  within: string
  beyond: string
  ring: string
  tooltip: (p: { lat: number; lon: number; bottles: number; km: number | null }) => string
}

/**
 * The ECharts option of the map for a plot size: axes ranges chosen so one km spans as many
 * pixels north–south as east–west, centred on the store, covering every point (or 12 km around
 * the store in the `near` view).
 */
export function openMapOption(data: OpenMapData, size: ChartSize, view: 'all' | 'near', labels: Labels): ChartOption {
  const pts = data.points
  const total = pts.reduce((s, p) => s + p.bottles, 0) || 1
  const c = data.store ?? {
    lat: pts.reduce((s, p) => s + p.lat * p.bottles, 0) / total,
    lon: pts.reduce((s, p) => s + p.lon * p.bottles, 0) / total,
  }
  const cos = Math.cos((c.lat * Math.PI) / 180)
  let needY = data.radius_km * 1.3
  let needX = data.radius_km * 1.3
  if (view === 'all')
    for (const p of pts) {
      needY = Math.max(needY, Math.abs(p.lat - c.lat) * KM_PER_DEG * 1.08)
      needX = Math.max(needX, Math.abs(p.lon - c.lon) * KM_PER_DEG * cos * 1.08)
    }
  else needX = needY = NEAR_HALF_KM
  const pw = Math.max(50, size.width - GRID.left - GRID.right)
  const ph = Math.max(50, size.height - GRID.top - GRID.bottom)
  const halfY = Math.max(needY, (needX * ph) / pw)
  const halfX = (halfY * pw) / ph
  const dLat = halfY / KM_PER_DEG
  const dLon = halfX / (KM_PER_DEG * cos)
  const most = Math.max(1, ...pts.map((p) => p.bottles))
  // Area grows with bottles: the radius with their square root.
  const symbolSize = (v: number[]) => 7 + Math.sqrt(v[2] / most) * 20
  const decimals = dLat < 0.2 ? 3 : 2
  const toPoint = (p: OpenMapData['points'][number]) => [p.lon, p.lat, p.bottles, p.km ?? -1]
  const isLocal = (p: OpenMapData['points'][number]) => p.km !== null && p.km <= data.radius_km
  const axis = (min: number, max: number) => ({
    type: 'value' as const,
    min,
    max,
    scale: true,
    splitNumber: 4,
    axisLine: { lineStyle: { color: '#c9d0d9' } },
    splitLine: { lineStyle: { color: '#eef1f4' } },
    axisLabel: { color: '#5b6675', formatter: (v: number) => `${v.toFixed(decimals)}°` },
  })
  const series: NonNullable<ChartOption['series']> = [
    {
      type: 'scatter',
      name: labels.within,
      data: pts.filter((p) => data.store === null || isLocal(p)).map(toPoint),
      symbolSize,
      itemStyle: { color: LOCAL_COLOR, opacity: 0.75 },
    },
    {
      type: 'scatter',
      name: labels.beyond,
      data: pts.filter((p) => data.store !== null && !isLocal(p)).map(toPoint),
      symbolSize,
      itemStyle: { color: FAR_COLOR, opacity: 0.8 },
    },
  ]
  if (data.store) {
    series.push({
      type: 'line',
      name: labels.ring,
      data: ring(data.store.lat, data.store.lon, data.radius_km),
      showSymbol: false,
      silent: true,
      lineStyle: { type: 'dashed', color: STORE_COLOR, width: 1.5 },
      itemStyle: { color: STORE_COLOR },
    })
    series.push({
      type: 'scatter',
      name: labels.store,
      data: [[data.store.lon, data.store.lat]],
      symbol: 'pin',
      symbolSize: 26,
      symbolOffset: [0, '-45%'],
      z: 10,
      itemStyle: { color: STORE_COLOR, borderColor: '#fff', borderWidth: 1.5 },
      tooltip: { show: false },
    })
  }
  return {
    animationDuration: 300,
    textStyle: { fontFamily: 'system-ui, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif' },
    grid: GRID,
    legend: { top: 0, left: 0, icon: 'circle', itemWidth: 10, itemHeight: 10, textStyle: { color: '#4a5565' } },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (raw: unknown) => {
        const v = (raw as { value?: number[] }).value ?? []
        return labels.tooltip({ lon: v[0], lat: v[1], bottles: v[2], km: v[3] === undefined || v[3] < 0 ? null : v[3] })
      },
    },
    xAxis: axis(c.lon - dLon, c.lon + dLon),
    yAxis: axis(c.lat - dLat, c.lat + dLat),
    series,
  }
}

/**
 * The view to start with: near the store when most located bottles were opened within
 * NEAR_HALF_KM of it (one far bottle would otherwise shrink the ring to a dot), else all.
 */
export function defaultView(data: OpenMapData | undefined): 'all' | 'near' {
  if (!data?.store || data.points.length === 0) return 'all'
  const near = data.points.filter((p) => p.km !== null && p.km <= NEAR_HALF_KM).reduce((s, p) => s + p.bottles, 0)
  return near * 2 >= data.total_bottles ? 'near' : 'all'
}

/** Where the store's bottles were opened (90 days), against its location and a 5 km ring. */
export function OpenMap({ data, title, loading }: { data: OpenMapData | undefined; title: string; loading?: boolean }) {
  const i18n = useI18n()
  const { t, number } = i18n
  const [chosen, setView] = useState<'all' | 'near' | null>(null)
  const view = chosen ?? defaultView(data)
  const farBottles = (data?.points ?? []).filter((p) => p.km !== null && p.km > NEAR_HALF_KM).reduce((s, p) => s + p.bottles, 0)
  const option = useCallback(
    (size: ChartSize) =>
      data
        ? openMapOption(data, size, view, {
            store: t('stores.map.store'),
            within: t('stores.map.within', { km: data.radius_km }),
            beyond: t('stores.map.beyond', { km: data.radius_km }),
            ring: t('stores.map.ring', { km: data.radius_km }),
            tooltip: (p) =>
              `<div class="tt"><div class="tt-head">${p.lat.toFixed(4)}°, ${p.lon.toFixed(4)}°</div>` +
              `<div class="tt-row"><span class="tt-name">${t('stores.map.bottles')}</span><b>${number(p.bottles)}</b></div>` +
              (p.km === null ? '' : `<div class="tt-row"><span class="tt-name">${t('stores.map.distance')}</span><b>${number(p.km, { maximumFractionDigits: 1 })} km</b></div>`) +
              '</div>',
          })
        : {},
    [data, view, t, number],
  )
  return (
    <Chart
      title={title}
      option={option}
      empty={!data || data.points.length === 0}
      emptyText={t('stores.map.empty')}
      loading={loading}
      height={380}
      csv={{ header: ['lat', 'lon', 'bottles', 'km'], rows: (data?.points ?? []).map((p) => [p.lat, p.lon, p.bottles, p.km]) }}
      actions={
        <>
          <Segmented
            label={t('stores.map.view')}
            value={view}
            onChange={setView}
            options={[
              { value: 'all', label: t('stores.map.viewAll') },
              { value: 'near', label: t('stores.map.viewNear', { km: NEAR_HALF_KM }) },
            ]}
            testId="map-view"
          />
          {view === 'near' && farBottles > 0 ? (
            <span className="muted" data-testid="map-outside">{t('stores.map.outsideView', { n: number(farBottles), km: NEAR_HALF_KM })}</span>
          ) : null}
        </>
      }
    />
  )
}
