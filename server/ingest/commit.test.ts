/**
 * Group commit: bodies announced while the writer is about to insert join that insert; a body
 * announced but never sent does not hold the writer. The engine is the real one; only the
 * number of fact INSERTs is counted.
 */
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Db } from '../db/gateway.js'
import { useTestDb } from '../testing/db.js'
import { Ingestor } from './service.js'

let db: Db
useTestDb(async (d) => {
  db = d
})

/** The database, counting the fact inserts made through it. */
function counting(): { db: Db; inserts: () => number } {
  let n = 0
  const spy = Object.create(db) as Db
  spy.insertStaged = (staged, into, tag) => {
    if (tag === 'ingest-scans') n++
    return db.insertStaged(staged, into, tag)
  }
  return { db: spy, inserts: () => n }
}

const body = (n: number) =>
  Buffer.from(
    Array.from({ length: n }, () =>
      JSON.stringify({ event_id: randomUUID(), ts: '2026-11-01T10:00:00+08:00', type: 'open', code: 'B', sku_id: 'K', bottles: 1, store_id: 'S1' }),
    ).join('\n'),
  )

describe('group commit', () => {
  it('takes the bodies announced while it waits into one insert', async () => {
    const c = counting()
    // A long wait cap: the test is about who is waited for, not how long.
    const ing = new Ingestor(c.db, { groupWaitMs: 60_000 })
    const announced = [ing.announce('scans'), ing.announce('scans'), ing.announce('scans')]
    const replies = await Promise.all(announced.map((a) => ing.ingestBody('scans', body(500), { origin: 'cli', announced: a })))
    expect(replies.map((r) => r.accepted)).toEqual([500, 500, 500])
    expect(c.inserts()).toBe(1)
  })

  it('does not wait for a body announced and then given up', async () => {
    const c = counting()
    const ing = new Ingestor(c.db, { groupWaitMs: 60_000 })
    const gone = ing.announce('scans')
    const sent = ing.ingestBody('scans', body(10), { origin: 'cli' })
    await new Promise((r) => setTimeout(r, 50))
    gone()
    expect((await sent).accepted).toBe(10)
    expect(c.inserts()).toBe(1)
  })

  it('does not wait at all when nothing else is announced', async () => {
    const c = counting()
    const ing = new Ingestor(c.db, { groupWaitMs: 60_000 })
    expect((await ing.ingestBody('scans', body(10), { origin: 'cli' })).accepted).toBe(10)
  })
})
