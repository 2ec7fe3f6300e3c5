import type { SegmentSummary } from '../../../../segments/api'
import { PageHeader, Panel } from '../../components/Panel'
import { EmptyState, ErrorNotice, LoadingBlock } from '../../components/States'
import { useI18n, type MessageKey } from '../../i18n'
import { Link, useSearchParam } from '../../router'
import { ago } from '../profiles/format'
import { useSegmentList, useTemplates } from './api'
import { OverlapPanel } from './OverlapPanel'

const ENTITY_LABEL: Record<string, MessageKey> = { store: 'seg.entity.store', consumer: 'seg.entity.consumer', distributor: 'seg.entity.distributor' }
const MAX_OVERLAP = 3

/** The segments picked for the overlap view, kept in the URL (`?overlap=a,b`). */
function useOverlapPick(): [string[], (ids: string[]) => void] {
  const [raw, setRaw] = useSearchParam('overlap')
  const ids = raw ? raw.split(',').filter(Boolean).slice(0, MAX_OVERLAP) : []
  return [ids, (next) => setRaw(next.length ? next.join(',') : null)]
}

function SegmentTable({ segments, picked, onPick }: { segments: SegmentSummary[]; picked: string[]; onPick: (s: SegmentSummary) => void }) {
  const i18n = useI18n()
  const { t, number } = i18n
  const pickedEntity = segments.find((s) => s.id === picked[0])?.entity
  return (
    <div className="table-wrap">
      <table className="table" data-testid="seg-list">
        <thead>
          <tr>
            <th title={t('seg.overlap.pickHelp')}>{t('seg.overlap.short')}</th>
            <th>{t('seg.list.name')}</th>
            <th>{t('seg.list.entity')}</th>
            <th className="num">{t('seg.list.size')}</th>
            <th>{t('seg.list.refreshed')}</th>
            <th className="num">{t('seg.list.version')}</th>
            <th>{t('seg.list.updated')}</th>
          </tr>
        </thead>
        <tbody>
          {segments.map((s) => {
            const on = picked.includes(s.id)
            // Overlap needs one entity and at most three segments.
            const disabled = !on && (picked.length >= MAX_OVERLAP || (pickedEntity !== undefined && pickedEntity !== s.entity))
            return (
              <tr key={s.id} data-id={s.id}>
                <td>
                  <input type="checkbox" checked={on} disabled={disabled} onChange={() => onPick(s)} aria-label={t('seg.overlap.pickOne', { name: s.name })} data-testid={`seg-overlap-pick-${s.id}`} />
                </td>
                <td>
                  <Link to={`/segments/${encodeURIComponent(s.id)}`} className="link table-name">{s.name}</Link>
                  <span className="table-id">{s.id}</span>
                </td>
                <td>{t(ENTITY_LABEL[s.entity])}</td>
                <td className="num tabular" data-size={s.size ?? ''}>{s.size === null ? <span className="muted">{t('common.none')}</span> : number(s.size)}</td>
                <td className="nowrap" title={s.refreshed_at ? i18n.dateTime(s.refreshed_at) : undefined}>
                  {s.refreshed_at ? ago(i18n, s.refreshed_at) : <span className="muted">{t('seg.list.never')}</span>}
                </td>
                <td className="num tabular">v{s.version}</td>
                <td className="nowrap tabular">{i18n.dateTime(s.updated_at).slice(0, 16)}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}

function Templates() {
  const i18n = useI18n()
  const { t } = i18n
  const q = useTemplates()
  const zh = i18n.locale === 'zh-CN'
  return (
    <Panel title={t('seg.templates.title')} description={t('seg.templates.lead')}>
      {q.isLoading ? <LoadingBlock lines={3} /> : null}
      {q.isError ? <ErrorNotice what={t('seg.templates.title')} error={q.error} onRetry={q.refetch} /> : null}
      <ul className="seg-templates">
        {(q.data?.templates ?? []).map((tpl) => (
          <li key={tpl.id} className="seg-template">
            <div className="seg-template-head">
              <strong>{zh ? tpl.name.zh : tpl.name.en}</strong>
              <span className="seg-tag">{t(ENTITY_LABEL[tpl.entity])}</span>
            </div>
            <p className="muted">{zh ? tpl.description.zh : tpl.description.en}</p>
            <Link to={`/segments/new?template=${encodeURIComponent(tpl.id)}`} className="btn btn-small" data-testid={`seg-template-${tpl.id}`}>
              {t('seg.templates.use')}
            </Link>
          </li>
        ))}
      </ul>
    </Panel>
  )
}

/** `/segments`: saved segments (size, last refresh, version), templates to start from, and the overlap of 2–3 segments. */
export function SegmentListPage() {
  const { t } = useI18n()
  const list = useSegmentList()
  const [picked, setPicked] = useOverlapPick()
  const segments = list.data?.segments ?? []
  const names = new Map(segments.map((s) => [s.id, s.name]))
  const toggle = (s: SegmentSummary) => setPicked(picked.includes(s.id) ? picked.filter((x) => x !== s.id) : [...picked, s.id])
  return (
    <div className="page seg-page" data-testid="page-segments">
      <PageHeader
        title={t('seg.list.title')}
        lead={t('seg.list.lead')}
        actions={
          <Link to="/segments/new" className="btn seg-primary" data-testid="seg-new">
            + {t('seg.list.new')}
          </Link>
        }
      />
      <Panel title={t('seg.list.saved')} description={list.data ? t('seg.list.count', { n: segments.length }) : undefined}>
        {list.isLoading ? <LoadingBlock lines={4} /> : null}
        {list.isError ? <ErrorNotice what={t('seg.list.title')} error={list.error} onRetry={list.refetch} /> : null}
        {list.data && segments.length === 0 ? <EmptyState testId="seg-list-empty">{t('seg.list.empty')}</EmptyState> : null}
        {segments.length ? <SegmentTable segments={segments} picked={picked} onPick={toggle} /> : null}
      </Panel>
      {segments.length >= 2 || picked.length ? <OverlapPanel ids={picked} names={names} onClear={() => setPicked([])} /> : null}
      <Templates />
    </div>
  )
}
