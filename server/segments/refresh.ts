/**
 * Scheduled refresh of saved segments: compute the members as of a date, diff them against the
 * current membership, and append who entered (+1) and who left (-1) to the changelog
 * `segment_members`, with the segment version and as_of; one `segment_refreshes` row sums it up.
 */
import { randomUUID } from 'node:crypto'
import type { RefreshResult, SegmentHistory } from '../../segments/api.js'
import { ApiError } from '../api/errors.js'
import type { Db } from '../db/gateway.js'
import { Mutex } from '../ingest/mutex.js'
import { Schedule } from '../jobs.js'
import { errorText, log } from '../log.js'
import { engineDateTime } from '../../segments/values.js'
import { isoUtc } from './errors.js'
import { SegmentQueries } from './query.js'
import { SegmentStore } from './store.js'

// One refresh at a time in the process, whichever refresher runs it: two refreshes of the same
// segment diffing against the same membership would both append the same entries.
const running = new Mutex()

const CURRENT = `SELECT member_id FROM segment_current WHERE segment_id = {r_id:String} GROUP BY member_id HAVING sum(n) > 0`

export class SegmentRefresher {
  private readonly schedule = new Schedule()
  private readonly store: SegmentStore
  private readonly queries: SegmentQueries

  constructor(private readonly db: Db) {
    this.store = new SegmentStore(db)
    this.queries = new SegmentQueries(db, this.store)
  }

  /**
   * Refreshes one segment as of `asOf` (default: the current as_of).
   * @example await new SegmentRefresher(db).refresh('seg_…') // { size: 120, entered: 7, left: 3, … }
   */
  refresh(id: string, asOf?: string): Promise<RefreshResult> {
    return running.run(() => this.refreshNow(id, asOf))
  }

  /** Refreshes every segment that is not deleted, one after another; a segment that fails is logged and skipped. */
  async refreshAll(asOf?: string): Promise<RefreshResult[]> {
    const out: RefreshResult[] = []
    for (const s of await this.store.list()) {
      try {
        out.push(await this.refresh(s.id, asOf))
      } catch (e) {
        log.error('segment refresh failed', { segment: s.id, error: errorText(e) })
      }
    }
    return out
  }

  /** Refreshes all segments every `intervalMs`, or less often when runs take long (server/jobs.ts). */
  start(intervalMs: number): void {
    this.schedule.start('segment refresh', () => this.refreshAll(), intervalMs)
  }

  /** Stops the schedule; resolves when a refresh in progress has finished. */
  async stop(): Promise<void> {
    await this.schedule.stop()
  }

  private async refreshNow(id: string, asOf: string | undefined): Promise<RefreshResult> {
    const t0 = performance.now()
    const seg = await this.store.get(id)
    if (seg.deleted) throw new ApiError('not_found', `segment ${id} was deleted`)
    const c = await this.queries.compile(seg.entity, seg.rule, asOf, id)
    const refreshId = randomUUID()
    const refreshedAt = new Date().toISOString()
    // Parameters take the engine's own date-time text, not ISO 8601 with a Z.
    const keys = { r_id: id, r_refresh: refreshId, r_version: seg.version, r_as_of: c.ctx.asOf, r_at: engineDateTime(Date.parse(refreshedAt)) }
    // One statement diffs new against current members, so both sides are one snapshot. A full
    // join fills a missing side with '' (ids are never empty): that side marks entered or left.
    await this.db.command(
      `INSERT INTO segment_members (segment_id, member_id, sign, version, as_of, refresh_id, refreshed_at)
       SELECT {r_id:String}, if(nxt.id != '', nxt.id, cur.member_id), if(nxt.id != '', 1, -1),
              {r_version:UInt32}, {r_as_of:Date}, {r_refresh:String}, {r_at:DateTime64(3, 'UTC')}
       FROM (SELECT id FROM ${c.from} WHERE ${c.where}) AS nxt
       FULL OUTER JOIN (${CURRENT}) AS cur ON nxt.id = cur.member_id
       WHERE nxt.id = '' OR cur.member_id = ''
       SETTINGS join_use_nulls = 0`,
      { ...c.params.values, ...keys },
      'segment-refresh',
    )
    const [changes] = await this.db.query<{ entered: number; exited: number }>(
      `SELECT countIf(sign > 0) AS entered, countIf(sign < 0) AS exited FROM segment_members
       WHERE segment_id = {r_id:String} AND refresh_id = {r_refresh:String}`,
      keys,
      'segment-refresh',
    )
    const [size] = await this.db.query<{ n: number }>(`SELECT count() AS n FROM (${CURRENT})`, keys, 'segment-refresh')
    const result: RefreshResult = {
      segment_id: id,
      refresh_id: refreshId,
      version: seg.version,
      as_of: c.ctx.asOf,
      refreshed_at: refreshedAt,
      size: Number(size.n),
      entered: Number(changes.entered),
      left: Number(changes.exited),
      duration_ms: Math.round(performance.now() - t0),
    }
    const { left, ...rest } = result
    await this.db.insert('segment_refreshes', [{ ...rest, exited: left }], 'segment-refresh')
    log.info('segment refreshed', { segment: id, size: result.size, entered: result.entered, left: result.left, ms: result.duration_ms })
    return result
  }
}

/** Size, entered and left per refresh, oldest first. */
export async function segmentHistory(db: Db, id: string): Promise<SegmentHistory> {
  const rows = await db.query<{ refresh_id: string; version: number; as_of: string; refreshed_at: string; size: number; entered: number; exited: number; duration_ms: number }>(
    `SELECT refresh_id, version, as_of, refreshed_at, size, entered, exited, duration_ms FROM segment_refreshes
     WHERE segment_id = {id:String} ORDER BY refreshed_at, refresh_id`,
    { id },
    'segment-history',
  )
  return {
    id,
    refreshes: rows.map((r) => ({
      refresh_id: r.refresh_id,
      version: Number(r.version),
      as_of: r.as_of,
      refreshed_at: isoUtc(r.refreshed_at),
      size: Number(r.size),
      entered: Number(r.entered),
      left: Number(r.exited),
      duration_ms: Number(r.duration_ms),
    })),
  }
}
