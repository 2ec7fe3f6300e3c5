import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import type { CompareOp, EventType, Measure } from '../../../../segments/rule'
import { useI18n } from '../../i18n'
import { codeLabel } from '../profiles/format'
import { attrValuesQuery, skuValuesQuery } from './api'
import { useBuilder, useDebounced, useLeafEditor } from './hooks'
import type { EventDraft, Leaf, LeafNode } from './model'
import { MultiSelect } from './MultiSelect'
import { MEASURE_KEYS, OP_SYMBOL } from './units'
import { NumberField } from './ValueInputs'

const EVENTS: EventType[] = ['open', 'stock_in', 'ship', 'verify']
const COMPARE: CompareOp[] = ['gte', 'gt', 'lte', 'lt', 'eq', 'neq']
const TIERS = ['mass', 'sub_premium', 'premium']

type EventLeaf = Extract<Leaf, { kind: 'event' }>

/** SKU filter: products from master data, searched by id or name. */
function SkuFilter({ value, onChange }: { value: string[]; onChange: (v: string[]) => void }) {
  const { t } = useI18n()
  const [q, setQ] = useState('')
  const settled = useDebounced(q, 250)
  const skus = useQuery(skuValuesQuery(settled)).data?.values ?? []
  const byId = new Map(skus.map((s) => [s.sku_id, s]))
  const options = skus.map((s) => ({ value: s.sku_id, label: s.name ? `${s.name}` : s.sku_id, hint: s.sku_id }))
  return (
    <MultiSelect
      selected={value}
      options={options}
      onChange={onChange}
      onQuery={setQ}
      labelOf={(id) => byId.get(id)?.name || id}
      placeholder={t('seg.event.anySku')}
      ariaLabel={t('seg.event.sku')}
      testId="seg-event-sku"
    />
  )
}

/** City filter: the cities stores are in, most frequent first. */
function CityFilter({ value, onChange }: { value: string[]; onChange: (v: string[]) => void }) {
  const { t } = useI18n()
  const [q, setQ] = useState('')
  const settled = useDebounced(q, 250)
  const cities = useQuery(attrValuesQuery('store', 'city', settled)).data?.values ?? []
  return (
    <MultiSelect
      selected={value}
      options={cities.map((c) => ({ value: c.value, label: c.value }))}
      onChange={onChange}
      onQuery={setQ}
      placeholder={t('seg.event.anyCity')}
      ariaLabel={t('seg.event.city')}
      testId="seg-event-city"
    />
  )
}

/**
 * An event condition as a sentence: "[open] scans · [bottles] [≥] [1] · in the last [90] days
 * (or from … to …) · only SKUs … tiers … cities …".
 */
export function EventEditor({ node }: { node: LeafNode & { leaf: EventLeaf } }) {
  const i18n = useI18n()
  const { t } = i18n
  const { errors } = useBuilder()
  const set = useLeafEditor(node.id, 'event')
  const c = node.leaf.cond
  const setCond = (patch: (c: EventDraft) => Partial<EventDraft>) => set((l) => ({ cond: { ...l.cond, ...patch(l.cond) } }))
  const errs = errors.get(node.id) ?? []
  const bad = (f: string) => errs.some((e) => e.field === f || e.field.startsWith(`${f}.`))
  const relative = 'days' in c.window
  return (
    <div className="seg-cond-fields seg-event" data-testid="seg-event">
      <span className="seg-kind-tag">{t('seg.kind.event')}</span>
      <select className={`input${bad('event') ? ' is-invalid' : ''}`} aria-label={t('seg.event.type')} data-testid="seg-event-type" value={c.event} onChange={(e) => setCond(() => ({ event: e.target.value as EventType }))}>
        {EVENTS.map((ev) => (
          <option key={ev} value={ev}>{codeLabel(i18n, 'event', ev)}</option>
        ))}
      </select>
      <select className={`input${bad('measure') ? ' is-invalid' : ''}`} aria-label={t('seg.event.measure')} data-testid="seg-event-measure" value={c.measure} onChange={(e) => setCond(() => ({ measure: e.target.value as Measure }))}>
        {(Object.keys(MEASURE_KEYS) as Measure[]).map((m) => (
          <option key={m} value={m}>{t(MEASURE_KEYS[m])}</option>
        ))}
      </select>
      <select className="input seg-op seg-op-short" aria-label={t('seg.op.label')} data-testid="seg-op" value={c.op} onChange={(e) => setCond(() => ({ op: e.target.value as CompareOp }))}>
        {COMPARE.map((op) => (
          <option key={op} value={op}>{OP_SYMBOL[op]}</option>
        ))}
      </select>
      <NumberField value={c.value} onChange={(v) => setCond(() => ({ value: v }))} testId="seg-value" label={t('seg.value.label')} invalid={bad('value')} />
      <select
        className="input"
        aria-label={t('seg.event.window')}
        data-testid="seg-event-window"
        value={relative ? 'days' : 'dates'}
        onChange={(e) => setCond(() => ({ window: e.target.value === 'days' ? { days: 90 } : { from: '', to: '' } }))}
      >
        <option value="days">{t('seg.event.lastDays')}</option>
        <option value="dates">{t('seg.event.between')}</option>
      </select>
      {'days' in c.window ? (
        <>
          <NumberField value={c.window.days} onChange={(v) => setCond(() => ({ window: { days: v === null ? Number.NaN : Math.round(v) } }))} testId="seg-event-days" label={t('seg.event.days')} invalid={bad('window')} />
          <span className="seg-affix">{t('stores.unit.days')}</span>
        </>
      ) : (
        <span className="seg-between">
          <input className={`input${bad('window.from') ? ' is-invalid' : ''}`} type="date" aria-label={t('seg.value.from')} value={c.window.from} onChange={(e) => setCond((x) => ({ window: { from: e.target.value, to: 'to' in x.window ? x.window.to : '' } }))} />
          <span className="muted">–</span>
          <input className={`input${bad('window.to') ? ' is-invalid' : ''}`} type="date" aria-label={t('seg.value.to')} value={c.window.to} onChange={(e) => setCond((x) => ({ window: { from: 'from' in x.window ? x.window.from : '', to: e.target.value } }))} />
        </span>
      )}
      <div className="seg-event-where">
        <span className="muted">{t('seg.event.only')}</span>
        <span className="seg-affix">{t('seg.event.sku')}</span>
        <SkuFilter value={c.where.sku_id ?? []} onChange={(v) => setCond((x) => ({ where: { ...x.where, sku_id: v } }))} />
        <span className="seg-affix">{t('seg.event.tier')}</span>
        <MultiSelect
          selected={c.where.tier ?? []}
          options={TIERS.map((tier) => ({ value: tier, label: codeLabel(i18n, 'stores.tier', tier) }))}
          onChange={(v) => setCond((x) => ({ where: { ...x.where, tier: v } }))}
          labelOf={(tier) => codeLabel(i18n, 'stores.tier', tier)}
          placeholder={t('seg.event.anyTier')}
          ariaLabel={t('seg.event.tier')}
          testId="seg-event-tier"
        />
        <span className="seg-affix">{t('seg.event.city')}</span>
        <CityFilter value={c.where.city ?? []} onChange={(v) => setCond((x) => ({ where: { ...x.where, city: v } }))} />
      </div>
    </div>
  )
}
