/**
 * The ingestion pipeline shared by the HTTP API, the import CLI and the demo seeder:
 * validate every record, drop ids already accepted (in this body or any earlier one), write
 * the new rows durably, quarantine the rejects with their raw text, and log the batch.
 */
import { randomUUID } from 'node:crypto'
import type { Db } from '../db/gateway.js'
import { errorText, log } from '../log.js'
import { BatchBuilder, type Touched } from './batch.js'
import { CoalescingInsert } from './coalesce.js'
import { IdIndex } from './hashset.js'
import { hash52 } from './recent.js'
import { FactWriter, type Accepted } from './commit.js'
import { fastCheck, fastValidate } from './fast.js'
import { passesThrough } from './intake.js'
import { applyMaster, type Conflict, type OnConflict } from './master.js'
import { Mutex } from './mutex.js'
import { YIELD_SLICE, indexNdjson, ndjsonRecord, parseNdjsonLines, yieldToLoop, type NdjsonIndex, type RawRecord } from './parse.js'
import { LineScanner } from './scanner.js'
import { FACT_KINDS, MASTER_KINDS, isFactKind, type FactKind, type Kind } from './schemas.js'
import { validateOne, type Rejected } from './validate.js'

export type Origin = 'api' | 'cli' | 'demo'

const INTAKE_WINDOW_MS = 10_000

export interface IngestOptions {
  origin: Origin
  onConflict?: OnConflict
  /**
   * When to answer for facts: 'durable' once the new rows are in the write-ahead log (embedded;
   * they reach the tables within seconds), 'visible' (the default) once they and every row of the
   * kind accepted before them can be read. Over HTTP to a ClickHouse server both wait for the insert.
   */
  wait?: 'durable' | 'visible'
}

export interface IngestResult {
  accepted: number
  duplicates: number
  rejected: { line: number; errors: { path: string; message: string }[] }[]
  conflicts?: Conflict[]
}

/** Told of new fact rows once they can be read, with the entities they refer to (e.g. to mark profiles for refresh). */
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
  // Fact rows accepted lately, for acceptedPerSecond().
  private readonly intake: { t: number; rows: number }[] = []

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

  /**
   * Writes the facts a stopped process accepted but had not inserted yet (embedded): call
   * before ingestion opens. Returns the number of log entries written.
   */
  recover(): Promise<number> {
    return this.writer.recover()
  }

  /** Resolves once every fact accepted so far can be read. */
  async flushed(): Promise<void> {
    for (const kind of Object.keys(FACT_KINDS) as FactKind[]) await this.writer.flushed(kind)
    await this.batchLog.settled()
  }

  /** Fact rows accepted per second over the last 10 s (all kinds). */
  acceptedPerSecond(): number {
    this.pruneIntake()
    return this.intake.reduce((n, x) => n + x.rows, 0) / (INTAKE_WINDOW_MS / 1000)
  }

  private pruneIntake(): void {
    const since = performance.now() - INTAKE_WINDOW_MS
    while (this.intake.length && this.intake[0].t < since) this.intake.shift()
  }

  /** Accepted fact rows not yet in the tables, per kind. */
  backlog(): Record<string, number> {
    return this.writer.backlog()
  }

  /** Ingests parsed records of one kind and reports what happened to each. */
  async ingest(kind: Kind, records: RawRecord[], opts: IngestOptions): Promise<IngestResult> {
    return this.ingestWith(kind, records.length, opts, (receivedAt) =>
      isFactKind(kind) ? this.facts(kind, records, receivedAt, opts) : this.lock(kind).run(() => applyMaster(this.db, kind, records, receivedAt, opts.onConflict ?? 'hold')),
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
    const logged = this.batchLog.insert([
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
    // A 'durable' reply does not wait for the batch log (an insert behind the engine's current
    // one): the accepted rows are in the write-ahead log, and the log row follows within seconds.
    if (isFactKind(kind) && opts.wait === 'durable') logged.catch((e: unknown) => log.error('ingest: the batch log insert failed', { kind, batch_id: batchId, error: errorText(e) }))
    else await logged
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
    return this.ingestWith(kind, index.count, opts, (receivedAt) => this.facts(kind, { body, index }, receivedAt, opts))
  }

  /** Ingests an NDJSON body given as UTF-8 bytes, facts through the byte scanner (the caller bounds its size). */
  async ingestBody(kind: Kind, body: Uint8Array, opts: IngestOptions): Promise<IngestResult> {
    if (isFactKind(kind)) return this.ingestNdjson(kind, body, indexNdjson(body), opts)
    const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
    return this.ingest(kind, parseNdjsonLines(text.split('\n'), 0), opts)
  }

  private async facts(kind: FactKind, source: RawRecord[] | { body: Uint8Array; index: NdjsonIndex }, receivedAt: string, opts: IngestOptions) {
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
    // Scanned ids are hashed from their bytes (the same hash as of their strings; a test's own
    // hash needs the string), and become strings only if asked for (two hashes meeting, a lookup).
    const fromBytes = idHash === hash52
    const seen = new IdIndex(count)
    // The ids compared when two hashes meet: a record already added, and the one being added.
    let current = ''
    const sameAsScanned = (j: number) => b.id(j) === bytes?.scanner.id()
    const sameAsCurrent = (j: number) => b.id(j) === current
    let duplicates = 0
    for (let n = 0; n < count; n++) {
      // Long bodies yield now and then, so the writer's next insert does not wait for them.
      if (n % YIELD_SLICE === YIELD_SLICE - 1) await yieldToLoop()
      let r: RawRecord
      if (!bytes) r = (source as RawRecord[])[n]
      else {
        const { starts, ends, scanner } = bytes
        if (scanner.scan(bytes.body, starts[n], ends[n])) {
          const h = fromBytes ? scanner.idHash() : idHash(scanner.id())
          if (seen.add(h, b.count, sameAsScanned)) b.addScanned(h, scanner.time, starts[n], ends[n], scanner)
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
      current = id
      if (!seen.add(h, b.count, sameAsCurrent)) {
        duplicates++
        continue
      }
      b.addValue(id, h, time, value, raw ? r.raw : undefined)
    }
    let accepted = 0
    if (b.count > 0) {
      // Staged off the writer's critical path; the writer keeps it as its log entry (embedded).
      const staged = await this.db.stageNdjson(b.pieces())
      let result: Accepted
      try {
        result = await this.writer.write(kind, { ...b.batch(), staged })
      } finally {
        await staged.dispose()
      }
      accepted = result.kept.length
      duplicates += b.count - accepted
      if (accepted) {
        this.intake.push({ t: performance.now(), rows: accepted })
        this.pruneIntake()
      }
      // Listeners (the profile refresh) hear of rows once they can be read.
      if (accepted && this.listeners.length) {
        const touched = b.touched(result.kept)
        const notify = () => {
          for (const l of this.listeners) l.accepted(kind, touched)
        }
        if (opts.wait === 'durable') void result.visible.then(notify)
        else {
          await result.visible
          notify()
        }
      }
    }
    if (opts.wait !== 'durable') await this.writer.flushed(kind)
    return { accepted, duplicates, rejectedRaw: rejected }
  }

  private wants(entity: keyof Touched): boolean {
    return this.listeners.some((l) => l.wants(entity))
  }

  private scanner(kind: FactKind): LineScanner {
    let s = this.scanners.get(kind)
    if (!s) this.scanners.set(kind, (s = new LineScanner(kind)))
    return s
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
