/**
 * Reads NDJSON or CSV files of any size as batches of records (with their 1-based record
 * numbers across the whole file), without holding the file in memory.
 */
import fs from 'node:fs'
import { CsvParser, indexNdjson, parseNdjsonLines, type BodyFormat, type RawRecord } from './parse.js'

export function formatOfFile(file: string): BodyFormat | undefined {
  if (/\.(ndjson|jsonl)$/i.test(file)) return 'ndjson'
  if (/\.csv$/i.test(file)) return 'csv'
  return undefined
}

/** Yields batches of at most `batchSize` records; `onBytes` reports bytes read so far. */
export async function* readRecordBatches(
  file: string,
  format: 'ndjson' | 'csv',
  batchSize: number,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<RawRecord[]> {
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })
  let bytes = 0
  let pending: RawRecord[] = []
  let seen = 0
  let carry = ''
  const csv = format === 'csv' ? new CsvParser() : undefined
  for await (const chunk of stream as AsyncIterable<string>) {
    bytes += Buffer.byteLength(chunk)
    let records: RawRecord[]
    if (csv) records = csv.push(chunk)
    else {
      const lines = (carry + chunk).split('\n')
      carry = lines.pop() ?? ''
      records = parseNdjsonLines(lines, seen)
      seen += records.length
    }
    for (const r of records) {
      pending.push(r)
      if (pending.length >= batchSize) {
        yield pending
        pending = []
      }
    }
    onBytes?.(bytes)
  }
  const tail = csv ? csv.end() : parseNdjsonLines([carry], seen)
  pending.push(...tail)
  while (pending.length) {
    yield pending.slice(0, batchSize)
    pending = pending.slice(batchSize)
  }
}

/**
 * Yields an NDJSON file as bodies of at most `batchSize` records, as bytes cut at line ends
 * (nothing decoded or parsed here: the byte path of the ingestion takes them), each with the
 * number of records in it and before it, so that its record numbers can be offset to the file's.
 */
export async function* readNdjsonBodies(
  file: string,
  batchSize: number,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<{ body: Buffer; records: number; before: number }> {
  let bytes = 0
  let before = 0
  let carry: Buffer = Buffer.alloc(0)
  // Bodies of `batchSize` records from an indexed buffer (all of them when `all`, else only
  // whole bodies); copies, so that the read chunk can go. Returns where the rest begins.
  function* cut(buf: Buffer, all: boolean): Generator<{ body: Buffer; records: number; before: number }, number> {
    const index = indexNdjson(buf)
    const n = all ? index.count : index.count - (index.count % batchSize)
    for (let k = 0; k < n; k += batchSize) {
      const last = Math.min(k + batchSize, n) - 1
      yield { body: Buffer.from(buf.subarray(index.starts[k], index.ends[last])), records: last - k + 1, before }
      before += last - k + 1
    }
    return n > 0 ? index.ends[n - 1] : 0
  }
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 8 << 20 })) {
    bytes += (chunk as Buffer).length
    const buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer)
    // Whole lines now; the last partial line (and the records short of a body) wait for more.
    const whole = buf.subarray(0, buf.lastIndexOf(10) + 1)
    const rest = yield* cut(whole, false)
    carry = Buffer.from(buf.subarray(rest))
    onBytes?.(bytes)
  }
  if (carry.length) yield* cut(carry, true)
}
