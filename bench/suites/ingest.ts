/**
 * Ingest suite: scans per second through the HTTP API (validated, deduplicated, durable before
 * the reply, and the clock stopped only once every row can be read) against the engine's own
 * bulk insert of the same rows (INSERT … SELECT FROM file(), with the same rollup views)
 * measured in the same run, the server's peak RSS and the sender's own CPU time.
 */
import fs from 'node:fs'
import http from 'node:http'
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
   * Concurrent HTTP requests (default 8, as a feed gateway keeps several open). Replies come once
   * rows are in the server's write-ahead log, so the server parses while the engine inserts.
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
  // The baseline is measured before and after the HTTP run, and the ratio uses both: on a shared
  // machine the engine's own rate drifts by a third between minutes (284k–394k rows/s measured).
  const bulkRun = async (when: string) => {
    opts.log(`engine bulk insert (${when}) …`)
    const b = await engineBulk(file)
    opts.log(`  ${b.rows.toLocaleString('en')} rows in ${b.seconds.toFixed(1)} s`)
    return b
  }
  const before = await bulkRun('before')
  const http = await httpIngest(file, opts)
  const after = await bulkRun('after')
  const bulkSeconds = (before.seconds + after.seconds) / 2
  const bulkRate = before.rows / bulkSeconds
  return {
    metrics: {
      ...http.metrics,
      engine_bulk_rows_per_s: Math.round(bulkRate),
      engine_bulk_seconds: bulkSeconds,
      engine_bulk_before_rows_per_s: Math.round(before.rows / before.seconds),
      engine_bulk_after_rows_per_s: Math.round(after.rows / after.seconds),
    },
    ratios: { http_vs_engine_bulk: http.metrics.http_events_per_s / bulkRate },
  }
}

/** The HTTP half of the suite: a child server fed by `opts.concurrency` requests in flight. */
async function httpIngest(file: string, opts: IngestOptions): Promise<{ metrics: Record<string, number> }> {

  opts.log('HTTP ingest …')
  const server = await startChildServer()
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency })
  try {
    // node:http with kept-alive sockets: fetch (undici) cost the sender about twice the CPU,
    // and the sender shares the machine with the server.
    const url = new URL('/api/v1/ingest/scans', server.url)
    const visibleUrl = new URL('/api/v1/ingest/scans?wait=visible', server.url)
    const post = (body: Buffer, to = url) =>
      new Promise<{ accepted: number; duplicates: number; rejected: unknown[] }>((resolve, reject) => {
        const req = http.request(to, { method: 'POST', agent, headers: { 'Content-Type': 'application/x-ndjson', 'Content-Length': body.length } }, (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8')
            if (res.statusCode !== 200) reject(new Error(`ingest answered ${res.statusCode}: ${text.slice(0, 300)}`))
            else resolve(JSON.parse(text) as { accepted: number; duplicates: number; rejected: unknown[] })
          })
          res.on('error', reject)
        })
        req.on('error', reject)
        req.end(body)
      })
    let accepted = 0
    let rejected = 0
    let sent = 0
    const inFlight = new Set<Promise<void>>()
    const t0 = performance.now()
    const cpu0 = process.cpuUsage()
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
    // Replies come once rows are durable; the clock stops when all of them can be read. The last
    // request re-sends a slice with wait=visible: it is answered once every row accepted before it
    // is in the tables, and re-sent rows must change nothing (all duplicates).
    const first = (await bodies(file, Math.min(opts.batch, 5000)).next()).value as { body: Buffer }
    const again = await post(first.body, visibleUrl)
    const seconds = (performance.now() - t0) / 1000
    const cpu = process.cpuUsage(cpu0)
    if (accepted + rejected !== sent) throw new Error(`sent ${sent}, accepted ${accepted}, rejected ${rejected}`)
    if (again.accepted !== 0) throw new Error(`re-sent rows were accepted again: ${again.accepted}`)
    opts.log(`  ${accepted.toLocaleString('en')} accepted in ${seconds.toFixed(1)} s`)
    return {
      metrics: {
        rows: sent,
        http_events_per_s: Math.round(accepted / seconds),
        http_seconds: seconds,
        client_cpu_s: (cpu.user + cpu.system) / 1e6,
        server_peak_rss_mib: Math.round(server.peakRss() / 2 ** 20),
        concurrency: opts.concurrency,
        batch: opts.batch,
      },
    }
  } finally {
    agent.destroy()
    await server.stop()
  }
}
