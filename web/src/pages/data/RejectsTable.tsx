import { useState } from 'react'
import type { Reject } from '../../api/data'
import { useI18n } from '../../i18n'

const RAW_PREVIEW = 96

function RawCell({ raw }: { raw: string }) {
  const { t } = useI18n()
  const [open, setOpen] = useState(false)
  const long = raw.length > RAW_PREVIEW
  if (!long) return <code className="raw">{raw}</code>
  return (
    <div className="raw-cell">
      {open ? <pre className="raw raw-full">{raw}</pre> : <code className="raw">{raw.slice(0, RAW_PREVIEW)}…</code>}
      <button type="button" className="btn-link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? t('common.showLess') : t('common.showMore')}
      </button>
    </div>
  )
}

/** The latest ingest rejects: when, what kind, which line, why, and the raw record. */
export function RejectsTable({ rejects }: { rejects: readonly Reject[] }) {
  const { t, dateTime, number } = useI18n()
  return (
    <div className="table-wrap">
      <table className="table table-rejects">
        <thead>
          <tr>
            <th scope="col">{t('data.rejects.receivedAt')}</th>
            <th scope="col">{t('data.rejects.kind')}</th>
            <th scope="col" className="num">{t('data.rejects.line')}</th>
            <th scope="col">{t('data.rejects.reasons')}</th>
            <th scope="col">{t('data.rejects.raw')}</th>
          </tr>
        </thead>
        <tbody>
          {rejects.map((r, i) => (
            <tr key={`${r.received_at}-${i}`}>
              <td className="nowrap tabular">{dateTime(r.received_at)}</td>
              <td>
                <span className="chip">{r.kind}</span>
              </td>
              <td className="num tabular">{number(r.line)}</td>
              <td>
                <ul className="reasons">
                  {r.errors.map((e, j) => (
                    <li key={j}>
                      {e.path ? <code className="reason-path">{e.path}</code> : null} {e.message}
                    </li>
                  ))}
                </ul>
              </td>
              <td className="raw-col">
                <RawCell raw={r.raw} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
