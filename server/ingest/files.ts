/**
 * Reads NDJSON or CSV files of any size as batches of records (with their 1-based record
 * numbers across the whole file), without holding the file in memory.
 */
import fs from 'node:fs'
import { CsvParser, parseNdjsonLines, type BodyFormat, type RawRecord } from './parse.js'

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
