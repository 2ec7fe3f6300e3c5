import { useQuery } from '@tanstack/react-query'
import type { PreviewResponse } from '../../../../segments/api'
import type { Entity } from '../../../../segments/catalog'
import { isApiError } from '../../api/errors'
import { Panel } from '../../components/Panel'
import { EmptyState } from '../../components/States'
import { useI18n, type MessageKey } from '../../i18n'
import { Link } from '../../router'
import { labelOf } from './AttrPicker'
import { previewQuery } from './api'
import { attrOf, entityHref, formatValue } from './units'

export const ENTITY_PLURAL: Record<Entity, MessageKey> = { store: 'seg.entity.stores', consumer: 'seg.entity.consumers', distributor: 'seg.entity.distributors' }
const ALL = JSON.stringify({ and: [] })

/**
 * The live count: the members of the rule as it stands (asked ~400 ms after the last edit). While
 * the next count loads the previous one stays, greyed; a rule the server refuses shows why.
 */
export function CountCard({ entity, data, loading, error, incomplete }: {
  entity: Entity
  data: PreviewResponse | undefined
  loading: boolean
  error: unknown
  incomplete: number
}) {
  const i18n = useI18n()
  const { t, number } = i18n
  const total = useQuery(previewQuery(entity, ALL, 0)).data?.count
  const state = error ? 'error' : loading ? 'loading' : data ? 'ready' : 'loading'
  return (
    <section className="panel seg-count-card" aria-live="polite">
      <div className="seg-count-label">{t('seg.count.title')}</div>
      <div className={`seg-count${loading ? ' is-stale' : ''}`} data-testid="seg-count" data-state={state} data-count={data && !loading && !error ? data.count : ''} aria-busy={loading}>
        <span className="seg-count-value tabular">{data ? number(data.count) : '…'}</span>
        <span className="seg-count-unit">{t(ENTITY_PLURAL[entity])}</span>
        {loading ? <span className="spinner" aria-hidden="true" /> : null}
      </div>
      {data && total ? (
        <div className="seg-count-bar" title={t('seg.count.share', { share: i18n.percent(data.count / total), total: number(total) })}>
          <div style={{ width: `${Math.min(100, (100 * data.count) / total)}%` }} />
        </div>
      ) : null}
      <p className="muted">
        {data && total ? t('seg.count.share', { share: i18n.percent(data.count / total), total: number(total) }) : null}
        {data ? ` · ${t('seg.count.asOf', { date: i18n.day(data.as_of, 'long') })}` : null}
      </p>
      {incomplete > 0 ? <p className="seg-hint">{t('seg.count.incomplete', { n: incomplete })}</p> : null}
      {error ? <p className="text-bad" role="alert">{isApiError(error) && error.status === 400 ? t('seg.count.invalid') : t('seg.count.failed')}</p> : null}
    </section>
  )
}

/**
 * A sample of the members with the values of the attributes the rule uses, formatted with their
 * units; ids open the entity's page, and (once saved) a row's button explains it.
 */
export function SampleTable({ entity, data, loading, onExplain }: { entity: Entity; data: PreviewResponse | undefined; loading: boolean; onExplain?: (id: string) => void }) {
  const i18n = useI18n()
  const { t } = i18n
  const rows = data?.sample ?? []
  const attrs = [...new Set(rows.flatMap((r) => Object.keys(r.values)))]
  return (
    <Panel title={t('seg.sample.title')} description={onExplain ? t('seg.sample.lead') : t('seg.sample.leadUnsaved')} testId="seg-sample" className={loading ? 'is-stale' : undefined}>
      {rows.length === 0 ? (
        <EmptyState>{data ? t('seg.sample.empty') : t('common.loading')}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table table-compact">
            <thead>
              <tr>
                <th>{t('seg.sample.id')}</th>
                {attrs.map((name) => {
                  const a = attrOf(entity, name)
                  return <th key={name} className={a && a.type !== 'string' ? 'num' : undefined} title={a ? (i18n.locale === 'zh-CN' ? a.description.zh : a.description.en) : undefined}>{a ? labelOf(i18n, a) : name}</th>
                })}
                {onExplain ? <th aria-label={t('seg.explain.title')} /> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-id={r.id} className={onExplain ? 'row-link' : undefined} onClick={onExplain ? () => onExplain(r.id) : undefined}>
                  <td>
                    <Link to={entityHref(entity, r.id)} className="link mono-small" onClick={(e) => e.stopPropagation()}>
                      {r.id}
                    </Link>
                  </td>
                  {attrs.map((name) => {
                    const a = attrOf(entity, name)
                    return (
                      <td key={name} className={a && a.type !== 'string' ? 'num tabular nowrap' : 'seg-sample-text'}>
                        {formatValue(i18n, a, r.values[name])}
                      </td>
                    )
                  })}
                  {onExplain ? (
                    <td className="num">
                      <button type="button" className="btn-link" data-testid="seg-sample-explain" onClick={(e) => (e.stopPropagation(), onExplain(r.id))}>
                        {t('seg.explain.why')}
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  )
}
