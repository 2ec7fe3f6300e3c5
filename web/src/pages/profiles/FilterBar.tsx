import { useState, type FormEvent } from 'react'
import type { AttributeInfo, Catalog, Entity } from '../../api/profiles'
import { useI18n, type I18n } from '../../i18n'
import { attrLabel, codeLabel, findAttr } from './format'

// The list endpoint's filters are query parameters `f.<attr>.<op>=value`: the page keeps them in
// its own URL as they are, so a filtered list is a link and the API call is the URL's query.
const NUMERIC_OPS = ['gte', 'lte', 'gt', 'lt', 'eq', 'neq', 'is_null', 'not_null'] as const
const TEXT_OPS = ['eq', 'neq', 'contains', 'in', 'is_null', 'not_null'] as const
const SYMBOLS: Record<string, string> = { eq: '=', neq: '≠', lt: '<', lte: '≤', gt: '>', gte: '≥' }
const NO_VALUE = new Set(['is_null', 'not_null'])
export const STORE_KINDS = ['tobacco_liquor', 'restaurant', 'supermarket', 'convenience', 'other'] as const
const TIERS = ['mass', 'sub_premium', 'premium'] as const

export interface ActiveFilter {
  key: string
  attr: string
  op: string
  value: string
}

/** The `f.<attr>.<op>` parameters of a query string. */
export function activeFilters(params: URLSearchParams): ActiveFilter[] {
  const out: ActiveFilter[] = []
  for (const [key, value] of params) {
    const m = /^f\.([a-z0-9_]+)\.([a-z_]+)$/.exec(key)
    if (m) out.push({ key, attr: m[1], op: m[2], value })
  }
  return out
}

const opLabel = (i18n: I18n, op: string) => SYMBOLS[op] ?? codeLabel(i18n, 'stores.op', op)
const isNumeric = (a: AttributeInfo | undefined) => a?.type === 'number' || a?.type === 'integer'

/** Choices for a text attribute with a known set of values. */
function valueChoices(attr: string): readonly string[] | null {
  if (attr === 'kind') return STORE_KINDS
  if (attr.startsWith('preferred_tier')) return TIERS
  return null
}

function valueLabel(i18n: I18n, attr: string, value: string): string {
  if (attr === 'kind') return value.split(',').map((v) => codeLabel(i18n, 'stores.kind', v)).join(', ')
  if (attr.startsWith('preferred_tier')) return value.split(',').map((v) => codeLabel(i18n, 'stores.tier', v)).join(', ')
  return value
}

export interface FilterBarProps {
  entity: Entity
  catalog: Catalog | undefined
  params: URLSearchParams
  update: (edit: (p: URLSearchParams) => void) => void
}

/**
 * Filter chips over the list's URL, and a small form to add one: an attribute from the catalog
 * (zh/en label and unit), an operator that fits its type, and a value.
 */
export function FilterBar({ entity, catalog, params, update }: FilterBarProps) {
  const i18n = useI18n()
  const { t } = i18n
  const filters = activeFilters(params)
  const attrs = catalog?.[entity] ?? []
  const [open, setOpen] = useState(false)
  const [attr, setAttr] = useState('')
  const [op, setOp] = useState('')
  const [value, setValue] = useState('')
  const a = findAttr(catalog, entity, attr)
  const ops: readonly string[] = isNumeric(a) ? NUMERIC_OPS : TEXT_OPS
  const choices = valueChoices(attr)

  const pickAttr = (name: string) => {
    const next = findAttr(catalog, entity, name)
    setAttr(name)
    setOp(isNumeric(next) ? 'gte' : 'eq')
    setValue('')
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!attr || !op || (!NO_VALUE.has(op) && value.trim() === '')) return
    update((p) => {
      p.set(`f.${attr}.${op}`, NO_VALUE.has(op) ? '1' : value.trim())
      p.delete('offset')
    })
    setOpen(false)
    setValue('')
  }
  const remove = (key: string) =>
    update((p) => {
      p.delete(key)
      p.delete('offset')
    })

  return (
    <div className="filter-bar" data-testid={`${entity}-filters`}>
      {filters.map((f) => {
        const fa = findAttr(catalog, entity, f.attr)
        const unit = fa && isNumeric(fa) && fa.unit !== 'none' ? ` ${codeLabel(i18n, 'stores.unitName', fa.unit)}` : ''
        return (
          <span key={f.key} className="filter-chip" data-filter={f.key}>
            <span className="filter-chip-attr">{fa ? attrLabel(fa, i18n) : f.attr}</span>
            <span className="filter-chip-op">{opLabel(i18n, f.op)}</span>
            {NO_VALUE.has(f.op) ? null : <strong>{valueLabel(i18n, f.attr, f.value)}{unit}</strong>}
            <button type="button" className="filter-chip-x" aria-label={t('stores.filter.remove')} title={t('stores.filter.remove')} onClick={() => remove(f.key)}>
              ×
            </button>
          </span>
        )
      })}
      {open ? (
        <form className="filter-form" onSubmit={submit} data-testid={`${entity}-filter-form`}>
          <select aria-label={t('stores.filter.attribute')} value={attr} onChange={(e) => pickAttr(e.target.value)} data-testid="filter-attr">
            <option value="">{t('stores.filter.pick')}</option>
            {attrs.map((x) => (
              <option key={x.name} value={x.name}>
                {attrLabel(x, i18n)}
                {x.unit !== 'none' ? ` (${codeLabel(i18n, 'stores.unitName', x.unit)})` : ''}
              </option>
            ))}
          </select>
          <select aria-label={t('stores.filter.operator')} value={op} onChange={(e) => setOp(e.target.value)} disabled={!attr} data-testid="filter-op">
            {ops.map((o) => (
              <option key={o} value={o}>
                {opLabel(i18n, o)}
              </option>
            ))}
          </select>
          {NO_VALUE.has(op) ? null : choices ? (
            <select aria-label={t('stores.filter.value')} value={value} onChange={(e) => setValue(e.target.value)} data-testid="filter-value">
              <option value="" />
              {choices.map((c) => (
                <option key={c} value={c}>
                  {valueLabel(i18n, attr, c)}
                </option>
              ))}
            </select>
          ) : (
            <input
              className="input"
              aria-label={t('stores.filter.value')}
              type={isNumeric(a) ? 'number' : 'text'}
              step="any"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              disabled={!attr}
              data-testid="filter-value"
            />
          )}
          <button type="submit" className="btn btn-small" disabled={!attr} data-testid="filter-apply">
            {t('stores.filter.apply')}
          </button>
          <button type="button" className="btn-link" onClick={() => setOpen(false)}>
            {t('stores.filter.cancel')}
          </button>
        </form>
      ) : (
        <button type="button" className="btn btn-small" onClick={() => setOpen(true)} disabled={!catalog} data-testid={`${entity}-filter-add`}>
          + {t('stores.filter.add')}
        </button>
      )}
      {filters.length > 1 ? (
        <button type="button" className="btn-link" onClick={() => update((p) => { for (const f of filters) p.delete(f.key); p.delete('offset') })}>
          {t('stores.filter.clear')}
        </button>
      ) : null}
    </div>
  )
}
