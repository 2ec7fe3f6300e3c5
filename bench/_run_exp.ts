import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseConfig } from '../server/config.js'
import { openDb } from '../server/db/gateway.js'
import { migrate } from '../server/db/migrate.js'
import { setLogLevel } from '../server/log.js'
import { benchExperiments } from './suites/experiments.js'
setLogLevel('warn')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-exp-'))
const db = await openDb(parseConfig({ DATA_DIR: dir, LOG_LEVEL: 'warn', SLOW_QUERY_MS: '600000' }))
await migrate(db)
const r = await benchExperiments(db, { log: (m) => console.error(m) })
console.log(JSON.stringify(r, null, 2))
await db.close()
fs.rmSync(dir, { recursive: true, force: true })
