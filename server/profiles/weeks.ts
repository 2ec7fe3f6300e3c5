/**
 * ISO weeks before an as-of date, for the weekly series of the profile pages. Weeks are
 * Monday–Sunday in local days (Asia/Shanghai, the unit of every rollup). The complete weeks are
 * the same ones the `*_12w` attributes use: those whose Sunday is before as_of; the week that
 * contains as_of − 1 is added as a partial week unless as_of is a Monday (then it is empty).
 */
import type { Week } from '../../segments/api/profiles.js'
import { addDays } from './service.js'

const dayNumber = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000)

/** The Monday of the ISO week containing `day`. */
export function mondayOf(day: string): string {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay() // 0 = Sunday
  return addDays(day, -((dow + 6) % 7))
}

/**
 * The ISO week label of a date: the week belongs to the year of its Thursday.
 * @example isoWeek('2025-12-29') // '2026-W01'
 */
export function isoWeek(day: string): string {
  const thursday = addDays(mondayOf(day), 3)
  const year = thursday.slice(0, 4)
  const week = Math.floor((dayNumber(thursday) - dayNumber(`${year}-01-01`)) / 7) + 1
  return `${year}-W${String(week).padStart(2, '0')}`
}

export interface WeekWindow {
  /** `n` complete weeks, oldest first, then the partial week when there is one. */
  weeks: Week[]
  /** First local day to read (inclusive): covers the series and the 12 weeks of the stability figures. */
  from: string
  /** Monday of the week containing as_of: complete weeks end before it. */
  monday: string
}

/**
 * The last `n` complete ISO weeks before `asOf` plus the current partial week.
 * @example weekWindow('2025-11-13', 2).weeks.map((w) => w.start) // ['2025-10-27', '2025-11-03', '2025-11-10']
 */
export function weekWindow(asOf: string, n: number): WeekWindow {
  const monday = mondayOf(asOf)
  const weeks: Week[] = []
  for (let i = n; i >= 1; i--) {
    const start = addDays(monday, -7 * i)
    weeks.push({ start, iso: isoWeek(start), days: 7, partial: false })
  }
  const partialDays = dayNumber(asOf) - dayNumber(monday)
  if (partialDays > 0) weeks.push({ start: monday, iso: isoWeek(monday), days: partialDays, partial: true })
  const from = addDays(monday, -7 * Math.max(n, 12))
  return { weeks, from, monday }
}

/** Values keyed by week start, laid out on the window's weeks with empty weeks as 0. */
export function onWeeks(weeks: readonly Week[], values: ReadonlyMap<string, number>): number[] {
  return weeks.map((w) => values.get(w.start) ?? 0)
}

/**
 * Mean and coefficient of variation (population stddev / mean) of the 12 complete weeks
 * before `monday`, empty weeks as 0, as the `weekly_opened_*_12w` attributes define them.
 */
export function stability12w(byWeek: ReadonlyMap<string, number>, monday: string): { mean: number; cv: number | null; active: number } {
  let sum = 0
  let sq = 0
  let active = 0
  for (let i = 1; i <= 12; i++) {
    const v = byWeek.get(addDays(monday, -7 * i)) ?? 0
    sum += v
    sq += v * v
    if (v > 0) active++
  }
  const mean = sum / 12
  const cv = mean === 0 ? null : Math.sqrt(Math.max(sq / 12 - mean * mean, 0)) / mean
  return { mean, cv, active }
}
