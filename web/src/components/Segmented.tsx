export interface SegmentedOption<T extends string | number> {
  value: T
  label: string
}

export interface SegmentedProps<T extends string | number> {
  /** Accessible name of the group. */
  label: string
  options: readonly SegmentedOption<T>[]
  value: T
  onChange: (value: T) => void
  /** Set on the group; each button gets `${testId}-${value}`. */
  testId?: string
}

/**
 * A small group of toggle buttons for one choice among a few (periods, measures).
 *
 * @example
 * <Segmented label="Period" value={days} onChange={setDays}
 *   options={[30, 90, 365].map((d) => ({ value: d, label: `${d} d` }))} />
 */
export function Segmented<T extends string | number>({ label, options, value, onChange, testId }: SegmentedProps<T>) {
  return (
    <div className="segmented" role="group" aria-label={label} data-testid={testId}>
      {options.map((o) => (
        <button
          key={String(o.value)}
          type="button"
          className="segmented-item"
          aria-pressed={o.value === value}
          data-testid={testId ? `${testId}-${o.value}` : undefined}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  )
}
