/**
 * Group commit of fact batches: every body's new records are queued per kind, and one writer
 * per kind takes everything queued (up to a bound) into one id check and one INSERT. While the
 * engine writes one group, the next requests are parsed and validated, and a larger insert costs
 * the engine less per row than several small ones (fewer parts to write and merge later).
 * Each request is answered once its group is durable. The writer is the only one checking and
 * inserting ids of its kind, so two bodies carrying the same new id cannot both pass.
 */
import { dateOfDayNumber } from '../../segments/values.js'
import type { Db, NdjsonPiece, StagedNdjson } from '../db/gateway.js'
import { log } from '../log.js'
import { INTAKE, INTAKE_SETTINGS, intakeSelect } from './intake.js'
import { HashSet52, IdIndex } from './hashset.js'
import { RecentIds, hash52 } from './recent.js'
import type { FactKind } from './schemas.js'

/** A body's valid records with distinct ids, in order. */
export interface Batch {
  /** When the body arrived (ISO); a group's rows carry the earliest of its bodies'. */
  receivedAt: string
  /** Ids as stored. */
  ids: string[]
  /** Local days (days since 1970-01-01 in Asia/Shanghai). */
  days: ArrayLike<number> & Iterable<number>
  /** The writer's idHash of each id (see recent.ts). */
  hashes: ArrayLike<number>
  /** The given records' JSON text, as the engine reads it (intake.ts): to stage a subset again. */
  subset(indexes: readonly number[]): NdjsonPiece[]
  /** Every record's text, staged for the engine by the caller (who disposes of it). */
  staged: StagedNdjson
}

// Each INSERT costs the engine ~60 ms of fixed work (a part per table and view, planning the
// views): 200k scans take 1.7 s in 20k-row inserts, 1.0 s in 50k and 0.7–0.9 s in 100k.
// Beyond ~150k a group saves little more and holds more memory.
const MAX_GROUP_ROWS = 150_000
// When a day's ids are loaded, the next days' are loaded with it: a stream of events in time
// order then costs one load per week instead of one per day.
const PREFETCH_DAYS = 7
// An `IN` list this long stays well inside ClickHouse's URL limit over HTTP.
const LOOKUP_CHUNK = 10_000

interface Pending {
  batch: Batch
  resolve: (kept: number[]) => void
  reject: (e: unknown) => void
}

export class FactWriter {
  private readonly queues = new Map<FactKind, Pending[]>()
  private readonly draining = new Set<FactKind>()
  /** Embedded mode only: this process is the only writer, so it can remember accepted ids. */
  private readonly recent: RecentIds | undefined

  /**
   * @param idHash the hash of ids kept in memory (tests pass a colliding one to exercise lookups)
   */
  constructor(
    private readonly db: Db,
    readonly idHash: (id: string) => number = hash52,
  ) {
    this.recent = db.engine === 'embedded' ? new RecentIds(idHash) : undefined
  }

  /** Writes the batch's records whose ids were never accepted; resolves with their indexes once durable. */
  write(kind: FactKind, batch: Batch): Promise<number[]> {
    return new Promise((resolve, reject) => {
      let q = this.queues.get(kind)
      if (!q) this.queues.set(kind, (q = []))
      q.push({ batch, resolve, reject })
      if (!this.draining.has(kind)) void this.drain(kind)
    })
  }

  private async drain(kind: FactKind): Promise<void> {
    this.draining.add(kind)
    const q = this.queues.get(kind) ?? []
    try {
      while (q.length) {
        const group: Pending[] = [q.shift() as Pending]
        let rows = group[0].batch.ids.length
        while (q.length && rows + q[0].batch.ids.length <= MAX_GROUP_ROWS) {
          rows += q[0].batch.ids.length
          group.push(q.shift() as Pending)
        }
        try {
          const t0 = performance.now()
          const kept = await this.commit(kind, group.map((p) => p.batch))
          log.debug('ingest group', { kind, bodies: group.length, rows, queued: q.length, ms: Math.round(performance.now() - t0) })
          group.forEach((p, i) => p.resolve(kept[i]))
        } catch (e) {
          if (group.length === 1) {
            group[0].reject(e)
            continue
          }
          // One body's records may have failed the whole group: write them one by one, so
          // that only that body's request fails.
          log.warn('ingest: a group insert failed, writing its bodies one by one', { kind, bodies: group.length })
          for (const p of group) await this.commit(kind, [p.batch]).then((k) => p.resolve(k[0]), p.reject)
        }
      }
    } finally {
      this.draining.delete(kind)
    }
  }

  /** One id check and one INSERT for a group of batches; the kept indexes of each batch. */
  private async commit(kind: FactKind, batches: Batch[]): Promise<number[][]> {
    // A record whose id came earlier in the group is a duplicate, as if the bodies came in turn.
    const first: number[][] = batches.map((b) => b.ids.map((_, i) => i))
    if (batches.length > 1) {
      const seen = new IdIndex(batches.reduce((n, b) => n + b.ids.length, 0))
      for (let j = 0; j < batches.length; j++) {
        const { ids, hashes } = batches[j]
        let dup: Set<number> | undefined
        for (let i = 0; i < ids.length; i++) if (!seen.add(ids[i], hashes[i])) (dup ??= new Set()).add(i)
        if (dup) first[j] = first[j].filter((i) => !dup.has(i))
      }
    }
    const days = [...new Set(batches.flatMap((b) => [...new Set(b.days)]))]
    const known = await this.knownIds(kind, days, batches, first)
    const kept = known.size ? first.map((idx, j) => idx.filter((i) => !known.has(batches[j].ids[i]))) : first
    // Batches go in as staged; only those that lost records are staged again.
    const restaged: StagedNdjson[] = []
    const parts: StagedNdjson[] = []
    try {
      for (let j = 0; j < batches.length; j++) {
        const b = batches[j]
        if (kept[j].length === b.ids.length) parts.push(b.staged)
        else if (kept[j].length > 0) {
          const st = await this.db.stageNdjson(b.subset(kept[j]))
          restaged.push(st)
          parts.push(st)
        }
      }
      if (parts.length === 0) return kept
      const intake = INTAKE[kind]
      const received = batches.map((b) => b.receivedAt).sort()[0]
      await this.db.insertStaged(parts, { ...intake, select: intakeSelect(kind, received), settings: INTAKE_SETTINGS }, `ingest-${kind}`)
    } catch (e) {
      // Whether any row went in is unknown: those days are read from the table next time.
      this.recent?.forget(kind, days)
      throw e
    } finally {
      await Promise.all(restaged.map((st) => st.dispose()))
    }
    if (this.recent)
      for (let j = 0; j < batches.length; j++) {
        const b = batches[j]
        for (const i of kept[j]) this.recent.add(kind, b.days[i], b.hashes[i])
      }
    return kept
  }

  /**
   * Ids among the candidates (`idx` of each batch) already accepted, from `ingest_ids`.
   * Embedded, the recent-ids cache rules out almost every new id in memory and only the rest
   * are looked up; over HTTP (other writers may exist) every id is. Only the batch's local days
   * are read.
   */
  private async knownIds(kind: FactKind, days: number[], batches: Batch[], idx: number[][]): Promise<Set<string>> {
    // Candidates for a lookup, as [batch, record] pairs.
    const candidates: (readonly [number, number])[] = []
    const recent = this.recent
    if (recent) {
      const sets = new Map<number, HashSet52>()
      const missing: number[] = []
      for (const d of days) {
        const set = recent.day(kind, d)
        if (set) sets.set(d, set)
        else missing.push(d)
      }
      if (missing.length) {
        const last = Math.max(...missing)
        for (let d = last + 1; d <= last + PREFETCH_DAYS; d++) if (!recent.day(kind, d)) missing.push(d)
        const rows = await this.db.query<{ d: number; id: string }>(
          `SELECT toUInt32(day) AS d, id FROM ingest_ids WHERE kind = {kind:String} AND day IN (SELECT arrayJoin({days:Array(Date)}))`,
          { kind, days: missing.map(dateOfDayNumber) },
          'dedupe-load',
        )
        const byDay = new Map<number, string[]>(missing.map((d) => [d, []]))
        for (const r of rows) byDay.get(Number(r.d))?.push(r.id)
        for (const [d, list] of byDay) sets.set(d, recent.load(kind, d, list))
      }
      for (let j = 0; j < batches.length; j++) {
        const { days: bd, hashes } = batches[j]
        for (const i of idx[j]) if (sets.get(bd[i])?.has(hashes[i]) ?? true) candidates.push([j, i])
      }
    } else idx.forEach((list, j) => list.forEach((i) => candidates.push([j, i])))
    const known = new Set<string>()
    if (candidates.length === 0) return known
    const ids = candidates.map(([j, i]) => batches[j].ids[i])
    const lookupDays = [...new Set(candidates.map(([j, i]) => batches[j].days[i]))].map(dateOfDayNumber)
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
