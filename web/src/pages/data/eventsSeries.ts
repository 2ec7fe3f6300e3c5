import type { EventsPerDay } from '../../api/data'

/** The scan event types of DESIGN §3, in channel order (factory → store → consumer). */
export const EVENT_TYPES = ['ship', 'stock_in', 'open', 'verify'] as const
export type EventType = (typeof EVENT_TYPES)[number]

export const EVENT_COLORS: Record<EventType, string> = {
  ship: '#5b7db1',
  stock_in: '#2f9e8f',
  open: '#d08a2c',
  verify: '#8a6bb8',
}

export const isEventType = (t: string): t is EventType => (EVENT_TYPES as readonly string[]).includes(t)

export type EventMeasure = 'events' | 'bottles'

export interface EventsByDay {
  /** Every calendar day from the first to the last day with data, gaps included. */
  days: string[]
  /** Known types first in channel order, then any other type the server sent. */
  types: string[]
  /** `values[type][i]` is the measure on `days[i]` (0 on a day without rows). */
  values: Record<string, number[]>
  totals: Record<string, number>
}

const DAY_MS = 86_400_000

/** All `YYYY-MM-DD` days from `first` to `last` inclusive (calendar arithmetic in UTC). */
export function daysBetween(first: string, last: string): string[] {
  const start = Date.parse(`${first}T00:00:00Z`)
  const end = Date.parse(`${last}T00:00:00Z`)
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return []
  const out: string[] = []
  for (let t = start; t <= end; t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10))
  return out
}

/**
 * Pivots the summary's (day, type) rows into one series per type over a gap-free day
 * axis: a day with no scans is a real zero, and a bar chart should show it as one.
 */
export function eventsByDay(rows: readonly EventsPerDay[], measure: EventMeasure): EventsByDay {
  if (rows.length === 0) return { days: [], types: [], values: {}, totals: {} }
  let first = rows[0].day
  let last = rows[0].day
  const seen = new Set<string>()
  for (const r of rows) {
    if (r.day < first) first = r.day
    if (r.day > last) last = r.day
    seen.add(r.type)
  }
  const days = daysBetween(first, last)
  const index = new Map(days.map((d, i) => [d, i]))
  const types = [...EVENT_TYPES.filter((t) => seen.has(t)), ...[...seen].filter((t) => !isEventType(t)).sort()]
  const values: Record<string, number[]> = {}
  const totals: Record<string, number> = {}
  for (const t of types) {
    values[t] = new Array<number>(days.length).fill(0)
    totals[t] = 0
  }
  for (const r of rows) {
    const i = index.get(r.day)
    if (i === undefined) continue
    const v = r[measure]
    values[r.type][i] += v
    totals[r.type] += v
  }
  return { days, types, values, totals }
}
