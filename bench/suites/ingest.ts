/**
 * Ingest suite: scans per second through the HTTP API (validated, deduplicated, durable before
 * the reply) against the engine's own bulk insert of the same rows (INSERT … SELECT FROM
 * file(), with the same rollup views) measured in the same run, and the server's peak RSS.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseConfig } from '../../server/config.js'
import { setLogLevel } from '../../server/log.js'
import { openDb } from '../../server/db/gateway.js'
import { migrate } from '../../server/db/migrate.js'
import { startChildServer } from '../server.js'
import { bulkLoadFacts } from '../load.js'

export interface IngestOptions {
  dir: string
  /**
   * Concurrent HTTP requests (default 8). The server commits every queued body in one INSERT
   * while it parses the next ones; with 4 in flight each group's replies leave it nothing queued
   * half the time, with 8 groups run at ~4 bodies (a feed gateway keeps several requests open).
   */
  concurrency: number
  /** Records per request (≤ 50,000). */
  batch: number
  log: (msg: string) => void
}

/** The engine alone: one INSERT … SELECT from the NDJSON file into scan_events (and its views). */
async function engineBulk(file: string): Promise<{ rows: number; seconds: number }> {
  setLogLevel('warn')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'negentropy-bench-bulk-'))
  const db = await openDb(parseConfig({ DATA_DIR: dir, LOG_LEVEL: 'warn', SLOW_QUERY_MS: '600000' }))
  try {
    await migrate(db)
    return await bulkLoadFacts(db, 'scans', file)
  } finally {
    await db.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Bodies of `size` NDJSON lines cut straight from the file's bytes (no per-line strings), so the
 * sender, which shares the machine with the server, spends as little CPU as a client can.
 */
async function* bodies(file: string, size: number): AsyncGenerator<{ body: Buffer; lines: number }> {
  let pending: Buffer = Buffer.alloc(0)
  let lines = 0
  let scanned = 0
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 8 << 20 })) {
    pending = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer)
    for (;;) {
      const nl = pending.indexOf(10, scanned)
      if (nl < 0) {
        scanned = pending.length
        break
      }
      scanned = nl + 1
      if (++lines === size) {
        yield { body: pending.subarray(0, scanned), lines }
        pending = pending.subarray(scanned)
        scanned = 0
        lines = 0
      }
    }
  }
  if (pending.length && pending.some((b) => b !== 10 && b !== 13 && b !== 32)) yield { body: pending, lines: lines + (pending[pending.length - 1] === 10 ? 0 : 1) }
}

export async function benchIngest(opts: IngestOptions): Promise<{ metrics: Record<string, number>; ratios: Record<string, number> }> {
  const file = path.join(opts.dir, 'scans.ndjson')
  opts.log('engine bulk insert …')
  const bulk = await engineBulk(file)
  const bulkRate = bulk.rows / bulk.seconds
  opts.log(`  ${bulk.rows.toLocaleString('en')} rows in ${bulk.seconds.toFixed(1)} s`)

  opts.log('HTTP ingest …')
  const server = await startChildServer()
  try {
    const post = async (body: Buffer) => {
      const res = await fetch(`${server.url}/api/v1/ingest/scans`, { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' }, body: new Uint8Array(body) })
      if (!res.ok) throw new Error(`ingest answered ${res.status}: ${(await res.text()).slice(0, 300)}`)
      return (await res.json()) as { accepted: number; duplicates: number; rejected: unknown[] }
    }
    let accepted = 0
    let rejected = 0
    let sent = 0
    const inFlight = new Set<Promise<void>>()
    const t0 = performance.now()
    for await (const { body, lines } of bodies(file, opts.batch)) {
      const p: Promise<void> = post(body).then((r) => {
        accepted += r.accepted
        rejected += r.rejected.length
        inFlight.delete(p)
      })
      inFlight.add(p)
      sent += lines
      if (inFlight.size >= opts.concurrency) await Promise.race(inFlight)
    }
    await Promise.all(inFlight)
    const seconds = (performance.now() - t0) / 1000
    if (accepted + rejected !== sent) throw new Error(`sent ${sent}, accepted ${accepted}, rejected ${rejected}`)
    // Re-sending a slice must change nothing: it is all duplicates.
    const first = (await bodies(file, Math.min(opts.batch, 5000)).next()).value as { body: Buffer }
    const again = await post(first.body)
    if (again.accepted !== 0) throw new Error(`re-sent rows were accepted again: ${again.accepted}`)
    const httpRate = accepted / seconds
    opts.log(`  ${accepted.toLocaleString('en')} accepted in ${seconds.toFixed(1)} s`)
    return {
      metrics: {
        rows: sent,
        http_events_per_s: Math.round(httpRate),
        http_seconds: seconds,
        engine_bulk_rows_per_s: Math.round(bulkRate),
        engine_bulk_seconds: bulk.seconds,
        server_peak_rss_mib: Math.round(server.peakRss() / 2 ** 20),
        concurrency: opts.concurrency,
        batch: opts.batch,
      },
      ratios: { http_vs_engine_bulk: httpRate / bulkRate },
    }
  } finally {
    await server.stop()
  }
}
