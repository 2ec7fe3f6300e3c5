import type { ReactNode } from 'react'
import { useI18n } from '../i18n'

export interface ChartFrameProps {
  title: string
  height: number | string
  testId?: string
  /** Extra controls shown left of the export buttons. */
  actions?: ReactNode
  empty: boolean
  loading: boolean
  /** Loading, or the chart engine not yet ready. */
  busy: boolean
  failed: boolean
  emptyText?: string
  /** Omit to hide the CSV button (a chart without tabular data). */
  onCsv?: () => void
  onPng: () => void
  /** The element ECharts renders into (`<div ref={el} className="chart-canvas" … />`). */
  children: ReactNode
}

/**
 * The frame every chart shares: toolbar with CSV/PNG export, the canvas, and the loading,
 * empty and failed veils. The chart components differ only in how they build their option.
 * @example <ChartFrame title="Opens" height={320} empty={false} loading={false} busy={false} failed={false} onPng={png}>
 *   <div ref={el} className="chart-canvas" role="img" aria-label="Opens" />
 * </ChartFrame>
 */
export function ChartFrame(p: ChartFrameProps) {
  const { t } = useI18n()
  return (
    <div className="chart" data-testid={p.testId} data-state={p.failed ? 'error' : p.busy ? 'loading' : p.empty ? 'empty' : 'ready'}>
      <div className="chart-toolbar">
        <div className="chart-actions">{p.actions}</div>
        <div className="chart-export">
          {p.onCsv ? (
            <button type="button" className="btn btn-small" onClick={p.onCsv} disabled={p.empty || p.loading} aria-label={t('chart.exportCsvLabel')} title={t('chart.exportCsvLabel')}>
              {t('chart.exportCsv')}
            </button>
          ) : null}
          <button type="button" className="btn btn-small" onClick={p.onPng} disabled={p.empty || p.busy || p.failed} aria-label={t('chart.exportPngLabel')} title={t('chart.exportPngLabel')}>
            {t('chart.exportPng')}
          </button>
        </div>
      </div>
      <div className="chart-body" style={{ height: p.height }}>
        {p.children}
        {p.failed ? (
          <div className="chart-veil chart-veil-solid" role="alert">{t('chart.loadFailed')}</div>
        ) : p.busy ? (
          <div className="chart-veil" aria-live="polite">
            <span className="spinner" aria-hidden="true" />
            {t('common.loading')}
          </div>
        ) : p.empty ? (
          <div className="chart-veil chart-veil-solid">{p.emptyText ?? t('chart.empty')}</div>
        ) : null}
      </div>
    </div>
  )
}
