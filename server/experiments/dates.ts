/**
 * Local dates (Asia/Shanghai, YYYY-MM-DD) of an experiment: the analysis window and the
 * pre-period window before it.
 */
import { addDays, localDate } from '../profiles/service.js'
import type { Windows } from './sql.js'

export { addDays, localDate }

/** The earlier of two dates. */
export const minDate = (a: string, b: string): string => (a < b ? a : b)

/**
 * Windows of an experiment as of `today`: the post window runs from `start` to the last
 * complete day — the end date, the day it was stopped, or yesterday, whichever comes first —
 * and the pre window is the `preDays` days before `start`. Null when no day is complete yet.
 */
export function experimentWindows(o: { start: string; end: string; preDays: number; stoppedOn?: string | null; today: string }): Windows | null {
  let to = minDate(o.end, addDays(o.today, -1))
  if (o.stoppedOn) to = minDate(to, o.stoppedOn)
  if (to < o.start) return null
  return {
    post: { from: o.start, to },
    pre: o.preDays > 0 ? { from: addDays(o.start, -o.preDays), to: addDays(o.start, -1) } : null,
  }
}
