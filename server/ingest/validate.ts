import type { z } from 'zod'
import type { RawRecord } from './parse.js'

export interface Rejected {
  line: number
  raw: string
  errors: { path: string; message: string }[]
}

/**
 * Validates records with a schema: the valid rows with their line, and the rejects with reasons.
 * `fast`, when given, may accept a record first (it must agree with the schema; see fast.ts).
 */
export function validateRecords<S extends z.ZodType>(
  schema: S,
  records: RawRecord[],
  fast?: (value: unknown) => Record<string, unknown> | undefined,
): { valid: { line: number; row: z.output<S> }[]; rejected: Rejected[] } {
  const valid: { line: number; row: z.output<S> }[] = []
  const rejected: Rejected[] = []
  for (const r of records) {
    if (fast && r.parseError === undefined) {
      const row = fast(r.value)
      if (row) {
        valid.push({ line: r.line, row: row as z.output<S> })
        continue
      }
    }
    if (r.parseError !== undefined) {
      rejected.push({ line: r.line, raw: r.raw, errors: [{ path: '', message: r.parseError }] })
      continue
    }
    if (typeof r.value !== 'object' || r.value === null || Array.isArray(r.value)) {
      rejected.push({ line: r.line, raw: r.raw, errors: [{ path: '', message: 'must be a JSON object' }] })
      continue
    }
    const p = schema.safeParse(r.value)
    if (p.success) valid.push({ line: r.line, row: p.data })
    else
      rejected.push({
        line: r.line,
        raw: r.raw,
        errors: p.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      })
  }
  return { valid, rejected }
}
