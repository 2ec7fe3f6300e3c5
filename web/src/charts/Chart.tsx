import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { useI18n } from '../i18n'
import type { ChartOption, EChartsType } from './echarts'
import { download, downloadCsv, fileStem, type CsvData } from './exportData'

export type { ChartOption } from './echarts'
export type { CsvData } from './exportData'

// One shared promise: every chart waits for the same chunk, fetched once.
let echartsModule: Promise<typeof import('./echarts')> | undefined
const loadEcharts = () => (echartsModule ??= import('./echarts'))

/** Plot size in px, for options that keep an aspect (a map's km per pixel, say). */
export interface ChartSize {
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

export interface ChartProps {
  /** Accessible name of the picture and stem of exported file names. */
  title: string
  /** A full ECharts option, or a function of the plot's size that builds one. */
  option: ChartOption | ((size: ChartSize) => ChartOption)
  /** Nothing to draw: shows `emptyText` instead. */
  empty: boolean
  emptyText?: string
  /** Data is on its way: shows a loading veil over the chart. */
  loading?: boolean
  /** Height in px. Default 300. The width follows the container. */
  height?: number
  /** The chart's data offered as CSV; omit to hide the CSV button. */
  csv?: CsvData
  /** Drill-down: called with the clicked item (bars, points, links, nodes). */
  onClick?: (e: ChartClick) => void
  /** Extra controls shown left of the export buttons. */
  actions?: ReactNode
  testId?: string
}

/**
 * The app's one chart: any ECharts option (or a builder of one from the plot size) in a frame with
 * CSV and PNG export and loading, empty and failed veils. ECharts is loaded lazily in its own
 * chunk; the chart resizes with its container, forwards clicks, and disposes on unmount.
 * Category charts build their option with `categoryOption` or `useCategoryChart` (./category).
 *
 * @example
 * <Chart title="Opened by city" option={barOption} csv={{ header, rows }} empty={!rows.length}
 *   onClick={(e) => setFilter({ city: e.name })} />
 */
export function Chart({ title, option, empty, emptyText, loading = false, height = 300, csv, onClick, actions, testId }: ChartProps) {
  const { t } = useI18n()
  const el = useRef<HTMLDivElement>(null)
  const chartRef = useRef<EChartsType | null>(null)
  const clickRef = useRef(onClick)
  useEffect(() => {
    clickRef.current = onClick
  })
  const [size, setSize] = useState<ChartSize | null>(null)
  const [failed, setFailed] = useState(false)

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
        echartsModule = undefined // let a later mount retry the chunk
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

  const exportPng = () => {
    const chart = chartRef.current
    if (chart) download(`${fileStem(title)}.png`, chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#ffffff' }))
  }

  // Loading, or the chart engine not yet ready.
  const busy = loading || (!size && !failed)
  return (
    <div className="chart" data-testid={testId} data-state={failed ? 'error' : busy ? 'loading' : empty ? 'empty' : 'ready'}>
      <div className="chart-toolbar">
        <div className="chart-actions">{actions}</div>
        <div className="chart-export">
          {csv ? <CsvButton title={title} csv={csv} disabled={empty || loading} /> : null}
          <button type="button" className="btn btn-small" onClick={exportPng} disabled={empty || busy || failed} aria-label={t('chart.exportPngLabel')} title={t('chart.exportPngLabel')}>
            {t('chart.exportPng')}
          </button>
        </div>
      </div>
      <div className="chart-body" style={{ height }}>
        <div ref={el} className="chart-canvas" role="img" aria-label={title} />
        {failed ? (
          <div className="chart-veil chart-veil-solid" role="alert">{t('chart.loadFailed')}</div>
        ) : busy ? (
          <div className="chart-veil" aria-live="polite">
            <span className="spinner" aria-hidden="true" />
            {t('common.loading')}
          </div>
        ) : empty ? (
          <div className="chart-veil chart-veil-solid">{emptyText ?? t('chart.empty')}</div>
        ) : null}
      </div>
    </div>
  )
}

/**
 * The CSV export button, for a chart's toolbar or a table's panel: offers `csv` as `<title>.csv`.
 * Disabled when there are no rows unless told otherwise.
 * @example <Panel title={title} actions={<CsvButton title={title} csv={{ header, rows }} />}>…</Panel>
 */
export function CsvButton({ title, csv, disabled = csv.rows.length === 0 }: { title: string; csv: CsvData; disabled?: boolean }) {
  const { t } = useI18n()
  return (
    <button type="button" className="btn btn-small" onClick={() => downloadCsv(title, csv)} disabled={disabled} aria-label={t('chart.exportCsvLabel')} title={t('chart.exportCsvLabel')}>
      {t('chart.exportCsv')}
    </button>
  )
}
