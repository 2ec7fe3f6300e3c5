/**
 * `npm run bench -- <suite> [--stores N] [--days D] [--seed S] [--concurrency C] [--batch B] [--db DIR]`
 *
 * Suites run at a chosen scale (`--stores 100000 --days 365` is the reference province scale,
 * ~30M scan events) on a simulated dataset generated once into bench/data and reused. Each
 * prints a table and writes bench/results/<suite>.json.
 *
 * `--db DIR` (dashboards): keep the loaded database in DIR and reuse it on the next run when it
 * holds the same dataset, instead of bulk-loading ~30M events again (minutes at the reference
 * scale). Migrations run on reuse, so a new migration's backfill applies to the kept data.
 */
import { parseArgs } from 'node:util'
import { dataset } from './dataset.js'
import { report } from './results.js'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseConfig } from '../server/config.js'
import { openDb, type Db } from '../server/db/gateway.js'
import { migrate } from '../server/db/migrate.js'
import { setLogLevel } from '../server/log.js'
import { benchIngest } from './suites/ingest.js'
import { benchSegments } from './suites/segments.js'
import { benchProfiles } from './suites/profiles.js'
import { loadDataset } from './load.js'
import { benchDashboards } from './suites/dashboards.js'
import { benchExperiments } from './suites/experiments.js'

export const SUITES = ['ingest', 'profiles', 'segments', 'dashboards', 'experiments'] as const
export type SuiteName = (typeof SUITES)[number]

export interface RunOptions {
  stores: number
  days: number
  seed: number
  concurrency: number
  batch: number
  reps: number
  /** Keep the loaded database here and reuse it when it already holds this dataset. */
  db?: string
  write: boolean
  log: (msg: string) => void
}

/** A migrated embedded database in a temp directory, for suites that fill their own data. */
async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'negentropy-bench-db-'))
  setLogLevel('warn')
  const db = await openDb(parseConfig({ DATA_DIR: dir, LOG_LEVEL: 'warn', SLOW_QUERY_MS: '600000' }))
  try {
    await migrate(db)
    return await fn(db)
  } finally {
    await db.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** The marker a complete load leaves in a kept database directory (see `--db`). */
const KEPT_MARKER = 'negentropy-bench-dataset.json'

/**
 * A migrated embedded database kept in `dir` holding the dataset in folder `data`: loaded on the first run
 * (the marker is written only after a complete load), reused as it is afterwards. A directory
 * whose marker names another dataset, or says the load did not finish, is emptied and loaded
 * again; a non-empty directory without a marker is refused rather than emptied.
 */
async function withKeptDb<T>(dir: string, data: string, log: (m: string) => void, fn: (db: Db) => Promise<T>): Promise<T> {
  const marker = path.join(dir, KEPT_MARKER)
  const want = path.basename(data)
  let held: { dataset?: string; complete?: boolean } | null = null
  if (fs.existsSync(marker)) held = JSON.parse(fs.readFileSync(marker, 'utf8')) as { dataset?: string; complete?: boolean }
  else if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new Error(`--db ${dir} is not empty and holds no bench marker: choose a new or empty directory`)
  const reuse = held?.dataset === want && held.complete === true
  if (held && !reuse) fs.rmSync(dir, { recursive: true, force: true })
  fs.mkdirSync(dir, { recursive: true })
  setLogLevel('warn')
  const db = await openDb(parseConfig({ DATA_DIR: dir, LOG_LEVEL: 'warn', SLOW_QUERY_MS: '600000' }))
  try {
    await migrate(db)
    if (reuse) log(`reusing the database in ${dir} (${want})`)
    else {
      fs.writeFileSync(marker, JSON.stringify({ dataset: want, complete: false }))
      log(`loading the dataset into ${dir} (engine bulk insert) …`)
      await loadDataset(db, data, log)
      fs.writeFileSync(marker, JSON.stringify({ dataset: want, complete: true, loaded_at: new Date().toISOString() }))
    }
    return await fn(db)
  } finally {
    await db.close()
  }
}

/** Runs one suite and reports it; returns the result. */
export async function runSuite(suite: SuiteName, o: RunOptions) {
  const scale = { stores: o.stores, days: o.days, seed: o.seed }
  switch (suite) {
    case 'ingest': {
      const dir = await dataset(scale, o.log)
      const r = await benchIngest({ dir, concurrency: o.concurrency, batch: o.batch, log: o.log })
      return report({ suite, scale, ...r }, o.write)
    }
    case 'profiles': {
      const dir = await dataset(scale, o.log)
      const r = await withDb(async (db) => {
        o.log('loading the dataset (engine bulk insert) …')
        await loadDataset(db, dir, o.log)
        return benchProfiles(db, { reps: o.reps, log: o.log })
      })
      return report({ suite, scale, ...r }, o.write)
    }
    case 'dashboards': {
      const dir = await dataset(scale, o.log)
      const r = o.db
        ? await withKeptDb(o.db, dir, o.log, (db) => benchDashboards(db, { reps: o.reps }))
        : await withDb(async (db) => {
          o.log('loading the dataset (engine bulk insert) …')
          await loadDataset(db, dir, o.log)
          return benchDashboards(db, { reps: o.reps })
        })
      return report({ suite, scale, ...r }, o.write)
    }
    case 'experiments': {
      // A 10k-store experiment (or --stores when smaller) on synthetic rollups.
      const stores = Math.min(o.stores, 10_000)
      const r = await withDb((db) => benchExperiments(db, { stores, runs: o.reps, log: o.log }))
      return report({ suite, scale: { stores }, ...r }, o.write)
    }
    case 'segments': {
      // DESIGN §8 scale: consumers are 20 per store.
      const r = await withDb((db) => benchSegments(db, { stores: o.stores, consumers: o.stores * 20, reps: o.reps, log: o.log }))
      return report({ suite, scale: { stores: o.stores, consumers: o.stores * 20 }, ...r }, o.write)
    }
  }
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/bench\//, '/bench/'))
if (isMain) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      stores: { type: 'string', default: '5000' },
      days: { type: 'string', default: '365' },
      seed: { type: 'string', default: '1' },
      concurrency: { type: 'string', default: '8' },
      batch: { type: 'string', default: '20000' },
      reps: { type: 'string', default: '20' },
      db: { type: 'string' },
    },
  })
  const suite = positionals[0] as SuiteName
  if (!SUITES.includes(suite)) {
    process.stderr.write(`usage: npm run bench -- <suite> [--stores N] [--days D] [--seed S] [--db DIR]\n  suites: ${SUITES.join(', ')}\n`)
    process.exit(2)
  }
  const num = (k: keyof typeof values) => {
    const n = Number(values[k])
    if (!Number.isInteger(n) || n < 1) {
      process.stderr.write(`--${k} must be a positive whole number\n`)
      process.exit(2)
    }
    return n
  }
  await runSuite(suite, {
    stores: num('stores'), days: num('days'), seed: num('seed'), concurrency: num('concurrency'), batch: num('batch'), reps: num('reps'),
    db: values.db === undefined ? undefined : path.resolve(values.db), write: true, log: (m) => process.stderr.write(`${m}\n`),
  })
}
