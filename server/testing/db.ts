import { afterAll, beforeAll } from 'vitest'
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

/**
 * Gives the test file a migrated database for all its tests (beforeAll / afterAll): `setup`
 * receives it (keep it in a variable, load data) before the first test.
 * @example let db: Db; useTestDb(async (d) => { db = d })
 */
export function useTestDb(setup: (db: Db) => Promise<void>, opts: { env?: Record<string, string>; timeoutMs?: number } = {}): void {
  let cleanup: (() => Promise<void>) | undefined
  beforeAll(async () => {
    const t = await openTestDb(opts.env)
    cleanup = t.cleanup
    await setup(t.db)
  }, opts.timeoutMs)
  afterAll(() => cleanup?.())
}
