import { CHART_PALETTE } from '../../charts/Chart'
import type { DashOption } from './DashChart'
import { esc } from './format'

const FONT = 'system-ui, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'
const AXIS = { color: '#5b6675' }

export interface CatSeries {
  name: string
  data: readonly (number | null)[]
  color?: string
  kind?: 'bar' | 'line'
  /** Drawn against the second value axis (a rate next to counts, say). */
  secondAxis?: boolean
}

export interface CategoryChart {
  categories: readonly string[]
  series: readonly CatSeries[]
  kind?: 'bar' | 'line'
  stacked?: boolean
  /** Bars grow to the right, categories down the side (long names, rankings). */
  horizontal?: boolean
  formatValue: (v: number, seriesIndex: number) => string
  formatAxis?: (v: number) => string
  formatSecondAxis?: (v: number) => string
  formatCategory?: (c: string) => string
  /** Tooltip total line label (stacked charts). */
  totalLabel?: string
}

interface AxisItem {
  marker?: unknown
  seriesName?: string
  seriesIndex: number
  value?: unknown
  dataIndex: number
}

/**
 * A category chart (bars or lines, optionally stacked or horizontal) with unit-aware tooltips,
 * in the look of the app's Chart component.
 * @example categoryOption({ categories: days, series: [{ name: 'Opened', data }], formatValue: (v) => `${v} bottles` })
 */
export function categoryOption(c: CategoryChart): DashOption {
  const fmtCat = c.formatCategory ?? ((s: string) => s)
  const many = c.categories.length > 60
  const catAxis = {
    type: 'category' as const,
    data: [...c.categories],
    inverse: c.horizontal,
    axisTick: { alignWithLabel: true },
    axisLine: { lineStyle: { color: '#c9d0d9' } },
    axisLabel: { ...AXIS, formatter: (v: string) => fmtCat(v), hideOverlap: true, width: c.horizontal ? 150 : undefined, overflow: 'truncate' as const },
  }
  const valAxis = (fmt?: (v: number) => string, right = false) => ({
    type: 'value' as const,
    position: right ? ('right' as const) : undefined,
    splitLine: { show: !right, lineStyle: { color: '#eef1f4' } },
    axisLabel: { ...AXIS, formatter: (v: number) => (fmt ? fmt(v) : String(v)) },
  })
  const second = c.series.some((s) => s.secondAxis)
  const values = second ? [valAxis(c.formatAxis), valAxis(c.formatSecondAxis, true)] : valAxis(c.formatAxis)
  return {
    color: [...CHART_PALETTE],
    animationDuration: 300,
    textStyle: { fontFamily: FONT },
    grid: { left: 8, right: 16, top: c.series.length > 1 ? 36 : 12, bottom: many ? 44 : 8, containLabel: true },
    legend: c.series.length > 1 ? { top: 0, left: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 8, textStyle: { color: '#4a5565' } } : undefined,
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: (c.kind ?? 'bar') === 'bar' ? 'shadow' : 'line' },
      confine: true,
      formatter: (raw: unknown) => {
        const items = (Array.isArray(raw) ? raw : [raw]) as AxisItem[]
        if (!items.length) return ''
        let total = 0
        const rows = items.map((p) => {
          const v = typeof p.value === 'number' ? p.value : null
          if (v !== null) total += v
          return `<div class="tt-row">${typeof p.marker === 'string' ? p.marker : ''}<span class="tt-name">${esc(p.seriesName ?? '')}</span><b>${v === null ? '—' : esc(c.formatValue(v, p.seriesIndex))}</b></div>`
        })
        if (c.stacked && c.totalLabel && items.length > 1)
          rows.push(`<div class="tt-row tt-total"><span class="tt-name">${esc(c.totalLabel)}</span><b>${esc(c.formatValue(total, 0))}</b></div>`)
        return `<div class="tt"><div class="tt-head">${esc(fmtCat(c.categories[items[0].dataIndex] ?? ''))}</div>${rows.join('')}</div>`
      },
    },
    xAxis: c.horizontal ? values : catAxis,
    yAxis: c.horizontal ? catAxis : values,
    dataZoom: many && !c.horizontal ? [{ type: 'slider', height: 18, bottom: 6, brushSelect: false }] : [],
    series: c.series.map((s) => {
      const common = {
        name: s.name,
        data: [...s.data],
        stack: c.stacked ? 'total' : undefined,
        emphasis: { focus: 'series' as const },
        itemStyle: s.color ? { color: s.color } : undefined,
        ...(s.secondAxis ? (c.horizontal ? { xAxisIndex: 1 } : { yAxisIndex: 1 }) : {}),
      }
      return (s.kind ?? c.kind ?? 'bar') === 'bar'
        ? { ...common, type: 'bar' as const, barMaxWidth: 28 }
        : { ...common, type: 'line' as const, showSymbol: c.categories.length <= 31, symbolSize: 5, smooth: false, lineStyle: { color: s.color } }
    }),
  } as DashOption
}
