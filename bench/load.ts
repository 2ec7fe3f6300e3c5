/**
 * Loads a simulated dataset into a database for the read-side suites: master data through the
 * ingestion pipeline (small), facts with the engine's own bulk insert from the NDJSON files
 * (INSERT … SELECT FROM file(), the same transform the pipeline applies: server/ingest/intake.ts), so that loading
 * 30M events takes minutes, not the HTTP ingest's time. The ingest suite measures that path.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Db } from '../server/db/gateway.js'
import { readRecordBatches } from '../server/ingest/files.js'
import { Ingestor } from '../server/ingest/service.js'
import type { FactKind, Kind } from '../server/ingest/schemas.js'
import { INTAKE, INTAKE_SETTINGS, intakeSelect } from '../server/ingest/intake.js'

/** Bulk-loads one fact file; returns rows loaded and seconds. */
export async function bulkLoadFacts(db: Db, kind: FactKind, file: string): Promise<{ rows: number; seconds: number }> {
  if (/['\\]/.test(file)) throw new Error(`unsupported path ${file}`)
  const f = INTAKE[kind]
  const t0 = performance.now()
  const before = Number((await db.query<{ n: number }>(`SELECT count() AS n FROM ${f.table}`))[0].n)
  await db.command(
    `INSERT INTO ${f.table} (${f.columns}) SELECT ${intakeSelect(kind, 'now')} FROM file('${file}', 'JSONEachRow', '${f.structure}') SETTINGS ${INTAKE_SETTINGS}`,
    undefined,
    `bench-load-${kind}`,
  )
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
