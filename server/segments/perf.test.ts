/**
 * Previews and refreshes at 100k synthetic store profiles give the right answers. Their speed
 * (DESIGN §8: preview p95 ≤ 300 ms) is measured by `npm run bench -- segments`, not here.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { TEMPLATES } from '../../segments/templates.js'
import type { Db } from '../db/gateway.js'
import { openTestDb } from '../testing/db.js'
import { SegmentQueries } from './query.js'
import { SegmentRefresher } from './refresh.js'
import { SegmentStore } from './store.js'

let db: Db
let cleanup: () => Promise<void>

beforeAll(async () => {
  ;({ db, cleanup } = await openTestDb())
  await db.command(`INSERT INTO store_profiles (store_id, as_of, refreshed_at, kind, city, active_weeks_12w, weekly_opened_mean_12w, weekly_opened_cv_12w, sub_premium_share_90d, local_open_share_90d)
    SELECT concat('S', leftPad(toString(number), 6, '0')), '2026-03-01', '2026-03-01 00:00:00',
      ['tobacco_liquor', 'restaurant', 'supermarket', 'convenience'][number % 4 + 1], ['潍坊市', '青岛市', '济南市'][number % 3 + 1],
      number % 13, (number % 61) / 2, if(number % 7 = 0, NULL, (number % 10) / 10), if(number % 5 = 0, NULL, (number % 11) / 10), (number % 9) / 8
    FROM numbers(100000)`)
})
afterAll(() => cleanup())

it('previews a 5-condition rule over 100k stores (speed is measured by npm run bench -- segments)', async () => {
  const q = new SegmentQueries(db, new SegmentStore(db))
  const rule = TEMPLATES.find((t) => t.id === 'group_buy_candidates')!.rule
  const r = await q.preview({ entity: 'store', rule, sample: 20, as_of: '2026-03-01' })
  const [{ n }] = await db.query<{ n: number }>(
    `SELECT count() AS n FROM store_profiles FINAL WHERE sub_premium_share_90d >= 0.5 AND weekly_opened_mean_12w >= 20
       AND weekly_opened_cv_12w <= 0.35 AND local_open_share_90d >= 0.6 AND active_weeks_12w >= 10`,
  )
  expect(r.count).toBe(Number(n))
  expect(r.sample.length).toBe(Math.min(20, r.count))
})

it('refreshes a 100k-member segment, and a no-change refresh appends nothing', async () => {
  const store = new SegmentStore(db)
  const { id } = await store.create({ name: 'all', entity: 'store', rule: { attr: 'active_weeks_12w', op: 'gte', value: 0 } }, '2026-03-01')
  const r = new SegmentRefresher(db)
  const first = await r.refresh(id, '2026-03-01')
  expect(first).toMatchObject({ size: 100_000, entered: 100_000, left: 0 })
  expect(await r.refresh(id, '2026-03-02')).toMatchObject({ size: 100_000, entered: 0, left: 0 })
})
