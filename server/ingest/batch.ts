/**
 * One body's valid fact records with distinct ids, as the writer needs them (ids, local days, id
 * hashes) and as the engine reads them: a record checked by the byte scanner is a range of the
 * body's bytes, any other record its JSON text (as received, or re-serialised from its validated
 * value). Consecutive ranges are staged as one piece, so a body whose records all passed the
 * scanner is written to the spool as the very bytes that arrived.
 */
import { localDayNumber } from '../../segments/values.js'
import type { NdjsonPiece } from '../db/gateway.js'
import type { Batch } from './commit.js'
import type { Refs, LineScanner } from './scanner.js'
import type { FactKind } from './schemas.js'

/**
 * Entities touched by accepted rows (ids, possibly repeated), for listeners such as the profile
 * refresh; undefined for an entity whose ids were not collected (no listener wanted them when
 * the body arrived): any of them may have been touched.
 */
export interface Touched {
  store?: string[]
  consumer?: string[]
  distributor?: string[]
}

type Wanted = Readonly<Record<keyof Touched, boolean>>

export class BatchBuilder {
  private n = 0
  // Per record, in typed arrays sized for the body (numbers in plain arrays cost allocation).
  // A scanned record's id is a byte range of the body, made a string only when asked for.
  private readonly idStarts: Int32Array
  private readonly idEnds: Int32Array
  private readonly days: Int32Array
  private readonly hashes: Float64Array
  // Per record: a byte range of the body, or (start -1) a text in `general`.
  private readonly starts: Int32Array
  private readonly ends: Int32Array
  // Records taken the general way, by index: their text for the engine, and their ids.
  private readonly general = new Map<number, string>()
  private readonly generalIds = new Map<number, string>()
  // Per record, when listened for: the entities it refers to.
  private readonly refs = { store: [] as string[], consumer: [] as string[], distributor: [] as string[] }
  private readonly scratch: Refs = { store: '', consumer: '', distributor: '' }
  private readonly withRefs: boolean

  /** @param capacity the number of records the body holds (an upper bound of those added) */
  constructor(
    private readonly kind: FactKind,
    private readonly receivedAt: string,
    /** The entities listeners want ids of (none: refs are not collected at all). */
    private readonly wanted: Wanted,
    capacity: number,
    private readonly body?: Uint8Array,
  ) {
    this.withRefs = wanted.store || wanted.consumer || wanted.distributor
    this.days = new Int32Array(capacity)
    this.hashes = new Float64Array(capacity)
    this.starts = new Int32Array(capacity)
    this.ends = new Int32Array(capacity)
    this.idStarts = new Int32Array(capacity)
    this.idEnds = new Int32Array(capacity)
  }

  /** Records added. */
  get count(): number {
    return this.n
  }

  /** Record i's id as stored (a scan's UUID in lower case). */
  id(i: number): string {
    const s = this.idStarts[i]
    if (s < 0) return this.generalIds.get(i) as string
    const text = latin1Slice.call(this.body as Uint8Array, s, this.idEnds[i])
    return this.kind === 'scans' ? text.toLowerCase() : text
  }

  /** A record the scanner accepted: the bytes `[start, end)` of the body (its id's bytes from the scanner). */
  addScanned(hash: number, time: number, start: number, end: number, scanner: LineScanner): void {
    const i = this.push(hash, time)
    this.starts[i] = start
    this.ends[i] = end
    this.idStarts[i] = scanner.idStart
    this.idEnds[i] = scanner.idEnd
    if (this.withRefs) {
      scanner.refs(this.scratch, this.wanted)
      this.pushRefs(this.scratch)
    }
  }

  /** A record taken the general way: its validated value, and its text when it goes as received. */
  addValue(id: string, hash: number, time: number, value: Record<string, unknown>, rawText: string | undefined): void {
    const i = this.push(hash, time)
    this.starts[i] = -1
    this.idStarts[i] = -1
    this.generalIds.set(i, id)
    this.general.set(i, rawText ?? JSON.stringify(value))
    if (this.withRefs) this.pushRefs(refsOf(this.kind, value))
  }

  // Only the wanted entities' lists are kept (each aligned with the records).
  private pushRefs(r: Refs): void {
    if (this.wanted.store) this.refs.store.push(r.store)
    if (this.wanted.consumer) this.refs.consumer.push(r.consumer)
    if (this.wanted.distributor) this.refs.distributor.push(r.distributor)
  }

  private push(hash: number, time: number): number {
    const i = this.n++
    this.hashes[i] = hash
    this.days[i] = localDayNumber(time)
    return i
  }

  /** The batch for the writer, without its staged text. */
  batch(): Omit<Batch, 'staged'> {
    const n = this.n
    return { receivedAt: this.receivedAt, count: n, id: (i) => this.id(i), days: this.days.subarray(0, n), hashes: this.hashes.subarray(0, n), subset: (idx) => this.piecesOf(idx) }
  }

  /** Every record's text, in pieces. */
  pieces(): NdjsonPiece[] {
    return this.piecesOf(null)
  }

  /** The given records' text (all when null), adjacent byte ranges merged into one piece. */
  private piecesOf(indexes: readonly number[] | null): NdjsonPiece[] {
    const out: NdjsonPiece[] = []
    const n = indexes ? indexes.length : this.n
    const body = this.body
    let runStart = -1
    let runEnd = -1
    for (let k = 0; k < n; k++) {
      const i = indexes ? indexes[k] : k
      const s = this.starts[i]
      if (s < 0) {
        out.push(this.general.get(i) as string)
        continue
      }
      // The next line of the body (only a newline between): extend the run.
      if (runEnd >= 0 && s === runEnd + 1 && (body as Uint8Array)[runEnd] === 10) {
        runEnd = this.ends[i]
        continue
      }
      if (runEnd >= 0) out.push((body as Uint8Array).subarray(runStart, runEnd))
      runStart = s
      runEnd = this.ends[i]
    }
    if (runEnd >= 0) out.push((body as Uint8Array).subarray(runStart, runEnd))
    return out
  }

  /** The entities of the given (accepted) records. */
  touched(indexes: readonly number[]): Touched {
    const out: Touched = {}
    for (const e of ['store', 'consumer', 'distributor'] as const) {
      if (!this.wanted[e]) continue
      const list: string[] = (out[e] = [])
      const refs = this.refs[e]
      for (const i of indexes) if (refs[i]) list.push(refs[i])
    }
    return out
  }
}

/** The entities a validated record refers to. */
export function refsOf(kind: FactKind, v: Record<string, unknown>): Refs {
  const out: Refs = { store: '', consumer: '', distributor: '' }
  if (kind === 'scans') {
    out.store = (v.store_id as string | undefined) ?? ''
    out.consumer = (v.consumer_id as string | undefined) ?? ''
    out.distributor = (v.distributor_id as string | undefined) ?? ''
  } else if (kind === 'rewards') out[v.beneficiary_type as keyof Refs] = v.beneficiary_id as string
  else if (v.seller_type === 'store') out.store = v.seller_id as string
  return out
}

// Buffer's own latin1 decoder without toString's argument checks (scanned ids are ASCII).
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice: (this: Uint8Array, s: number, e: number) => string }).latin1Slice
