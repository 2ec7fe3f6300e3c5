import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseConfig, type Config } from '../config.js'
import { openDb, type Db } from '../db/gateway.js'
import { migrate } from '../db/migrate.js'

/**
 * A migrated embedded database in a fresh temp directory, for tests. One per test file: the
 * engine binds one data directory per process, and vitest runs each file in its own process.
 */
export async function openTestDb(env: Record<string, string> = {}): Promise<{ db: Db; config: Config; dir: string; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'negentropy-test-'))
  const config = parseConfig({ DATA_DIR: dir, DEMO: '0', SLOW_QUERY_MS: '5000', ...env })
  const db = await openDb(config)
  await migrate(db)
  return {
    db,
    config,
    dir,
    cleanup: async () => {
      await db.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
