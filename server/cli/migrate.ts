/** `npm run migrate`: applies pending migrations; `-- --print` prints the DDL (cluster form with CLICKHOUSE_CLUSTER) instead. */
import { parseConfig } from '../config.js'
import { readMigrations, tableNames } from '../db/ddl.js'
import { openDb } from '../db/gateway.js'
import { emitDdl, migrate, SQL_DIR } from '../db/migrate.js'

const config = parseConfig(process.env)
if (process.argv.includes('--print')) {
  const ms = readMigrations(SQL_DIR)
  const tables = tableNames(ms)
  for (const m of ms) {
    process.stdout.write(`-- ${m.name}\n`)
    for (const sql of emitDdl(m.statements, config.CLICKHOUSE_CLUSTER, tables)) process.stdout.write(`${sql};\n\n`)
  }
} else {
  const db = await openDb(config)
  const r = await migrate(db)
  process.stdout.write(`applied ${r.applied.length} (${r.applied.join(', ') || 'none'}), already applied ${r.skipped.length}\n`)
  await db.close()
}
