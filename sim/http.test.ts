import { afterEach, describe, expect, it } from 'vitest'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generate, prepare, run, runLive } from './index'
import { runSimulatorCli } from './cli'
import { httpSink } from './sinks'

interface Hit { path: string; type: string; auth: string; rows: string[] }

/** A stand-in for the ingestion API: records every batch; `reject` rejects a line. */
async function fakeServer(reject?: (line: string) => boolean): Promise<{ url: string; hits: Hit[]; server: Server }> {
  const hits: Hit[] = []
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const rows = Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean)
      hits.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '', auth: req.headers.authorization ?? '', rows })
      const rejected = rows.flatMap((l, i) => (reject?.(l) ? [{ line: i + 1, errors: ['bad'] }] : []))
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ accepted: rows.length - rejected.length, duplicates: 0, rejected }))
    })
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  const port = (server.address() as { port: number }).port
  return { url: `http://127.0.0.1:${port}`, hits, server }
}

describe('--url mode and live mode', () => {
  const cleanup: (() => void)[] = []
  afterEach(() => cleanup.splice(0).forEach((f) => f()))

  it('posts master data first, then batches of events, with the API key', async () => {
    const { url, hits, server } = await fakeServer()
    cleanup.push(() => server.close())
    const opts = { stores: 80, days: 45, seed: 'http', end: '2026-11-25' }
    const truth = await generate(opts, httpSink({ url, apiKey: 'k-123', batchRows: 1000 }))
    const paths = hits.map((h) => h.path)
    const firstIngest = paths.findIndex((p) => p.startsWith('/api/v1/ingest/'))
    expect(paths.slice(0, firstIngest)).toEqual(['/api/v1/master/products', '/api/v1/master/distributors', '/api/v1/master/reps', '/api/v1/master/stores'])
    expect(paths.slice(firstIngest).every((p) => /^\/api\/v1\/ingest\/(scans|orders|rewards)$/.test(p))).toBe(true)
    for (const h of hits) {
      expect(h.type).toBe('application/x-ndjson')
      expect(h.auth).toBe('Bearer k-123')
      expect(h.rows.length).toBeLessThanOrEqual(1000)
    }
    // exactly the rows the file sink writes
    const dir = mkdtempSync(join(tmpdir(), 'sim-http-'))
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
    expect(await runSimulatorCli(['--stores', '80', '--days', '45', '--seed', 'http', '--end', '2026-11-25', '--out', dir, '--quiet'])).toBe(0)
    for (const kind of ['scans', 'orders', 'rewards', 'stores']) {
      const posted = hits.filter((h) => h.path.endsWith(`/${kind}`)).flatMap((h) => h.rows)
      const file = readFileSync(join(dir, `${kind}.ndjson`), 'utf8').split('\n').filter(Boolean)
      expect(posted).toEqual(file)
    }
    expect(truth.counts.orders).toBeGreaterThan(0)
  })

  it('fails loudly when the server rejects a row', async () => {
    const { url, server } = await fakeServer((l) => l.includes('"type":"verify"'))
    cleanup.push(() => server.close())
    await expect(generate({ stores: 60, days: 60, seed: 'rej', end: '2026-11-25' }, httpSink({ url }))).rejects.toThrow(/rejected/)
    const code = await runSimulatorCli(['--stores', '60', '--days', '60', '--seed', 'rej', '--end', '2026-11-25', '--url', url, '--quiet'])
    expect(code).toBe(1)
  })

  it('live mode sends about the requested rate, stamped now', async () => {
    const { url, hits, server } = await fakeServer()
    cleanup.push(() => server.close())
    const opts = { stores: 200, days: 0, seed: 'live', end: '2026-11-25' }
    const sim = prepare(opts)
    await run(sim, opts, httpSink({ url }))
    const t0 = Date.now()
    const sent = await runLive(sim, httpSink({ url, eager: true }), { rate: 400, durationMs: 1500, tickMs: 100 })
    const scans = hits.filter((h) => h.path === '/api/v1/ingest/scans').flatMap((h) => h.rows.map((r) => JSON.parse(r) as { ts: string; type: string }))
    expect(scans.length).toBe(sent)
    expect(sent).toBeGreaterThan(300)
    expect(sent).toBeLessThan(800)
    for (const s of scans) {
      const ms = Date.parse(s.ts)
      expect(ms).toBeGreaterThanOrEqual(Math.floor(t0 / 1000) * 1000 - 1000)
      expect(ms).toBeLessThanOrEqual(Date.now() + 1000)
    }
    expect(new Set(scans.map((s) => s.type))).toContain('open')
  })

  it('the CLI validates its arguments', async () => {
    expect(await runSimulatorCli(['--stores', '10'])).toBe(2)
    expect(await runSimulatorCli(['--stores', '10', '--days', '5', '--seed', '1'])).toBe(2)
    expect(await runSimulatorCli(['--stores', '10', '--days', '5', '--seed', '1', '--out', '/tmp/x', '--live'])).toBe(2)
    expect(await runSimulatorCli(['--stores', 'x', '--days', '5', '--seed', '1', '--out', '/tmp/x'])).toBe(2)
  })
})
