/**
 * The ingestion pipeline shared by the HTTP API, the import CLI and the demo seeder:
 * validate every record, drop ids already accepted (in this body or any earlier one), write
 * the new rows durably, quarantine the rejects with their raw text, and log the batch.
 */
import { randomUUID } from 'node:crypto'
import { DbError, type Db } from '../db/gateway.js'
import { log } from '../log.js'
import { CoalescingInsert } from './coalesce.js'
import { localDayNumber } from '../../segments/values.js'
import { FactWriter, type Batch } from './commit.js'
import { fastCheck, fastValidate } from './fast.js'
import { passesThrough } from './intake.js'
import { applyMaster, type Conflict, type OnConflict } from './master.js'
import { Mutex } from './mutex.js'
import { YIELD_SLICE, yieldToLoop, type RawRecord } from './parse.js'
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

/** Called after new fact rows are durable (e.g. to mark profiles for refresh). */
export type AcceptedListener = (kind: FactKind, rows: readonly unknown[]) => void

export class Ingestor {
  // Master data: one writer per kind (versions are read, then written).
  private readonly locks = new Map<Kind, Mutex>()
  private readonly listeners: AcceptedListener[] = []
  // Facts: one group-committing writer per kind (commit.ts).
  private readonly writer: FactWriter
  // Concurrent requests' log and quarantine rows share inserts.
  private readonly batchLog: CoalescingInsert
  private readonly quarantined: CoalescingInsert

  /** @param opts.idHash the in-memory hash of fact ids (tests pass a colliding one) */
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
    const t0 = performance.now()
    const batchId = randomUUID()
    const receivedAt = new Date().toISOString()
    const result = isFactKind(kind)
      ? await this.facts(kind, records, receivedAt)
      : await this.lock(kind).run(() => applyMaster(this.db, kind, records, receivedAt, opts.onConflict ?? 'hold'))
    await this.quarantine(kind, batchId, receivedAt, result.rejectedRaw)
    const reply: IngestResult = {
      accepted: result.accepted,
      duplicates: result.duplicates,
      rejected: result.rejectedRaw.map(({ line, errors }) => ({ line, errors })),
      ...('conflicts' in result ? { conflicts: result.conflicts as Conflict[] } : {}),
    }
    const ms = Math.round(performance.now() - t0)
    await this.batchLog.insert([
        {
          batch_id: batchId,
          received_at: receivedAt,
          kind,
          origin: opts.origin,
          records: records.length,
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

  private async facts(kind: FactKind, records: RawRecord[], receivedAt: string) {
    const spec = FACT_KINDS[kind]
    // Validation runs outside the lock, so one request's CPU work overlaps another's insert;
    // only the id check and the insert are serialised. A valid record goes to the engine as its
    // own JSON text when the engine reads that text as the validator does (intake.ts), else
    // re-serialised from its validated value; either way the engine applies the same transform.
    const rejected: Rejected[] = []
    const batch: Omit<Batch, 'staged'> = { receivedAt, ids: [], days: [], hashes: [], lines: [] }
    // The record (as received when passed through raw, else its validated value), and whether it was.
    const values: Record<string, unknown>[] = []
    const raws: boolean[] = []
    const seen = new Set<string>()
    const hashing = this.writer.hashing
    const idHash = this.writer.idHash
    let duplicates = 0
    for (let n = 0; n < records.length; n++) {
      // Long bodies yield now and then, so the writer's next insert does not wait for them.
      if (n % YIELD_SLICE === YIELD_SLICE - 1) await yieldToLoop()
      const r = records[n]
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
      if (seen.has(id)) {
        duplicates++
        continue
      }
      seen.add(id)
      batch.ids.push(id)
      batch.days.push(localDayNumber(time))
      if (hashing) batch.hashes.push(idHash(id))
      batch.lines.push(raw ? r.raw : JSON.stringify(value))
      values.push(value)
      raws.push(raw)
    }
    if (batch.ids.length === 0) return { accepted: 0, duplicates, rejectedRaw: rejected }
    let fresh: number[]
    try {
      fresh = await this.writeStaged(kind, batch)
    } catch (e) {
      // The engine refused a record's own text that the validator accepted (e.g. a key given
      // twice): write the batch again from the validated values. The id check runs again, so
      // nothing the failed attempt may have written is written twice.
      if (!raws.includes(true) || !(e instanceof DbError)) throw e
      log.warn('ingest: raw records refused by the engine, re-serialising', { kind, error: e.message })
      const lines = values.map((v, i) => (raws[i] ? JSON.stringify(fastValidate(kind, v)) : batch.lines[i]))
      fresh = await this.writeStaged(kind, { ...batch, lines })
    }
    duplicates += batch.ids.length - fresh.length
    if (fresh.length) {
      const accepted = fresh.map((i) => values[i])
      for (const l of this.listeners) l(kind, accepted)
    }
    return { accepted: fresh.length, duplicates, rejectedRaw: rejected }
  }

  /** Stages the batch's lines (off the writer's critical path) and hands it to the writer. */
  private async writeStaged(kind: FactKind, batch: Omit<Batch, 'staged'>): Promise<number[]> {
    const staged = await this.db.stageNdjson(batch.lines.join('\n'))
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
