import { useMemo } from 'react'
import { useI18n } from '../i18n'
import type { ChartOption, ChartProps } from './Chart'
import type { CsvData } from './exportData'

/** Calm, distinguishable colours; pass `color` on a series to pin a meaning to one. */
export const CHART_PALETTE = ['#3b6ea5', '#2f9e8f', '#d08a2c', '#8a6bb8', '#c2574b', '#5b8c3a', '#6b7785']

const FONT = 'system-ui, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'
const AXIS = { color: '#5b6675' }

/** Data behind a category chart: one value per category index. */
export interface ChartSeries {
  name: string
  data: readonly (number | null)[]
  /** Overrides the chart's `kind` for this series (a line over bars, say). */
  kind?: 'line' | 'bar'
  /** CSS colour; defaults to the chart palette. */
  color?: string
  /** Drawn against the second value axis (a rate next to counts, say). */
  secondAxis?: boolean
}

/**
 * The two looks in use. Profile, data and segment pages (`page`) always name their series in a
 * legend, zoom past 100 categories and draw lines without dots; the dashboards' denser panels
 * (`dashboard`) show a legend only for several series, zoom past 60 categories and dot short lines.
 */
const LOOKS = {
  page: { alwaysLegend: true, legendTop: 40, zoomPast: 100, zoom: { height: 20, bottom: 8 }, zoomGridBottom: 48, dotsUpTo: 0, dotSize: 0 },
  dashboard: { alwaysLegend: false, legendTop: 36, zoomPast: 60, zoom: { height: 18, bottom: 6 }, zoomGridBottom: 44, dotsUpTo: 31, dotSize: 5 },
} as const

export interface CategoryChart {
  /** Axis categories (days, names…); `series[i].data[j]` belongs to `categories[j]`. */
  categories: readonly string[]
  series: readonly ChartSeries[]
  /** Default kind of every series. Default `bar`. */
  kind?: 'bar' | 'line'
  /** Stack all series (and show a total in the tooltip when `totalLabel` is given). */
  stacked?: boolean
  /** Bars grow to the right, categories down the side (long names, rankings). */
  horizontal?: boolean
  /** Values in the tooltip, with their unit. */
  formatValue: (v: number, seriesIndex: number) => string
  formatAxis?: (v: number) => string
  formatSecondAxis?: (v: number) => string
  formatCategory?: (c: string) => string
  /** Label of the tooltip's total line (stacked charts). */
  totalLabel?: string
  /** Default `dashboard`. */
  look?: keyof typeof LOOKS
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
/** HTML-escapes text for ECharts tooltips (they render HTML). */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => escapes[c] ?? c)

interface AxisItem {
  marker?: unknown
  seriesName?: string
  seriesIndex: number
  value?: unknown
  dataIndex: number
}

/**
 * The option of a category chart (bars or lines, optionally stacked, horizontal or with a second
 * value axis) with unit-aware tooltips.
 * @example <Chart title={title} empty={!days.length} option={categoryOption({ categories: days, series: [{ name: 'Opened', data }], formatValue: (v) => `${v} bottles` })} />
 */
export function categoryOption(c: CategoryChart): ChartOption {
  const look = LOOKS[c.look ?? 'dashboard']
  const fmtCat = c.formatCategory ?? ((s: string) => s)
  const many = c.categories.length > look.zoomPast
  const legend = look.alwaysLegend || c.series.length > 1
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
    grid: { left: 8, right: 16, top: legend ? look.legendTop : 12, bottom: many ? look.zoomGridBottom : 8, containLabel: true },
    legend: legend ? { top: 0, left: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 8, textStyle: { color: '#4a5565' } } : undefined,
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
          return `<div class="tt-row">${typeof p.marker === 'string' ? p.marker : ''}<span class="tt-name">${escapeHtml(p.seriesName ?? '')}</span><b>${v === null ? '—' : escapeHtml(c.formatValue(v, p.seriesIndex))}</b></div>`
        })
        if (c.stacked && c.totalLabel && items.length > 1)
          rows.push(`<div class="tt-row tt-total"><span class="tt-name">${escapeHtml(c.totalLabel)}</span><b>${escapeHtml(c.formatValue(total, 0))}</b></div>`)
        return `<div class="tt"><div class="tt-head">${escapeHtml(fmtCat(c.categories[items[0].dataIndex] ?? ''))}</div>${rows.join('')}</div>`
      },
    },
    xAxis: c.horizontal ? values : catAxis,
    yAxis: c.horizontal ? catAxis : values,
    dataZoom: many && !c.horizontal ? [{ type: 'slider', ...look.zoom, brushSelect: false }] : [],
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
        : {
            ...common,
            type: 'line' as const,
            showSymbol: c.categories.length <= look.dotsUpTo,
            // Keys are left out rather than set to undefined: ECharts keeps an explicit undefined
            // over its default (no line width, no dot size).
            ...(look.dotSize ? { symbolSize: look.dotSize } : {}),
            smooth: false,
            ...(s.color ? { lineStyle: { color: s.color } } : {}),
            areaStyle: c.stacked ? { opacity: 0.15 } : undefined,
          }
    }),
  } as ChartOption
}

/** CSV of a category chart: the category column, then one column per series. */
export function categoryCsv(categoryLabel: string, categories: readonly string[], series: readonly ChartSeries[]): CsvData {
  return {
    header: [categoryLabel, ...series.map((s) => s.name)],
    rows: categories.map((c, i) => [c, ...series.map((s) => s.data[i] ?? null)]),
  }
}

export interface CategoryChartProps extends Omit<CategoryChart, 'formatValue' | 'look' | 'totalLabel'> {
  /** Values in the tooltip. Default: the locale's number. */
  formatValue?: (v: number) => string
  /** Header of the category column in the CSV export. */
  categoryLabel?: string
}

/**
 * The `option`, `csv` and `empty` props of {@link Chart} for a category chart in the pages' look:
 * lines by default, a total in stacked tooltips, the plotted data as CSV, empty without
 * categories or series. Axis values default to `formatValue`, else compact numbers.
 *
 * @example
 * const chart = useCategoryChart({ kind: 'bar', stacked: true, categories: days, series, categoryLabel: t('data.events.day') })
 * <Chart title={title} {...chart} loading={loading} height={320} />
 */
export function useCategoryChart(p: CategoryChartProps): Pick<ChartProps, 'option' | 'csv' | 'empty'> {
  const { t, number, compact } = useI18n()
  const { categories, series, kind = 'line', stacked, horizontal, formatValue, formatAxis, formatSecondAxis, formatCategory, categoryLabel } = p
  const option = useMemo(
    () =>
      categoryOption({
        look: 'page',
        categories,
        series,
        kind,
        stacked,
        horizontal,
        formatValue: formatValue ?? ((n: number) => number(n)),
        formatAxis: formatAxis ?? formatValue ?? compact,
        formatSecondAxis,
        formatCategory,
        totalLabel: t('common.total'),
      }),
    [categories, series, kind, stacked, horizontal, formatValue, formatAxis, formatSecondAxis, formatCategory, number, compact, t],
  )
  const csv = useMemo(() => categoryCsv(categoryLabel ?? '', categories, series), [categoryLabel, categories, series])
  return { option, csv, empty: categories.length === 0 || series.length === 0 }
}
