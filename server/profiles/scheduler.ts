/**
 * Keeps the materialised current profiles fresh: a full refresh when the as_of date changes
 * (windows slide every day) or on demand, and in between an incremental refresh of just the
 * entities whose events arrived since the last refresh (tracked from accepted rows).
 */
import { ENTITIES, type Entity } from '../../segments/catalog.js'
import type { Db } from '../db/gateway.js'
import type { Ingestor } from '../ingest/service.js'
import { Mutex } from '../ingest/mutex.js'
import { Schedule } from '../jobs.js'
import { log } from '../log.js'
import { defaultAsOf, refreshProfiles, type RefreshResult } from './service.js'

// Above this many touched entities a full refresh is as cheap as an incremental one.
const INCREMENTAL_MAX = 20_000
// A full refresh statement covers about this many entities (consumers run to millions).
const ENTITIES_PER_PART = 250_000
// How many entities there are, roughly (or an upper bound): consumers counted in the scans
// (the consumer index lags behind a backfill: its count gave 3 parts of 13 s for 1.6M
// consumers); stores and distributors are master data (rows per version).
const SIZE_OF: Record<Entity, string> = {
  consumer: `SELECT uniqCombined(consumer_id) FROM scan_detail_daily WHERE consumer_id != ''`,
  store: 'SELECT count() FROM stores',
  distributor: 'SELECT count() FROM distributors',
}
// While facts arrive faster than this (rows/s over the last 10 s: a backfill, not a live feed),
// full refreshes wait, up to MAX_DEFER_MS after the last one: each is seconds to tens of seconds
// of the one embedded engine (1.6M consumers: ~40 s at the reference scale), and the profiles
// it computes are outdated by the next minute's rows anyway.
const BACKFILL_ROWS_PER_S = 20_000
const MAX_DEFER_MS = 15 * 60_000

export class ProfileScheduler {
  private readonly dirty: Record<Entity, Set<string>> = { store: new Set(), consumer: new Set(), distributor: new Set() }
  // Entities with more touched ids than an incremental refresh handles: ids are no longer kept.
  private readonly overflow = new Set<Entity>()
  private readonly lastAsOf = new Map<Entity, string>()
  private readonly lastFull = new Map<Entity, number>()
  private ingestor: Ingestor | undefined
  private readonly mutex = new Mutex()
  private readonly schedule = new Schedule()

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Marks the entities of accepted rows for the next incremental refresh. */
  watch(ingestor: Ingestor): void {
    this.ingestor = ingestor
    const mark = (entity: Entity, id: string) => {
      if (this.overflow.has(entity)) return
      const set = this.dirty[entity]
      set.add(id)
      // Past the incremental limit the next refresh is full anyway: stop holding ids (memory).
      if (set.size > INCREMENTAL_MAX) {
        this.overflow.add(entity)
        set.clear()
      }
    }
    ingestor.onAccepted({
      // Past the incremental limit the next refresh of that entity is full: no ids needed.
      wants: (entity) => !this.overflow.has(entity),
      accepted: (_kind, touched) => {
        for (const entity of ENTITIES) {
          const ids = touched[entity]
          // Ids not collected (the body began while the entity was past the limit): refresh all.
          if (!ids) {
            this.overflow.add(entity)
            this.dirty[entity].clear()
          } else for (const id of ids) mark(entity, id)
        }
      },
    })
  }

  /** Refreshes what needs it: `full` forces full refreshes of every entity. */
  refresh(mode: 'auto' | 'full' = 'auto', entities: readonly Entity[] = ENTITIES): Promise<RefreshResult[]> {
    return this.mutex.run(async () => {
      const asOf = defaultAsOf(this.now())
      const out: RefreshResult[] = []
      for (const entity of entities) {
        const ids = [...this.dirty[entity]]
        const stale = this.lastAsOf.get(entity) !== asOf
        if (mode === 'full' || stale || this.overflow.has(entity)) {
          if (mode === 'auto' && this.backfilling() && Date.now() - (this.lastFull.get(entity) ?? 0) < MAX_DEFER_MS) {
            log.debug('profile refresh deferred while a backfill runs', { entity })
            continue
          }
          this.lastFull.set(entity, Date.now())
          this.dirty[entity].clear()
          this.overflow.delete(entity)
          out.push(await refreshProfiles(this.db, entity, asOf, undefined, await this.parts(entity)))
          this.lastAsOf.set(entity, asOf)
        } else if (ids.length > 0) {
          this.dirty[entity].clear()
          out.push(await refreshProfiles(this.db, entity, asOf, ids))
        }
      }
      return out
    })
  }

  /**
   * Statements for a full refresh: from the size of the last one, or from a count of the
   * entities in the data when that is larger. The last one alone was
   * not enough: after a backfill began, the next full refresh of 1.4M consumers ran as one
   * statement of 18 s at the reference scale, holding up ingestion (the embedded engine runs
   * one statement at a time) and taking the server's memory to its peak (2.2 GiB).
   */
  private backfilling(): boolean {
    return (this.ingestor?.acceptedPerSecond() ?? 0) > BACKFILL_ROWS_PER_S
  }

  private async parts(entity: Entity): Promise<number> {
    const [r] = await this.db.query<{ last: number; now: number }>(
      `SELECT (SELECT argMax(entities, refreshed_at) FROM profile_refreshes WHERE entity = {e:String} AND mode = 'full') AS last,
              (${SIZE_OF[entity]}) AS now`,
      { e: entity },
      'refresh-size',
    )
    return Math.max(1, Math.ceil(Math.max(Number(r?.last ?? 0), Number(r?.now ?? 0)) / ENTITIES_PER_PART))
  }

  /** Refreshes every `intervalMs`, or less often when refreshes take long (server/jobs.ts). */
  start(intervalMs: number): void {
    this.schedule.start('profile refresh', () => this.refresh(), intervalMs)
  }

  /** Stops the schedule; resolves once a refresh in progress has finished. */
  async stop(): Promise<void> {
    await this.schedule.stop()
  }
}
