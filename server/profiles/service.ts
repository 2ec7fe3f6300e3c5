/**
 * Profiles as of any date: computed live for one entity (or a few), and materialised for all
 * entities as the current profiles (as_of = tomorrow in Asia/Shanghai, so today's scans count)
 * that segments and lists read.
 */
import { CATALOG, type Entity } from '../../segments/catalog.js'
import type { Db } from '../db/gateway.js'
import { log } from '../log.js'
import { PROFILE_SQL, PROFILE_TABLE } from './sql.js'

export type Attributes = Record<string, string | number | null>

/** The local date in Asia/Shanghai of an instant, as YYYY-MM-DD. */
export function localDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
}

/** The default as_of: tomorrow in Asia/Shanghai, so that today's scans count. */
export function defaultAsOf(now = new Date()): string {
  return addDays(localDate(now), 1)
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** Converts engine values to API values: datetimes to ISO 8601 UTC, numbers stay numbers. */
export function toAttributes(entity: Entity, row: Record<string, unknown>): Attributes {
  const out: Attributes = {}
  for (const a of CATALOG[entity]) {
    const v = row[a.name]
    if (v === null || v === undefined) out[a.name] = null
    else if (a.type === 'datetime') out[a.name] = String(v).replace(' ', 'T') + 'Z'
    else if (a.type === 'number' || a.type === 'integer') out[a.name] = Number(v)
    else out[a.name] = String(v)
  }
  return out
}

/** Computes profiles of the given ids as of a date, straight from the rollups. */
export async function computeProfiles(db: Db, entity: Entity, asOf: string, ids: string[]): Promise<Map<string, Attributes>> {
  const q = PROFILE_SQL[entity]({ asOf, ids })
  const rows = await db.query<Record<string, unknown>>(q.sql, q.params, `profile-${entity}`)
  return new Map(rows.map((r) => [String(r.id), toAttributes(entity, r)]))
}

export interface RefreshResult {
  entity: Entity
  as_of: string
  mode: 'full' | 'incremental'
  entities: number
  duration_ms: number
}

/**
 * Materialises current profiles: all entities (full) or only `ids` (incremental), as INSERT …
 * SELECT statements, then records the refresh with the newest event time it covered. A full
 * refresh runs in `parts` statements split by id hash (same rows, shorter statements).
 */
export async function refreshProfiles(db: Db, entity: Entity, asOf: string, ids?: string[], parts = 1): Promise<RefreshResult> {
  const t0 = performance.now()
  const { table, idColumn } = PROFILE_TABLE[entity]
  const newest = (await db.query<{ t: string | null }>('SELECT maxOrNull(received_at) AS t FROM scan_events', undefined, 'profile-newest'))[0].t
  const refreshedAt = new Date().toISOString()
  const at = refreshedAt.replace('T', ' ').replace('Z', '')
  const cols = CATALOG[entity].map((a) => a.name)
  const n = ids ? 1 : Math.max(1, Math.floor(parts))
  for (let index = 0; index < n; index++) {
    const q = PROFILE_SQL[entity]({ asOf, ids, part: n > 1 ? { of: n, index } : undefined })
    await db.command(
      `INSERT INTO ${table} (${idColumn}, as_of, refreshed_at, ${cols.join(', ')})
       SELECT id, {as_of:Date}, {refreshed_at:DateTime64(3, 'UTC')}, ${cols.join(', ')} FROM (${q.sql})`,
      { ...q.params, refreshed_at: at },
      `refresh-${entity}`,
    )
  }
  const count = (await db.query<{ n: number }>(`SELECT count() AS n FROM ${table} WHERE refreshed_at = {r:DateTime64(3, 'UTC')}`, { r: at }, 'refresh-count'))[0].n
  const result: RefreshResult = { entity, as_of: asOf, mode: ids ? 'incremental' : 'full', entities: Number(count), duration_ms: Math.round(performance.now() - t0) }
  await db.insert('profile_refreshes', [{ entity, as_of: asOf, refreshed_at: refreshedAt, mode: result.mode, entities: result.entities, duration_ms: result.duration_ms, newest_event_at: newest }], 'refresh-log')
  log.info('profiles refreshed', { ...result, parts: n })
  return result
}

export interface Freshness {
  entity: Entity
  as_of: string | null
  refreshed_at: string | null
  entities: number
  /** Seconds since the last refresh. */
  age_s: number | null
  /** Seconds between the newest accepted scan and the newest scan the last refresh covered. */
  lag_s: number | null
}

export async function freshness(db: Db): Promise<Freshness[]> {
  const rows = await db.query<{ entity: Entity; last_as_of: string; last_at: string; last_entities: number; covered: string | null }>(
    `SELECT entity, argMax(as_of, refreshed_at) AS last_as_of, max(refreshed_at) AS last_at,
            argMax(entities, refreshed_at) AS last_entities, argMax(newest_event_at, refreshed_at) AS covered
     FROM profile_refreshes WHERE mode = 'full' GROUP BY entity`,
    undefined,
    'freshness',
  )
  const newest = (await db.query<{ t: string | null }>('SELECT maxOrNull(received_at) AS t FROM scan_events', undefined, 'freshness-newest'))[0].t
  const ms = (s: string | null) => (s ? Date.parse(s.replace(' ', 'T') + 'Z') : NaN)
  const now = Date.now()
  return (['store', 'consumer', 'distributor'] as Entity[]).map((entity) => {
    const r = rows.find((x) => x.entity === entity)
    if (!r) return { entity, as_of: null, refreshed_at: null, entities: 0, age_s: null, lag_s: null }
    const lag = newest ? Math.max(0, (ms(newest) - (r.covered ? ms(r.covered) : 0)) / 1000) : 0
    return {
      entity,
      as_of: r.last_as_of,
      refreshed_at: r.last_at.replace(' ', 'T') + 'Z',
      entities: Number(r.last_entities),
      age_s: Math.round((now - ms(r.last_at)) / 1000),
      lag_s: Math.round(lag),
    }
  })
}
