/**
 * Segments suite: preview p95 of 5-condition store rules over N store profiles and of consumer
 * rules over M consumer profiles, and a refresh of 50 saved segments, each against a plain
 * count over the profile table measured in the same run. Profiles are synthetic (generated in
 * the engine with numbers()): the suite measures the segment machinery, not the simulator.
 */
import { TEMPLATES } from '../../segments/templates.js'
import type { Db } from '../../server/db/gateway.js'
import { SegmentQueries } from '../../server/segments/query.js'
import { SegmentRefresher } from '../../server/segments/refresh.js'
import { SegmentStore } from '../../server/segments/store.js'
import { percentile } from '../results.js'

const AS_OF = '2026-03-01'

async function fill(db: Db, stores: number, consumers: number): Promise<void> {
  await db.command(`INSERT INTO store_profiles (store_id, as_of, refreshed_at, kind, city, district, stocked_bottles_90d, opened_bottles_90d, open_rate_90d,
      active_weeks_12w, weekly_opened_mean_12w, weekly_opened_cv_12w, sub_premium_share_90d, local_open_share_90d, outside_city_share_90d, days_since_last_open)
    SELECT concat('S', leftPad(toString(number), 7, '0')), '${AS_OF}', '2026-03-01 00:00:00',
      ['tobacco_liquor', 'restaurant', 'supermarket', 'convenience', 'other'][number % 5 + 1],
      ['潍坊市', '青岛市', '济南市', '烟台市', '临沂市'][intDiv(number, 7) % 5 + 1], concat('D', toString(number % 40)),
      number % 400, number % 300, if(number % 400 = 0, NULL, (number % 300) / (number % 400)),
      number % 13, (number % 61) / 2, if(number % 7 = 0, NULL, (number % 10) / 10), if(number % 5 = 0, NULL, (number % 11) / 10),
      (number % 9) / 8, (number % 17) / 20, if(number % 11 = 0, NULL, number % 120)
    FROM numbers(${stores})`, undefined, 'bench-fill')
  await db.command(`INSERT INTO consumer_profiles (consumer_id, as_of, refreshed_at, opened_bottles_90d, opened_bottles_365d, distinct_stores_365d, distinct_skus_365d,
      preferred_tier_365d, home_city, first_open_at, last_open_at, red_envelope_fen_365d, max_opens_per_day_365d)
    SELECT concat('c', toString(number)), '${AS_OF}', '2026-03-01 00:00:00', number % 20, number % 60, number % 25, number % 9,
      ['mass', 'sub_premium', 'premium'][number % 3 + 1], ['潍坊市', '青岛市', '济南市'][number % 3 + 1],
      toDateTime64('2025-03-01 00:00:00', 3, 'UTC') + toIntervalSecond(number % 31000000), toDateTime64('2026-02-01 00:00:00', 3, 'UTC'),
      (number % 50) * 100, number % 30
    FROM numbers(${consumers})`, undefined, 'bench-fill')
}

async function timed(reps: number, fn: () => Promise<unknown>): Promise<number[]> {
  const ms: number[] = []
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now()
    await fn()
    ms.push(performance.now() - t0)
  }
  return ms
}

export async function benchSegments(db: Db, opts: { stores: number; consumers: number; reps: number; log: (m: string) => void }) {
  opts.log(`filling ${opts.stores} store and ${opts.consumers} consumer profiles …`)
  await fill(db, opts.stores, opts.consumers)
  const store = new SegmentStore(db)
  const q = new SegmentQueries(db, store)
  const storeRules = [
    TEMPLATES.find((t) => t.id === 'group_buy_candidates')!.rule,
    { and: [{ attr: 'city', op: 'in', value: ['潍坊市', '青岛市'] }, { attr: 'kind', op: 'eq', value: 'tobacco_liquor' }, { attr: 'opened_bottles_90d', op: 'between', value: [20, 200] },
      { or: [{ attr: 'open_rate_90d', op: 'lt', value: 0.3 }, { attr: 'days_since_last_open', op: 'gte', value: 30 }] }, { not: { attr: 'outside_city_share_90d', op: 'gt', value: 0.5 } }] },
  ] as const
  const consumerRule = TEMPLATES.find((t) => t.id === 'scan_farm_suspects')!.rule
  const storePreview = await timed(opts.reps, () => q.preview({ entity: 'store', rule: storeRules[0] as never, sample: 20, as_of: AS_OF }))
  const storePreview2 = await timed(opts.reps, () => q.preview({ entity: 'store', rule: storeRules[1] as never, sample: 20, as_of: AS_OF }))
  const consumerPreview = await timed(opts.reps, () => q.preview({ entity: 'consumer', rule: consumerRule, sample: 20, as_of: AS_OF }))
  const plainStore = await timed(opts.reps, () => db.query('SELECT count() FROM store_profiles FINAL WHERE active_weeks_12w >= 10'))
  const plainConsumer = await timed(opts.reps, () => db.query('SELECT count() FROM consumer_profiles FINAL WHERE max_opens_per_day_365d >= 12'))
  opts.log('refreshing 50 saved segments …')
  const ids: string[] = []
  for (let i = 0; i < 50; i++) {
    const rule = { and: [{ attr: 'active_weeks_12w', op: 'gte', value: i % 13 }, { attr: 'opened_bottles_90d', op: 'gte', value: (i * 7) % 300 }] }
    ids.push((await store.create({ name: `bench ${i}`, entity: 'store', rule: rule as never }, AS_OF)).id)
  }
  const refresher = new SegmentRefresher(db)
  const t0 = performance.now()
  for (const id of ids) await refresher.refresh(id, AS_OF)
  const refresh50 = performance.now() - t0
  const p95 = (xs: number[]) => percentile(xs, 95)
  return {
    metrics: {
      store_preview_5cond_p95_ms: Math.max(p95(storePreview), p95(storePreview2)),
      store_preview_5cond_p50_ms: percentile([...storePreview, ...storePreview2], 50),
      consumer_preview_p95_ms: p95(consumerPreview),
      plain_store_count_p95_ms: p95(plainStore),
      plain_consumer_count_p95_ms: p95(plainConsumer),
      refresh_50_segments_ms: refresh50,
      stores: opts.stores,
      consumers: opts.consumers,
    },
    ratios: {
      store_preview_vs_plain_count: p95([...storePreview, ...storePreview2]) / p95(plainStore),
      consumer_preview_vs_plain_count: p95(consumerPreview) / p95(plainConsumer),
    },
  }
}
