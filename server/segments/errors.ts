import { randomBytes } from 'node:crypto'
import { RuleError } from '../../segments/rule.js'
import { ApiError } from '../api/errors.js'

/** A rule problem as a 400 naming every path (`rule.and.1.or.0.value: …`). */
export function ruleProblem(err: RuleError, prefix = ''): ApiError {
  const errors = err.issues.map((i) => ({ path: prefix + i.path, message: i.message }))
  return new ApiError('bad_request', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors })
}

/** Runs `fn`, turning a {@link RuleError} into a 400. */
export async function asBadRequest<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof RuleError) throw ruleProblem(e)
    throw e
  }
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'

/** A short random id with a prefix, e.g. `seg_3k9x…` (60 random bits). */
export function newId(prefix: string): string {
  const bytes = randomBytes(12)
  let s = ''
  for (const b of bytes) s += ALPHABET[b & 31]
  return `${prefix}_${s}`
}

/** The engine's `YYYY-MM-DD HH:MM:SS.sss` (UTC) as ISO 8601. */
export function isoUtc(s: string): string {
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(s) ? `${s.replace(' ', 'T')}Z` : s
}
