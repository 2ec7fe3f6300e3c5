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
import { defaultAsOf, refreshProfiles, type RefreshResult } from './service.js'

// Above this many touched entities a full refresh is as cheap as an incremental one.
const INCREMENTAL_MAX = 20_000
// A full refresh statement covers about this many entities (consumers run to millions).
const ENTITIES_PER_PART = 250_000

export class ProfileScheduler {
  private readonly dirty: Record<Entity, Set<string>> = { store: new Set(), consumer: new Set(), distributor: new Set() }
  // Entities with more touched ids than an incremental refresh handles: ids are no longer kept.
  private readonly overflow = new Set<Entity>()
  private readonly lastAsOf = new Map<Entity, string>()
  private readonly mutex = new Mutex()
  private readonly schedule = new Schedule()

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Marks the entities of accepted rows for the next incremental refresh. */
  watch(ingestor: Ingestor): void {
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

  /** Statements for a full refresh, from the size of the last one. */
  private async parts(entity: Entity): Promise<number> {
    const [r] = await this.db.query<{ n: number }>(
      "SELECT argMax(entities, refreshed_at) AS n FROM profile_refreshes WHERE entity = {e:String} AND mode = 'full'",
      { e: entity },
      'refresh-size',
    )
    return Math.max(1, Math.ceil(Number(r?.n ?? 0) / ENTITIES_PER_PART))
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
