/**
 * Child process of crash.test.ts: `<dir> <count> <from> <hold|go>`. Opens the database in dir,
 * writes what the log holds, ingests `count` scans with a 'durable' reply, prints
 * `acked <accepted>` and waits to be killed. With `hold`, the writer's inserts never start, so
 * the kill surely lands before the rows reach the tables.
 */
import { parseConfig } from '../../config.js'
import { openDb } from '../../db/gateway.js'
import { migrate } from '../../db/migrate.js'
import { setLogLevel } from '../../log.js'
import { Ingestor } from '../service.js'
import { crashScans } from './crash-scans.js'

const [dir, count, from, hold] = process.argv.slice(2)
setLogLevel('warn')
const db = await openDb(parseConfig({ DATA_DIR: dir, DEMO: '0', LOG_LEVEL: 'warn' }))
await migrate(db)
const ingestor = new Ingestor(db)
await ingestor.recover()
if (hold === 'hold') {
  const insert = db.insertStaged.bind(db)
  db.insertStaged = (staged, into, tag) => (tag?.startsWith('ingest-') ? new Promise(() => {}) : insert(staged, into, tag))
}
const r = await ingestor.ingestBody('scans', crashScans(Number(count), Number(from)), { origin: 'cli', wait: 'durable' })
process.stdout.write(`acked ${r.accepted}\n`)
setInterval(() => {}, 60_000)
