/**
 * Profiles suite: full refresh of all store (and consumer, distributor) profiles, one profile
 * fetched live (p50/p95), and every store's profile as of a past date, against a plain scan of
 * the store rollup table over the same year measured in the same run.
 */
import type { Db } from '../../server/db/gateway.js'
import { addDays, computeProfiles, refreshProfiles } from '../../server/profiles/service.js'
import { PROFILE_SQL } from '../../server/profiles/sql.js'
import { BENCH_END } from '../dataset.js'
import { percentile } from '../results.js'

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now()
  const r = await fn()
  return [performance.now() - t0, r]
}

export async function benchProfiles(db: Db, opts: { reps: number; log: (m: string) => void }) {
  const asOf = addDays(BENCH_END, 1)
  const [plainMs] = await time(() =>
    db.query(`SELECT store_id, sum(bottles) AS b, sumIf(bottles, type = 'open') AS o FROM store_daily WHERE day >= {d:Date} - 365 AND day < {d:Date} GROUP BY store_id`, { d: asOf }),
  )
  opts.log('refreshing store profiles …')
  const [storeMs, store] = await time(() => refreshProfiles(db, 'store', asOf))
  opts.log('refreshing consumer and distributor profiles …')
  const [consumerMs, consumer] = await time(() => refreshProfiles(db, 'consumer', asOf))
  const [distributorMs] = await time(() => refreshProfiles(db, 'distributor', asOf))
  const ids = (await db.query<{ id: string }>('SELECT store_id AS id FROM store_profiles FINAL ORDER BY cityHash64(store_id) LIMIT {n:UInt32}', { n: opts.reps })).map((r) => r.id)
  const one: number[] = []
  for (const id of ids) one.push((await time(() => computeProfiles(db, 'store', asOf, [id])))[0])
  const past = addDays(asOf, -90)
  const q = PROFILE_SQL.store({ asOf: past })
  const [pastMs, pastRows] = await time(() => db.query(`SELECT count() AS n FROM (${q.sql})`, q.params))
  return {
    metrics: {
      stores: store.entities,
      consumers: consumer.entities,
      store_full_refresh_ms: storeMs,
      consumer_full_refresh_ms: consumerMs,
      distributor_full_refresh_ms: distributorMs,
      one_store_profile_p50_ms: percentile(one, 50),
      one_store_profile_p95_ms: percentile(one, 95),
      all_stores_past_as_of_ms: pastMs,
      past_as_of_stores: Number((pastRows as { n: number }[])[0].n),
      plain_store_rollup_scan_ms: plainMs,
    },
    ratios: {
      store_refresh_vs_plain_scan: storeMs / plainMs,
      past_as_of_vs_plain_scan: pastMs / plainMs,
    },
  }
}
