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
import { fastValidate } from './fast.js'
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

export type Wanted = Readonly<Record<keyof Touched, boolean>>

export class BatchBuilder {
  readonly ids: string[] = []
  private readonly days: number[] = []
  private readonly hashes: number[] = []
  // Per record: a byte range of the body (text undefined), or its text.
  private readonly starts: number[] = []
  private readonly ends: number[] = []
  private readonly texts: (string | undefined)[] = []
  // Per record: the value (general path; undefined for scanned records), and whether its text is as received.
  private readonly values: (Record<string, unknown> | undefined)[] = []
  private readonly raws: boolean[] = []
  // Per record, when listened for: the entities it refers to.
  private readonly refs = { store: [] as string[], consumer: [] as string[], distributor: [] as string[] }
  private readonly scratch: Refs = { store: '', consumer: '', distributor: '' }
  anyRaw = false

  constructor(
    private readonly kind: FactKind,
    private readonly receivedAt: string,
    /** The entities listeners want ids of (none: refs are not collected at all). */
    private readonly wanted: Wanted,
    private readonly body?: Uint8Array,
  ) {
    this.withRefs = wanted.store || wanted.consumer || wanted.distributor
  }

  private readonly withRefs: boolean

  /** A record the scanner accepted: the bytes `[start, end)` of the body. */
  addScanned(id: string, hash: number, time: number, start: number, end: number, scanner: LineScanner): void {
    this.push(id, hash, time)
    this.starts.push(start)
    this.ends.push(end)
    this.texts.push(undefined)
    this.values.push(undefined)
    this.raws.push(true)
    this.anyRaw = true
    if (this.withRefs) {
      scanner.refs(this.scratch, this.wanted)
      this.pushRefs(this.scratch)
    }
  }

  /** A record taken the general way: its validated value, and its text when it goes as received. */
  addValue(id: string, hash: number, time: number, value: Record<string, unknown>, rawText: string | undefined): void {
    this.push(id, hash, time)
    this.starts.push(-1)
    this.ends.push(-1)
    this.texts.push(rawText ?? JSON.stringify(value))
    this.values.push(value)
    this.raws.push(rawText !== undefined)
    if (rawText !== undefined) this.anyRaw = true
    if (this.withRefs) this.pushRefs(refsOf(this.kind, value))
  }

  // Only the wanted entities' lists are kept (each aligned with the records).
  private pushRefs(r: Refs): void {
    if (this.wanted.store) this.refs.store.push(r.store)
    if (this.wanted.consumer) this.refs.consumer.push(r.consumer)
    if (this.wanted.distributor) this.refs.distributor.push(r.distributor)
  }

  private push(id: string, hash: number, time: number): void {
    this.ids.push(id)
    this.hashes.push(hash)
    this.days.push(localDayNumber(time))
  }

  /** The batch for the writer, without its staged text. */
  batch(): Omit<Batch, 'staged'> {
    return { receivedAt: this.receivedAt, ids: this.ids, days: this.days, hashes: this.hashes, subset: (idx) => this.piecesOf(idx) }
  }

  /** Every record's text, in pieces. */
  pieces(): NdjsonPiece[] {
    return this.piecesOf(null)
  }

  /** The given records' text (all when null), adjacent byte ranges merged into one piece. */
  private piecesOf(indexes: readonly number[] | null): NdjsonPiece[] {
    const out: NdjsonPiece[] = []
    const n = indexes ? indexes.length : this.ids.length
    const body = this.body
    let runStart = -1
    let runEnd = -1
    for (let k = 0; k < n; k++) {
      const i = indexes ? indexes[k] : k
      const text = this.texts[i]
      if (text !== undefined) {
        out.push(text)
        continue
      }
      const s = this.starts[i]
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

  /** Every record's text re-serialised from its validated value (when the engine refused a raw one). */
  reserialised(): string[] {
    return this.ids.map((_, i) => {
      if (!this.raws[i]) return this.texts[i] as string
      const value = this.values[i] ?? JSON.parse(Buffer.from((this.body as Uint8Array).buffer, (this.body as Uint8Array).byteOffset, (this.body as Uint8Array).byteLength).toString('utf8', this.starts[i], this.ends[i]))
      return JSON.stringify(fastValidate(this.kind, value))
    })
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
