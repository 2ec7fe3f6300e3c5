/**
 * The dashboard indexes of sql/0008 and sql/0009: the views keep them equal to what the migration's backfill
 * computes from the rollups (so a data directory migrated with data in it reads the same as one
 * fed from the start), the backfill can run twice, and the consumer index builds the same bitmaps
 * as the backfill, complete and exact.
 */
import { describe, expect, it } from 'vitest'
import { readMigrations } from '../db/ddl.js'
import type { Db } from '../db/gateway.js'
import { SQL_DIR } from '../db/migrate.js'
import { useTestDb } from '../testing/db.js'
import { chunkDays, ConsumerIndex, staleDays } from './consumer-index.js'
import { loadSimulation } from './fixture.js'
import { splitByMonth } from './store-periods.js'

let db: Db
useTestDb(
  async (d) => {
    db = d
    await loadSimulation(db, { stores: 80, days: 70, seed: 3, end: '2026-06-30' })
  },
  { timeoutMs: 300_000 },
)

const CONTENT: Record<string, string> = {
  store_monthly: 'SELECT month, sku_id, store_id, sum(stocked) AS st, sum(opened) AS op FROM store_monthly GROUP BY ALL HAVING st + op > 0 ORDER BY ALL',
  store_firsts: 'SELECT sku_id, store_id, min(first_open) AS o, min(first_stock_in) AS s FROM store_firsts GROUP BY ALL ORDER BY ALL',
  reward_spend_daily: 'SELECT day, beneficiary_type, kind, policy_id, sum(rewards) AS n, sum(amount_fen) AS fen FROM reward_spend_daily GROUP BY ALL ORDER BY ALL',
  store_reward_monthly: 'SELECT month, store_id, sum(rewards) AS n, sum(amount_fen) AS fen FROM store_reward_monthly GROUP BY ALL ORDER BY ALL',
  store_open_city_monthly: 'SELECT month, store_id, city, sum(bottles) AS b FROM store_open_city_monthly GROUP BY ALL HAVING b > 0 ORDER BY ALL',
}
const BITMAPS = 'SELECT day, sku_id, groupBitmapMerge(ids) AS n, max(opens) AS opens FROM consumer_open_bitmaps GROUP BY ALL ORDER BY ALL'
const TABLES = [...Object.keys(CONTENT), 'consumer_ids', 'consumer_open_bitmaps']

async function contents(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {}
  for (const [t, sql] of Object.entries(CONTENT)) out[t] = await db.query(sql)
  return out
}

const backfills = readMigrations(SQL_DIR)
  .filter((m) => m.version === 8 || m.version === 9)
  .flatMap((m) => m.statements.filter((s) => s.sql.startsWith('INSERT INTO')))

describe('dashboard indexes (sql/0008, sql/0009)', () => {
  it('the backfill computes what the views wrote, and a second run adds nothing', async () => {
    const fed = await contents()
    expect(fed.store_monthly.length).toBeGreaterThan(100)
    expect(fed.store_open_city_monthly.length).toBeGreaterThan(100)
    for (const t of TABLES) await db.command(`TRUNCATE TABLE ${t}`)
    for (const s of backfills) await db.command(s.sql)
    expect(await contents()).toEqual(fed)
    const bitmaps = await db.query(BITMAPS)
    for (const s of backfills) await db.command(s.sql)
    expect(await contents()).toEqual(fed)
    expect(await db.query(BITMAPS)).toEqual(bitmaps)
    expect(await staleDays(db)).toEqual([])
  })

  it('the consumer index builds the backfill bitmaps: distinct consumers per day and SKU, complete', async () => {
    const backfilled = await db.query(BITMAPS)
    for (const t of ['consumer_ids', 'consumer_open_bitmaps']) await db.command(`TRUNCATE TABLE ${t}`)
    const stale = await staleDays(db)
    expect(stale.length).toBeGreaterThan(60)
    // A run with no time left builds one statement's days and leaves the rest for the next run.
    const first = await new ConsumerIndex(db).refresh(0)
    expect(first.days).toBe(chunkDays(stale)[0].length)
    expect(first.left).toBe(stale.length - first.days)
    expect((await staleDays(db)).length).toBe(first.left)
    const r = await new ConsumerIndex(db).refresh()
    expect(r.days).toBe(first.left)
    expect(r.left).toBe(0)
    expect(await db.query(BITMAPS)).toEqual(backfilled)
    expect((await new ConsumerIndex(db).refresh()).days).toBe(0)
    const raw = await db.query<{ day: string; sku_id: string; n: number }>(
      `SELECT day, sku_id, uniqExact(consumer_id) AS n FROM scan_detail_daily
       WHERE type = 'open' AND consumer_id != '' AND store_id != '' GROUP BY GROUPING SETS ((day, sku_id), (day)) ORDER BY ALL`,
    )
    const built = await db.query<{ day: string; sku_id: string; n: number }>('SELECT day, sku_id, groupBitmapMerge(ids) AS n FROM consumer_open_bitmaps GROUP BY ALL HAVING n > 0 ORDER BY ALL')
    expect(built).toEqual(raw)
    const ids = await db.query<{ n: number; u: number; top: number }>('SELECT count() AS n, uniqExact(consumer_id) AS u, max(cid) AS top FROM consumer_ids')
    expect(ids[0].n).toBe(ids[0].u)
    expect(ids[0].top).toBe(ids[0].n)
  })
})

describe('helpers', () => {
  it('chunkDays keeps statements under the budget, a big day alone', () => {
    const days = [
      { day: '2026-01-01', opens: 40 },
      { day: '2026-01-02', opens: 50 },
      { day: '2026-01-03', opens: 200 },
      { day: '2026-01-04', opens: 10 },
    ]
    expect(chunkDays(days, 100)).toEqual([['2026-01-01', '2026-01-02'], ['2026-01-03'], ['2026-01-04']])
    expect(chunkDays([], 100)).toEqual([])
  })

  it.each([
    [{ from: '2025-11-26', to: '2026-11-25' }, { from: '2025-12-01', to: '2026-10-01' }, [{ from: '2025-11-26', to: '2025-11-30' }, { from: '2026-11-01', to: '2026-11-25' }]],
    [{ from: '2026-01-01', to: '2026-03-31' }, { from: '2026-01-01', to: '2026-03-01' }, []],
    [{ from: '2026-02-01', to: '2026-02-28' }, { from: '2026-02-01', to: '2026-02-01' }, []],
    [{ from: '2024-02-02', to: '2024-02-29' }, null, [{ from: '2024-02-02', to: '2024-02-29' }]],
    [{ from: '2026-05-02', to: '2026-05-31' }, null, [{ from: '2026-05-02', to: '2026-05-31' }]],
    [{ from: '2025-12-15', to: '2026-01-31' }, { from: '2026-01-01', to: '2026-01-01' }, [{ from: '2025-12-15', to: '2025-12-31' }]],
    [{ from: '2026-03-03', to: '2026-03-03' }, null, [{ from: '2026-03-03', to: '2026-03-03' }]],
  ])('splitByMonth(%o)', (range, months, days) => {
    expect(splitByMonth(range)).toEqual({ months, days })
  })
})
