import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { Attribute, Entity } from '../../../../segments/catalog'
import { useI18n, type I18n, type MessageKey } from '../../i18n'
import { attrOf, attributesOf, unitName } from './units'

/** The catalog's groups, in picker order, with their headings. */
const GROUPS: Record<Attribute['group'], MessageKey> = {
  identity: 'seg.group.identity',
  volume: 'seg.group.volume',
  stability: 'seg.group.stability',
  mix: 'seg.group.mix',
  reach: 'seg.group.reach',
  geo: 'seg.group.geo',
  reward: 'seg.group.reward',
  recency: 'seg.group.recency',
}
const GROUP_ORDER = Object.keys(GROUPS) as Attribute['group'][]

/** The label of an attribute in the UI language. */
export const labelOf = (i18n: I18n, a: Attribute) => (i18n.locale === 'zh-CN' ? a.label.zh : a.label.en)
const otherLabel = (i18n: I18n, a: Attribute) => (i18n.locale === 'zh-CN' ? a.label.en : a.label.zh)

/** True when every word of `q` occurs in the attribute's zh or en label, its name, or its unit. */
export function attrMatches(i18n: I18n, a: Attribute, q: string): boolean {
  const hay = [a.label.zh, a.label.en, a.name, unitName(i18n, a), i18n.t(GROUPS[a.group])].join(' ').toLowerCase()
  return q.toLowerCase().split(/\s+/).filter(Boolean).every((w) => hay.includes(w))
}

/**
 * The attribute of a condition: a button showing it, opening a searchable list grouped by the
 * catalog's groups (search over zh/en labels and units; arrows and Enter to pick, Escape to close).
 */
export function AttrPicker({ entity, value, onChange, invalid }: { entity: Entity; value: string; onChange: (name: string) => void; invalid?: boolean }) {
  const i18n = useI18n()
  const { t } = i18n
  const [open, setOpen] = useState(value === '')
  const [q, setQ] = useState('')
  const [active, setActive] = useState(0)
  const box = useRef<HTMLDivElement>(null)
  const listId = useId()
  const current = attrOf(entity, value)

  const shown = useMemo(() => {
    const hits = attributesOf(entity).filter((a) => attrMatches(i18n, a, q))
    return GROUP_ORDER.map((g) => ({ group: g, items: hits.filter((a) => a.group === g) })).filter((g) => g.items.length > 0)
  }, [entity, q, i18n])
  const flat = shown.flatMap((g) => g.items)

  useEffect(() => {
    if (!open) return
    const close = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', close)
    return () => document.removeEventListener('mousedown', close)
  }, [open])

  const pick = (a: Attribute) => {
    onChange(a.name)
    setOpen(false)
    setQ('')
  }
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      setActive((i) => Math.max(0, Math.min(flat.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1))))
    } else if (e.key === 'Enter') {
      e.preventDefault()
      if (flat[active]) pick(flat[active])
    } else if (e.key === 'Escape') {
      e.preventDefault()
      setOpen(false)
    }
  }

  return (
    <div className="seg-picker" ref={box}>
      <button
        type="button"
        className={`seg-picker-button${invalid ? ' is-invalid' : ''}`}
        data-testid="seg-attr-picker"
        data-attr={value}
        aria-haspopup="listbox"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        title={current ? (i18n.locale === 'zh-CN' ? current.description.zh : current.description.en) : undefined}
      >
        {current ? labelOf(i18n, current) : <span className="muted">{t('seg.attr.pick')}</span>}
        <span className="seg-caret" aria-hidden="true">▾</span>
      </button>
      {open ? (
        <div className="seg-popover">
          <input
            className="input seg-picker-search"
            data-testid="seg-attr-search"
            placeholder={t('seg.attr.search')}
            aria-label={t('seg.attr.search')}
            aria-controls={listId}
            aria-activedescendant={flat[active] ? `${listId}-${flat[active].name}` : undefined}
            value={q}
            autoFocus
            onChange={(e) => {
              setQ(e.target.value)
              setActive(0)
            }}
            onKeyDown={onKey}
          />
          <div className="seg-picker-list" role="listbox" id={listId} aria-label={t('seg.attr.search')}>
            {shown.length === 0 ? <p className="muted seg-picker-empty">{t('seg.attr.none')}</p> : null}
            {shown.map((g) => (
              <div key={g.group} role="group" aria-label={t(GROUPS[g.group])}>
                <div className="seg-picker-group">{t(GROUPS[g.group])}</div>
                {g.items.map((a) => {
                  const unit = unitName(i18n, a)
                  const isActive = flat[active]?.name === a.name
                  return (
                    <div
                      key={a.name}
                      id={`${listId}-${a.name}`}
                      role="option"
                      aria-selected={a.name === value}
                      className={`seg-picker-option${isActive ? ' is-active' : ''}`}
                      data-testid={`seg-attr-option-${a.name}`}
                      onMouseDown={(e) => e.preventDefault()}
                      onClick={() => pick(a)}
                      onMouseEnter={() => setActive(flat.indexOf(a))}
                    >
                      <span>{labelOf(i18n, a)}</span>
                      <span className="seg-picker-sub">
                        {otherLabel(i18n, a)}
                        {unit ? ` · ${unit}` : ''}
                      </span>
                    </div>
                  )
                })}
              </div>
            ))}
          </div>
        </div>
      ) : null}
    </div>
  )
}
