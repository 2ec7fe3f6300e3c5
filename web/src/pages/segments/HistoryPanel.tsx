import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import type { Rule } from '../../../../segments/rule'
import { useCategoryChart, type ChartSeries } from '../../charts/category'
import { Chart } from '../../charts/Chart'
import { Panel } from '../../components/Panel'
import { EmptyState, ErrorNotice, LoadingBlock } from '../../components/States'
import { useI18n } from '../../i18n'
import { historyQuery, versionsQuery } from './api'

const COLORS = { size: '#274c77', entered: '#2e8a5f', left: '#c2574b' }

/** Size of the segment at each refresh (line), with who entered and left (bars). */
export function HistoryChart({ id }: { id: string }) {
  const i18n = useI18n()
  const { t } = i18n
  const q = useQuery(historyQuery(id))
  const refreshes = q.data?.refreshes
  const categories = useMemo(() => (refreshes ?? []).map((r) => r.refreshed_at), [refreshes])
  const series = useMemo<ChartSeries[]>(
    () =>
      refreshes?.length
        ? [
            // One or two points make no visible line: bars until there is a history to draw.
            { name: t('seg.history.size'), data: refreshes.map((r) => r.size), kind: refreshes.length < 3 ? 'bar' : 'line', color: COLORS.size },
            { name: t('seg.history.entered'), data: refreshes.map((r) => r.entered), kind: 'bar', color: COLORS.entered },
            { name: t('seg.history.left'), data: refreshes.map((r) => -r.left), kind: 'bar', color: COLORS.left },
          ]
        : [],
    [refreshes, t],
  )
  const chart = useCategoryChart({
    categories,
    series,
    categoryLabel: t('seg.history.refreshed'),
    formatCategory: (c) => i18n.dateTime(c).slice(5, 16),
    formatValue: (n) => i18n.number(Math.abs(n)),
  })
  return (
    <Panel title={t('seg.history.title')} description={t('seg.history.lead')}>
      {q.isError ? <ErrorNotice what={t('seg.history.title')} error={q.error} onRetry={q.refetch} /> : null}
      <Chart title={t('seg.history.title')} {...chart} loading={q.isLoading} height={240} emptyText={t('seg.history.empty')} testId="seg-history-chart" />
    </Panel>
  )
}

/** Every saved version with its note; a version's rule can be loaded back into the builder. */
export function VersionsPanel({ id, current, onLoad }: { id: string; current: number; onLoad: (rule: Rule, version: number) => void }) {
  const i18n = useI18n()
  const { t } = i18n
  const q = useQuery(versionsQuery(id))
  const versions = [...(q.data?.versions ?? [])].sort((a, b) => b.version - a.version)
  return (
    <Panel title={t('seg.versions.title')} testId="seg-versions">
      {q.isLoading ? <LoadingBlock lines={3} /> : null}
      {q.isError ? <ErrorNotice what={t('seg.versions.title')} error={q.error} onRetry={q.refetch} /> : null}
      {q.data && versions.length === 0 ? <EmptyState>{t('seg.versions.empty')}</EmptyState> : null}
      {versions.length ? (
        <div className="table-wrap">
          <table className="table table-compact">
            <thead>
              <tr>
                <th>{t('seg.versions.version')}</th>
                <th>{t('seg.versions.saved')}</th>
                <th>{t('seg.versions.note')}</th>
                <th aria-label={t('seg.versions.load')} />
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version} data-version={v.version}>
                  <td className="tabular">
                    v{v.version}
                    {v.version === current ? <span className="seg-tag">{t('seg.versions.current')}</span> : null}
                  </td>
                  <td className="nowrap tabular">{i18n.dateTime(v.created_at)}</td>
                  <td>{v.note || <span className="muted">{t('common.none')}</span>}</td>
                  <td className="num">
                    {v.version !== current ? (
                      <button type="button" className="btn-link" onClick={() => onLoad(v.rule, v.version)}>
                        {t('seg.versions.load')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Panel>
  )
}
