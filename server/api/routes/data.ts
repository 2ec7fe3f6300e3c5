import { Router } from 'express'
import { z } from 'zod'
import { DataSummary } from '../../../segments/api/data.js'
import type { Db } from '../../db/gateway.js'
import { endpoint, mount } from '../contract.js'

export const dataEndpoints = [
  endpoint({
    method: 'get',
    path: '/data/summary',
    summary: 'Rows by table, scans per local day and type, and the latest rejected records',
    tag: 'data',
    query: z.object({ days: z.coerce.number().int().min(1).max(3650).default(90) }),
    response: DataSummary,
  }),
]

// Current master records count once (FINAL); facts and the quarantine are plain counts.
const COUNTS = `
SELECT 'products' AS table, count() AS rows FROM products FINAL UNION ALL
SELECT 'distributors', count() FROM distributors FINAL UNION ALL
SELECT 'stores', count() FROM stores FINAL UNION ALL
SELECT 'reps', count() FROM reps FINAL UNION ALL
SELECT 'scan_events', count() FROM scan_events UNION ALL
SELECT 'orders', count() FROM orders UNION ALL
SELECT 'rewards', count() FROM rewards UNION ALL
SELECT 'quarantine', count() FROM quarantine`

/** Figures for the Data page, read from the rollups and small tables. */
export async function dataSummary(db: Db, days: number): Promise<DataSummary> {
  const counts = await db.query<{ table: string; rows: number }>(COUNTS, undefined, 'data-counts')
  const order = ['products', 'distributors', 'stores', 'reps', 'scan_events', 'orders', 'rewards', 'quarantine']
  counts.sort((a, b) => order.indexOf(a.table) - order.indexOf(b.table))
  // Days are local (Asia/Shanghai); the window ends with the newest day that has data, so a
  // data set loaded from the past still shows its series.
  const perDay = await db.query<DataSummary['events_per_day'][number]>(
    `SELECT day, type, sum(events) AS events, sum(bottles) AS bottles
     FROM scan_daily
     WHERE day > (SELECT max(day) FROM scan_daily) - {days:UInt32}
     GROUP BY day, type ORDER BY day, type`,
    { days },
    'data-per-day',
  )
  const rejects = await db.query<{ received_at: string; kind: string; line: number; errors: string; raw: string }>(
    `SELECT formatDateTime(received_at, '%Y-%m-%dT%H:%i:%S.%fZ', 'UTC') AS received_at, kind, line, errors, substring(raw, 1, 4000) AS raw
     FROM quarantine ORDER BY received_at DESC, line LIMIT 50`,
    undefined,
    'data-rejects',
  )
  return {
    tables: counts.map((c) => ({ table: c.table, rows: Number(c.rows) })),
    events_per_day: perDay.map((r) => ({ ...r, events: Number(r.events), bottles: Number(r.bottles) })),
    rejects: rejects.map((r) => ({ ...r, line: Number(r.line), errors: JSON.parse(r.errors) })),
  }
}

export function dataRouter(db: Db): Router {
  const router = Router()
  mount(router, dataEndpoints[0], ({ query }) => dataSummary(db, query.days))
  return router
}
