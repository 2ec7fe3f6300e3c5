import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import type { Attribute, Entity } from '../../../../segments/catalog'
import type { Scalar } from '../../../../segments/rule'
import { useI18n } from '../../i18n'
import { codeLabel } from '../profiles/format'
import { attrValuesQuery } from './api'
import { useDebounced } from './hooks'
import type { AttrOp } from './model'
import { MultiSelect } from './MultiSelect'
import { codePrefix, toInputNumber, toRuleNumber, unitAffixes } from './units'

type Value = Scalar | (Scalar | null)[] | null | undefined

const parseNum = (s: string): number | null => (s.trim() === '' || !Number.isFinite(Number(s)) ? null : Number(s))

/**
 * A number in the unit people read (%, ¥, bottles…) while the rule keeps the stored unit
 * (fractions, fen). The typed text is kept as typed ("12." stays) until it means another number.
 */
export function NumberField({ value, onChange, attr, testId, invalid, label }: {
  value: number | null | undefined
  onChange: (v: number | null) => void
  /** Scales and labels the figure; none for plain counts (event conditions). */
  attr?: Attribute
  testId: string
  invalid?: boolean
  label: string
}) {
  const i18n = useI18n()
  const shown = value === null || value === undefined ? '' : String(attr ? toInputNumber(attr, value) : value)
  const [text, setText] = useState(shown)
  const [seen, setSeen] = useState(shown)
  if (seen !== shown) {
    // The value changed from outside (a template, undo, another field): show it unless it is what is typed.
    setSeen(shown)
    if (parseNum(text) !== (shown === '' ? null : Number(shown))) setText(shown)
  }
  const { prefix, suffix } = attr ? unitAffixes(i18n, attr) : { prefix: '', suffix: '' }
  return (
    <span className={`seg-number${invalid ? ' is-invalid' : ''}`}>
      {prefix ? <span className="seg-affix">{prefix}</span> : null}
      <input
        className="seg-number-input"
        inputMode="decimal"
        data-testid={testId}
        aria-label={label}
        aria-invalid={invalid || undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value)
          const n = parseNum(e.target.value)
          const v = n === null ? null : attr ? toRuleNumber(attr, n) : n
          setSeen(v === null ? '' : String(attr ? toInputNumber(attr, v) : v))
          onChange(v)
        }}
      />
      {suffix ? <span className="seg-affix">{suffix}</span> : null}
    </span>
  )
}

const RELATIVE = /^as_of(?:-(\d+)d)?$/

/** A date, either a calendar day or "N days before the as-of date" (`as_of-Nd`, moves with the date). */
export function DateField({ value, onChange, testId, invalid, label }: { value: string | null | undefined; onChange: (v: string | null) => void; testId: string; invalid?: boolean; label: string }) {
  const { t } = useI18n()
  const rel = typeof value === 'string' ? RELATIVE.exec(value) : null
  const [mode, setMode] = useState<'date' | 'relative'>(rel ? 'relative' : 'date')
  return (
    <span className={`seg-date${invalid ? ' is-invalid' : ''}`}>
      <select className="input" aria-label={t('seg.date.mode')} value={mode} onChange={(e) => (setMode(e.target.value as 'date' | 'relative'), onChange(null))}>
        <option value="date">{t('seg.date.absolute')}</option>
        <option value="relative">{t('seg.date.relative')}</option>
      </select>
      {mode === 'date' ? (
        <input className="input" type="date" data-testid={testId} aria-label={label} value={value && !rel ? value.slice(0, 10) : ''} onChange={(e) => onChange(e.target.value || null)} />
      ) : (
        <>
          <NumberField value={rel ? Number(rel[1] ?? 0) : null} onChange={(n) => onChange(n === null || n < 0 ? null : `as_of-${Math.round(n)}d`)} testId={testId} label={label} />
          <span className="seg-affix">{t('seg.date.daysBefore')}</span>
        </>
      )}
    </span>
  )
}

/** Known values of a string attribute (most frequent first), searched on the server as one types. */
function useKnownValues(entity: Entity, attr: string, q: string) {
  const settled = useDebounced(q, 250)
  const r = useQuery(attrValuesQuery(entity, attr, settled))
  return r.data?.values ?? []
}

/** One or many values of a string attribute, offered from the values it actually has. */
export function StringValues({ entity, a, op, value, onChange, invalid }: { entity: Entity; a: Attribute; op: AttrOp; value: Value; onChange: (v: Value) => void; invalid?: boolean }) {
  const i18n = useI18n()
  const { t } = i18n
  const [q, setQ] = useState('')
  const known = useKnownValues(entity, a.name, q)
  const prefix = codePrefix(a.name)
  const label = (v: string) => (prefix ? codeLabel(i18n, prefix, v) : v)
  const options = known.map((k) => ({ value: k.value, label: label(k.value), hint: i18n.number(k.count) }))
  if (op === 'in' || op === 'not_in') {
    const selected = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
    return <MultiSelect selected={selected} options={options} onChange={onChange} onQuery={setQ} labelOf={label} placeholder={t('seg.value.pickMany')} ariaLabel={t('seg.value.label')} testId="seg-value" invalid={invalid} />
  }
  const single = typeof value === 'string' ? value : ''
  if (prefix)
    return (
      <select className={`input${invalid ? ' is-invalid' : ''}`} data-testid="seg-value" aria-label={t('seg.value.label')} value={single} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">{t('seg.value.pickOne')}</option>
        {[...new Set([...options.map((o) => o.value), ...(single ? [single] : [])])].map((v) => (
          <option key={v} value={v}>{label(v)}</option>
        ))}
      </select>
    )
  const listId = `values-${entity}-${a.name}`
  return (
    <>
      <input
        className={`input seg-text${invalid ? ' is-invalid' : ''}`}
        data-testid="seg-value"
        aria-label={t('seg.value.label')}
        list={listId}
        value={single}
        placeholder={t('seg.value.pickOne')}
        onChange={(e) => {
          setQ(e.target.value)
          onChange(e.target.value === '' ? null : e.target.value)
        }}
      />
      <datalist id={listId}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>{o.hint}</option>
        ))}
      </datalist>
    </>
  )
}

/** The value side of an attribute condition, fitting its type and operator. */
export function AttrValue({ entity, a, op, value, onChange, invalidField }: {
  entity: Entity
  a: Attribute
  op: AttrOp
  value: Value
  onChange: (v: Value) => void
  /** Which part the server refused: 'value', 'value.0', 'value.1'. */
  invalidField?: (field: string) => boolean
}) {
  const { t } = useI18n()
  const bad = (f: string) => invalidField?.(f) ?? false
  if (op === 'is_null' || op === 'not_null') return null
  if (a.type === 'string') return <StringValues entity={entity} a={a} op={op} value={value} onChange={onChange} invalid={bad('value') || bad('value.0')} />
  const pair: (Scalar | null)[] = Array.isArray(value) ? [value[0] ?? null, value[1] ?? null] : [null, null]
  const setPair = (i: 0 | 1, v: Scalar | null) => onChange(i === 0 ? [v, pair[1]] : [pair[0], v])
  if (a.type === 'date' || a.type === 'datetime') {
    const asText = (v: unknown) => (typeof v === 'string' ? v : null)
    if (op === 'between')
      return (
        <span className="seg-between">
          <DateField value={asText(pair[0])} onChange={(v) => setPair(0, v)} testId="seg-value" label={t('seg.value.from')} invalid={bad('value.0')} />
          <span className="muted">{t('seg.value.and')}</span>
          <DateField value={asText(pair[1])} onChange={(v) => setPair(1, v)} testId="seg-value-2" label={t('seg.value.to')} invalid={bad('value.1')} />
        </span>
      )
    return <DateField value={asText(value)} onChange={onChange} testId="seg-value" label={t('seg.value.label')} invalid={bad('value')} />
  }
  const asNum = (v: unknown) => (typeof v === 'number' ? v : null)
  if (op === 'between')
    return (
      <span className="seg-between">
        <NumberField attr={a} value={asNum(pair[0])} onChange={(v) => setPair(0, v)} testId="seg-value" label={t('seg.value.from')} invalid={bad('value.0')} />
        <span className="muted">{t('seg.value.and')}</span>
        <NumberField attr={a} value={asNum(pair[1])} onChange={(v) => setPair(1, v)} testId="seg-value-2" label={t('seg.value.to')} invalid={bad('value.1')} />
      </span>
    )
  return <NumberField attr={a} value={asNum(value)} onChange={onChange} testId="seg-value" label={t('seg.value.label')} invalid={bad('value')} />
}
