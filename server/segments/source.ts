/**
 * Where segment rules read profile attributes: the materialised current profiles for the
 * current as_of (fast, what saved segments refresh against), and the profile SQL computed
 * from the rollups for any other date, so a past as_of sees attributes as they were then.
 */
import type { Entity } from '../../segments/catalog.js'
import type { SqlFragment } from '../../segments/compile.js'
import type { Db } from '../db/gateway.js'
import { defaultAsOf } from '../profiles/service.js'
import { PROFILE_SQL, PROFILE_TABLE } from '../profiles/sql.js'

/**
 * A parenthesised SELECT yielding `id` and every catalog attribute of the entity, one row per
 * entity. `latest` is the as_of of the materialised profiles (see {@link materialisedAsOf}):
 * a date before it is computed from the rollups as of that date; the current date, or none,
 * reads the materialised profiles.
 */
export function profileSource(entity: Entity, asOf: string | undefined, latest: string | null = null): SqlFragment {
  if (asOf === undefined || latest === null || asOf >= latest) {
    const t = PROFILE_TABLE[entity]
    // Profile tables are ReplacingMergeTree: FINAL, or an entity refreshed twice is counted twice.
    return { sql: `(SELECT ${t.idColumn} AS id, * FROM ${t.table} FINAL)`, params: {} }
  }
  const q = PROFILE_SQL[entity]({ asOf })
  return { sql: `(${q.sql})`, params: q.params }
}

/** The as_of of the materialised profiles of an entity, or null when there are none. */
export async function materialisedAsOf(db: Db, entity: Entity): Promise<string | null> {
  const t = PROFILE_TABLE[entity]
  const [r] = await db.query<{ d: string | null }>(`SELECT toString(maxOrNull(as_of)) AS d FROM ${t.table}`, undefined, 'segment-latest')
  return r?.d ?? null
}

/** The default as_of: tomorrow in Asia/Shanghai, so today's scans count (DESIGN §4). */
export function currentAsOf(): string {
  return defaultAsOf()
}
