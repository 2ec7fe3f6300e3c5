import { useState, type KeyboardEvent } from 'react'
import { useI18n } from '../../i18n'

export interface Option {
  value: string
  label: string
  /** Small text after the label (a count, a code). */
  hint?: string
}

export interface MultiSelectProps {
  selected: readonly string[]
  /** Known values; filtered by what is typed (and by the caller through `onQuery`). */
  options: readonly Option[]
  onChange: (values: string[]) => void
  /** Told what is typed, to fetch more options (server-side search). */
  onQuery?: (q: string) => void
  /** Label of a selected value (defaults to its option's label). */
  labelOf?: (value: string) => string
  placeholder?: string
  ariaLabel: string
  testId?: string
  invalid?: boolean
}

/**
 * Chips of the chosen values and a box to add more: typing filters the known values, arrows and
 * Enter pick one (Enter on text that matches none adds it as typed), Backspace removes the last.
 */
export function MultiSelect({ selected, options, onChange, onQuery, labelOf, placeholder, ariaLabel, testId, invalid }: MultiSelectProps) {
  const { t } = useI18n()
  const [q, setQ] = useState('')
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  const label = (v: string) => labelOf?.(v) ?? options.find((o) => o.value === v)?.label ?? v
  const needle = q.trim().toLowerCase()
  const shown = options
    .filter((o) => !selected.includes(o.value) && (!needle || o.value.toLowerCase().includes(needle) || o.label.toLowerCase().includes(needle)))
    .slice(0, 50)

  const add = (v: string) => {
    if (v && !selected.includes(v)) onChange([...selected, v])
    setQ('')
    onQuery?.('')
    setActive(0)
  }
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      setOpen(true)
      setActive((i) => Math.max(0, Math.min(shown.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1))))
    } else if (e.key === 'Enter') {
      e.preventDefault()
      if (shown[active]) add(shown[active].value)
      else if (q.trim()) add(q.trim())
    } else if (e.key === 'Backspace' && q === '' && selected.length > 0) {
      onChange(selected.slice(0, -1))
    } else if (e.key === 'Escape') {
      setOpen(false)
    }
  }

  return (
    <div className={`seg-multi${invalid ? ' is-invalid' : ''}`} data-testid={testId ? `${testId}-box` : undefined}>
      {selected.map((v) => (
        <span key={v} className="seg-chip">
          {label(v)}
          <button type="button" className="seg-chip-x" aria-label={t('seg.value.removeOne', { value: label(v) })} onClick={() => onChange(selected.filter((x) => x !== v))}>
            ×
          </button>
        </span>
      ))}
      <div className="seg-multi-field">
        <input
          className="seg-multi-input"
          data-testid={testId}
          value={q}
          placeholder={selected.length ? '' : placeholder}
          aria-label={ariaLabel}
          role="combobox"
          aria-expanded={open && shown.length > 0}
          onChange={(e) => {
            setQ(e.target.value)
            setOpen(true)
            setActive(0)
            onQuery?.(e.target.value.trim())
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKey}
        />
        {open && shown.length > 0 ? (
          <div className="seg-popover seg-multi-list" role="listbox" aria-label={ariaLabel}>
            {shown.map((o, i) => (
              <div
                key={o.value}
                role="option"
                aria-selected={i === active}
                className={`seg-picker-option${i === active ? ' is-active' : ''}`}
                data-testid={testId ? `${testId}-option` : undefined}
                data-value={o.value}
                onMouseDown={(e) => {
                  e.preventDefault()
                  add(o.value)
                }}
                onMouseEnter={() => setActive(i)}
              >
                <span>{o.label}</span>
                {o.hint ? <span className="seg-picker-sub">{o.hint}</span> : null}
              </div>
            ))}
          </div>
        ) : null}
      </div>
    </div>
  )
}
