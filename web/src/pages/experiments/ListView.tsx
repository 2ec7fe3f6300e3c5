import { useQuery } from '@tanstack/react-query'
import { PageHeader, Panel } from '../../components/Panel'
import { EmptyState, ErrorNotice, LoadingBlock } from '../../components/States'
import { useI18n } from '../../i18n'
import { Link } from '../../router'
import { experimentListQuery, metricsQuery } from './api'
import { StatusBadge, tr } from './parts'
import { PoliciesPanel } from './PoliciesPanel'

/** The experiments, newest change first, and the policies they test. */
export function ListView() {
  const i18n = useI18n()
  const { t, number, day } = i18n
  const list = useQuery(experimentListQuery())
  const metrics = useQuery(metricsQuery())
  const label = (id: string) => {
    const m = metrics.data?.metrics.find((x) => x.id === id)
    return m ? tr(i18n, m.label) : id.replace(/^ext:/, '')
  }
  return (
    <div className="page" data-testid="page-experiments">
      <PageHeader
        title={t('exp.title')}
        lead={t('exp.lead')}
        actions={
          <Link to="/experiments/new" className="btn exp-btn-primary" data-testid="exp-new">
            {t('exp.new')}
          </Link>
        }
      />
      <Panel title={t('exp.list.title')} testId="exp-list">
        {list.isPending ? (
          <LoadingBlock />
        ) : list.isError ? (
          <ErrorNotice what={t('exp.list.title')} error={list.error} onRetry={list.refetch} />
        ) : list.data.experiments.length === 0 ? (
          <EmptyState>{t('exp.list.empty')}</EmptyState>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="exp-table">
              <thead>
                <tr>
                  <th>{t('exp.field.name')}</th>
                  <th>{t('exp.list.status')}</th>
                  <th>{t('exp.list.dates')}</th>
                  <th>{t('exp.field.arms')}</th>
                  <th className="num">{t('exp.list.stores')}</th>
                  <th>{t('exp.field.primary')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.experiments.map((e) => (
                  <tr key={e.id}>
                    <th>
                      <Link to={`/experiments/${encodeURIComponent(e.id)}`} className="link" data-testid={`exp-row-${e.id}`}>
                        {e.name}
                      </Link>
                      {e.source === 'external' ? <span className="chip exp-chip">{t('exp.external')}</span> : null}
                    </th>
                    <td>
                      <StatusBadge status={e.status} i18n={i18n} />
                    </td>
                    <td className="nowrap">
                      {day(e.start)} – {day(e.end)}
                    </td>
                    <td>{e.arms.join(' · ')}</td>
                    <td className="num tabular">{e.audience_size ? number(e.audience_size) : '—'}</td>
                    <td>{label(e.primary_metric)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
      <PoliciesPanel />
    </div>
  )
}
