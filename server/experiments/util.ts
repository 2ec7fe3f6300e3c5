/** Small helpers shared by the experiment modules. */
import { randomBytes } from 'node:crypto'

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'

/** A short random id with a prefix, e.g. `exp_3k9x…` (60 random bits). */
export function newId(prefix: string): string {
  let s = ''
  for (const b of randomBytes(12)) s += ALPHABET[b & 31]
  return `${prefix}_${s}`
}

/** The engine's `YYYY-MM-DD HH:MM:SS.sss` (UTC) as ISO 8601; null stays null. */
export function iso(s: string | null | undefined): string | null {
  if (s === null || s === undefined) return null
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(s) ? `${s.replace(' ', 'T')}Z` : s
}

/** Days from `a` to `b` (YYYY-MM-DD), b − a. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000)
}
