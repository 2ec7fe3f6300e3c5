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
  const cut = function* (buf: Buffer): Generator<{ body: Buffer; records: number; before: number }> {
    const index = indexNdjson(buf)
    for (let k = 0; k < index.count; k += batchSize) {
      const last = Math.min(k + batchSize, index.count) - 1
      yield { body: buf.subarray(index.starts[k], index.ends[last]), records: last - k + 1, before }
      before += last - k + 1
    }
  }
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 8 << 20 })) {
    bytes += (chunk as Buffer).length
    const buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer)
    const end = buf.lastIndexOf(10) + 1
    // Whole lines now; the last partial line waits for the next chunk. Bodies are copied out,
    // so the chunk can go.
    const whole = buf.subarray(0, end)
    const index = indexNdjson(whole)
    const full = index.count - (index.count % batchSize)
    if (full > 0) {
      const upto = index.ends[full - 1]
      for (const b of cut(Buffer.from(whole.subarray(0, upto)))) yield b
      carry = Buffer.from(buf.subarray(upto))
    } else carry = Buffer.from(buf)
    onBytes?.(bytes)
  }
  if (carry.length) for (const b of cut(carry)) yield b
}
