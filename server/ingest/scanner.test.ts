/**
 * The byte scanner must be sound: a line it accepts is accepted by the general path (JSON.parse,
 * fastCheck, passesThrough, zod) with the same time, id and entities. It must also take the
 * common form, or the fast lane is never used: every line the simulator writes.
 */
import { describe, expect, it } from 'vitest'
import { generate } from '../../sim/index.js'
import { rng as mulberry32 } from '../../segments/testing/random.js'
import { refsOf } from './batch.js'
import { fastCheck } from './fast.js'
import { passesThrough } from './intake.js'
import { indexNdjson, parseNdjsonLines } from './parse.js'
import { LineScanner, isUtf8, type Refs } from './scanner.js'
import { FACT_KINDS, type FactKind } from './schemas.js'
import { lineGenerator } from './testing/records.js'

const KINDS: FactKind[] = ['scans', 'orders', 'rewards']

/** Checks one line; returns whether the scanner accepted it (and fails the test if it was wrong to). */
function check(kind: FactKind, line: string): boolean {
  const bytes = Buffer.from(line, 'utf8')
  const sc = new LineScanner(kind)
  if (!sc.scan(bytes, 0, bytes.length)) return false
  const why = (m: string) => new Error(`scanner accepted ${JSON.stringify(line)}: ${m}`)
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    throw why('not JSON')
  }
  const time = fastCheck(kind, value)
  if (Number.isNaN(time)) throw why('fastCheck refuses it')
  if (time !== sc.time) throw why(`time ${sc.time} instead of ${time}`)
  if (!passesThrough(value as { ts?: unknown })) throw why('its timestamp is not canonical')
  const spec = FACT_KINDS[kind]
  const z = spec.schema.safeParse(value)
  if (!z.success) throw why('zod refuses it')
  const row = z.data as Record<string, unknown>
  if (sc.id() !== row[spec.idField]) throw why(`id ${sc.id()} instead of ${String(row[spec.idField])}`)
  const refs: Refs = { store: '?', consumer: '?', distributor: '?' }
  sc.refs(refs)
  expect(refs).toEqual(refsOf(kind, row))
  return true
}

const rand = mulberry32(4242)
const INTERESTING = [...'{}[]":,\\ \t\r.-+eE0123456789aZ'].map((c) => c.charCodeAt(0)).concat([0x00, 0x1f, 0x7f, 0x80, 0xc0, 0xe6, 0xed, 0xf4, 0xff])

/** A line with one to three random byte edits (delete, insert, replace, duplicate a span). */
function mutate(line: string): string {
  let b = [...Buffer.from(line, 'utf8')]
  const edits = 1 + Math.floor(rand() * 3)
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * b.length)
    const byte = INTERESTING[Math.floor(rand() * INTERESTING.length)]
    const op = rand()
    if (op < 0.3) b.splice(at, 1)
    else if (op < 0.6) b.splice(at, 0, byte)
    else if (op < 0.9) b[at] = byte
    else b = [...b.slice(0, at), ...b.slice(at, at + 8), ...b.slice(at)]
  }
  return Buffer.from(b).toString('latin1') // bytes kept as they are: decoded below as UTF-8 by check()
}

describe('LineScanner', () => {
  it.each(KINDS)('%s: accepts only what the general path accepts, alike (random lines in every form)', (kind) => {
    const line = lineGenerator(kind.length * 31)
    let accepted = 0
    for (let n = 0; n < 5000; n++) if (check(kind, line(kind, n))) accepted++
    // The generator writes many non-canonical forms; a good share is still plain.
    expect(accepted).toBeGreaterThan(100)
  })

  it.each(KINDS)('%s: stays sound on 20,000 byte-mutated lines', (kind) => {
    const line = lineGenerator(kind.length * 97)
    let accepted = 0
    for (let n = 0; n < 20_000; n++) {
      const m = mutate(line(kind, n))
      // As bytes: the mutation may have made invalid UTF-8, which check() must see as sent.
      const bytes = Buffer.from(m, 'latin1')
      const sc = new LineScanner(kind)
      if (!sc.scan(bytes, 0, bytes.length)) continue
      accepted++
      expect(isUtf8(bytes, 0, bytes.length)).toBe(true)
      check(kind, bytes.toString('utf8'))
    }
    // Some edits keep a line valid (a digit for a digit, a space added): the check saw those.
    expect(accepted).toBeGreaterThan(30)
  })

  it('takes every line the simulator writes (the common form goes the fast way)', async () => {
    const counts: Record<string, [number, number]> = {}
    await generate({ stores: 40, days: 20, seed: 7, end: '2026-06-30', batchRows: 5000 }, {
      async write(kind, chunk) {
        if (!KINDS.includes(kind as FactKind)) return
        const index = indexNdjson(chunk)
        const sc = new LineScanner(kind as FactKind)
        const c = (counts[kind] ??= [0, 0])
        for (let i = 0; i < index.count; i++) {
          c[0]++
          if (sc.scan(chunk, index.starts[i], index.ends[i])) c[1]++
        }
      },
    })
    for (const kind of KINDS) {
      expect(counts[kind]?.[0]).toBeGreaterThan(100)
      expect(counts[kind]?.[1]).toBe(counts[kind]?.[0])
    }
  })

  it('checks timestamps, numbers and text at their edges', () => {
    const base = { event_id: '6F1C2F64-8A8E-4C55-9D4E-1A2B3C4D5E01', ts: '2026-11-01T10:00:00+08:00', type: 'stock_in', code: 'B', sku_id: 'K', bottles: 1, store_id: 'S1' }
    const scan = (over: Record<string, unknown>, raw?: string) => {
      const line = raw ?? JSON.stringify({ ...base, ...over })
      const b = Buffer.from(line)
      return new LineScanner('scans').scan(b, 0, b.length) && check('scans', line)
    }
    expect(scan({})).toBe(true)
    expect(scan({ ts: '2024-02-29T23:59:59.999Z' })).toBe(true)
    expect(scan({ ts: '2026-02-29T10:00:00Z' })).toBe(false) // V8 reads it as March 1st: the general path decides
    expect(scan({ ts: '2026-11-01T10:00:00.1234Z' })).toBe(false)
    expect(scan({ ts: '2026-11-01T10:00:00+0800' })).toBe(false)
    expect(scan({ ts: '2026-11-01T10:00Z' })).toBe(false)
    expect(scan({ ts: '1999-12-31T23:59:59Z' })).toBe(false)
    expect(scan({ ts: '2000-01-01T07:59:59+08:00' })).toBe(false) // 1999 in UTC
    expect(scan({ ts: '2099-12-31T23:59:59.999Z' })).toBe(true)
    expect(scan({ bottles: 1_000_000 })).toBe(true)
    expect(scan({ bottles: 1_000_001 })).toBe(false)
    expect(scan({ bottles: 0 })).toBe(false)
    expect(scan({}, JSON.stringify(base).replace('"bottles":1', '"bottles":1.0'))).toBe(false)
    expect(scan({}, JSON.stringify(base).replace('"bottles":1', '"bottles":01'))).toBe(false)
    expect(scan({ lat: 90, lon: -180 })).toBe(true)
    expect(scan({}, JSON.stringify({ ...base, lat: 1, lon: 2 }).replace('"lat":1', '"lat":90.000'))).toBe(true)
    expect(scan({}, JSON.stringify({ ...base, lat: 1, lon: 2 }).replace('"lat":1', '"lat":90.001'))).toBe(false)
    expect(scan({}, JSON.stringify({ ...base, lat: 1, lon: 2 }).replace('"lat":1', '"lat":1e1'))).toBe(false)
    expect(scan({ lat: 1 })).toBe(false)
    expect(scan({ store_id: undefined })).toBe(false) // a stock-in names its store
    expect(scan({ city: '潍'.repeat(85) })).toBe(true) // 255 bytes
    expect(scan({ city: '潍'.repeat(86) })).toBe(false) // 258 bytes: the general path counts characters
    expect(scan({ code: 'x'.repeat(64) })).toBe(true)
    expect(scan({ code: 'x'.repeat(65) })).toBe(false)
    expect(scan({ code: '码' })).toBe(false)
    expect(scan({ code: 'a\\"b' })).toBe(false)
    expect(scan({ extra: 1 })).toBe(false)
    expect(scan({}, JSON.stringify(base).replace('"code":"B"', '"code":"B","code":"C"'))).toBe(false)
    expect(scan({}, ` \t${JSON.stringify(base)}\r `)).toBe(true)
    expect(scan({}, `${JSON.stringify(base)}x`)).toBe(false)
  })
})

describe('indexNdjson', () => {
  it('finds the records parseNdjsonLines finds, with the same text and numbers', () => {
    const body = Buffer.from('\r\n{"a":1}\r\n  \n\t\n\uFEFF\n{"b":"潍坊"}\n\u3000\nnot json\r\r\n\n{"c":3}', 'utf8')
    const index = indexNdjson(body)
    const parsed = parseNdjsonLines(body.toString('utf8').split('\n'), 0)
    expect(index.count).toBe(parsed.length)
    for (let i = 0; i < index.count; i++) expect(body.toString('utf8', index.starts[i], index.ends[i])).toBe(parsed[i].raw)
    expect(indexNdjson(Buffer.alloc(0)).count).toBe(0)
  })
})
