import type { ReactNode } from 'react'
import type { Attributes, Catalog, Entity } from '../../api/profiles'
import { useI18n } from '../../i18n'
import { Link, useSearchParam } from '../../router'
import { attrDescription, attrLabel, findAttr, formatAttr } from './format'
import './profiles.css'

/**
 * The as-of date of a profile page, kept in the URL (`?as_of=`); empty means the server's
 * default (tomorrow, so today's scans count), shown once a response tells which day that is.
 */
export function useAsOf(): [string | null, (day: string | null) => void] {
  const [asOf, setAsOf] = useSearchParam('as_of')
  return [asOf && /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : null, setAsOf]
}

/** A date input for the as-of date, with a way back to the default. */
export function AsOfPicker({ asOf, shown, onChange }: { asOf: string | null; shown: string | undefined; onChange: (day: string | null) => void }) {
  const { t } = useI18n()
  return (
    <div className="as-of" title={t('stores.asOf.help')}>
      <label className="as-of-label" htmlFor="as-of-input">{t('stores.asOf.label')}</label>
      <input
        id="as-of-input"
        className="input"
        type="date"
        value={asOf ?? shown ?? ''}
        onChange={(e) => onChange(e.target.value || null)}
        data-testid="as-of"
      />
      {asOf ? (
        <button type="button" className="btn-link" onClick={() => onChange(null)} data-testid="as-of-reset">
          {t('stores.asOf.reset')}
        </button>
      ) : null}
    </div>
  )
}

/** KPI tiles: label, value and unit from the catalog, its description as the tooltip. */
export function KpiTiles({ entity, catalog, attributes, names, testId, loading }: {
  entity: Entity
  catalog: Catalog | undefined
  attributes: Attributes | undefined
  names: readonly string[]
  testId: string
  loading?: boolean
}) {
  const i18n = useI18n()
  return (
    <ul className={loading ? 'kpis is-stale' : 'kpis'} data-testid={testId} aria-busy={loading}>
      {names.map((name) => {
        const a = findAttr(catalog, entity, name)
        const raw = attributes?.[name]
        const f = attributes ? formatAttr(i18n, a, raw) : { value: '…', unit: '' }
        return (
          <li key={name} className="kpi" title={a ? attrDescription(a, i18n) : undefined} data-attr={name} data-value={raw ?? ''}>
            <span className="kpi-label">{a ? attrLabel(a, i18n) : name}</span>
            <span className={f.value.length > 12 ? 'kpi-value kpi-value-long tabular' : 'kpi-value tabular'}>
              {f.value}
              {f.unit ? <span className="kpi-unit">{f.unit}</span> : null}
            </span>
          </li>
        )
      })}
    </ul>
  )
}

/** A page head for one entity: back link, title, facts line and the as-of picker. */
export function DetailHead({ back, backLabel, title, facts, actions }: { back: string; backLabel: string; title: ReactNode; facts?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-head detail-head">
      <div>
        <Link to={back} className="link back-link">‹ {backLabel}</Link>
        <h1 className="page-title">{title}</h1>
        {facts ? <div className="page-lead">{facts}</div> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  )
}

/** Label/value pairs of a header card. */
export function Facts({ items, testId }: { items: readonly [string, ReactNode][]; testId?: string }) {
  return (
    <dl className="facts" data-testid={testId}>
      {items.map(([k, v]) => (
        <div key={k} className="fact">
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  )
}
