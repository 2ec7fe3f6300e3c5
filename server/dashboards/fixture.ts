/**
 * A simulated channel loaded through the real ingestion pipeline, for the dashboard tests and
 * benchmarks: the simulator runs in-process and every batch goes through `Ingestor.ingestBody`
 * (validation, dedupe, rollups), master data first.
 */
import { generate, type Sink } from '../../sim/index.js'
import type { Db } from '../db/gateway.js'
import type { Kind } from '../ingest/schemas.js'
import { Ingestor } from '../ingest/service.js'

export interface SimulatedChannel {
  stores: number
  days: number
  seed: number
  /** Last simulated local day (fixed, so results do not depend on the clock). */
  end: string
}

/**
 * Generates and ingests a simulated channel; returns the records accepted per kind.
 * @example await loadSimulation(db, { stores: 300, days: 120, seed: 7, end: '2026-06-30' })
 */
export async function loadSimulation(db: Db, opts: SimulatedChannel): Promise<Record<string, number>> {
  const ingestor = new Ingestor(db)
  const accepted: Record<string, number> = {}
  const sink: Sink = {
    async write(kind, chunk) {
      // Ingested before this call returns, when the simulator reuses the buffer.
      const r = await ingestor.ingestBody(kind as Kind, chunk, { origin: 'cli' })
      if (r.rejected.length) throw new Error(`simulated ${kind} rejected: ${JSON.stringify(r.rejected.slice(0, 3))}`)
      accepted[kind] = (accepted[kind] ?? 0) + r.accepted
    },
  }
  await generate({ stores: opts.stores, days: opts.days, seed: opts.seed, end: opts.end, batchRows: 50_000 }, sink)
  return accepted
}
