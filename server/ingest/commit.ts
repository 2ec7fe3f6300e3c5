/**
 * Acceptance and group commit of fact batches.
 *
 * A body's records are accepted one body at a time per kind: ids accepted before (inserted, or
 * accepted and still waiting) are dropped, and the rest become an entry of the kind's write-ahead
 * log. Embedded, that entry is a file under `DATA_DIR/wal`, so it is durable (it survives the
 * process) as soon as it is accepted, and the request can be answered; over HTTP it is kept in
 * memory and the request waits for its insert. One writer per kind inserts whatever entries are
 * waiting (up to a bound) in one INSERT, while the next bodies are parsed: the engine's work per
 * row falls with the size of an insert (fewer parts to write and merge), and parsing no longer
 * waits for the engine. A bounded backlog holds requests back when the engine falls behind.
 *
 * An insert that fails may have written part of its rows: its entries are then written one by
 * one with their ids looked up first and their records re-serialised from validated values (the
 * engine refuses a few forms the validator reads, e.g. a key given twice), retried with backoff,
 * and quarantined with the engine's message when they still fail. Entries left in the log by a
 * stopped process are written the same way by {@link FactWriter.recover} before ingestion opens.
 */
import fs from 'node:fs'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { dateOfDayNumber, localDayNumber } from '../../segments/values.js'
import type { Db, NdjsonPiece, StagedNdjson } from '../db/gateway.js'
import { errorText, log } from '../log.js'
import { fastValidate } from './fast.js'
import { INTAKE, INTAKE_SETTINGS, intakeSelect } from './intake.js'
import { HashSet52 } from './hashset.js'
import { Mutex } from './mutex.js'
import { ndjsonRecord } from './parse.js'
import { RecentIds, hash52 } from './recent.js'
import { FACT_KINDS, type FactKind } from './schemas.js'
import { validateOne } from './validate.js'

/** A body's valid records with distinct ids, in order. */
export interface Batch {
  /** When the body arrived (ISO); a group's rows carry the earliest of its bodies'. */
  receivedAt: string
  /** Records. */
  count: number
  /** Record i's id as stored (made on demand: most ids are never needed as strings). */
  id(i: number): string
  /** Local days (days since 1970-01-01 in Asia/Shanghai). */
  days: ArrayLike<number> & Iterable<number>
  /** The writer's idHash of each id (see recent.ts). */
  hashes: ArrayLike<number>
  /** The given records' JSON text, as the engine reads it (intake.ts): to stage a subset again. */
  subset(indexes: readonly number[]): NdjsonPiece[]
  /** Every record's text, staged for the engine by the caller (who disposes of it afterwards). */
  staged: StagedNdjson
}

/** What became of a batch: the indexes of its new records, and when they can be read. */
export interface Accepted {
  kept: number[]
  /** Resolves once the kept records (and every record accepted before them) are in the tables. */
  visible: Promise<void>
}

// Each INSERT costs the engine fixed work (a part per table, view and month touched), and its
// views aggregate a larger block better: 200k scans take 1.7 s in 20k-row inserts and 0.7–0.9 s
// in 100k-row ones; at the reference scale 1M-row groups ran ~40% faster than 150k-row ones.
// But the engine holds a group's block in every view at once: at 4M scans 1M-row groups took the
// server to 2.0–2.2 GiB, 750k-row ones to 1.7 GiB at the same rate (500k: 1.5 GiB, ~15% slower).
const MAX_GROUP_ROWS = 750_000
const MAX_BACKLOG_ROWS = 2 * MAX_GROUP_ROWS
// When a day's ids are loaded, the next days' are loaded with it: a stream of events in time
// order then costs one load per week instead of one per day.
const PREFETCH_DAYS = 7
// An `IN` list this long stays well inside ClickHouse's URL limit over HTTP.
const LOOKUP_CHUNK = 10_000
// A failed entry is tried this many times (backoff 1, 2, 4, 8 s) before it is quarantined.
const MAX_ATTEMPTS = 5

/** The id column of each kind as the engine reads the intake's input (scan ids as lower-case UUIDs). */
const ID_OF_RECORD: Record<FactKind, (v: Record<string, unknown>) => string> = {
  scans: (v) => (v.event_id as string).toLowerCase(),
  orders: (v) => v.order_id as string,
  rewards: (v) => v.reward_id as string,
}

interface Entry {
  seq: number
  staged: StagedNdjson
  rows: number
  receivedAt: string
  /** Days and id hashes of its records; null when unknown (an entry found in the log at start). */
  days: Int32Array | null
  hashes: Float64Array | null
  /** Written alone, ids looked up first, records re-serialised (after a failure, or recovered). */
  repair: boolean
  attempts: number
  /** Embedded: the distinct days it holds in KindLog.waitingDays until inserted. */
  waitingOn: number[]
  /** Neither inserted nor quarantined (its file could not be read): left in the log for the next start. */
  keep?: boolean
}

/** One kind's log: entries waiting in order, and who waits for them. */
class KindLog {
  readonly queue: Entry[] = []
  /** Rows accepted and not yet inserted. */
  backlog = 0
  /** The last entry accepted, and the last one inserted (entries are inserted in order). */
  lastSeq = 0
  doneSeq = 0
  /**
   * Over HTTP (no recent-ids cache): hashes of the ids waiting in the queue (and, until rebuilt,
   * of some already inserted). Embedded, accepted ids go into the cache at once instead, and
   * `waitingDays` counts the entries waiting per day, whose days the cache must keep.
   */
  pending = new HashSet52()
  readonly waitingDays = new Map<number, number>()
  readonly accepting = new Mutex()
  draining = false
  /** Resolved after each insert (with the then doneSeq). */
  waiters: (() => void)[] = []
}

export class FactWriter {
  private readonly logs = new Map<FactKind, KindLog>()
  /** Embedded mode only: this process is the only writer, so it can remember accepted ids. */
  private readonly recent: RecentIds | undefined
  /**
   * Embedded: per kind, the local days that have ids in `ingest_ids` (read once, then kept up to
   * date by this writer, the only one). A day without any is known empty without a query: a
   * feed moving forward in time never waits for a load, which would queue behind the engine's
   * current insert (seconds) while holding up acceptance.
   */
  private readonly storedDays = new Map<FactKind, Set<number>>()
  private nextSeq = 1

  /**
   * @param idHash the hash of ids kept in memory (tests pass a colliding one to exercise lookups)
   */
  constructor(
    private readonly db: Db,
    readonly idHash: (id: string) => number = hash52,
  ) {
    this.recent = db.engine === 'embedded' ? new RecentIds(idHash) : undefined
  }

  /**
   * Accepts the batch's records whose ids were never accepted, in the kind's log. Embedded it
   * resolves once they are durable in the log; over HTTP once they are inserted.
   */
  async write(kind: FactKind, batch: Batch): Promise<Accepted> {
    const k = this.log(kind)
    const { kept, seq } = await k.accepting.run(() => this.accept(kind, k, batch))
    const visible = seq ? this.visible(k, seq) : Promise.resolve()
    if (!this.db.walDir) await visible
    return { kept, visible }
  }

  /** Checks the batch's ids and logs its new records (one batch of a kind at a time). */
  private async accept(kind: FactKind, k: KindLog, batch: Batch): Promise<{ kept: number[]; seq: number }> {
    while (k.backlog > 0 && k.backlog + batch.count > MAX_BACKLOG_ROWS) await this.progress(k)
    const all = Array.from({ length: batch.count }, (_, i) => i)
    const known = await this.knownIds(kind, k, batch, all)
    const kept = known.size ? all.filter((i) => !known.has(batch.id(i))) : all
    if (kept.length === 0) return { kept, seq: 0 }
    let staged = kept.length === batch.count ? batch.staged : await this.db.stageNdjson(batch.subset(kept))
    const seq = this.nextSeq++
    if (this.db.walDir) staged = await this.db.keepStaged(staged, this.walFile(kind, batch.receivedAt, seq))
    const days = new Int32Array(kept.length)
    const hashes = new Float64Array(kept.length)
    const recent = this.recent
    for (let j = 0; j < kept.length; j++) {
      days[j] = batch.days[kept[j]]
      hashes[j] = batch.hashes[kept[j]]
    }
    // The cache holds accepted ids from now on (their days are loaded: knownIds loaded them).
    if (recent) recent.addAll(kind, days, hashes)
    else for (const h of hashes) k.pending.add(h)
    const waitingOn = recent ? [...new Set(days)] : []
    for (const d of waitingOn) k.waitingDays.set(d, (k.waitingDays.get(d) ?? 0) + 1)
    this.enqueue(kind, k, { seq, staged, rows: kept.length, receivedAt: batch.receivedAt, days, hashes, repair: false, attempts: 0, waitingOn })
    return { kept, seq }
  }

  /** Resolves once every record of the kind accepted so far is in the tables. */
  flushed(kind: FactKind): Promise<void> {
    const k = this.log(kind)
    return this.visible(k, k.lastSeq)
  }

  /** Rows accepted and not yet inserted, per kind. */
  backlog(): Record<string, number> {
    return Object.fromEntries([...this.logs].map(([kind, k]) => [kind, k.backlog]))
  }

  /**
   * Writes the entries a stopped process left in the log (ids already in the tables are dropped,
   * so an entry written just before the stop is not written twice). Run before ingestion opens.
   */
  async recover(): Promise<number> {
    const dir = this.db.walDir
    if (!dir) return 0
    let entries = 0
    for (const kind of Object.keys(FACT_KINDS) as FactKind[]) {
      const kdir = path.join(dir, kind)
      if (!fs.existsSync(kdir)) continue
      const k = this.log(kind)
      for (const name of fs.readdirSync(kdir).filter((n) => n.endsWith('.ndjson')).sort()) {
        const at = Number(name.split('-')[0])
        const receivedAt = new Date(Number.isFinite(at) && at > 0 ? at : Date.now()).toISOString()
        this.enqueue(kind, k, { seq: this.nextSeq++, staged: this.db.stagedFile(path.join(kdir, name)), rows: 0, receivedAt, days: null, hashes: null, repair: true, attempts: 0, waitingOn: [] })
        entries++
      }
      await this.flushed(kind)
    }
    if (entries) log.info('ingest: log entries of a stopped process written', { entries })
    return entries
  }

  private log(kind: FactKind): KindLog {
    let k = this.logs.get(kind)
    if (!k) this.logs.set(kind, (k = new KindLog()))
    return k
  }

  private walFile(kind: FactKind, receivedAt: string, seq: number): string {
    const dir = path.join(this.db.walDir as string, kind)
    fs.mkdirSync(dir, { recursive: true })
    // Named by arrival time, then order: a restart writes them back in that order.
    return path.join(dir, `${String(Date.parse(receivedAt)).padStart(15, '0')}-${String(seq).padStart(12, '0')}-${randomUUID().slice(0, 8)}.ndjson`)
  }

  private enqueue(kind: FactKind, k: KindLog, e: Entry): void {
    k.queue.push(e)
    k.backlog += e.rows
    k.lastSeq = e.seq
    if (!k.draining) void this.drain(kind, k)
  }

  private progress(k: KindLog): Promise<void> {
    return new Promise((resolve) => k.waiters.push(resolve))
  }

  private async visible(k: KindLog, seq: number): Promise<void> {
    while (k.doneSeq < seq) await this.progress(k)
  }

  private async drain(kind: FactKind, k: KindLog): Promise<void> {
    k.draining = true
    try {
      while (k.queue.length) {
        // A group of entries in order up to the bound; an entry being repaired goes alone.
        const group: Entry[] = [k.queue[0]]
        let rows = group[0].rows
        if (!group[0].repair)
          while (group.length < k.queue.length && !k.queue[group.length].repair && rows + k.queue[group.length].rows <= MAX_GROUP_ROWS) {
            rows += k.queue[group.length].rows
            group.push(k.queue[group.length])
          }
        const t0 = performance.now()
        try {
          if (group[0].repair) await this.repair(kind, group[0])
          else {
            const received = group.map((e) => e.receivedAt).sort()[0]
            await this.db.insertStaged(
              group.map((e) => e.staged),
              { ...INTAKE[kind], select: intakeSelect(kind, received), settings: INTAKE_SETTINGS },
              `ingest-${kind}`,
            )
          }
        } catch (e) {
          // Whether any of the group's rows went in is unknown: each entry is written alone
          // with its ids looked up first.
          const head = group[0]
          for (const en of group) en.repair = true
          if (head.repair && group.length === 1 && ++head.attempts >= MAX_ATTEMPTS)
            await this.deadLetter(kind, head, e).catch((q: unknown) => {
              head.keep = true
              log.error('ingest: a refused log entry could not be read to quarantine it; it stays in the log for the next start', { kind, error: errorText(q) })
            })
          else {
            log.warn('ingest: an insert failed; its entries are written again one by one', { kind, entries: group.length, attempt: head.attempts, error: (e as Error).message })
            if (head.attempts > 0) await new Promise((r) => setTimeout(r, 1000 * 2 ** (head.attempts - 1)))
            continue
          }
        }
        log.debug('ingest group', { kind, entries: group.length, rows, queued: k.queue.length - group.length, ms: Math.round(performance.now() - t0) })
        k.queue.splice(0, group.length)
        const stored = this.storedDays.get(kind)
        for (const en of group) {
          k.backlog -= en.rows
          if (stored && en.days) for (const d of en.days) stored.add(d)
          for (const d of en.waitingOn) {
            const n = (k.waitingDays.get(d) ?? 1) - 1
            if (n > 0) k.waitingDays.set(d, n)
            else k.waitingDays.delete(d)
          }
          // A recovered entry's ids are known once repaired (a day not in the cache reads them from the table).
          if (this.recent && en.waitingOn.length === 0 && en.days && en.hashes && en.attempts < MAX_ATTEMPTS) this.recent.addAll(kind, en.days, en.hashes)
          // A file left behind is written again (as ids already stored) at the next start.
          if (!en.keep) await en.staged.dispose().catch((q: unknown) => log.warn('ingest: a written log entry could not be removed', { kind, error: errorText(q) }))
        }
        k.doneSeq = group[group.length - 1].seq
        // Hashes of inserted ids leave the pending set when it is rebuilt (they are in ingest_ids now).
        if (!this.recent && k.pending.size > 2 * k.backlog + 100_000) {
          k.pending = new HashSet52(k.backlog)
          for (const en of k.queue) if (en.hashes) for (const h of en.hashes) k.pending.add(h)
        }
        const waiters = k.waiters
        k.waiters = []
        for (const w of waiters) w()
      }
    } finally {
      k.draining = false
    }
  }

  /**
   * Writes one entry whose earlier insert failed (or which a stopped process left): its records
   * re-serialised from their validated values, those whose ids are already stored dropped.
   */
  private async repair(kind: FactKind, e: Entry): Promise<void> {
    const text = await this.db.readStaged(e.staged)
    const spec = FACT_KINDS[kind]
    const lines: string[] = []
    const ids: string[] = []
    const days: number[] = []
    let n = 0
    for (const raw of text.split('\n')) {
      n++
      if (raw.trim() === '') continue
      const r = ndjsonRecord(raw, n)
      let value = r.parseError === undefined ? fastValidate(kind, r.value) : undefined
      if (!value) {
        const v = validateOne(spec.schema, r)
        if (!('row' in v)) throw new Error(`log entry line ${n} is not a valid record: ${v.errors.map((x) => `${x.path} ${x.message}`).join('; ')}`)
        value = v.row as Record<string, unknown>
      }
      lines.push(JSON.stringify(value))
      ids.push(ID_OF_RECORD[kind](value))
      days.push(localDayNumber(Date.parse(value.ts as string)))
    }
    const known = await this.lookup(kind, ids, days)
    const keep = lines.filter((_, i) => !known.has(ids[i]))
    if (keep.length) {
      const staged = await this.db.stageNdjson(keep)
      try {
        await this.db.insertStaged([staged], { ...INTAKE[kind], select: intakeSelect(kind, e.receivedAt), settings: INTAKE_SETTINGS }, `ingest-${kind}-repair`)
      } finally {
        await staged.dispose()
      }
    }
    e.days = Int32Array.from(days)
    e.hashes = Float64Array.from(ids, (id) => this.idHash(id))
  }

  /** Quarantines an entry the engine keeps refusing, with its message, so that nothing accepted is lost. */
  private async deadLetter(kind: FactKind, e: Entry, err: unknown): Promise<void> {
    const text = await this.db.readStaged(e.staged)
    const message = `accepted, but the engine refused the insert ${MAX_ATTEMPTS} times: ${(err as Error).message}`.slice(0, 2000)
    const batchId = randomUUID()
    const rows = text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((raw, i) => ({ received_at: e.receivedAt, batch_id: batchId, kind, line: i + 1, raw, errors: JSON.stringify([{ path: '', message }]) }))
    log.error('ingest: a log entry is quarantined after repeated insert failures', { kind, batch_id: batchId, rows: rows.length, error: (err as Error).message })
    for (;;) {
      try {
        await this.db.insert('quarantine', rows, 'quarantine')
        return
      } catch (q) {
        log.error('ingest: quarantining a refused log entry failed; retrying', { kind, error: (q as Error).message })
        await new Promise((r) => setTimeout(r, 5000))
      }
    }
  }

  /**
   * Ids of the batch's candidates (`idx`) already accepted: inserted (`ingest_ids`) or waiting in
   * the log. Embedded, the recent-ids cache rules out almost every new id in memory and only the
   * rest are looked up; over HTTP (other writers may exist) every id is. An id whose hash is among
   * the waiting ones is looked up once the log is written, so two bodies carrying one new id
   * cannot both pass. Only the batch's local days are read.
   */
  private async knownIds(kind: FactKind, k: KindLog, batch: Batch, idx: number[]): Promise<Set<string>> {
    const { days: bd, hashes } = batch
    const candidates: number[] = []
    let waiting = false
    const recent = this.recent
    if (recent) {
      const sets = new Map<number, HashSet52>()
      const missing: number[] = []
      for (const d of new Set(bd)) {
        const set = recent.day(kind, d)
        if (set) sets.set(d, set)
        else missing.push(d)
      }
      if (missing.length) {
        const stored = await this.daysStored(kind)
        const last = Math.max(...missing)
        for (let d = last + 1; d <= last + PREFETCH_DAYS; d++) if (!recent.day(kind, d)) missing.push(d)
        // Days with no stored id start empty; the others are read from the table.
        const toRead = missing.filter((d) => stored.has(d))
        const byDay = new Map<number, string[]>(missing.map((d) => [d, []]))
        if (toRead.length) {
          const rows = await this.db.query<{ d: number; id: string }>(
            `SELECT toUInt32(day) AS d, id FROM ingest_ids WHERE kind = {kind:String} AND day IN (SELECT arrayJoin({days:Array(Date)}))`,
            { kind, days: toRead.map(dateOfDayNumber) },
            'dedupe-load',
          )
          for (const r of rows) byDay.get(Number(r.d))?.push(r.id)
        }
        for (const [d, list] of byDay) sets.set(d, recent.load(kind, d, list))
        // The cache keeps this body's days and the days of ids still waiting in the log (those ids
        // are in no table yet: a day dropped and read again would miss them).
        recent.trim(kind, [...sets.keys(), ...k.waitingDays.keys()])
      }
      for (const i of idx) if (sets.get(bd[i])?.has(hashes[i]) ?? true) candidates.push(i)
      // A candidate may be an id accepted and still waiting in the log: it is looked up once the
      // log is written.
      waiting = candidates.length > 0 && k.doneSeq < k.lastSeq
    } else
      for (const i of idx) {
        if (k.pending.has(hashes[i])) waiting = true
        candidates.push(i)
      }
    if (candidates.length === 0) return new Set()
    // A candidate may be waiting in the log: look it up once the log is written.
    if (waiting) await this.visible(k, k.lastSeq)
    return this.lookup(
      kind,
      candidates.map((i) => batch.id(i)),
      candidates.map((i) => bd[i]),
    )
  }

  private async daysStored(kind: FactKind): Promise<Set<number>> {
    let days = this.storedDays.get(kind)
    if (!days) {
      const rows = await this.db.query<{ d: number }>(`SELECT DISTINCT toUInt32(day) AS d FROM ingest_ids WHERE kind = {kind:String}`, { kind }, 'dedupe-days')
      // Another caller may have read them meanwhile (and the writer added days since).
      days = this.storedDays.get(kind) ?? new Set(rows.map((r) => Number(r.d)))
      this.storedDays.set(kind, days)
    }
    return days
  }

  /** Which of the ids (with their local days) are in `ingest_ids`. */
  private async lookup(kind: FactKind, ids: string[], days: number[]): Promise<Set<string>> {
    const known = new Set<string>()
    if (ids.length === 0) return known
    const lookupDays = [...new Set(days)].map(dateOfDayNumber)
    for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
      const rows = await this.db.query<{ id: string }>(
        // `IN (SELECT arrayJoin(param))`, not `IN param`: with chDB 3.4 a 25k-element array
        // parameter on the right of IN takes ~45 s, the subquery form ~0.1 s.
        `SELECT id FROM ingest_ids
         WHERE kind = {kind:String} AND day IN (SELECT arrayJoin({days:Array(Date)}))
           AND id IN (SELECT arrayJoin({ids:Array(String)}))`,
        { kind, days: lookupDays, ids: ids.slice(i, i + LOOKUP_CHUNK) },
        'dedupe',
      )
      for (const r of rows) known.add(r.id)
    }
    return known
  }
}
