/**
 * Demo data on first start: a city-scale simulated channel (DEMO_STORES stores, DEMO_DAYS days
 * ending yesterday in Asia/Shanghai) generated in-process and fed through the same ingestion
 * pipeline as the API. Re-running is safe (ingestion dedupes), so an interrupted seed simply
 * runs again on the next start; a database that received other data is left alone.
 */
import { generate, type Sink } from '../sim/index.js'
import { Progress } from './cli/progress.js'
import type { Db } from './db/gateway.js'
import type { Ingestor } from './ingest/service.js'
import type { Kind } from './ingest/schemas.js'
import { log } from './log.js'

const DONE_KEY = 'demo_seeded'

export async function demoState(db: Db): Promise<'done' | 'empty' | 'other-data' | 'partial'> {
  const [s] = await db.query<{ done: number; other: number; demo: number }>(
    `SELECT (SELECT count() FROM app_state FINAL WHERE key = {k:String}) AS done,
            (SELECT count() FROM ingest_batches WHERE origin != 'demo') AS other,
            (SELECT count() FROM ingest_batches WHERE origin = 'demo') AS demo`,
    { k: DONE_KEY },
    'demo-state',
  )
  if (Number(s.done) > 0) return 'done'
  if (Number(s.other) > 0) return 'other-data'
  return Number(s.demo) > 0 ? 'partial' : 'empty'
}

/** A sink that parses the simulator's NDJSON chunks and ingests them, two batches in flight. */
export function pipelineSink(ingestor: Ingestor, onRejected: (kind: string, n: number) => void): Sink {
  const inFlight = new Set<Promise<void>>()
  let failure: unknown
  return {
    async write(kind, chunk) {
      if (failure) throw failure
      // A copy: the simulator reuses the buffer once this call returns, and the body is read until ingested.
      const body = Buffer.from(chunk)
      const p: Promise<void> = ingestor
        .ingestBody(kind as Kind, body, { origin: 'demo', wait: 'durable' })
        .then((r) => {
          if (r.rejected.length) onRejected(kind, r.rejected.length)
        })
        .catch((e) => {
          failure = e
        })
        .finally(() => inFlight.delete(p))
      inFlight.add(p)
      if (inFlight.size >= 2) await Promise.race(inFlight)
    },
    async close() {
      await Promise.all(inFlight)
      if (failure) throw failure
      await ingestor.flushed()
    },
  }
}

/** Seeds the demo when this database needs it; returns whether it did. */
export async function seedDemo(db: Db, ingestor: Ingestor, opts: { stores: number; days: number; seed?: number; end?: string }): Promise<boolean> {
  const state = await demoState(db)
  if (state === 'done' || state === 'other-data') return false
  const t0 = performance.now()
  log.info('seeding demo data (first start; DEMO=0 starts empty)', { stores: opts.stores, days: opts.days, resume: state === 'partial' })
  const progress = new Progress('demo', opts.days)
  let rejected = 0
  await generate(
    {
      stores: opts.stores,
      days: opts.days,
      seed: opts.seed ?? 20261126,
      end: opts.end,
      // Larger chunks mean fewer inserts and id lookups (~13% faster than 20k, measured).
      batchRows: 50_000,
      onDay: (_d, i) => progress.update(i + 1, `day ${i + 1}/${opts.days}`),
    },
    pipelineSink(ingestor, (_k, n) => (rejected += n)),
  )
  progress.done()
  if (rejected > 0) throw new Error(`the simulator produced ${rejected} records the ingestion rejected; see the quarantine`)
  await db.insert('app_state', [{ key: DONE_KEY, value: JSON.stringify(opts), updated_at: new Date().toISOString() }], 'demo-done')
  log.info('demo data ready', { seconds: Math.round((performance.now() - t0) / 1000) })
  return true
}
