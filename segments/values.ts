/**
 * Dates and values of rules, shared by the compiler and the plain evaluator so both read a
 * rule the same way. Pure arithmetic, no time-zone database: Asia/Shanghai has been UTC+8
 * without daylight saving since 1991, so a local date's midnight is 16:00 UTC the day before.
 */
import type { Attribute } from './catalog.js'
import type { Scalar } from './rule.js'

const SHANGHAI_OFFSET_MS = 8 * 3600_000
const DAY_MS = 86_400_000
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/
/** An instant with an explicit offset (or Z), e.g. `2026-03-01T08:00:00+08:00`. */
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/
/** Relative to the rule's as_of: `as_of` or `as_of-30d` (local midnight, 30 days before). */
const RELATIVE_RE = /^as_of(?:-(\d{1,4})d)?$/
/** How the engine prints DateTime64(3) values: UTC, no zone. */
const ENGINE_DATETIME_RE = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d+)?$/

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isLocalDate(s: string): boolean {
  const m = DATE_RE.exec(s)
  if (!m) return false
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3])
}

/** `date` plus `n` days (n may be negative). @example addDays('2026-03-01', -1) // '2026-02-28' */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)
}

/** The local (Asia/Shanghai) date of an instant, as days since 1970-01-01 (cheap to compare and key by). */
export function localDayNumber(epochMs: number): number {
  return Math.floor((epochMs + SHANGHAI_OFFSET_MS) / DAY_MS)
}

/** A day number of {@link localDayNumber} as `YYYY-MM-DD`. */
export function dateOfDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10)
}

/** The local (Asia/Shanghai) date of an instant. */
export function localDateOf(epochMs: number): string {
  return dateOfDayNumber(localDayNumber(epochMs))
}

/** The default as_of: tomorrow in Asia/Shanghai, so today's scans count (DESIGN §4). */
export function tomorrowLocal(nowMs = Date.now()): string {
  return addDays(localDateOf(nowMs), 1)
}

/** Local midnight of a date, as epoch milliseconds. */
export function localMidnightMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS
}

/** Epoch milliseconds printed the way the engine prints DateTime64(3, 'UTC'). */
export function engineDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').replace('Z', '')
}

/** Monday of the ISO week of a local date. */
export function mondayOf(date: string): string {
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay() // 0 = Sunday
  return addDays(date, -((dow + 6) % 7))
}

/**
 * Reads a date-time as epoch milliseconds: the engine's `YYYY-MM-DD HH:MM:SS.sss` (UTC), an
 * ISO instant with offset, or a bare date (its local midnight). NaN when unreadable.
 */
export function toEpochMs(v: unknown): number {
  if (typeof v !== 'string') return Number.NaN
  const e = ENGINE_DATETIME_RE.exec(v)
  if (e) return Date.parse(`${e[1]}T${e[2]}${e[3] ? e[3].slice(0, 4) : ''}Z`)
  if (isLocalDate(v)) return localMidnightMs(v)
  if (INSTANT_RE.test(v)) return Date.parse(v)
  return Number.NaN
}

/** A rule value after checking it against its attribute: what gets bound and compared. */
export type Normalized = { ok: true; value: number | string } | { ok: false; message: string }

/**
 * Checks a rule value against an attribute's type and returns it in canonical form: numbers for
 * number/integer, strings for string, `YYYY-MM-DD` for date, the engine's UTC
 * `YYYY-MM-DD HH:MM:SS.sss` for datetime. Date values may be absolute or relative to as_of.
 * @example normalizeValue({ name: 'first_open_at', type: 'datetime' }, '2026-03-01', '2026-04-01') // { ok: true, value: '2026-02-28 16:00:00.000' }
 */
export function normalizeValue(attr: Pick<Attribute, 'type' | 'name'>, value: Scalar, asOf: string): Normalized {
  switch (attr.type) {
    case 'number':
    case 'integer':
      return typeof value === 'number' && Number.isFinite(value) ? { ok: true, value } : { ok: false, message: `${attr.name} is a number: expected a number, got ${JSON.stringify(value)}` }
    case 'string':
      return typeof value === 'string' ? { ok: true, value } : { ok: false, message: `${attr.name} is a string: expected a string, got ${JSON.stringify(value)}` }
    case 'date':
    case 'datetime': {
      const what = `${attr.name} is a ${attr.type}: expected YYYY-MM-DD${attr.type === 'datetime' ? ', an ISO 8601 time with offset' : ''} or as_of-Nd, got ${JSON.stringify(value)}`
      if (typeof value !== 'string') return { ok: false, message: what }
      const rel = RELATIVE_RE.exec(value)
      const date = rel ? addDays(asOf, -Number(rel[1] ?? 0)) : isLocalDate(value) ? value : undefined
      if (attr.type === 'date') return date ? { ok: true, value: date } : { ok: false, message: what }
      const ms = date ? localMidnightMs(date) : INSTANT_RE.test(value) ? Date.parse(value) : Number.NaN
      return Number.isFinite(ms) ? { ok: true, value: engineDateTime(ms) } : { ok: false, message: what }
    }
  }
}

/** Attribute types on which `lt`/`lte`/`gt`/`gte`/`between` are allowed. */
export function isOrdered(type: Attribute['type']): boolean {
  return type !== 'string'
}
