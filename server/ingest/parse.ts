/**
 * Turns request bodies and files into records with their 1-based record number ("line") and
 * raw text, so that every rejected record can be reported and quarantined as it was sent.
 */
import { ARRAY_FIELDS, NUMERIC_FIELDS } from './schemas.js'

export type BodyFormat = 'ndjson' | 'json' | 'csv'

export interface RawRecord {
  /** 1-based position among the body's records (blank NDJSON lines and the CSV header do not count). */
  line: number
  /** The record's text as received (a JSON array element is re-serialised). */
  raw: string
  /** The parsed value, or undefined when the record itself could not be parsed. */
  value?: unknown
  parseError?: string
  /** True when `raw` is the JSON text of `value` (NDJSON lines, JSON array elements). */
  json?: boolean
}

/** A body that cannot be read as the declared format at all (→ 400). */
export class BodyParseError extends Error {
  override name = 'BodyParseError'
}

/** Maps a Content-Type header to a body format, or undefined when unsupported (→ 415). */
export function formatOf(contentType: string | undefined): BodyFormat | undefined {
  const mime = (contentType ?? '').split(';')[0].trim().toLowerCase()
  if (mime === 'application/x-ndjson' || mime === 'application/ndjson' || mime === 'application/jsonl' || mime === 'application/x-jsonlines') return 'ndjson'
  if (mime === 'application/json') return 'json'
  if (mime === 'text/csv') return 'csv'
  return undefined
}

/** Parses a whole body. NDJSON and CSV records fail one by one; a JSON body must parse whole. */
export function parseBody(body: string, format: BodyFormat): RawRecord[] {
  switch (format) {
    case 'ndjson':
      return parseNdjsonLines(body.split('\n'), 0)
    case 'json':
      return parseJsonArray(body)
    case 'csv': {
      const p = new CsvParser()
      const out = p.push(body)
      out.push(...p.end())
      return out
    }
  }
}

/** Lets pending callbacks run (e.g. the writer starting the next insert) during long CPU work. */
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Records handled between two yields to the event loop (~8 ms of parsing or validation). */
export const YIELD_SLICE = 4000

/**
 * {@link parseBody}, yielding to the event loop every few thousand NDJSON lines: a 20k-line body
 * takes ~40 ms to parse, and the embedded engine's next insert should not wait for it.
 */
export async function parseBodyYielding(body: string, format: BodyFormat): Promise<RawRecord[]> {
  if (format !== 'ndjson') return parseBody(body, format)
  const lines = body.split('\n')
  if (lines.length <= YIELD_SLICE) return parseNdjsonLines(lines, 0)
  const out: RawRecord[] = []
  for (let i = 0; i < lines.length; i += YIELD_SLICE) {
    if (i > 0) await yieldToLoop()
    const part = parseNdjsonLines(lines.slice(i, i + YIELD_SLICE), out.length)
    for (const r of part) out.push(r)
  }
  return out
}

/** Parses NDJSON lines; `before` is the number of records already seen (for streaming). */
export function parseNdjsonLines(lines: string[], before: number): RawRecord[] {
  const out: RawRecord[] = []
  let n = before
  for (const l of lines) {
    const raw = l.endsWith('\r') ? l.slice(0, -1) : l
    if (raw.trim() === '') continue
    out.push(ndjsonRecord(raw, ++n))
  }
  return out
}

/** One NDJSON record from its line (without the newline and a trailing CR). */
export function ndjsonRecord(raw: string, line: number): RawRecord {
  try {
    return { line, raw, value: JSON.parse(raw), json: true }
  } catch (e) {
    return { line, raw, parseError: `not valid JSON: ${(e as Error).message}` }
  }
}

/**
 * The records of an NDJSON body kept as UTF-8 bytes: each record's byte range, without its
 * newline and one trailing CR; blank lines are skipped as {@link parseNdjsonLines} skips them,
 * so record numbers agree. Decoding a line of the range gives exactly the text that decoding
 * the whole body and splitting it would (a newline byte is never part of a UTF-8 sequence).
 */
export interface NdjsonIndex {
  readonly count: number
  readonly starts: Int32Array
  readonly ends: Int32Array
}

export function indexNdjson(body: Uint8Array): NdjsonIndex {
  let starts = new Int32Array(1024)
  let ends = new Int32Array(1024)
  let count = 0
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  let s = 0
  while (s <= buf.length) {
    let e = buf.indexOf(10, s)
    if (e < 0) e = buf.length
    const next = e + 1
    if (e > s && buf[e - 1] === 13) e--
    if (!isBlank(buf, s, e)) {
      if (count === starts.length) {
        starts = grow(starts)
        ends = grow(ends)
      }
      starts[count] = s
      ends[count] = e
      count++
    }
    s = next
  }
  return { count, starts: starts.subarray(0, count), ends: ends.subarray(0, count) }
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2)
  b.set(a)
  return b
}

/** Whether a line is blank as `String.prototype.trim` sees it (which also strips e.g. U+FEFF and U+3000). */
function isBlank(buf: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) {
    const b = buf[i]
    if (b === 0x20 || (b >= 0x09 && b <= 0x0d)) continue
    if (b < 0x80) return false
    // Non-ASCII: let the decoder and trim decide (rare).
    return buf.toString('utf8', s, e).trim() === ''
  }
  return true
}

function parseJsonArray(body: string): RawRecord[] {
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch (e) {
    throw new BodyParseError(`the body is not valid JSON: ${(e as Error).message}`)
  }
  if (!Array.isArray(value)) throw new BodyParseError('a JSON body must be an array of records')
  return value.map((v, i) => ({ line: i + 1, raw: JSON.stringify(v), value: v, json: true }))
}

/**
 * An RFC 4180 CSV parser fed in chunks (quoted fields may hold commas, quotes and newlines).
 * The first record is the header; each later record becomes an object keyed by it, with empty
 * cells omitted, numeric columns converted, and array columns split on `|` (or given as JSON).
 */
export class CsvParser {
  private header: string[] | undefined
  private field = ''
  private row: string[] = []
  private rawRow = ''
  private inQuotes = false
  private quotePending = false
  private count = 0
  private rows: RawRecord[] = []

  push(chunk: string): RawRecord[] {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]
      this.rawRow += c
      if (this.inQuotes) {
        if (this.quotePending) {
          this.quotePending = false
          if (c === '"') {
            this.field += '"'
            continue
          }
          this.inQuotes = false
          // fall through: c is processed as outside quotes
        } else if (c === '"') {
          this.quotePending = true
          continue
        } else {
          this.field += c
          continue
        }
      }
      if (c === '"' && this.field === '') this.inQuotes = true
      else if (c === ',') this.endField()
      else if (c === '\n') this.endRow()
      else if (c !== '\r') this.field += c
    }
    const out = this.rows
    this.rows = []
    return out
  }

  end(): RawRecord[] {
    if (this.quotePending) {
      this.inQuotes = false
      this.quotePending = false
    }
    if (this.field !== '' || this.row.length > 0) this.endRow()
    const out = this.rows
    this.rows = []
    if (this.inQuotes) out.push({ line: this.count + 1, raw: this.rawRow, parseError: 'unterminated quoted field' })
    return out
  }

  private endField(): void {
    this.row.push(this.field)
    this.field = ''
  }

  private endRow(): void {
    this.endField()
    const cells = this.row
    const raw = this.rawRow.replace(/\r?\n$/, '')
    this.row = []
    this.rawRow = ''
    if (cells.length === 1 && cells[0].trim() === '') return
    if (!this.header) {
      this.header = cells.map((h) => h.trim())
      return
    }
    this.count++
    if (cells.length !== this.header.length) {
      this.rows.push({ line: this.count, raw, parseError: `has ${cells.length} cells, the header has ${this.header.length}` })
      return
    }
    const value: Record<string, unknown> = {}
    this.header.forEach((h, i) => {
      const cell = cells[i]
      if (cell === '') return
      value[h] = convertCell(h, cell)
    })
    this.rows.push({ line: this.count, raw, value })
  }
}

function convertCell(field: string, cell: string): unknown {
  if (NUMERIC_FIELDS.has(field)) {
    const n = Number(cell.trim())
    return cell.trim() !== '' && Number.isFinite(n) ? n : cell
  }
  if (ARRAY_FIELDS.has(field)) {
    const t = cell.trim()
    if (t.startsWith('[')) {
      try {
        return JSON.parse(t)
      } catch {
        return cell
      }
    }
    return t.split('|').map((s) => s.trim()).filter(Boolean)
  }
  return cell
}
