/**
 * Ingest suite: scans per second through the HTTP API (validated, deduplicated, durable before
 * the reply) against the engine's own bulk insert of the same rows (INSERT … SELECT FROM
 * file(), with the same rollup views) measured in the same run, and the server's peak RSS.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import { parseConfig } from '../../server/config.js'
import { setLogLevel } from '../../server/log.js'
import { openDb } from '../../server/db/gateway.js'
import { migrate } from '../../server/db/migrate.js'
import { startChildServer } from '../server.js'
import { INTAKE, INTAKE_SETTINGS, intakeSelect } from '../../server/ingest/intake.js'

export interface IngestOptions {
  dir: string
  /** Concurrent HTTP senders. */
  concurrency: number
  /** Records per request (≤ 50,000). */
  batch: number
  log: (msg: string) => void
}

/** The engine alone: one INSERT … SELECT from the NDJSON file into scan_events (and its views). */
async function engineBulk(file: string): Promise<{ rows: number; seconds: number }> {
  if (/['\\]/.test(file)) throw new Error(`unsupported path ${file}`)
  setLogLevel('warn')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'negentropy-bench-bulk-'))
  const db = await openDb(parseConfig({ DATA_DIR: dir, LOG_LEVEL: 'warn', SLOW_QUERY_MS: '600000' }))
  try {
    await migrate(db)
    const t0 = performance.now()
    const f = INTAKE.scans
    await db.command(
      `INSERT INTO ${f.table} (${f.columns}) SELECT ${intakeSelect('scans', 'now')} FROM file('${file}', 'JSONEachRow', '${f.structure}') SETTINGS ${INTAKE_SETTINGS}`,
      undefined,
      'bench-bulk',
    )
    const seconds = (performance.now() - t0) / 1000
    const [{ n }] = await db.query<{ n: number }>('SELECT count() AS n FROM scan_events')
    return { rows: Number(n), seconds }
  } finally {
    await db.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** Batches of NDJSON lines of a file. */
async function* batches(file: string, size: number): AsyncGenerator<string[]> {
  let buf: string[] = []
  for await (const line of readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity })) {
    if (!line) continue
    buf.push(line)
    if (buf.length >= size) {
      yield buf
      buf = []
    }
  }
  if (buf.length) yield buf
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
    const post = async (lines: string[]) => {
      const res = await fetch(`${server.url}/api/v1/ingest/scans`, { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' }, body: lines.join('\n') })
      if (!res.ok) throw new Error(`ingest answered ${res.status}: ${(await res.text()).slice(0, 300)}`)
      return (await res.json()) as { accepted: number; duplicates: number; rejected: unknown[] }
    }
    let accepted = 0
    let rejected = 0
    let sent = 0
    const inFlight = new Set<Promise<void>>()
    const t0 = performance.now()
    for await (const lines of batches(file, opts.batch)) {
      const p: Promise<void> = post(lines).then((r) => {
        accepted += r.accepted
        rejected += r.rejected.length
        inFlight.delete(p)
      })
      inFlight.add(p)
      sent += lines.length
      if (inFlight.size >= opts.concurrency) await Promise.race(inFlight)
    }
    await Promise.all(inFlight)
    const seconds = (performance.now() - t0) / 1000
    if (accepted + rejected !== sent) throw new Error(`sent ${sent}, accepted ${accepted}, rejected ${rejected}`)
    // Re-sending a slice must change nothing: it is all duplicates.
    const first = (await batches(file, Math.min(opts.batch, 5000)).next()).value as string[]
    const again = await post(first)
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
