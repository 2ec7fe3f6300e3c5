/**
 * The ingestion pipeline shared by the HTTP API, the import CLI and the demo seeder:
 * validate every record, drop ids already accepted (in this body or any earlier one), write
 * the new rows durably, quarantine the rejects with their raw text, and log the batch.
 */
import { randomUUID } from 'node:crypto'
import { DbError, type Db, type NdjsonPiece } from '../db/gateway.js'
import { log } from '../log.js'
import { BatchBuilder, type Touched } from './batch.js'
import { CoalescingInsert } from './coalesce.js'
import { IdIndex } from './hashset.js'
import { FactWriter, type Batch } from './commit.js'
import { fastCheck, fastValidate } from './fast.js'
import { passesThrough } from './intake.js'
import { applyMaster, type Conflict, type OnConflict } from './master.js'
import { Mutex } from './mutex.js'
import { YIELD_SLICE, indexNdjson, ndjsonRecord, parseNdjsonLines, yieldToLoop, type NdjsonIndex, type RawRecord } from './parse.js'
import { LineScanner } from './scanner.js'
import { FACT_KINDS, MASTER_KINDS, isFactKind, type FactKind, type Kind } from './schemas.js'
import { validateOne, type Rejected } from './validate.js'

export type Origin = 'api' | 'cli' | 'demo'

export interface IngestOptions {
  origin: Origin
  onConflict?: OnConflict
}

export interface IngestResult {
  accepted: number
  duplicates: number
  rejected: { line: number; errors: { path: string; message: string }[] }[]
  conflicts?: Conflict[]
}

/** Told of new fact rows once durable, with the entities they refer to (e.g. to mark profiles for refresh). */
export interface AcceptedListener {
  /** Whether the listener wants ids of this entity now (collecting them costs time at high rates). */
  wants(entity: keyof Touched): boolean
  accepted(kind: FactKind, touched: Touched): void
}

export class Ingestor {
  // Master data: one writer per kind (versions are read, then written).
  private readonly locks = new Map<Kind, Mutex>()
  private readonly listeners: AcceptedListener[] = []
  // One byte scanner per fact kind (each scan is read before the next starts: no await between).
  private readonly scanners = new Map<FactKind, LineScanner>()
  // Facts: one group-committing writer per kind (commit.ts).
  private readonly writer: FactWriter
  // Concurrent requests' log and quarantine rows share inserts.
  private readonly batchLog: CoalescingInsert
  private readonly quarantined: CoalescingInsert

  /**
   * @param opts.idHash the in-memory hash of fact ids (tests pass a colliding one)
   */
  constructor(
    private readonly db: Db,
    opts: { idHash?: (id: string) => number } = {},
  ) {
    this.writer = new FactWriter(db, opts.idHash)
    this.batchLog = new CoalescingInsert(db, 'ingest_batches', 'ingest-log')
    this.quarantined = new CoalescingInsert(db, 'quarantine', 'quarantine')
  }

  /** Registers a listener for accepted fact rows. */
  onAccepted(listener: AcceptedListener): void {
    this.listeners.push(listener)
  }

  /** Ingests parsed records of one kind and reports what happened to each. */
  async ingest(kind: Kind, records: RawRecord[], opts: IngestOptions): Promise<IngestResult> {
    return this.ingestWith(kind, records.length, opts, (receivedAt) =>
      isFactKind(kind) ? this.facts(kind, records, receivedAt) : this.lock(kind).run(() => applyMaster(this.db, kind, records, receivedAt, opts.onConflict ?? 'hold')),
    )
  }

  /** Runs one body's ingestion, then quarantines its rejects and logs the batch. */
  private async ingestWith(
    kind: Kind,
    records: number,
    opts: IngestOptions,
    run: (receivedAt: string) => Promise<{ accepted: number; duplicates: number; rejectedRaw: Rejected[]; conflicts?: Conflict[] }>,
  ): Promise<IngestResult> {
    const t0 = performance.now()
    const batchId = randomUUID()
    const receivedAt = new Date().toISOString()
    const result = await run(receivedAt)
    await this.quarantine(kind, batchId, receivedAt, result.rejectedRaw)
    const reply: IngestResult = {
      accepted: result.accepted,
      duplicates: result.duplicates,
      rejected: result.rejectedRaw.map(({ line, errors }) => ({ line, errors })),
      ...(result.conflicts ? { conflicts: result.conflicts } : {}),
    }
    const ms = Math.round(performance.now() - t0)
    await this.batchLog.insert([
        {
          batch_id: batchId,
          received_at: receivedAt,
          kind,
          origin: opts.origin,
          records,
          accepted: reply.accepted,
          duplicates: reply.duplicates,
          rejected: reply.rejected.length,
          conflicts: reply.conflicts?.length ?? 0,
          duration_ms: ms,
        },
      ])
    if (reply.rejected.length) log.info('ingest rejects', { kind, batch_id: batchId, rejected: reply.rejected.length })
    return reply
  }

  private lock(kind: Kind): Mutex {
    let m = this.locks.get(kind)
    if (!m) this.locks.set(kind, (m = new Mutex()))
    return m
  }

  /**
   * Ingests an NDJSON body of facts given as its UTF-8 bytes ({@link indexNdjson} gives the
   * records): lines in the common form are checked by the byte scanner and reach the engine as
   * received, without being decoded or parsed; the others are decoded and taken the general way.
   * Replies exactly as {@link ingest} of the parsed body would.
   */
  async ingestNdjson(kind: FactKind, body: Uint8Array, index: NdjsonIndex, opts: IngestOptions): Promise<IngestResult> {
    return this.ingestWith(kind, index.count, opts, (receivedAt) => this.facts(kind, { body, index }, receivedAt))
  }

  /** Ingests an NDJSON body given as UTF-8 bytes, facts through the byte scanner (the caller bounds its size). */
  async ingestBody(kind: Kind, body: Uint8Array, opts: IngestOptions): Promise<IngestResult> {
    if (isFactKind(kind)) return this.ingestNdjson(kind, body, indexNdjson(body), opts)
    const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
    return this.ingest(kind, parseNdjsonLines(text.split('\n'), 0), opts)
  }

  private async facts(kind: FactKind, source: RawRecord[] | { body: Uint8Array; index: NdjsonIndex }, receivedAt: string) {
    // Validation runs outside the writer, so one request's CPU work overlaps another's insert;
    // only the id check and the insert are serialised. A valid record goes to the engine as its
    // own JSON text when the engine reads that text as the validator does (intake.ts), else
    // re-serialised from its validated value; either way the engine applies the same transform.
    const spec = FACT_KINDS[kind]
    const rejected: Rejected[] = []
    const wanted = { store: this.wants('store'), consumer: this.wants('consumer'), distributor: this.wants('distributor') }
    // An NDJSON body as bytes: its records' ranges, the kind's scanner, and the body to decode
    // the lines the scanner leaves to the general path.
    const bytes = Array.isArray(source)
      ? undefined
      : { ...source.index, body: source.body, scanner: this.scanner(kind), text: Buffer.from(source.body.buffer, source.body.byteOffset, source.body.byteLength) }
    const count = bytes ? bytes.count : (source as RawRecord[]).length
    const b = new BatchBuilder(kind, receivedAt, wanted, count, bytes?.body)
    const idHash = this.writer.idHash
    const seen = new IdIndex(count)
    let duplicates = 0
    for (let n = 0; n < count; n++) {
      // Long bodies yield now and then, so the writer's next insert does not wait for them.
      if (n % YIELD_SLICE === YIELD_SLICE - 1) await yieldToLoop()
      let r: RawRecord
      if (!bytes) r = (source as RawRecord[])[n]
      else {
        const { starts, ends, scanner } = bytes
        if (scanner.scan(bytes.body, starts[n], ends[n])) {
          const id = scanner.id()
          const h = idHash(id)
          if (seen.add(id, h)) b.addScanned(id, h, scanner.time, starts[n], ends[n], scanner)
          else duplicates++
          continue
        }
        r = ndjsonRecord(bytes.text.toString('utf8', starts[n], ends[n]), n + 1)
      }
      let value: Record<string, unknown>
      let raw = false
      let time = r.parseError === undefined ? fastCheck(kind, r.value) : NaN
      if (!Number.isNaN(time)) {
        value = r.value as Record<string, unknown>
        raw = r.json === true && passesThrough(value)
        if (!raw) value = fastValidate(kind, value) as Record<string, unknown>
      } else {
        const v = validateOne(spec.schema, r)
        if (!('row' in v)) {
          rejected.push(v)
          continue
        }
        value = v.row as Record<string, unknown>
        time = Date.parse(value.ts as string)
      }
      const given = value[spec.idField] as string
      // The id as stored: scan ids are UUIDs, kept in lower case (a raw record may use upper).
      const id = kind === 'scans' && raw ? given.toLowerCase() : given
      const h = idHash(id)
      if (!seen.add(id, h)) {
        duplicates++
        continue
      }
      b.addValue(id, h, time, value, raw ? r.raw : undefined)
    }
    if (b.ids.length === 0) return { accepted: 0, duplicates, rejectedRaw: rejected }
    let fresh: number[]
    try {
      fresh = await this.writeStaged(kind, b.batch(), b.pieces())
    } catch (e) {
      // The engine refused a record's own text that the validator accepted (e.g. a key given
      // twice): write the batch again from the validated values. The id check runs again, so
      // nothing the failed attempt may have written is written twice.
      if (!b.anyRaw || !(e instanceof DbError)) throw e
      log.warn('ingest: raw records refused by the engine, re-serialising', { kind, error: e.message })
      const lines = b.reserialised()
      fresh = await this.writeStaged(kind, { ...b.batch(), subset: (idx) => idx.map((i) => lines[i]) }, lines)
    }
    duplicates += b.ids.length - fresh.length
    if (fresh.length && this.listeners.length) {
      const touched = b.touched(fresh)
      for (const l of this.listeners) l.accepted(kind, touched)
    }
    return { accepted: fresh.length, duplicates, rejectedRaw: rejected }
  }

  private wants(entity: keyof Touched): boolean {
    return this.listeners.some((l) => l.wants(entity))
  }

  private scanner(kind: FactKind): LineScanner {
    let s = this.scanners.get(kind)
    if (!s) this.scanners.set(kind, (s = new LineScanner(kind)))
    return s
  }

  /** Stages the batch's records (off the writer's critical path) and hands it to the writer. */
  private async writeStaged(kind: FactKind, batch: Omit<Batch, 'staged'>, pieces: NdjsonPiece[]): Promise<number[]> {
    const staged = await this.db.stageNdjson(pieces)
    try {
      return await this.writer.write(kind, { ...batch, staged })
    } finally {
      await staged.dispose()
    }
  }

  private async quarantine(kind: Kind, batchId: string, receivedAt: string, rejected: Rejected[]): Promise<void> {
    if (rejected.length === 0) return
    await this.quarantined.insert(
      rejected.map((r) => ({ received_at: receivedAt, batch_id: batchId, kind, line: r.line, raw: r.raw, errors: JSON.stringify(r.errors) })),
    )
  }

  /** Keeps a body that could not be parsed at all, so that nothing sent is lost. */
  async quarantineBody(kind: string, raw: string, message: string): Promise<void> {
    await this.db.insert(
      'quarantine',
      [{ received_at: new Date().toISOString(), batch_id: randomUUID(), kind, line: 0, raw, errors: JSON.stringify([{ path: '', message }]) }],
      'quarantine',
    )
  }
}

export { MASTER_KINDS }
export type { Touched }
