import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDb } from '../testing/db.js'
import { readMigrations, splitStatements, tableNames, toClusterDdl } from './ddl.js'
import type { Db } from './gateway.js'
import { DbError } from './gateway.js'
import { emitDdl, migrate, SQL_DIR } from './migrate.js'

let db: Db
let cleanup: () => Promise<void>
beforeAll(async () => ({ db, cleanup } = await openTestDb()))
afterAll(() => cleanup())

describe('migrations', () => {
  it('are recorded in the history table and re-running applies nothing', async () => {
    const hist = await db.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version')
    const files = readMigrations(SQL_DIR)
    expect(hist.map((h) => h.name)).toEqual(files.map((f) => f.name))
    const again = await migrate(db)
    expect(again.applied).toEqual([])
    expect(again.skipped).toHaveLength(files.length)
    expect(await db.query('SELECT version FROM schema_migrations FINAL')).toHaveLength(files.length)
  })

  it('apply a new migration once, and a half-applied one completes on re-run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mig-'))
    for (const f of fs.readdirSync(SQL_DIR)) fs.copyFileSync(path.join(SQL_DIR, f), path.join(dir, f))
    fs.writeFileSync(
      path.join(dir, '9000_extra.sql'),
      'CREATE TABLE IF NOT EXISTS extra_a (x UInt8) ENGINE = MergeTree ORDER BY x;\nCREATE TABLE IF NOT EXISTS extra_b (x UInt8) ENGINE = MergeTree ORDER BY x;\n',
    )
    // Simulate a crash after the first statement: extra_a exists, the history does not know.
    await db.command('CREATE TABLE IF NOT EXISTS extra_a (x UInt8) ENGINE = MergeTree ORDER BY x')
    expect((await migrate(db, dir)).applied).toEqual(['9000_extra'])
    expect((await migrate(db, dir)).applied).toEqual([])
    const t = await db.query<{ name: string }>("SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE 'extra_%' ORDER BY name")
    expect(t.map((x) => x.name)).toEqual(['extra_a', 'extra_b'])
  })

  it('turn engine failures into a typed error with the query id', async () => {
    const err = await db.query('SELECT no_such_column FROM scan_events', undefined, 'probe').catch((e) => e)
    expect(err).toBeInstanceOf(DbError)
    expect(err.queryId).toMatch(/^probe-/)
    expect(err.type).toBe('UNKNOWN_IDENTIFIER')
  })
})

describe('cluster DDL', () => {
  const ms = readMigrations(SQL_DIR)
  const tables = tableNames(ms)
  const all = ms.flatMap((m) => emitDdl(m.statements, 'prod', tables))

  it('creates every table as a replicated local table behind a Distributed table', () => {
    const [local, dist] = toClusterDdl(
      splitStatements(`-- cluster: shard_key = cityHash64(store_id)
CREATE TABLE IF NOT EXISTS stores (
  store_id String, version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY store_id;`),
      'prod',
      new Set(['stores']),
    )
    expect(local).toBe(`CREATE TABLE IF NOT EXISTS stores_local ON CLUSTER \`prod\` (
  store_id String, version UInt64
) ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/stores_local', '{replica}', version)
ORDER BY store_id`)
    expect(dist).toBe(
      'CREATE TABLE IF NOT EXISTS stores ON CLUSTER `prod` AS stores_local\nENGINE = Distributed(`prod`, currentDatabase(), stores_local, cityHash64(store_id))',
    )
    for (const t of tables) {
      expect(all.some((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS ${t}_local ON CLUSTER \`prod\``) && /ENGINE = Replicated\w*MergeTree\('/.test(s))).toBe(true)
      expect(all.some((s) => s.startsWith(`CREATE TABLE IF NOT EXISTS ${t} ON CLUSTER \`prod\` AS ${t}_local`) && s.includes('Distributed('))).toBe(true)
    }
  })

  it('keeps the engine arguments of summing tables and points views at local tables', () => {
    const storeDaily = all.find((s) => s.startsWith('CREATE TABLE IF NOT EXISTS store_daily_local'))!
    expect(storeDaily).toContain("ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/store_daily_local', '{replica}', (events, bottles))")
    const mv = all.find((s) => s.startsWith('CREATE MATERIALIZED VIEW IF NOT EXISTS store_daily_mv'))!
    expect(mv).toMatch(/^CREATE MATERIALIZED VIEW IF NOT EXISTS store_daily_mv ON CLUSTER `prod` TO store_daily_local AS/)
    expect(mv).toContain('FROM scan_events_local WHERE')
    const plain = all.find((s) => s.startsWith('CREATE TABLE IF NOT EXISTS quarantine_local'))!
    expect(plain).toContain("ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/quarantine_local', '{replica}')")
    expect(all.filter((s) => !s.startsWith('INSERT INTO')).every((s) => s.includes('ON CLUSTER `prod`'))).toBe(true)
  })

  it('sends a backfill once, as written, through the Distributed tables', () => {
    const sql = 'INSERT INTO store_monthly (month) SELECT toStartOfMonth(day) FROM store_daily'
    expect(toClusterDdl([{ sql }], 'prod', tables)).toEqual([sql])
    expect(all.some((s) => s.startsWith('INSERT INTO store_firsts') && /FROM store_daily\b/.test(s))).toBe(true)
    const mv = all.find((s) => s.startsWith('CREATE MATERIALIZED VIEW IF NOT EXISTS store_monthly_mv'))!
    expect(mv).toMatch(/TO store_monthly_local AS[\s\S]*FROM store_daily_local\n/)
  })

  it('is the same statements as single-node DDL when no cluster is set', () => {
    const single = ms.flatMap((m) => emitDdl(m.statements, undefined, tables))
    expect(single.some((s) => s.includes('ON CLUSTER') || s.includes('Replicated'))).toBe(false)
    expect(single.length).toBe(ms.reduce((n, m) => n + m.statements.length, 0))
  })
})
