/**
 * Where generated records go. The generator hands a sink UTF-8 NDJSON chunks (complete
 * lines) per kind, master data first; a sink writes files, posts to the ingestion API, or
 * parses the lines into objects for in-process use.
 */
import { closeSync, mkdirSync, openSync, write, writeSync } from 'node:fs'
import { join } from 'node:path'
import { ALL_KINDS, MASTER_KINDS, type Kind, type MasterKind } from './records'
import { stringifyTruth, type Truth } from './truth'

export interface Sink {
  /**
   * `rows` complete UTF-8 NDJSON lines of one kind, each ending in a newline. The bytes
   * are reused once the call (or its promise) completes: copy them to keep them.
   */
  write(kind: Kind, chunk: Buffer, rows: number): void | Promise<void>
  /** Called once after the last record. */
  close?(truth: Truth): void | Promise<void>
}

/**
 * Writes `<kind>.ndjson` for every kind and `truth.json` into a directory (created if
 * missing). Each chunk is copied and written asynchronously (one write in flight per
 * file), so the kernel's copy overlaps with generation; memory stays at two chunks per file.
 */
export function fileSink(dir: string): Sink {
  mkdirSync(dir, { recursive: true })
  const fds = new Map<Kind, number>(ALL_KINDS.map((k) => [k, openSync(join(dir, `${k}.ndjson`), 'w')]))
  const inFlight = new Map<Kind, Promise<void>>()
  const spare = new Map<Kind, Buffer>()
  const writeAll = async (fd: number, bytes: Buffer): Promise<void> => {
    for (let off = 0; off < bytes.length; ) {
      const { bytesWritten } = await new Promise<{ bytesWritten: number }>((ok, fail) =>
        write(fd, bytes, off, bytes.length - off, null, (err, n) => (err ? fail(err) : ok({ bytesWritten: n }))),
      )
      off += bytesWritten
    }
  }
  return {
    async write(kind, chunk) {
      await inFlight.get(kind)
      let copy = spare.get(kind)
      if (!copy || copy.length < chunk.length) copy = Buffer.allocUnsafe(Math.max(chunk.length, 1 << 20))
      chunk.copy(copy)
      const bytes = copy.subarray(0, chunk.length)
      const p = writeAll(fds.get(kind)!, bytes).then(() => void spare.set(kind, copy))
      spare.delete(kind)
      inFlight.set(kind, p)
    },
    async close(truth) {
      await Promise.all(inFlight.values())
      for (const fd of fds.values()) closeSync(fd)
      const fd = openSync(join(dir, 'truth.json'), 'w')
      writeSync(fd, stringifyTruth(truth))
      closeSync(fd)
    },
  }
}

export interface HttpSinkOptions {
  /** base URL of the server, e.g. http://127.0.0.1:8080 */
  url: string
  apiKey?: string
  /** rows per POST (the API accepts at most 50,000) */
  batchRows?: number
  /** post every write at once instead of filling batches (live mode) */
  eager?: boolean
  /** called after each accepted batch */
  onBatch?: (kind: Kind, rows: number, reply: IngestReply) => void
}

export interface IngestReply {
  accepted: number
  duplicates: number
  rejected: { line?: number; errors?: unknown }[]
}

/** Path of a kind's endpoint: master data upserts, event ingestion. */
export function endpointOf(kind: Kind): string {
  return (MASTER_KINDS as readonly string[]).includes(kind) ? `/api/v1/master/${kind}` : `/api/v1/ingest/${kind}`
}

/**
 * POSTs batches as `application/x-ndjson` to the ingestion API: all master data first,
 * then scans, orders and rewards. Throws (failing the run loudly) on any rejected line or
 * HTTP error; transient failures (network, 429, 5xx) are retried with backoff, which is
 * safe because the server deduplicates by id.
 */
export function httpSink(opts: HttpSinkOptions): Sink {
  const batchRows = Math.min(opts.batchRows ?? 20_000, 50_000)
  const base = opts.url.replace(/\/+$/, '')
  const pending = new Map<Kind, { bytes: Buffer; rows: number }>()
  let eventsStarted = false

  async function post(kind: Kind, body: Buffer, rows: number): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' }
    if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`
    let lastErr: unknown
    for (let attempt = 0; attempt < 5; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 250 * 2 ** attempt))
      let res: Response
      try {
        // Buffer is a Uint8Array; the DOM typing of BodyInit does not admit ArrayBufferLike
        res = await fetch(base + endpointOf(kind), { method: 'POST', headers, body: body as unknown as BodyInit })
      } catch (e) {
        lastErr = e
        continue
      }
      const text = await res.text()
      if (res.status === 429 || res.status >= 500) {
        lastErr = new Error(`HTTP ${res.status} from ${endpointOf(kind)}: ${text.slice(0, 300)}`)
        continue
      }
      if (!res.ok) throw new Error(`HTTP ${res.status} from ${endpointOf(kind)}: ${text.slice(0, 500)}`)
      let reply: IngestReply
      try {
        reply = JSON.parse(text) as IngestReply
      } catch {
        throw new Error(`unparseable reply from ${endpointOf(kind)}: ${text.slice(0, 300)}`)
      }
      if (Array.isArray(reply.rejected) && reply.rejected.length > 0) {
        throw new Error(
          `${endpointOf(kind)} rejected ${reply.rejected.length} of ${rows} rows, first: ${JSON.stringify(reply.rejected.slice(0, 3)).slice(0, 600)}`,
        )
      }
      opts.onBatch?.(kind, rows, reply)
      return
    }
    throw lastErr instanceof Error ? lastErr : new Error(String(lastErr))
  }

  async function flush(kind: Kind, all: boolean): Promise<void> {
    const p = pending.get(kind)
    if (!p) return
    const minRows = all ? 1 : batchRows
    while (p.rows >= minRows) {
      let cut = p.bytes.length
      let rows = p.rows
      if (p.rows > batchRows) {
        cut = 0
        for (let i = 0; i < batchRows; i++) cut = p.bytes.indexOf(10, cut) + 1
        rows = batchRows
      }
      const body = p.bytes.subarray(0, cut)
      p.bytes = p.bytes.subarray(cut)
      p.rows -= rows
      await post(kind, body, rows)
    }
  }

  return {
    async write(kind, chunk, rows) {
      const isMaster = (MASTER_KINDS as readonly string[]).includes(kind)
      if (!isMaster && !eventsStarted) {
        eventsStarted = true
        for (const k of MASTER_KINDS) await flush(k, true)
      }
      const p = pending.get(kind) ?? { bytes: Buffer.alloc(0), rows: 0 }
      p.bytes = Buffer.concat([p.bytes, chunk])
      p.rows += rows
      pending.set(kind, p)
      await flush(kind, opts.eager === true)
    },
    async close() {
      for (const k of ALL_KINDS) await flush(k, true)
    },
  }
}

/**
 * Parses each chunk into objects: for in-process consumers such as the server's demo
 * seeding, which feeds them through its own ingestion pipeline.
 * @example await generate(opts, recordSink(async (kind, rows) => pipeline.ingest(kind, rows)))
 */
export function recordSink(
  onBatch: (kind: Kind, records: Record<string, unknown>[]) => void | Promise<void>,
  onClose?: (truth: Truth) => void | Promise<void>,
): Sink {
  return {
    write(kind, chunk) {
      const ndjson = chunk.toString('utf8')
      const records: Record<string, unknown>[] = []
      let i = 0
      while (i < ndjson.length) {
        const j = ndjson.indexOf('\n', i)
        records.push(JSON.parse(ndjson.slice(i, j)) as Record<string, unknown>)
        i = j + 1
      }
      return onBatch(kind, records)
    },
    close: onClose,
  }
}

/** Sends every chunk to several sinks in turn. */
export function teeSink(...sinks: Sink[]): Sink {
  return {
    async write(kind, chunk, rows) {
      for (const s of sinks) await s.write(kind, chunk, rows)
    },
    async close(truth) {
      for (const s of sinks) await s.close?.(truth)
    },
  }
}

/** Counts rows by kind (handy in tests and for progress lines). */
export function countingSink(inner?: Sink): Sink & { rows: Record<string, number> } {
  const rows: Record<string, number> = {}
  return {
    rows,
    write(kind, chunk, n) {
      rows[kind] = (rows[kind] ?? 0) + n
      return inner?.write(kind, chunk, n)
    },
    close(truth) {
      return inner?.close?.(truth)
    },
  }
}

export type { MasterKind }
