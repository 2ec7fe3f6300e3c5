import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { useI18n } from '../i18n'
import type { ChartOption, EChartsType } from './echarts'
import { download, fileStem, toCsv, type ChartSeries } from './exportData'
import { ChartFrame } from './ChartFrame'

export type { ChartSeries } from './exportData'

/** Calm, distinguishable colours; pass `color` on a series to pin a meaning to one. */
export const CHART_PALETTE = ['#3b6ea5', '#2f9e8f', '#d08a2c', '#8a6bb8', '#c2574b', '#5b8c3a', '#6b7785']

// One shared promise: every chart waits for the same chunk, fetched once.
let echartsModule: Promise<typeof import('./echarts')> | undefined
const loadEcharts = () => (echartsModule ??= import('./echarts'))

export interface ChartProps {
  /** Accessible name of the picture and stem of exported file names. */
  title: string
  /** X-axis categories (days, names…); `series[i].data[j]` belongs to `categories[j]`. */
  categories: readonly string[]
  series: readonly ChartSeries[]
  /** Default kind of every series. Default `line`. */
  kind?: 'line' | 'bar'
  /** Stack all series (and show a total in the tooltip). */
  stacked?: boolean
  /** Data is on its way: shows a loading veil over the chart. */
  loading?: boolean
  /** Shown instead of the chart when there is no category or no series. */
  emptyText?: string
  /** Height in px. Default 300. The width follows the container. */
  height?: number
  /** Header of the category column in the CSV export. */
  categoryLabel?: string
  formatCategory?: (category: string) => string
  /** Values in the tooltip. */
  formatValue?: (value: number) => string
  /** Values on the y axis (defaults to `formatValue`). */
  formatAxisValue?: (value: number) => string
  /** Extra controls shown left of the export buttons. */
  actions?: ReactNode
  testId?: string
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

interface TooltipItem {
  marker?: unknown
  seriesName?: string
  value?: unknown
  dataIndex: number
}

/**
 * A category chart (line or bar) over ECharts, loaded lazily in its own chunk.
 * Resizes with its container, shows loading and empty states, disposes on unmount,
 * and exports its data (CSV) and picture (PNG).
 *
 * @example
 * <Chart title="Opens per day" kind="bar" stacked categories={days}
 *   series={[{ name: 'Open', data: opens }]} formatValue={(n) => number(n)} />
 */
export function Chart({
  title,
  categories,
  series,
  kind = 'line',
  stacked = false,
  loading = false,
  emptyText,
  height = 300,
  categoryLabel,
  formatCategory,
  formatValue,
  formatAxisValue,
  actions,
  testId,
}: ChartProps) {
  const { t, number, compact } = useI18n()
  const el = useRef<HTMLDivElement>(null)
  const chartRef = useRef<EChartsType | null>(null)
  const [ready, setReady] = useState(false)
  const [loadFailed, setLoadFailed] = useState(false)

  const empty = categories.length === 0 || series.length === 0

  // Create once per mount; the element stays mounted across states so ECharts keeps its canvas.
  useEffect(() => {
    let cancelled = false
    let chart: EChartsType | undefined
    let observer: ResizeObserver | undefined
    loadEcharts().then(
      (ec) => {
        if (cancelled || !el.current) return
        chart = ec.init(el.current, undefined, { renderer: 'canvas' })
        chartRef.current = chart
        observer = new ResizeObserver(() => chart?.resize())
        observer.observe(el.current)
        setReady(true)
      },
      () => {
        echartsModule = undefined // let a later mount retry the chunk
        if (!cancelled) setLoadFailed(true)
      },
    )
    return () => {
      cancelled = true
      observer?.disconnect()
      chart?.dispose()
      chartRef.current = null
      setReady(false)
    }
  }, [])

  const option = useMemo<ChartOption>(() => {
    const fmtValue = formatValue ?? ((n: number) => number(n))
    const fmtAxis = formatAxisValue ?? formatValue ?? compact
    const fmtCat = formatCategory ?? ((c: string) => c)
    const many = categories.length > 100
    return {
      color: [...CHART_PALETTE],
      animationDuration: 300,
      textStyle: { fontFamily: 'system-ui, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif' },
      grid: { left: 8, right: 16, top: 40, bottom: many ? 48 : 8, containLabel: true },
      legend: { top: 0, left: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 8, textStyle: { color: '#4a5565' } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: kind === 'bar' ? 'shadow' : 'line' },
        confine: true,
        formatter: (raw: unknown) => {
          const items = (Array.isArray(raw) ? raw : [raw]) as TooltipItem[]
          if (items.length === 0) return ''
          const head = escapeHtml(fmtCat(categories[items[0].dataIndex] ?? ''))
          let total = 0
          const rows = items.map((p) => {
            const v = typeof p.value === 'number' ? p.value : null
            if (v !== null) total += v
            return `<div class="tt-row">${typeof p.marker === 'string' ? p.marker : ''}<span class="tt-name">${escapeHtml(p.seriesName ?? '')}</span><b>${v === null ? '—' : escapeHtml(fmtValue(v))}</b></div>`
          })
          if (stacked && items.length > 1)
            rows.push(`<div class="tt-row tt-total"><span class="tt-name">${escapeHtml(t('common.total'))}</span><b>${escapeHtml(fmtValue(total))}</b></div>`)
          return `<div class="tt"><div class="tt-head">${head}</div>${rows.join('')}</div>`
        },
      },
      xAxis: {
        type: 'category',
        data: [...categories],
        axisTick: { alignWithLabel: true },
        axisLine: { lineStyle: { color: '#c9d0d9' } },
        axisLabel: { color: '#5b6675', formatter: (v: string) => fmtCat(v), hideOverlap: true },
      },
      yAxis: {
        type: 'value',
        splitLine: { lineStyle: { color: '#eef1f4' } },
        axisLabel: { color: '#5b6675', formatter: (v: number) => fmtAxis(v) },
      },
      dataZoom: many ? [{ type: 'slider', height: 20, bottom: 8, brushSelect: false }] : [],
      series: series.map((s) => {
        const common = {
          name: s.name,
          data: [...s.data],
          stack: stacked ? 'total' : undefined,
          emphasis: { focus: 'series' as const },
          itemStyle: s.color ? { color: s.color } : undefined,
        }
        return (s.kind ?? kind) === 'bar'
          ? { ...common, type: 'bar' as const, barMaxWidth: 28 }
          : { ...common, type: 'line' as const, showSymbol: false, smooth: false, areaStyle: stacked ? { opacity: 0.15 } : undefined }
      }),
    }
  }, [categories, series, kind, stacked, formatCategory, formatValue, formatAxisValue, number, compact, t])

  useEffect(() => {
    const chart = chartRef.current
    if (!ready || !chart) return
    if (empty) chart.clear()
    else chart.setOption(option, { notMerge: true })
  }, [ready, option, empty])

  const exportCsv = () => {
    const csv = toCsv(categoryLabel ?? '', categories, series)
    // The BOM makes Excel read the file as UTF-8 (Chinese labels otherwise garble).
    download(`${fileStem(title)}.csv`, new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }))
  }
  const exportPng = () => {
    const chart = chartRef.current
    if (!chart) return
    download(`${fileStem(title)}.png`, chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' }))
  }

  const busy = loading || (!ready && !loadFailed)
  return (
    <ChartFrame
      title={title}
      height={height}
      testId={testId}
      actions={actions}
      empty={empty}
      loading={loading}
      busy={busy}
      failed={loadFailed}
      emptyText={emptyText}
      onCsv={exportCsv}
      onPng={exportPng}
    >
      <div ref={el} className="chart-canvas" role="img" aria-label={title} />
    </ChartFrame>
  )
}
