import type { z } from 'zod'
import type { RawRecord } from './parse.js'

export interface Rejected {
  line: number
  raw: string
  errors: { path: string; message: string }[]
}

/** Validates one record with a schema (zod alone): its validated row, or why it is rejected. */
export function validateOne<S extends z.ZodType>(schema: S, r: RawRecord): { row: z.output<S> } | Rejected {
  if (r.parseError !== undefined) return { line: r.line, raw: r.raw, errors: [{ path: '', message: r.parseError }] }
  if (typeof r.value !== 'object' || r.value === null || Array.isArray(r.value))
    return { line: r.line, raw: r.raw, errors: [{ path: '', message: 'must be a JSON object' }] }
  const p = schema.safeParse(r.value)
  if (p.success) return { row: p.data }
  return { line: r.line, raw: r.raw, errors: p.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) }
}

/**
 * Validates records with a schema: the valid rows with their line, and the rejects with reasons.
 */
export function validateRecords<S extends z.ZodType>(schema: S, records: RawRecord[]): { valid: { line: number; row: z.output<S> }[]; rejected: Rejected[] } {
  const valid: { line: number; row: z.output<S> }[] = []
  const rejected: Rejected[] = []
  for (const r of records) {
    const v = validateOne(schema, r)
    if ('row' in v) valid.push({ line: r.line, row: v.row })
    else rejected.push(v)
  }
  return { valid, rejected }
}
