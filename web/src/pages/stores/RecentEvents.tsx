import type { StoreDetail } from '../../api/profiles'
import { EmptyState } from '../../components/States'
import { useI18n } from '../../i18n'
import { Link } from '../../router'
import { codeLabel } from '../profiles/format'

/** The store's latest scans, newest first; times in Asia/Shanghai. */
export function RecentEvents({ events }: { events: StoreDetail['recent_events'] }) {
  const i18n = useI18n()
  const { t, number, dateTime } = i18n
  if (events.length === 0) return <EmptyState>{t('stores.events.empty')}</EmptyState>
  return (
    <div className="table-wrap">
      <table className="table table-compact">
        <thead>
          <tr>
            <th scope="col">{t('stores.events.time')}</th>
            <th scope="col">{t('stores.events.type')}</th>
            <th scope="col">{t('stores.events.product')}</th>
            <th scope="col" className="num">{t('stores.unit.bottlesHeader')}</th>
            <th scope="col">{t('stores.events.consumer')}</th>
            <th scope="col">{t('stores.events.place')}</th>
            <th scope="col">{t('stores.events.code')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.event_id} data-type={e.type}>
              <td className="tabular nowrap">{dateTime(e.ts)}</td>
              <td>
                <span className={`event-tag event-${e.type}`}>{codeLabel(i18n, 'event', e.type)}</span>
              </td>
              <td>{e.product_name ?? e.sku_id}</td>
              <td className="num tabular">{number(e.bottles)}</td>
              <td>
                {e.consumer_id ? (
                  <Link to={`/consumers/${encodeURIComponent(e.consumer_id)}`} className="link mono-small">
                    {e.consumer_id}
                  </Link>
                ) : (
                  t('common.none')
                )}
              </td>
              <td>
                {[e.city, e.district].filter(Boolean).join(' · ') || t('common.none')}
                {e.lat !== null && e.lon !== null ? <span className="muted"> ({e.lat.toFixed(3)}, {e.lon.toFixed(3)})</span> : null}
              </td>
              <td><code className="mono-small">{e.code}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
