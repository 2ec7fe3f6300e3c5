import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import type { DashOption, EChartsType } from '../../charts/echartsDashboards'
import { download, fileStem } from '../../charts/exportData'
import { ChartFrame } from '../../charts/ChartFrame'
import { useI18n } from '../../i18n'

// One shared promise: every dashboard chart waits for the same chunk, fetched once.
let module: Promise<typeof import('../../charts/echartsDashboards')> | undefined
const load = () => (module ??= import('../../charts/echartsDashboards'))

export type { DashOption }

/** Plot size in px, for options that keep an aspect (the map's km per pixel). */
export interface Size {
  width: number
  height: number
}

/** What was clicked: the series and the data item (its index and name). */
export interface ChartClick {
  seriesIndex: number
  dataIndex: number
  name: string
  dataType?: string
  data: unknown
}

export interface DashChartProps {
  /** Accessible name of the picture and stem of exported file names. */
  title: string
  /** A full ECharts option, or a function of the chart's size that builds one. */
  option: DashOption | ((size: Size) => DashOption)
  empty: boolean
  emptyText?: string
  loading?: boolean
  /** Height in px. Default 300. */
  height?: number
  /** The chart's data as CSV: a header and rows of raw (unformatted) values. */
  csv: CsvData
  /** Drill-down: called with the clicked item (bars, points, links). */
  onClick?: (e: ChartClick) => void
  actions?: ReactNode
  testId?: string
}

const csvField = (v: string | number | null) => {
  const s = v === null ? '' : String(v)
  // A leading = + - @ would run as a formula in a spreadsheet; numbers stay numbers.
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

export interface CsvData {
  header: readonly string[]
  rows: readonly (readonly (string | number | null)[])[]
}

/** Offers rows as `<title>.csv` (UTF-8 with a BOM, so Excel reads Chinese labels). */
export function downloadCsv(title: string, csv: CsvData): void {
  const text = [csv.header, ...csv.rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
  download(`${fileStem(title)}.csv`, new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }))
}

/** A CSV button for a table. */
export function CsvButton({ title, csv }: { title: string; csv: CsvData }) {
  const { t } = useI18n()
  return (
    <button type="button" className="btn btn-small" onClick={() => downloadCsv(title, csv)} disabled={csv.rows.length === 0} aria-label={t('chart.exportCsvLabel')} title={t('chart.exportCsvLabel')}>
      {t('chart.exportCsv')}
    </button>
  )
}

/**
 * A dashboard chart: any ECharts option in the app's chart frame (lazy chunk, loading and empty
 * states, resize, CSV and PNG export) plus click-to-drill-down.
 *
 * @example
 * <DashChart title="Opened by city" option={barOption} csv={{ header, rows }} empty={!rows.length}
 *   onClick={(e) => setFilter({ city: e.name })} />
 */
export function DashChart({ title, option, empty, emptyText, loading = false, height = 300, csv, onClick, actions, testId }: DashChartProps) {

  const el = useRef<HTMLDivElement>(null)
  const chartRef = useRef<EChartsType | null>(null)
  const clickRef = useRef(onClick)
  useEffect(() => {
    clickRef.current = onClick
  })
  const [size, setSize] = useState<Size | null>(null)
  const [failed, setFailed] = useState(false)

  useEffect(() => {
    let cancelled = false
    let chart: EChartsType | undefined
    let observer: ResizeObserver | undefined
    load().then(
      (ec) => {
        if (cancelled || !el.current) return
        chart = ec.init(el.current, undefined, { renderer: 'canvas' })
        chartRef.current = chart
        // Through a ref, so a new handler on every render needs no re-binding.
        chart.on('click', (p) => clickRef.current?.(p as unknown as ChartClick))
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
        module = undefined // a later mount retries the chunk
        if (!cancelled) setFailed(true)
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

  const exportCsv = () => downloadCsv(title, csv)
  const exportPng = () => {
    const chart = chartRef.current
    if (chart) download(`${fileStem(title)}.png`, chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' }))
  }

  const busy = loading || (!size && !failed)
  return (
    <ChartFrame
      title={title}
      height={height}
      testId={testId}
      actions={actions}
      empty={empty}
      loading={loading}
      busy={busy}
      failed={failed}
      emptyText={emptyText}
      onCsv={exportCsv}
      onPng={exportPng}
    >
      <div ref={el} className="chart-canvas" role="img" aria-label={title} />
    </ChartFrame>
  )
}
