import fs from 'node:fs'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { createApp, WEB_DIR } from './api/app.js'
import type { Config } from './config.js'
import { openDb, type Db } from './db/gateway.js'
import { migrate } from './db/migrate.js'
import { Ingestor } from './ingest/service.js'
import { log, setLogLevel } from './log.js'
import { ProfileScheduler } from './profiles/scheduler.js'
import { seedDemo } from './demo.js'
import { SegmentRefresher } from './segments/refresh.js'
import { ConsumerIndex } from './dashboards/consumer-index.js'

const ROOT = path.resolve(WEB_DIR, '../..')

/** True when dist/web is missing or older than any file of the web sources. */
export function webBuildStale(root = ROOT): boolean {
  const index = path.join(root, 'dist/web/index.html')
  if (!fs.existsSync(index)) return true
  const built = fs.statSync(index).mtimeMs
  const newer = (p: string): boolean => {
    const st = fs.statSync(p)
    if (st.isDirectory()) return fs.readdirSync(p).some((f) => newer(path.join(p, f)))
    return st.mtimeMs > built
  }
  return ['web', 'segments', 'vite.config.ts'].some((p) => fs.existsSync(path.join(root, p)) && newer(path.join(root, p)))
}

async function buildWeb(): Promise<void> {
  log.info('building the web app (dist/web)…')
  const { build } = await import('vite')
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn' })
}

export interface Running {
  db: Db
  url: string
  close(): Promise<void>
}

/** Starts the whole workbench for a configuration; resolves once it listens. */
export async function startServer(config: Config): Promise<Running> {
  setLogLevel(config.LOG_LEVEL)
  if (webBuildStale()) await buildWeb()
  const db = await openDb(config)
  const m = await migrate(db)
  log.info('database ready', { engine: db.engine, data_dir: db.engine === 'embedded' ? config.DATA_DIR : undefined, applied: m.applied.length })
  const ingestor = new Ingestor(db)
  // Facts accepted by a process that stopped before inserting them are written first.
  await ingestor.recover()
  const profiles = new ProfileScheduler(db)
  profiles.watch(ingestor)
  if (config.DEMO === '1') await seedDemo(db, ingestor, { stores: config.DEMO_STORES, days: config.DEMO_DAYS })
  await profiles.refresh('full')
  profiles.start(config.PROFILE_REFRESH_S * 1000)
  // Saved segments refresh on their own schedule against the materialised profiles.
  const segments = new SegmentRefresher(db)
  segments.start(config.SEGMENT_REFRESH_S * 1000)
  // The dashboards' consumer bitmaps catch up in the background (first run now): until a day is
  // indexed the dashboards read it live, so their figures are exact from the start.
  const consumerIndex = new ConsumerIndex(db)
  consumerIndex.start(config.DASHBOARD_INDEX_S * 1000)
  const app = createApp({ db, ingestor, profiles })
  const server = app.listen(config.PORT, config.HOST)
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${config.HOST}:${port}`
  log.info(`Negentropy is serving on ${url}`)
  let closing = false
  const close = async () => {
    if (closing) return
    closing = true
    profiles.stop()
    await segments.stop()
    await consumerIndex.stop()
    await new Promise<void>((r) => server.close(() => r()))
    // Accepted rows still waiting in the write-ahead log are inserted before the engine closes
    // (a process killed before that writes them at its next start).
    await ingestor.flushed()
    await db.close()
  }
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.once(sig, () => {
      log.info('shutting down', { signal: sig })
      void close().then(() => process.exit(0))
    })
  return { db, url, close }
}
