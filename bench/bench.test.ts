import { describe, expect, it } from 'vitest'
import { runSuite } from './cli.js'

// A smoke run of every suite at a tiny scale: the harness works end to end. The figures of a
// real run come from `npm run bench`, never from tests (machines are shared and noisy).
describe('benchmark suites (smoke)', () => {
  it('ingest: every row accepted over HTTP, re-sends are duplicates, figures reported', async () => {
    const r = await runSuite('ingest', { stores: 40, days: 20, seed: 7, concurrency: 2, batch: 2000, reps: 2, write: false, log: () => {} })
    expect(r.metrics.rows).toBeGreaterThan(100)
    expect(r.metrics.http_events_per_s).toBeGreaterThan(0)
    expect(r.metrics.engine_bulk_rows_per_s).toBeGreaterThan(0)
    expect(r.metrics.server_peak_rss_mib).toBeGreaterThan(10)
    expect(r.ratios.http_vs_engine_bulk).toBeGreaterThan(0)
  })

  it('profiles: refreshes, one profile and a past as_of are timed against a plain rollup scan', async () => {
    const r = await runSuite('profiles', { stores: 40, days: 20, seed: 7, concurrency: 1, batch: 1, reps: 3, write: false, log: () => {} })
    expect(r.metrics.stores).toBe(40)
    expect(r.metrics.past_as_of_stores).toBeGreaterThan(0)
    expect(r.metrics.store_full_refresh_ms).toBeGreaterThan(0)
    expect(r.ratios.store_refresh_vs_plain_scan).toBeGreaterThan(0)
  })

  it('dashboards: every page function timed against the overview from raw events', async () => {
    const r = await runSuite('dashboards', { stores: 40, days: 20, seed: 7, concurrency: 1, batch: 1, reps: 2, write: false, log: () => {} })
    expect(Object.keys(r.metrics).length).toBeGreaterThan(3)
    expect(Object.values(r.ratios).every((x) => x > 0)).toBe(true)
  })

  it('experiments: analysis with CUPED timed against the plain metric query', async () => {
    const r = await runSuite('experiments', { stores: 300, days: 1, seed: 1, concurrency: 1, batch: 1, reps: 2, write: false, log: () => {} })
    expect(r.metrics.stores).toBe(300)
    expect(r.metrics.analysis_ms).toBeGreaterThan(0)
    expect(r.ratios.analysis_vs_plain_query).toBeGreaterThan(0)
  })

  it('segments: previews, plain counts and 50 refreshes are timed', async () => {
    const r = await runSuite('segments', { stores: 2000, days: 1, seed: 1, concurrency: 1, batch: 1, reps: 3, write: false, log: () => {} })
    expect(r.metrics.store_preview_5cond_p95_ms).toBeGreaterThan(0)
    expect(r.metrics.consumer_preview_p95_ms).toBeGreaterThan(0)
    expect(r.metrics.refresh_50_segments_ms).toBeGreaterThan(0)
    expect(r.ratios.store_preview_vs_plain_count).toBeGreaterThan(0)
  })
})
