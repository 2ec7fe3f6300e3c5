/**
 * `npm run import -- <kind> <file> [--format ndjson|csv] [--batch N] [--url http://host:port]`
 *
 * Bulk-loads an NDJSON or CSV file of any size through the same validation as the API: into the
 * embedded data directory (or CLICKHOUSE_URL) directly, or with --url through a running
 * workbench's HTTP API. Rejected records are reported by line and kept in the quarantine.
 * Prints a summary on stdout; exits 1 when --strict is given and anything was rejected.
 */
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { parseConfig } from '../config.js'
import { openDb } from '../db/gateway.js'
import { migrate } from '../db/migrate.js'
import { formatOfFile, readNdjsonBodies, readRecordBatches } from '../ingest/files.js'
import { ALL_KINDS, isFactKind, type Kind } from '../ingest/schemas.js'
import { Ingestor, type IngestResult } from '../ingest/service.js'
import { setLogLevel } from '../log.js'
import { Progress } from './progress.js'

function fail(msg: string): never {
  process.stderr.write(`import: ${msg}\n`)
  process.exit(2)
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { format: { type: 'string' }, batch: { type: 'string', default: '20000' }, url: { type: 'string' }, 'api-key': { type: 'string' }, strict: { type: 'boolean', default: false } },
})
const [kind, file] = positionals
if (!kind || !file) fail(`usage: npm run import -- <kind> <file>\n  kinds: ${ALL_KINDS.join(', ')}`)
if (!(ALL_KINDS as string[]).includes(kind)) fail(`unknown kind "${kind}"; one of ${ALL_KINDS.join(', ')}`)
if (!fs.existsSync(file)) fail(`no such file: ${file}`)
const format = (values.format ?? formatOfFile(file)) as 'ndjson' | 'csv' | undefined
if (format !== 'ndjson' && format !== 'csv') fail(`cannot tell the format of ${file}: name it .ndjson/.jsonl/.csv or pass --format ndjson|csv`)
const batch = Number(values.batch)
if (!Number.isInteger(batch) || batch < 1 || batch > 50_000) fail('--batch must be a whole number from 1 to 50000')

// A body: NDJSON bytes (the byte path of the ingestion), or parsed CSV records.
type Body = { bytes: Buffer } | { records: import('../ingest/parse.js').RawRecord[] }
let send: (body: Body) => Promise<IngestResult>
let close = async () => {}
if (values.url) {
  const path = `${values.url.replace(/\/$/, '')}/api/v1/${isFactKind(kind) ? 'ingest' : 'master'}/${kind}`
  send = async (b) => {
    // NDJSON goes as read; CSV records are sent as NDJSON (the CSV header is not repeated).
    const body = 'bytes' in b ? new Uint8Array(b.bytes) : b.records.map((r) => (r.value !== undefined ? JSON.stringify(r.value) : r.raw)).join('\n')
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-ndjson', ...(values['api-key'] ? { Authorization: `Bearer ${values['api-key']}` } : {}) },
      body,
    })
    if (!res.ok) fail(`${path} answered ${res.status}: ${(await res.text()).slice(0, 300)}`)
    return (await res.json()) as IngestResult
  }
} else {
  const config = parseConfig(process.env)
  setLogLevel(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL)
  const db = await openDb(config).catch((e: Error) =>
    fail(/lock/i.test(e.message) ? `the data directory ${config.DATA_DIR} is in use by a running workbench: stop it, or send through it with --url http://127.0.0.1:${config.PORT}` : e.message),
  )
  await migrate(db)
  const ingestor = new Ingestor(db)
  await ingestor.recover()
  send = (b) => ('bytes' in b ? ingestor.ingestBody(kind as Kind, b.bytes, { origin: 'cli', wait: 'durable' }) : ingestor.ingest(kind as Kind, b.records, { origin: 'cli', wait: 'durable' }))
  close = async () => {
    await ingestor.flushed()
    await db.close()
  }
}

/** The file's bodies, each with its record count and the records before it. */
async function* bodies(onBytes: (b: number) => void): AsyncGenerator<{ body: Body; records: number; before: number }> {
  if (format === 'ndjson') {
    for await (const b of readNdjsonBodies(file, batch, onBytes)) yield { body: { bytes: b.body }, records: b.records, before: b.before }
    return
  }
  let before = 0
  for await (const records of readRecordBatches(file, 'csv', batch, onBytes)) {
    yield { body: { records }, records: records.length, before }
    before += records.length
  }
}

const size = fs.statSync(file).size
const progress = new Progress(`import ${kind}`, size)
const total = { records: 0, accepted: 0, duplicates: 0, rejected: [] as IngestResult['rejected'], conflicts: 0 }
let bytes = 0
const t0 = performance.now()
for await (const { body, records, before } of bodies((b) => (bytes = b))) {
  // Record numbers in a reply count from the body's first (parsed CSV records keep the file's).
  const r0 = await send(body)
  const offset = 'bytes' in body || values.url ? before : 0
  const r = { ...r0, rejected: r0.rejected.map((x) => ({ ...x, line: x.line + offset })), conflicts: r0.conflicts?.map((c) => ({ ...c, line: c.line + offset })) }
  total.records += records
  total.accepted += r.accepted
  total.duplicates += r.duplicates
  total.conflicts += r.conflicts?.length ?? 0
  total.rejected.push(...r.rejected)
  progress.update(bytes, `${total.records.toLocaleString('en')} records`)
}
progress.update(size, `${total.records.toLocaleString('en')} records`)
progress.done()
await close()
const secs = (performance.now() - t0) / 1000
const out = [
  `${file}: ${total.records} records in ${secs.toFixed(1)} s (${Math.round(total.records / Math.max(secs, 1e-3))}/s)`,
  `  accepted ${total.accepted}, duplicates ${total.duplicates}, rejected ${total.rejected.length}${total.conflicts ? `, conflicts held ${total.conflicts}` : ''}`,
  ...total.rejected.slice(0, 20).map((r) => `  line ${r.line}: ${r.errors.map((e) => `${e.path || '(record)'}: ${e.message}`).join('; ')}`),
  ...(total.rejected.length > 20 ? [`  … ${total.rejected.length - 20} more; all are kept in the quarantine (Data page)`] : []),
]
process.stdout.write(out.join('\n') + '\n')
if (values.strict && total.rejected.length > 0) process.exit(1)
