/**
 * Loads a simulated dataset into a database for the read-side suites: master data through the
 * ingestion pipeline (small), facts with the engine's own bulk insert from the NDJSON files
 * (INSERT … SELECT FROM file(), the same transforms the pipeline applies), so that loading
 * 30M events takes minutes, not the HTTP ingest's time. The ingest suite measures that path.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Db } from '../server/db/gateway.js'
import { readRecordBatches } from '../server/ingest/files.js'
import { Ingestor } from '../server/ingest/service.js'
import type { Kind } from '../server/ingest/schemas.js'

const FACTS: Record<'scans' | 'orders' | 'rewards', { table: string; structure: string; select: string }> = {
  scans: {
    table: 'scan_events',
    structure:
      'event_id String, ts String, type String, code String, case_code String, sku_id String, bottles UInt32, store_id String, distributor_id String, consumer_id String, lat Nullable(Float64), lon Nullable(Float64), city String, district String, device_id String',
    select: `toUUID(event_id) AS event_id, parseDateTime64BestEffort(ts, 3, 'UTC') AS ts, type, code, case_code, sku_id, bottles, store_id, distributor_id, consumer_id,
      lat IS NOT NULL AS has_geo, ifNull(lat, 0) AS lat, ifNull(lon, 0) AS lon, city, district, device_id, now64(3) AS received_at`,
  },
  orders: {
    table: 'orders',
    structure: 'order_id String, ts String, seller_type String, seller_id String, buyer_type String, buyer_id String, sku_id String, bottles UInt32, amount_fen UInt64',
    select: `order_id, parseDateTime64BestEffort(ts, 3, 'UTC') AS ts, seller_type, seller_id, buyer_type, buyer_id, sku_id, bottles, amount_fen, now64(3) AS received_at`,
  },
  rewards: {
    table: 'rewards',
    structure:
      'reward_id String, ts String, beneficiary_type String, beneficiary_id String, kind String, amount_fen UInt64, source_event_id String, policy_id String, experiment_id String, arm String, flow_id String',
    select: `reward_id, parseDateTime64BestEffort(ts, 3, 'UTC') AS ts, beneficiary_type, beneficiary_id, kind, amount_fen, source_event_id, policy_id, experiment_id, arm, flow_id, now64(3) AS received_at`,
  },
}

/** Bulk-loads one fact file; returns rows loaded and seconds. */
export async function bulkLoadFacts(db: Db, kind: keyof typeof FACTS, file: string): Promise<{ rows: number; seconds: number }> {
  if (/['\\]/.test(file)) throw new Error(`unsupported path ${file}`)
  const f = FACTS[kind]
  const t0 = performance.now()
  const before = Number((await db.query<{ n: number }>(`SELECT count() AS n FROM ${f.table}`))[0].n)
  await db.command(`INSERT INTO ${f.table} SELECT ${f.select} FROM file('${file}', 'JSONEachRow', '${f.structure}')`, undefined, `bench-load-${kind}`)
  const after = Number((await db.query<{ n: number }>(`SELECT count() AS n FROM ${f.table}`))[0].n)
  return { rows: after - before, seconds: (performance.now() - t0) / 1000 }
}

/** Loads a whole dataset folder (master data, then scans, orders, rewards). */
export async function loadDataset(db: Db, dir: string, log: (m: string) => void): Promise<Record<string, number>> {
  const ingestor = new Ingestor(db)
  const out: Record<string, number> = {}
  for (const kind of ['products', 'distributors', 'reps', 'stores'] as Kind[]) {
    let n = 0
    for await (const batch of readRecordBatches(path.join(dir, `${kind}.ndjson`), 'ndjson', 20_000)) n += (await ingestor.ingest(kind, batch, { origin: 'cli' })).accepted
    out[kind] = n
  }
  for (const kind of ['scans', 'orders', 'rewards'] as const) {
    const file = path.join(dir, `${kind}.ndjson`)
    if (!fs.existsSync(file)) continue
    const r = await bulkLoadFacts(db, kind, file)
    log(`  ${kind}: ${r.rows.toLocaleString('en')} rows in ${r.seconds.toFixed(1)} s`)
    out[kind] = r.rows
  }
  return out
}
