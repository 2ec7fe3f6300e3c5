import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { log } from '../log.js'
import { readMigrations, tableNames, toClusterDdl, type Migration, type Statement } from './ddl.js'
import type { Db } from './gateway.js'

export const SQL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../sql')

const HISTORY: Statement = {
  sql: `CREATE TABLE IF NOT EXISTS schema_migrations (
  version UInt32,
  name String,
  checksum String,
  applied_at DateTime64(3, 'UTC')
) ENGINE = ReplacingMergeTree(applied_at)
ORDER BY version`,
  shardKey: 'version',
}

/** The DDL a database needs, as it will be sent: single-node, or rewritten for `cluster`. */
export function emitDdl(statements: Statement[], cluster: string | undefined, tables: Set<string>): string[] {
  return cluster ? toClusterDdl(statements, cluster, tables) : statements.map((s) => s.sql)
}

export interface MigrateResult {
  applied: string[]
  skipped: string[]
}

/**
 * Applies the migrations in `dir` that the history table has not recorded, in order, and
 * records each. Safe to re-run: every statement is idempotent (`IF NOT EXISTS`), so a run
 * interrupted half-way through a file completes it the next time. A recorded migration whose
 * file has since changed is reported, not re-applied: migrations are append-only.
 */
export async function migrate(db: Db, dir = SQL_DIR): Promise<MigrateResult> {
  const migrations = readMigrations(dir)
  const tables = tableNames(migrations)
  tables.add('schema_migrations')
  for (const sql of emitDdl([HISTORY], db.cluster, tables)) await db.command(sql, undefined, 'migrate')
  const done = await db.query<{ version: number; checksum: string }>(
    'SELECT version, argMax(checksum, applied_at) AS checksum FROM schema_migrations GROUP BY version',
    undefined,
    'migrate',
  )
  const recorded = new Map(done.map((r) => [Number(r.version), r.checksum]))
  const result: MigrateResult = { applied: [], skipped: [] }
  for (const m of migrations) {
    const prior = recorded.get(m.version)
    if (prior !== undefined) {
      if (prior !== m.checksum) log.warn('migration changed after it was applied; add a new migration instead', { migration: m.name })
      result.skipped.push(m.name)
      continue
    }
    await apply(db, m, tables)
    result.applied.push(m.name)
  }
  return result
}

async function apply(db: Db, m: Migration, tables: Set<string>): Promise<void> {
  for (const sql of emitDdl(m.statements, db.cluster, tables)) await db.command(sql, undefined, 'migrate')
  await db.insert('schema_migrations', [{ version: m.version, name: m.name, checksum: m.checksum, applied_at: new Date().toISOString() }], 'migrate')
  log.info('migration applied', { migration: m.name })
}
