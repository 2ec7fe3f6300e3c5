/**
 * A validating scanner of NDJSON fact lines over the body's bytes: the ingest path's fast lane.
 *
 * JSON.parse of every line (and decoding the body to a string first, and encoding the kept lines
 * back to bytes for the engine) was most of the server's CPU per ingested row. A record in the
 * common form (a flat JSON object of the kind's known fields, plain strings and numbers, a
 * canonical timestamp) is checked here byte by byte, without building it; its bytes then go to
 * the engine as received. Anything else (escapes, unknown fields, a repeated key, numbers with an
 * exponent, any doubt at all) makes `scan` return false, and the caller takes the record the
 * general way (decode, JSON.parse, fast.ts, zod), which decides and explains.
 *
 * So the scanner must be sound, not complete: whatever it accepts, JSON.parse + fastCheck +
 * passesThrough accept too, with the same time and id, and the engine reads the same bytes the
 * general path would send (a property test, scanner.test.ts, holds it to that on random and
 * mutated lines).
 */
import { hash52Bytes } from './recent.js'
import { FACT_FIELDS } from './fast.js'
import type { FactKind } from './schemas.js'

const UUID = 0
const TS = 1
const ID = 2
const OPT_ID = 3
const COUNT = 4
const FEN = 5
const LAT = 6
const LON = 7
const TEXT = 8
const ONE_OF = 9

const CODES = { uuid: UUID, ts: TS, id: ID, optId: OPT_ID, count: COUNT, fen: FEN, lat: LAT, lon: LON, text: TEXT } as const

interface FieldSpec {
  name: string
  check: number
  /** ONE_OF: the allowed values. */
  values?: readonly string[]
  /** A scan's field naming an entity (for the listeners of accepted rows). */
  ref?: keyof Refs
}

const SCAN_REFS: Record<string, keyof Refs> = { store_id: 'store', distributor_id: 'distributor', consumer_id: 'consumer' }

// The fields and checks of fast.ts (which mirrors the zod schemas), in codes.
const specsOf = (kind: FactKind): FieldSpec[] =>
  FACT_FIELDS[kind].map(([name, check]) =>
    typeof check === 'string'
      ? { name, check: CODES[check], ref: kind === 'scans' ? SCAN_REFS[name] : undefined }
      : { name, check: ONE_OF, values: [...check.oneOf] },
  )

const TS_MIN = Date.UTC(2000, 0, 1)
const TS_MAX = Date.UTC(2100, 0, 1)
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

const bytesOf = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'))

const ALL_REFS = { store: true, consumer: true, distributor: true } as const

/** Entities touched by a record: the id of each, '' when none. */
export interface Refs {
  store: string
  consumer: string
  distributor: string
}

/**
 * Scans lines of one fact kind. One instance is reused line after line (it holds the last
 * line's field positions), so it must not be shared by interleaved callers.
 */
export class LineScanner {
  private readonly fields: readonly FieldSpec[]
  private readonly names: Uint8Array[]
  private readonly checks: Int32Array
  private readonly oneOf: (Uint8Array[] | undefined)[]
  /** Fields whose absence makes the record invalid (every check but OPT_ID, LAT, LON, TEXT). */
  private readonly required: number
  // Positions of the fields read by name: the id (first in every kind), the entity-naming pair
  // of orders and rewards, and the fields of the scans' cross-field rules.
  private readonly idField = 0
  private readonly pos: Readonly<Record<'lat' | 'lon' | 'type' | 'store' | 'refType' | 'refId', number>>
  // The last scanned line: value positions (string contents without quotes, or number text).
  private readonly from: Int32Array
  private readonly to: Int32Array
  private buf: Uint8Array = new Uint8Array(0)
  private present = 0
  private hint = 0
  private int = 0
  /** The record's time (ms since the epoch) after a successful scan. */
  time = NaN

  constructor(readonly kind: FactKind) {
    this.fields = specsOf(kind)
    this.names = this.fields.map((s) => bytesOf(s.name))
    this.checks = Int32Array.from(this.fields.map((s) => s.check))
    this.oneOf = this.fields.map((s) => s.values?.map(bytesOf))
    this.required = this.fields.reduce((m, s, i) => (s.check === OPT_ID || s.check === LAT || s.check === LON || s.check === TEXT ? m : m | (1 << i)), 0)
    const at = (name: string) => this.fields.findIndex((f) => f.name === name)
    this.pos = {
      lat: at('lat'),
      lon: at('lon'),
      type: at('type'),
      store: at('store_id'),
      refType: at(kind === 'rewards' ? 'beneficiary_type' : 'seller_type'),
      refId: at(kind === 'rewards' ? 'beneficiary_id' : 'seller_id'),
    }
    this.from = new Int32Array(this.fields.length)
    this.to = new Int32Array(this.fields.length)
  }

  /**
   * Scans `buf[start, end)` (one line, without its newline). True when it is surely a valid
   * record whose own bytes the engine may read; then {@link time}, {@link id} and {@link refs}
   * describe it. False means "take it the general way", never "invalid".
   */
  scan(buf: Uint8Array, start: number, end: number): boolean {
    this.buf = buf
    this.present = 0
    this.hint = 0
    let i = skipWs(buf, start, end)
    if (i >= end || buf[i] !== 0x7b /* { */) return false
    i = skipWs(buf, i + 1, end)
    if (i >= end) return false
    for (;;) {
      // A key: plain ASCII without escapes, one of the kind's fields, not seen before.
      if (buf[i] !== 0x22) return false
      const k0 = i + 1
      let k1 = k0
      while (k1 < end && buf[k1] !== 0x22) {
        const b = buf[k1]
        if (b === 0x5c || b < 0x20 || b >= 0x80) return false
        k1++
      }
      if (k1 >= end) return false
      const field = this.fieldOf(buf, k0, k1)
      if (field < 0 || this.present & (1 << field)) return false
      this.present |= 1 << field
      i = skipWs(buf, k1 + 1, end)
      if (i >= end || buf[i] !== 0x3a /* : */) return false
      i = skipWs(buf, i + 1, end)
      if (i >= end) return false
      i = this.value(buf, i, end, field)
      if (i < 0) return false
      i = skipWs(buf, i, end)
      if (i >= end) return false
      if (buf[i] === 0x2c /* , */) {
        i = skipWs(buf, i + 1, end)
        if (i >= end) return false
        continue
      }
      if (buf[i] !== 0x7d /* } */) return false
      if (skipWs(buf, i + 1, end) !== end) return false
      break
    }
    if ((this.present & this.required) !== this.required) return false
    return this.kind === 'scans' ? this.scanRules() : true
  }

  /** {@link hash52} of the record's id as stored, from its bytes (no string is made). */
  idHash(): number {
    return hash52Bytes(this.buf, this.from[this.idField], this.to[this.idField], this.kind === 'scans')
  }

  /** Where the record's id lies in the body (its bytes, as received). */
  get idStart(): number {
    return this.from[this.idField]
  }

  get idEnd(): number {
    return this.to[this.idField]
  }

  /** The record's id as stored (a scan's UUID in lower case). */
  id(): string {
    const s = this.text(this.idField)
    return this.kind === 'scans' ? s.toLowerCase() : s
  }

  /** Writes the entities the record refers to into `out` ('' for none; only those `wanted`). */
  refs(out: Refs, wanted: Readonly<Record<keyof Refs, boolean>> = ALL_REFS): void {
    out.store = out.consumer = out.distributor = ''
    if (this.kind === 'scans') {
      for (let j = 0; j < this.fields.length; j++) {
        const ref = this.fields[j].ref
        if (ref && wanted[ref] && this.present & (1 << j)) out[ref] = this.text(j)
      }
    } else if (this.kind === 'rewards') {
      // beneficiary_type names the entity of beneficiary_id.
      const entity = this.text(this.pos.refType) as keyof Refs
      if (wanted[entity]) out[entity] = this.text(this.pos.refId)
    } else if (wanted.store && this.text(this.pos.refType) === 'store') {
      out.store = this.text(this.pos.refId)
    }
  }

  /** A string field of the last line (an ASCII one: ids and enums). */
  private text(field: number): string {
    return latin1(this.buf, this.from[field], this.to[field])
  }

  private fieldOf(buf: Uint8Array, k0: number, k1: number): number {
    const len = k1 - k0
    const names = this.names
    // Keys usually come in the schema's order: try the field after the previous one first.
    const guess = this.hint
    if (guess < names.length) {
      const n = names[guess]
      let same = n.length === len
      for (let x = 0; same && x < len; x++) same = buf[k0 + x] === n[x]
      if (same) {
        this.hint = guess + 1
        return guess
      }
    }
    next: for (let j = 0; j < names.length; j++) {
      const n = names[j]
      if (n.length !== len) continue
      for (let x = 0; x < len; x++) if (buf[k0 + x] !== n[x]) continue next
      this.hint = j + 1
      return j
    }
    return -1
  }

  /** Checks a field's value starting at `i`; the index after it, or -1. */
  private value(buf: Uint8Array, i: number, end: number, field: number): number {
    const check = this.checks[field]
    if (check === COUNT || check === FEN) {
      // A plain whole number: 0 or [1-9][0-9]*, no sign, fraction or exponent.
      const j = this.integer(buf, i, end, 14)
      if (j < 0 || (j < end && !isDelimiter(buf[j]))) return -1
      const v = this.int
      if (check === COUNT ? v < 1 || v > 1_000_000 : v > 1e13) return -1
      this.from[field] = i
      this.to[field] = j
      return j
    }
    if (check === LAT || check === LON) {
      // -?(0|[1-9][0-9]*)(.[0-9]+)? within ±90 / ±180; no exponent.
      let j = this.integer(buf, buf[i] === 0x2d ? i + 1 : i, end, 3)
      if (j < 0) return -1
      const v = this.int
      let fractionZero = true
      if (j < end && buf[j] === 0x2e) {
        const f0 = ++j
        while (j < end && buf[j] >= 0x30 && buf[j] <= 0x39) {
          if (buf[j] !== 0x30) fractionZero = false
          j++
        }
        if (j === f0) return -1
      }
      if (j < end && !isDelimiter(buf[j])) return -1
      const lim = check === LAT ? 90 : 180
      if (v > lim || (v === lim && !fractionZero)) return -1
      this.from[field] = i
      this.to[field] = j
      return j
    }
    // Every other field is a string without escapes or control characters.
    if (buf[i] !== 0x22) return -1
    const s0 = i + 1
    let j = s0
    let seen = 0
    let c = 0
    while (j < end && (c = STRING_CLASS[buf[j]]) !== QUOTE) {
      seen |= c
      j++
    }
    if (j >= end || seen & BAD) return -1
    const ascii = (seen & HIGH) === 0
    const len = j - s0
    this.from[field] = s0
    this.to[field] = j
    switch (check) {
      case UUID:
        if (len !== 36 || !isUuid(buf, s0)) return -1
        break
      case ID:
      case OPT_ID:
        // Non-ASCII ids are left to the general path (their UTF-16 length is what counts).
        if (!ascii || len < 1 || len > 64) return -1
        break
      case TEXT:
        // Valid UTF-8 of at most 256 bytes has at most 256 UTF-16 units.
        if (len > 256 || (!ascii && !isUtf8(buf, s0, j))) return -1
        break
      case TS:
        if (!this.timestamp(buf, s0, j)) return -1
        break
      case ONE_OF: {
        const allowed = this.oneOf[field] as Uint8Array[]
        let ok = false
        outer: for (const a of allowed) {
          if (a.length !== len) continue
          for (let x = 0; x < len; x++) if (buf[s0 + x] !== a[x]) continue outer
          ok = true
          break
        }
        if (!ok) return -1
        break
      }
      default:
        return -1
    }
    return j + 1
  }

  /**
   * The integer part of a JSON number at `i` (0, or [1-9][0-9]* of at most `maxDigits`): the
   * index after it, its value in {@link int}; -1 when there is none.
   */
  private integer(buf: Uint8Array, i: number, end: number, maxDigits: number): number {
    let j = i
    let v = 0
    while (j < end && buf[j] >= 0x30 && buf[j] <= 0x39) {
      v = v * 10 + (buf[j] - 0x30)
      j++
    }
    if (j === i || (buf[i] === 0x30 && j > i + 1) || j - i > maxDigits) return -1
    this.int = v
    return j
  }

  /** A canonical timestamp (YYYY-MM-DDTHH:MM:SS[.f{1,3}](Z|±HH:MM)) of a real time in range. */
  private timestamp(buf: Uint8Array, s: number, e: number): boolean {
    const len = e - s
    if (len < 20 || len > 29) return false
    if (buf[s + 4] !== 0x2d || buf[s + 7] !== 0x2d || buf[s + 10] !== 0x54 || buf[s + 13] !== 0x3a || buf[s + 16] !== 0x3a) return false
    const y = digits(buf, s, 4)
    const mo = digits(buf, s + 5, 2)
    const d = digits(buf, s + 8, 2)
    const h = digits(buf, s + 11, 2)
    const mi = digits(buf, s + 14, 2)
    const sec = digits(buf, s + 17, 2)
    if ((h | mi | sec) < 0 || y < 2000 || y > 2100 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59) return false
    const dim = mo === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : DAYS_IN_MONTH[mo - 1]
    if (d > dim) return false
    let j = s + 19
    let ms = 0
    if (buf[j] === 0x2e) {
      j++
      let n = 0
      while (j < e && buf[j] >= 0x30 && buf[j] <= 0x39 && n < 4) {
        ms = ms * 10 + (buf[j] - 0x30)
        j++
        n++
      }
      if (n === 0 || n > 3) return false
      ms *= n === 1 ? 100 : n === 2 ? 10 : 1
    }
    let offset = 0
    if (buf[j] === 0x5a /* Z */) j++
    else if (buf[j] === 0x2b || buf[j] === 0x2d) {
      if (e - j !== 6 || buf[j + 3] !== 0x3a) return false
      const oh = digits(buf, j + 1, 2)
      const om = digits(buf, j + 4, 2)
      if (oh < 0 || om < 0 || oh > 23 || om > 59) return false
      offset = (buf[j] === 0x2b ? 1 : -1) * (oh * 60 + om) * 60_000
      j += 6
    } else return false
    if (j !== e) return false
    const t = Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offset
    if (!(t >= TS_MIN && t < TS_MAX)) return false
    this.time = t
    return true
  }

  /** Scans' cross-field rules: lat and lon together, and a stock-in names its store. */
  private scanRules(): boolean {
    const p = this.present
    const { lat, lon, store, type } = this.pos
    if (((p >> lat) & 1) !== ((p >> lon) & 1)) return false
    return (p & (1 << store)) !== 0 || this.text(type) !== 'stock_in'
  }
}

const isDelimiter = (b: number) => b === 0x2c || b === 0x7d || b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d

function skipWs(buf: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const b = buf[i]
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== 0x0a) break
    i++
  }
  return i
}

/** A fixed-width decimal, or -1 when a byte is not a digit. */
function digits(buf: Uint8Array, i: number, n: number): number {
  let v = 0
  for (let x = 0; x < n; x++) {
    const c = buf[i + x] - 0x30
    if (c < 0 || c > 9) return -1
    v = v * 10 + c
  }
  return v
}

// Byte classes inside a JSON string: plain, the closing quote, an escape or control byte
// (left to the general path), a byte of a multi-byte UTF-8 sequence.
const QUOTE = 8
const BAD = 2
const HIGH = 4
const STRING_CLASS = new Uint8Array(256).map((_, b) => (b === 0x22 ? QUOTE : b === 0x5c || b < 0x20 ? BAD : b >= 0x80 ? HIGH : 0))
const HEX = new Uint8Array(256).map((_, b) => ((b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46) ? 1 : 0))

function isUuid(buf: Uint8Array, s: number): boolean {
  if (buf[s + 8] !== 0x2d || buf[s + 13] !== 0x2d || buf[s + 18] !== 0x2d || buf[s + 23] !== 0x2d) return false
  let ok = 1
  for (let x = 0; x < 8; x++) ok &= HEX[buf[s + x]]
  for (let x = 9; x < 13; x++) ok &= HEX[buf[s + x]]
  for (let x = 14; x < 18; x++) ok &= HEX[buf[s + x]]
  for (let x = 19; x < 23; x++) ok &= HEX[buf[s + x]]
  for (let x = 24; x < 36; x++) ok &= HEX[buf[s + x]]
  return ok === 1
}

/** Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF). */
export function isUtf8(buf: Uint8Array, i: number, end: number): boolean {
  while (i < end) {
    const b = buf[i]
    if (b < 0x80) {
      i++
      continue
    }
    let need: number
    let lo = 0x80
    let hi = 0xbf
    if (b >= 0xc2 && b <= 0xdf) need = 1
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2
      if (b === 0xe0) lo = 0xa0
      else if (b === 0xed) hi = 0x9f
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3
      if (b === 0xf0) lo = 0x90
      else if (b === 0xf4) hi = 0x8f
    } else return false
    if (i + need >= end) return false
    const c1 = buf[i + 1]
    if (c1 < lo || c1 > hi) return false
    for (let x = 2; x <= need; x++) {
      const c = buf[i + x]
      if (c < 0x80 || c > 0xbf) return false
    }
    i += need + 1
  }
  return true
}

// Buffer's own latin1 decoder without toString's argument checks (ids here are ASCII).
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice: (this: Uint8Array, s: number, e: number) => string }).latin1Slice

function latin1(buf: Uint8Array, s: number, e: number): string {
  return latin1Slice.call(buf, s, e)
}
