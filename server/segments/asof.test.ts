import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../db/gateway.js'
import { parseBody } from '../ingest/parse.js'
import { Ingestor } from '../ingest/service.js'
import { addDays, defaultAsOf, refreshProfiles } from '../profiles/service.js'
import { openTestDb } from '../testing/db.js'
import { SegmentQueries } from './query.js'
import { SegmentStore } from './store.js'

// A rule at a past as_of sees the attributes as they were then (computed from the rollups),
// while the current as_of reads the materialised profiles.
let db: Db
let cleanup: () => Promise<void>
let q: SegmentQueries
const today = addDays(defaultAsOf(), -1)

beforeAll(async () => {
  ;({ db, cleanup } = await openTestDb())
  const ing = new Ingestor(db)
  const scans = [40, 41, 42].map((ago, i) => ({
    event_id: `00000000-0000-4000-8000-00000000000${i}`, ts: `${addDays(today, -ago)}T12:00:00+08:00`, type: 'open', code: `B${i}`, sku_id: 'K1', bottles: 1, store_id: 'S1',
  }))
  const r = await ing.ingest('scans', parseBody(scans.map((s) => JSON.stringify(s)).join('\n'), 'ndjson'), { origin: 'cli' })
  if (r.accepted !== 3) throw new Error(`setup: ${JSON.stringify(r)}`)
  await refreshProfiles(db, 'store', defaultAsOf())
  q = new SegmentQueries(db, new SegmentStore(db))
})
afterAll(() => cleanup())

describe('segment as_of', () => {
  const rule = { attr: 'opened_bottles_30d', op: 'gte', value: 3 } as const

  it('reads the materialised profiles for the current date', async () => {
    expect((await q.preview({ entity: 'store', rule, sample: 0 })).count).toBe(0) // the opens are 40+ days old
  })

  it('computes attributes as they were for a past date', async () => {
    expect((await q.preview({ entity: 'store', rule, sample: 5, as_of: addDays(today, -30) })).count).toBe(1)
    expect((await q.preview({ entity: 'store', rule, sample: 0, as_of: addDays(today, -50) })).count).toBe(0)
  })
})
