/**
 * The write-ahead log of accepted facts (commit.ts): a 'durable' reply comes before the insert,
 * an id waiting in the log is still a duplicate, a failed insert is repaired without writing a
 * row twice, and entries left by a stopped process are written at the next start. Inserts are
 * held back or made to fail by wrapping the real embedded database, never by replacing it.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { DbError, type Db } from '../db/gateway.js'
import { useTestDb } from '../testing/db.js'
import { Ingestor } from './service.js'

let db: Db
useTestDb(async (d) => {
  db = d
})

const uuid = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`
const scan = (i: number, code: string) =>
  JSON.stringify({ event_id: uuid(i), ts: '2026-11-01T09:00:00+08:00', type: 'open', code, sku_id: 'K1', bottles: 1, store_id: `S${i % 7}` })
const body = (from: number, to: number, code: string) =>
  Buffer.from(
    Array.from({ length: to - from + 1 }, (_, k) => scan(from + k, code)).join('\n'),
    'utf8',
  )

async function stored(code: string): Promise<{ rows: number; ids: number }> {
  const [r] = await db.query<{ rows: number; ids: number }>(`SELECT count() AS rows, uniqExact(event_id) AS ids FROM scan_events WHERE code = {code:String}`, { code })
  return { rows: Number(r.rows), ids: Number(r.ids) }
}

const logged = () => fs.readdirSync(path.join(db.walDir as string, 'scans')).filter((n) => n.endsWith('.ndjson'))

/** The database with `insertStaged` of the fact writer (tags `ingest-…`) run through `around`. */
function wrapInserts(around: (insert: () => Promise<void>, tag: string) => Promise<void>): Db {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'insertStaged')
        return (staged: Parameters<Db['insertStaged']>[0], into: Parameters<Db['insertStaged']>[1], tag?: string) =>
          tag?.startsWith('ingest-scans') ? around(() => target.insertStaged(staged, into, tag), tag) : target.insertStaged(staged, into, tag)
      const v = Reflect.get(target, prop, target) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
    },
  })
}

describe('the write-ahead log of accepted facts', () => {
  it("answers 'durable' before the insert, and an id waiting in the log is a duplicate", async () => {
    let open!: () => void
    const gate = new Promise<void>((r) => (open = r))
    const ingestor = new Ingestor(
      wrapInserts(async (insert) => {
        await gate
        await insert()
      }),
    )
    const first = await ingestor.ingestBody('scans', body(1, 100, 'W1'), { origin: 'cli', wait: 'durable' })
    expect(first).toMatchObject({ accepted: 100, duplicates: 0, rejected: [] })
    // Accepted and in the log, not yet in the table.
    expect(await stored('W1')).toEqual({ rows: 0, ids: 0 })
    expect(logged()).toHaveLength(1)
    // 10 ids of the first body (waiting in the log) and 10 new ones: the repeated ids are looked
    // up once the log is written, so this reply waits for the gate.
    let settled = false
    const second = ingestor.ingestBody('scans', body(91, 110, 'W1'), { origin: 'cli', wait: 'durable' }).finally(() => (settled = true))
    await new Promise((r) => setTimeout(r, 300))
    expect(settled).toBe(false)
    open()
    expect(await second).toMatchObject({ accepted: 10, duplicates: 10 })
    await ingestor.flushed()
    expect(await stored('W1')).toEqual({ rows: 110, ids: 110 })
    expect(logged()).toHaveLength(0)
    // 'visible' (the default) answers once the rows can be read.
    const third = await ingestor.ingestBody('scans', body(111, 120, 'W1'), { origin: 'cli' })
    expect(third.accepted).toBe(10)
    expect(await stored('W1')).toEqual({ rows: 120, ids: 120 })
  })

  it.each([
    ['after writing its rows', true],
    ['before writing any', false],
  ])('repairs an insert that failed %s, writing every row exactly once', async (_, wrote) => {
    const code = wrote ? 'R1' : 'R2'
    const from = wrote ? 1001 : 3001
    let failures = 1
    const ingestor = new Ingestor(
      wrapInserts(async (insert, tag) => {
        if (tag === 'ingest-scans' && failures > 0) {
          failures--
          if (wrote) await insert()
          throw new DbError('simulated: the connection dropped', 'q', 'INSERT')
        }
        await insert()
      }),
    )
    const r = await ingestor.ingestBody('scans', body(from, from + 199, code), { origin: 'cli' })
    expect(r).toMatchObject({ accepted: 200, duplicates: 0 })
    expect(failures).toBe(0)
    expect(await stored(code)).toEqual({ rows: 200, ids: 200 })
    expect(logged()).toHaveLength(0)
    // The repaired ids are known: re-sent, they are duplicates.
    expect(await ingestor.ingestBody('scans', body(from, from + 199, code), { origin: 'cli' })).toMatchObject({ accepted: 0, duplicates: 200 })
  })

  it('reads a day\'s stored ids only for days that have some', async () => {
    const at = (day: string) => (i: number) => scan(i, 'D1').replace('2026-11-01', day)
    const lines = (day: string, from: number, to: number) => Buffer.from(Array.from({ length: to - from + 1 }, (_, k) => at(day)(from + k)).join('\n'))
    await new Ingestor(db).ingestBody('scans', lines('2026-06-10', 5001, 5010), { origin: 'cli' })
    const tags: string[] = []
    const counted = new Proxy(db, {
      get(target, prop) {
        if (prop === 'query')
          return (sql: string, params?: Parameters<Db['query']>[1], tag?: string) => {
            tags.push(tag ?? '')
            return target.query(sql, params, tag)
          }
        const v = Reflect.get(target, prop, target) as unknown
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      },
    })
    const ingestor = new Ingestor(counted)
    // A new day (and the week after it) is known empty: no load.
    expect(await ingestor.ingestBody('scans', lines('2031-01-01', 5101, 5110), { origin: 'cli' })).toMatchObject({ accepted: 10 })
    expect(tags.filter((t) => t === 'dedupe-load')).toEqual([])
    // A day with stored ids is read, and its re-sent ids are duplicates.
    expect(await ingestor.ingestBody('scans', lines('2026-06-10', 5001, 5012), { origin: 'cli' })).toMatchObject({ accepted: 2, duplicates: 10 })
    expect(tags.filter((t) => t === 'dedupe-load')).toHaveLength(1)
    // The days this process inserted are known stored: a later cache miss on them would be read.
    expect(await ingestor.ingestBody('scans', lines('2031-01-01', 5101, 5110), { origin: 'cli' })).toMatchObject({ accepted: 0, duplicates: 10 })
  })

  it('writes the entries a stopped process left in the log, without the rows already stored', async () => {
    await new Ingestor(db).ingestBody('scans', body(2001, 2002, 'L1'), { origin: 'cli' })
    const dir = path.join(db.walDir as string, 'scans')
    fs.mkdirSync(dir, { recursive: true })
    // Two rows already stored (one with its id in upper case), three not yet.
    const lines = [scan(2001, 'L1'), scan(2002, 'L1').replace(uuid(2002), uuid(2002).toUpperCase()), scan(2003, 'L1'), scan(2004, 'L1'), scan(2005, 'L1')]
    fs.writeFileSync(path.join(dir, `${String(Date.parse('2026-11-20T00:00:00Z')).padStart(15, '0')}-000000000001-test.ndjson`), lines.join('\n'))
    const ingestor = new Ingestor(db)
    expect(await ingestor.recover()).toBe(1)
    expect(await stored('L1')).toEqual({ rows: 5, ids: 5 })
    expect(logged()).toHaveLength(0)
    const [r] = await db.query<{ at: string }>(`SELECT toString(max(received_at)) AS at FROM scan_events WHERE code = 'L1' AND event_id = toUUID({id:String})`, { id: uuid(2005) })
    expect(r.at).toBe('2026-11-20 00:00:00.000')
    expect(await ingestor.ingestBody('scans', body(2001, 2005, 'L1'), { origin: 'cli' })).toMatchObject({ accepted: 0, duplicates: 5 })
  })

  it('keeps a refused entry in the log when it cannot be read to quarantine it, and writes it at the next start', async () => {
    // Every insert of the writer fails and its file cannot be read: after the last attempt the
    // entry is neither inserted nor quarantined, so it must stay where the next start finds it.
    const broken = new Proxy(db, {
      get(target, prop) {
        if (prop === 'insertStaged')
          return (staged: Parameters<Db['insertStaged']>[0], into: Parameters<Db['insertStaged']>[1], tag?: string) =>
            tag?.startsWith('ingest-scans') ? Promise.reject(new DbError('simulated: the engine refused', tag, '')) : target.insertStaged(staged, into, tag)
        if (prop === 'readStaged') return () => Promise.reject(new Error('simulated: EIO'))
        const v = Reflect.get(target, prop, target) as unknown
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
      },
    })
    const ingestor = new Ingestor(broken)
    expect(await ingestor.ingestBody('scans', body(9001, 9010, 'K1'), { origin: 'cli', wait: 'durable' })).toMatchObject({ accepted: 10 })
    await ingestor.flushed()
    expect(await stored('K1')).toEqual({ rows: 0, ids: 0 })
    expect(logged()).toHaveLength(1)
    const [q] = await db.query<{ n: number }>(`SELECT count() AS n FROM quarantine WHERE raw LIKE '%"K1"%'`)
    expect(Number(q.n)).toBe(0)
    expect(await new Ingestor(db).recover()).toBe(1)
    expect(await stored('K1')).toEqual({ rows: 10, ids: 10 })
    expect(logged()).toHaveLength(0)
  }, 60_000)
})
