/**
 * Calendar of the channel: local dates as integer day numbers (days since 1970-01-01,
 * read as a date in Asia/Shanghai, so no Date objects or time zones in the hot path),
 * weekday and hour-of-day rhythm, and the two festival peaks of baijiu sales.
 */

/** Spring Festival (lunar new year's day). Source: published Chinese calendars. */
export const SPRING_FESTIVAL: Readonly<Record<number, string>> = {
  2022: '2022-02-01', 2023: '2023-01-22', 2024: '2024-02-10', 2025: '2025-01-29',
  2026: '2026-02-17', 2027: '2027-02-06', 2028: '2028-01-26', 2029: '2029-02-13',
  2030: '2030-02-03',
}

/** Mid-Autumn Festival (15th of the 8th lunar month). */
export const MID_AUTUMN: Readonly<Record<number, string>> = {
  2022: '2022-09-10', 2023: '2023-09-29', 2024: '2024-09-17', 2025: '2025-10-06',
  2026: '2026-09-25', 2027: '2027-09-15', 2028: '2028-10-03', 2029: '2029-09-22',
  2030: '2030-09-12',
}

const DAY_MS = 86_400_000

/** 'YYYY-MM-DD' → day number. Throws on a malformed date. */
export function dayOf(iso: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new Error(`not a date (YYYY-MM-DD): ${iso}`)
  const ms = Date.parse(`${iso}T00:00:00Z`)
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== iso) throw new Error(`not a date: ${iso}`)
  return ms / DAY_MS
}

/** Day number → 'YYYY-MM-DD'. */
export function isoOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7
}

/** ISO-week number key: equal for days in the same Monday–Sunday week. */
export function weekKey(day: number): number {
  return Math.floor((day + 3) / 7)
}

/**
 * The default `--end`: yesterday's date in Asia/Shanghai (UTC+8, no DST), computed once
 * at start-up. Passing `--end` explicitly makes a run reproducible across days.
 */
export function yesterdayInShanghai(nowMs: number = Date.now()): string {
  return isoOf(Math.floor((nowMs + 8 * 3_600_000) / DAY_MS) - 1)
}

/** Relative demand by weekday, Monday first (mean 1): banquets and dinners at the weekend. */
export const WEEKDAY_FACTOR: readonly number[] = [0.8, 0.8, 0.85, 0.95, 1.25, 1.3, 1.05]

function festivalDays(table: Readonly<Record<number, string>>): number[] {
  return Object.values(table).map(dayOf).sort((a, b) => a - b)
}
const SF_DAYS = festivalDays(SPRING_FESTIVAL)
const MA_DAYS = festivalDays(MID_AUTUMN)

/** Signed days from `day` to the nearest festival in the table (day − festival). */
function offsetToNearest(day: number, festivals: readonly number[]): number {
  let best = Infinity
  for (const f of festivals) if (Math.abs(day - f) < Math.abs(best)) best = day - f
  return best
}

/**
 * Seasonal demand multiplier for opened bottles (before tier sensitivity). Gifting and
 * banquets ramp up over the five weeks before Spring Festival, peak in the last week and
 * the festival itself, then slump until March; a smaller peak before Mid-Autumn runs
 * into the National Day holiday; summer is slow.
 */
export function seasonFactor(day: number): number {
  let f = 1
  const t = offsetToNearest(day, SF_DAYS)
  if (t >= -35 && t < -21) f = 1 + (0.4 * (t + 35)) / 14
  else if (t >= -21 && t < -7) f = 1.4 + (0.8 * (t + 21)) / 14
  else if (t >= -7 && t < 0) f = 2.4
  else if (t >= 0 && t < 7) f = 2.0
  else if (t >= 7 && t < 15) f = 1.3
  else if (t >= 15 && t < 35) f = 0.7
  const m = offsetToNearest(day, MA_DAYS)
  if (m >= -21 && m < -7) f = Math.max(f, 1 + (0.5 * (m + 21)) / 14)
  else if (m >= -7 && m <= 0) f = Math.max(f, 1.8)
  const iso = isoOf(day)
  const md = iso.slice(5)
  if (md >= '10-01' && md <= '10-07') f = Math.max(f, 1.4)
  if (f === 1 && (md.startsWith('07') || md.startsWith('08'))) f = 0.85
  return f
}

/** How strongly each tier (mass, sub_premium, premium) follows the festival cycle. */
export const TIER_SEASON_SENSITIVITY: readonly number[] = [0.7, 1.0, 1.4]

/** Seasonal multiplier of one tier. */
export function tierSeasonFactor(day: number, tier: number): number {
  return Math.max(0.2, 1 + TIER_SEASON_SENSITIVITY[tier] * (seasonFactor(day) - 1))
}

/**
 * Stores stock up ahead of the festivals: their order-up-to level is raised in the
 * weeks before Spring Festival and Mid-Autumn.
 */
export function stockingFactor(day: number): number {
  const t = offsetToNearest(day, SF_DAYS)
  if (t >= -40 && t < -7) return 1.6
  const m = offsetToNearest(day, MA_DAYS)
  if (m >= -28 && m < -3) return 1.3
  return 1
}

/** Year of the Spring Festival whose campaign window (−21…+7 days) contains `day`, else null. */
export function springFestivalYear(day: number): number | null {
  for (const f of SF_DAYS) if (day - f >= -21 && day - f <= 7) return Number(isoOf(f).slice(0, 4))
  return null
}

/**
 * Lookup tables from a 10-bit uniform to an hour of day (1024 entries each). Opens peak
 * at dinner (18–21 h) with a lunch bump; on Friday–Sunday the evening is heavier.
 */
function hourLut(weights: readonly number[]): Uint8Array {
  const total = weights.reduce((a, b) => a + b, 0)
  const lut = new Uint8Array(1024)
  let acc = 0
  let h = 0
  for (let i = 0; i < 1024; i++) {
    while (h < 23 && (i + 0.5) / 1024 > (acc + weights[h]) / total) acc += weights[h++]
    lut[i] = h
  }
  return lut
}
//                                 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18  19  20  21 22 23
const OPEN_WEEKDAY = /* hours */ [2, 1, 0, 0, 0, 0, 1, 2, 2, 3, 4, 8, 10, 6, 3, 3, 4, 8, 14, 16, 12, 7, 4, 3]
const OPEN_WEEKEND = /* hours */ [3, 2, 1, 0, 0, 0, 0, 1, 2, 3, 4, 8, 11, 7, 4, 4, 5, 10, 18, 21, 17, 10, 6, 4]
const STOCK_HOURS = /* hours */ [0, 0, 0, 0, 0, 0, 0, 1, 4, 8, 9, 8, 4, 4, 7, 8, 7, 5, 2, 1, 0, 0, 0, 0]
const SHIP_HOURS = /* hours */ [0, 0, 0, 0, 0, 0, 2, 6, 9, 8, 6, 3, 1, 2, 4, 3, 1, 0, 0, 0, 0, 0, 0, 0]
const ORDER_HOURS = /* hours */ [0, 0, 0, 0, 0, 0, 0, 1, 4, 7, 8, 6, 3, 3, 5, 6, 5, 4, 3, 2, 1, 0, 0, 0]

export const HOURS = {
  openWeekday: hourLut(OPEN_WEEKDAY),
  openWeekend: hourLut(OPEN_WEEKEND),
  stockIn: hourLut(STOCK_HOURS),
  ship: hourLut(SHIP_HOURS),
  order: hourLut(ORDER_HOURS),
}

const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'))

/**
 * A timestamp inside a local day from one 32-bit random word: the top 10 bits choose the
 * hour through `lut`, the rest the second within it. Returns `YYYY-MM-DDTHH:MM:SS+08:00`.
 */
export function tsIn(dayPrefix: string, lut: Uint8Array, r: number): string {
  const h = lut[r >>> 22]
  const s = (r & 0x3fffff) % 3600
  return `${dayPrefix}${TWO[h]}:${TWO[(s / 60) | 0]}:${TWO[s % 60]}+08:00`
}

/** Seconds of day of a timestamp made by tsIn (for ordering within a day). */
export function tsAt(dayPrefix: string, secondOfDay: number): string {
  const s = Math.max(0, Math.min(86_399, Math.floor(secondOfDay)))
  return `${dayPrefix}${TWO[(s / 3600) | 0]}:${TWO[((s % 3600) / 60) | 0]}:${TWO[s % 60]}+08:00`
}

/** Now, formatted in Asia/Shanghai with offset. */
export function tsNow(nowMs: number = Date.now()): string {
  return `${new Date(nowMs + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`
}
