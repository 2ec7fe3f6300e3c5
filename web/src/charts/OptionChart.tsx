import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import type { ChartOption, EChartsType } from './echarts'
import { download, fileStem } from './exportData'
import { ChartFrame } from './ChartFrame'

// The same chunk Chart.tsx loads: the module is fetched once, whoever asks first.
let echartsModule: Promise<typeof import('./echarts')> | undefined
const loadEcharts = () => (echartsModule ??= import('./echarts'))

/** Plot size in px, for options that must keep an aspect (a map's km per pixel, say). */
export interface ChartSize {
  width: number
  height: number
}

export interface OptionChartProps {
  /** Accessible name of the picture and stem of exported file names. */
  title: string
  /** A full ECharts option, or a function of the chart's size that builds one. */
  option: ChartOption | ((size: ChartSize) => ChartOption)
  /** Nothing to draw: shows `emptyText` instead. */
  empty: boolean
  emptyText?: string
  loading?: boolean
  /** Height in px. Default 300. The width follows the container. */
  height?: number
  /** Rows offered as CSV: a header then one array per row (raw values, not formatted ones). */
  csv?: { header: readonly string[]; rows: readonly (readonly (string | number | null)[])[] }
  actions?: ReactNode
  testId?: string
}

const csvField = (v: string | number | null) => {
  const s = v === null ? '' : String(v)
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/**
 * Any ECharts picture (pie, scatter…) with the same frame as {@link Chart}: lazy chunk, loading and
 * empty states, resize with the container, PNG and CSV export. Chart stays the one for
 * category series; this one takes a whole option.
 *
 * @example
 * <OptionChart title="Tier mix" empty={total === 0} option={{ series: [{ type: 'pie', data }] }} />
 */
export function OptionChart({ title, option, empty, emptyText, loading = false, height = 300, csv, actions, testId }: OptionChartProps) {

  const el = useRef<HTMLDivElement>(null)
  const chartRef = useRef<EChartsType | null>(null)
  const [size, setSize] = useState<ChartSize | null>(null)
  const [loadFailed, setLoadFailed] = useState(false)

  useEffect(() => {
    let cancelled = false
    let chart: EChartsType | undefined
    let observer: ResizeObserver | undefined
    loadEcharts().then(
      (ec) => {
        if (cancelled || !el.current) return
        chart = ec.init(el.current, undefined, { renderer: 'canvas' })
        chartRef.current = chart
        const measure = () => {
          const box = el.current?.getBoundingClientRect()
          if (box) setSize((s) => (s && s.width === box.width && s.height === box.height ? s : { width: box.width, height: box.height }))
        }
        observer = new ResizeObserver(() => {
          chart?.resize()
          measure()
        })
        observer.observe(el.current)
        measure()
      },
      () => {
        echartsModule = undefined
        if (!cancelled) setLoadFailed(true)
      },
    )
    return () => {
      cancelled = true
      observer?.disconnect()
      chart?.dispose()
      chartRef.current = null
      setSize(null)
    }
  }, [])

  const built = useMemo(() => (size ? (typeof option === 'function' ? option(size) : option) : null), [option, size])

  useEffect(() => {
    const chart = chartRef.current
    if (!chart || !built) return
    if (empty) chart.clear()
    else chart.setOption(built, { notMerge: true })
  }, [built, empty])

  const exportCsv = () => {
    if (!csv) return
    const text = [csv.header, ...csv.rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
    download(`${fileStem(title)}.csv`, new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }))
  }
  const exportPng = () => {
    const chart = chartRef.current
    if (chart) download(`${fileStem(title)}.png`, chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' }))
  }

  const busy = loading || (!size && !loadFailed)
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
      onCsv={csv ? exportCsv : undefined}
      onPng={exportPng}
    >
      <div ref={el} className="chart-canvas" role="img" aria-label={title} />
    </ChartFrame>
  )
}
