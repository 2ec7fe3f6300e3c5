/**
 * The recent-ids cache may only ever narrow lookups: an id it has seen is looked up, one it has
 * not is new. Hash collisions, a restarted process (an empty cache over a full table) and the
 * memory bound must not change a single verdict.
 */
import { rng } from '../../segments/testing/random.js'
import { describe, expect, it } from 'vitest'
import type { Db } from '../db/gateway.js'
import { useTestDb } from '../testing/db.js'
import { parseBody } from './parse.js'
import { RecentIds, hash52, hash52Bytes } from './recent.js'
import { Ingestor } from './service.js'

let db: Db
useTestDb(async (d) => {
  db = d
})

const order = (id: string, day = '2026-11-01') =>
  JSON.stringify({ order_id: id, ts: `${day}T10:00:00+08:00`, seller_type: 'distributor', seller_id: 'D1', buyer_type: 'store', buyer_id: 'S1', sku_id: 'K1', bottles: 6, amount_fen: 100 })
const send = (ing: Ingestor, lines: string[]) => ing.ingest('orders', parseBody(lines.join('\n'), 'ndjson'), { origin: 'cli' })

describe('RecentIds', () => {
  it('keeps its size within the bound by dropping the least recently used days', () => {
    const r = new RecentIds(hash52, 1000)
    for (let d = 0; d < 10; d++) {
      r.load('orders', d, Array.from({ length: 300 }, (_, i) => `${d}-${i}`))
      r.trim('orders', [d])
    }
    expect(r.size).toBeLessThanOrEqual(1000)
    expect(r.day('orders', 0)).toBeUndefined()
    expect(r.day('orders', 9)?.size).toBe(300)
  })

  it('keeps the days it is told to keep, past the bound', () => {
    const r = new RecentIds(hash52, 1000)
    for (let d = 0; d < 5; d++) r.load('orders', d, Array.from({ length: 300 }, (_, i) => `${d}-${i}`))
    r.trim('orders', [0, 1, 2, 3])
    expect(r.size).toBe(1200)
    expect(r.day('orders', 4)).toBeUndefined()
    expect(r.day('orders', 0)?.size).toBe(300)
  })

  it('adds only to loaded days, and counts what it holds', () => {
    const r = new RecentIds()
    r.load('orders', 1, ['a'])
    r.load('orders', 3, [])
    r.addAll('orders', [1, 2, 1, 3, 3], ['b', 'c', 'a', 'd', 'e'].map(hash52))
    expect(r.day('orders', 1)?.has(hash52('b'))).toBe(true)
    expect(r.day('orders', 2)).toBeUndefined()
    expect(r.day('orders', 3)?.has(hash52('e'))).toBe(true)
    expect(r.size).toBe(4)
  })
})

describe('hash52Bytes', () => {
  it('equals hash52 of the id as stored: UUIDs in either case lower-cased, other ASCII ids as they are', () => {
    const rand = rng(3)
    const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('')
    for (let i = 0; i < 2000; i++) {
      const u = `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`
      const given = i % 2 ? u.toUpperCase() : u
      const bytes = Buffer.from(`{"event_id":"${given}"}`, 'latin1')
      expect(hash52Bytes(bytes, 13, 13 + 36, true)).toBe(hash52(u))
      const id = `O-${hex(10)}_${i}`
      expect(hash52Bytes(Buffer.from(id, 'latin1'), 0, id.length, false)).toBe(hash52(id))
    }
  })
})

describe('deduplication with the cache', () => {
  it('every hash colliding (all ids looked up) changes no verdict', async () => {
    const ing = new Ingestor(db, { idHash: () => 1 })
    expect(await send(ing, [order('H-1')])).toMatchObject({ accepted: 1, duplicates: 0 })
    expect(await send(ing, [order('H-2'), order('H-3')])).toMatchObject({ accepted: 2, duplicates: 0 })
    expect(await send(ing, [order('H-1'), order('H-2'), order('H-4'), order('H-4')])).toMatchObject({ accepted: 1, duplicates: 3 })
  })

  it('a fresh process (empty cache) still refuses ids accepted before it started', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => order(`R-${i}`, `2026-10-${String((i % 28) + 1).padStart(2, '0')}`))
    expect(await send(new Ingestor(db), lines)).toMatchObject({ accepted: 500, duplicates: 0 })
    const restarted = new Ingestor(db)
    expect(await send(restarted, [...lines.slice(0, 250), order('R-new', '2026-10-05')])).toMatchObject({ accepted: 1, duplicates: 250 })
    expect(await send(restarted, lines)).toMatchObject({ accepted: 0, duplicates: 500 })
  })

  it('concurrent bodies sharing ids accept each id once (one group commit or several)', async () => {
    const ing = new Ingestor(db)
    const bodies = Array.from({ length: 6 }, (_b, b) => Array.from({ length: 400 }, (_i, i) => order(`C-${(b * 200 + i) % 1000}`)))
    const replies = await Promise.all(bodies.map((l) => send(ing, l)))
    expect(replies.reduce((n, r) => n + r.accepted, 0)).toBe(1000)
    expect(replies.reduce((n, r) => n + r.duplicates, 0)).toBe(2400 - 1000)
    const [{ n }] = await db.query<{ n: number }>(`SELECT count() AS n FROM orders WHERE startsWith(order_id, 'C-')`)
    expect(Number(n)).toBe(1000)
  })
})
