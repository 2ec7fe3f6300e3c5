/**
 * Distinct consumers for the dashboards: per day and SKU, the consumers who opened a bottle as a
 * bitmap of dense ids (`consumer_open_bitmaps`, ids in `consumer_ids`, sql/0008). A year's count
 * is then an OR of ~365 bitmaps instead of a hash set of millions of ids built from ~15M rows
 * (DESIGN §11: dense UInt32 ids with groupBitmap; 64-bit bitmaps and uniq states are slow).
 *
 * Kept in the background, not by a materialized view: a dense id needs one sequence, which a view
 * cannot draw from, and a per-insert lookup against millions of ids would slow every ingest.
 *
 * Exact and fresh all the same: each day's all-SKU row records the open events it was built from.
 * A day whose open events in `scan_daily` differ (data arrived since, or it was never built) is
 * read live from `scan_detail_daily` and merged with the bitmaps of the complete days: live
 * consumers with an id join the bitmap, those without one cannot be in any bitmap and are counted
 * by their string id. Data only grows (facts are never deleted), so an equal count means the same
 * rows.
 *
 * One index per database: ids are drawn by one process (as ingest is, ARCHITECTURE "Dedupe").
 */
import type { Db } from '../db/gateway.js'
import { Mutex } from '../ingest/mutex.js'
import { BACKGROUND, MORE, Schedule } from '../jobs.js'
import { log } from '../log.js'
import type { FilterSql } from './filters.js'
import { skuRows } from './store-periods.js'

/** Open events one refresh statement covers at most (a week at 100k stores: ~0.5 s per statement). */
export const EVENTS_PER_STATEMENT = 300_000

/** `day` among the `{days}` parameter (with a range, so the engine can skip other partitions). */
const DAYS_IN = 'day BETWEEN {lo:Date} AND {hi:Date} AND day IN (SELECT arrayJoin({days:Array(Date)}))'

/**
 * Days with opens whose bitmaps are missing or older than their data, oldest first, with their
 * open events; within `range` when given.
 */
export async function staleDays(db: Db, range?: { from: string; to: string }): Promise<{ day: string; opens: number }[]> {
  const within = range ? 'AND day BETWEEN {s_from:Date} AND {s_to:Date}' : ''
  const rows = await db.query<{ day_text: string; opens: number }>(
    `SELECT toString(l.day) AS day_text, l.n AS opens
     FROM (SELECT day, sum(events) AS n FROM scan_daily WHERE type = 'open' ${within} GROUP BY day) AS l
     LEFT JOIN (SELECT day, max(opens) AS b FROM consumer_open_bitmaps WHERE sku_id = '' ${within} GROUP BY day) AS c ON c.day = l.day
     WHERE c.b != l.n
     ORDER BY l.day`,
    range ? { s_from: range.from, s_to: range.to } : undefined,
    'consumer-index-stale',
  )
  return rows.map((r) => ({ day: r.day_text, opens: Number(r.opens) }))
}

/** Groups days into statements of at most `budget` open events each (a bigger day goes alone). */
export function chunkDays(days: { day: string; opens: number }[], budget = EVENTS_PER_STATEMENT): string[][] {
  const out: string[][] = []
  let cur: string[] = []
  let n = 0
  for (const d of days) {
    if (cur.length > 0 && n + d.opens > budget) {
      out.push(cur)
      cur = []
      n = 0
    }
    cur.push(d.day)
    n += d.opens
  }
  if (cur.length) out.push(cur)
  return out
}

function dayParams(days: string[]): Record<string, unknown> {
  const sorted = [...days].sort()
  return { days: sorted, lo: sorted[0], hi: sorted.at(-1) }
}

/** Gives ids to the consumers of `days` that have none, numbered on from the highest id in first-open order. */
async function assignIds(db: Db, days: string[]): Promise<void> {
  await db.command(
    `INSERT INTO consumer_ids (consumer_id, cid)
     SELECT consumer_id, toUInt32((SELECT max(cid) FROM consumer_ids) + row_number() OVER (ORDER BY first_day, consumer_id))
     FROM (
       SELECT consumer_id, min(day) AS first_day FROM scan_detail_daily
       WHERE ${DAYS_IN} AND type = 'open' AND consumer_id != '' AND store_id != ''
       GROUP BY consumer_id
     )
     WHERE consumer_id NOT IN (
       SELECT consumer_id FROM consumer_ids
       WHERE consumer_id IN (SELECT consumer_id FROM scan_detail_daily WHERE ${DAYS_IN} AND type = 'open')
     )`,
    dayParams(days),
    'consumer-index-ids',
  )
}

/**
 * Rebuilds the bitmaps of `days` from scan_detail_daily (OR-ed into what is there: a bitmap only
 * ever holds consumers the day really had). A day is recorded complete only when every consumer
 * read had an id; otherwise its `opens` is 0 and it stays live.
 */
async function buildBitmaps(db: Db, days: string[]): Promise<void> {
  await db.command(
    `INSERT INTO consumer_open_bitmaps (day, sku_id, ids, opens)
     SELECT day, sku_id, groupBitmapStateIf(cid, counted) AS ids, if(countIf(counted AND cid = 0) > 0, 0, sum(events)) AS opens
     FROM (
       SELECT o.day AS day, o.sku_id AS sku_id, o.events AS events, o.consumer_id != '' AND o.store_id != '' AS counted, i.cid AS cid
       FROM (SELECT day, sku_id, consumer_id, store_id, events FROM scan_detail_daily WHERE ${DAYS_IN} AND type = 'open') AS o
       LEFT ANY JOIN (
         SELECT consumer_id, cid FROM consumer_ids
         WHERE consumer_id IN (SELECT consumer_id FROM scan_detail_daily WHERE ${DAYS_IN} AND type = 'open')
       ) AS i ON i.consumer_id = o.consumer_id
     )
     GROUP BY GROUPING SETS ((day, sku_id), (day))`,
    dayParams(days),
    'consumer-index-bitmaps',
  )
}

export interface IndexRefresh {
  /** Days (re)built. */
  days: number
  statements: number
  ms: number
  /** Stale days left for the next run (the run's time slice ended first). */
  left: number
}

// A scheduled run stops starting statements after this long, and the next run continues: the
// background budget (server/jobs.ts) counts whole runs, and a year's catch-up in one run (~25 s
// at the reference scale, measured 62 s during a backfill) held ingestion up for all of it.
const SLICE_MS = 2000

/**
 * Keeps the consumer bitmaps current: each refresh rebuilds the days whose data changed, a few
 * days per statement (statements run one at a time in the embedded engine, so none may be long).
 */
export class ConsumerIndex {
  private readonly mutex = new Mutex()
  private readonly schedule = new Schedule()

  constructor(private readonly db: Db) {}

  /**
   * Brings every stale day up to date (or as many as fit in `sliceMs`, then stops); resolves when
   * done. Overlapping calls run one after another.
   */
  refresh(sliceMs = Infinity): Promise<IndexRefresh> {
    return this.mutex.run(async () => {
      const t0 = performance.now()
      const stale = await staleDays(this.db)
      const chunks = chunkDays(stale)
      let done = 0
      let days = 0
      for (const chunk of chunks) {
        if (done > 0 && performance.now() - t0 > sliceMs) break
        await assignIds(this.db, chunk)
        await buildBitmaps(this.db, chunk)
        done++
        days += chunk.length
      }
      const r = { days, statements: done * 2, ms: Math.round(performance.now() - t0), left: stale.length - days }
      if (r.days > 0) log.debug('consumer index refreshed', { ...r })
      return r
    })
  }

  /**
   * Refreshes now and then every `intervalMs` in runs of about 2 s, or less often when runs take
   * long (server/jobs.ts); a run that leaves stale days is followed as soon as the budget allows.
   */
  start(intervalMs: number): void {
    this.schedule.start('consumer index refresh', async () => ((await this.refresh(SLICE_MS)).left > 0 ? MORE : undefined), intervalMs, BACKGROUND, 0)
  }

  /** Stops the schedule; resolves once a refresh in flight has finished. */
  async stop(): Promise<void> {
    await this.schedule.stop()
    await this.mutex.run(async () => {})
  }
}

/**
 * A one-row subquery: `consumers` and `consumers_prev`, the distinct consumers who opened a bottle
 * at a known store in the period and in the previous one (params `p_from`..`p_to`, `q_from`..`q_to`),
 * under a product filter. Complete days come from the bitmaps; `stale` days (from
 * {@link staleDays}, bound as `stale`) from scan_detail_daily. Store filters are not supported
 * (the bitmaps have no store): callers count those live.
 */
export function indexedConsumersSql(fs: FilterSql, stale: string[]): string {
  if (fs.storeRestricted) throw new Error('the consumer bitmaps cannot answer a store filter')
  const bitmaps = `FROM consumer_open_bitmaps WHERE day BETWEEN {q_from:Date} AND {p_to:Date} AND ${skuRows(fs)}`
  if (stale.length === 0) {
    return `SELECT groupBitmapMergeIf(ids, day >= {p_from:Date}) AS consumers, groupBitmapMergeIf(ids, day <= {q_to:Date}) AS consumers_prev ${bitmaps}`
  }
  const live = `day IN (SELECT arrayJoin({stale:Array(Date)})) AND type = 'open' AND consumer_id != '' AND store_id != '' AND ${fs.product('sku_id')}`
  return `SELECT bitmapCardinality(bitmapOr(b.p, l.p)) + l.up AS consumers, bitmapCardinality(bitmapOr(b.q, l.q)) + l.uq AS consumers_prev
    FROM (
      SELECT groupBitmapMergeStateIf(ids, day >= {p_from:Date}) AS p, groupBitmapMergeStateIf(ids, day <= {q_to:Date}) AS q
      ${bitmaps} AND day NOT IN (SELECT arrayJoin({stale:Array(Date)}))
    ) AS b
    CROSS JOIN (
      SELECT groupBitmapStateIf(cid, cid > 0 AND day >= {p_from:Date}) AS p, groupBitmapStateIf(cid, cid > 0 AND day <= {q_to:Date}) AS q,
             uniqExactIf(consumer_id, cid = 0 AND day >= {p_from:Date}) AS up, uniqExactIf(consumer_id, cid = 0 AND day <= {q_to:Date}) AS uq
      FROM (
        SELECT o.day AS day, o.consumer_id AS consumer_id, i.cid AS cid
        FROM (SELECT day, consumer_id FROM scan_detail_daily WHERE day BETWEEN {q_from:Date} AND {p_to:Date} AND ${live}) AS o
        LEFT ANY JOIN (
          SELECT consumer_id, cid FROM consumer_ids
          WHERE consumer_id IN (SELECT consumer_id FROM scan_detail_daily WHERE day BETWEEN {q_from:Date} AND {p_to:Date} AND ${live})
        ) AS i ON i.consumer_id = o.consumer_id
      )
    ) AS l`
}
