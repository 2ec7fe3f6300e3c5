import { useDash } from '../../api/dashboards'
import { CsvButton } from '../../charts/Chart'
import { Panel } from '../../components/Panel'
import { EmptyState, ErrorNotice, LoadingBlock } from '../../components/States'
import { useI18n } from '../../i18n'
import { Link } from '../../router'
import { setParams, type DashFilterState } from './useDashFilters'

const EVIDENCE_LIMIT = 200

/** A flow's URL form: `from>to` (city names contain no `>`). */
export const flowKey = (x: { from_city: string; to_city: string }) => `${x.from_city}>${x.to_city}`

export function parseFlow(v: string | null): { from_city: string; to_city: string } | null {
  const i = v ? v.indexOf('>') : -1
  return v && i > 0 && i < v.length - 1 ? { from_city: v.slice(0, i), to_city: v.slice(i + 1) } : null
}

/**
 * The evidence of one flow: its open scans (codes, times in CST, places), newest first, read from
 * the raw scans by the server with a limit.
 */
export function EvidencePanel({ f, flow }: { f: DashFilterState; flow: { from_city: string; to_city: string } }) {
  const { t, dateTime, number } = useI18n()
  const q = useDash('diversion/evidence', f.query({ from_city: flow.from_city, to_city: flow.to_city, limit: EVIDENCE_LIMIT }))
  const scans = q.data?.scans ?? []
  const codes = new Set(scans.map((s) => s.code)).size
  const consumers = new Set(scans.map((s) => s.consumer_id).filter(Boolean)).size
  const title = t('dash.ev.title', { from: flow.from_city, to: flow.to_city })
  const csv = {
    header: ['event_id', 'ts_utc', 'code', 'case_code', 'sku_id', 'store_id', t('dash.store'), 'consumer_id', t('dash.city'), t('dash.district'), 'lat', 'lon'],
    rows: scans.map((s) => [s.event_id, s.ts, s.code, s.case_code, s.sku_id, s.store_id, s.store_name, s.consumer_id, s.city, s.district, s.lat, s.lon]),
  }
  return (
    <Panel title={title} testId="dash-evidence"
      description={q.data ? t('dash.ev.lead', { n: number(scans.length), codes: number(codes), consumers: number(consumers), limit: EVIDENCE_LIMIT }) : undefined}
      actions={
        <>
          <CsvButton title={title} csv={csv} />
          <button type="button" className="btn btn-small" onClick={() => setParams({ flow: null })}>{t('dash.ev.close')}</button>
        </>
      }>
      {q.isPending ? (
        <LoadingBlock lines={4} />
      ) : q.isError ? (
        <ErrorNotice what={t('dash.ev.what')} error={q.error} onRetry={q.refetch} />
      ) : scans.length === 0 ? (
        <EmptyState>{t('dash.ev.empty')}</EmptyState>
      ) : (
        <div className="table-wrap dash-table-scroll">
          <table className="table dash-evidence">
            <thead>
              <tr>
                <th scope="col">{t('dash.ev.time')}</th>
                <th scope="col">{t('dash.ev.code')}</th>
                <th scope="col">{t('dash.product')}</th>
                <th scope="col">{t('dash.ev.stockedAt')}</th>
                <th scope="col">{t('dash.ev.openedAt')}</th>
                <th scope="col">{t('dash.ev.consumer')}</th>
              </tr>
            </thead>
            <tbody>
              {scans.map((s) => (
                <tr key={s.event_id}>
                  <td className="tabular nowrap">{dateTime(s.ts)}</td>
                  <td><code>{s.code}</code>{s.case_code ? <div className="muted"><code>{s.case_code}</code></div> : null}</td>
                  <td><code>{s.sku_id}</code></td>
                  <td><Link to={`/stores/${encodeURIComponent(s.store_id)}`} className="link">{s.store_name ?? s.store_id}</Link><div className="muted">{flow.from_city}</div></td>
                  <td>
                    {[s.city, s.district].filter(Boolean).join(' ')}
                    {s.lat !== null && s.lon !== null ? <div className="muted tabular">{s.lat.toFixed(4)}, {s.lon.toFixed(4)}</div> : null}
                  </td>
                  <td><code className="dash-id">{s.consumer_id ?? '—'}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  )
}
