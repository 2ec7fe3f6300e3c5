/**
 * Response schemas of the endpoints the Data page reads (`/health`, `/data/summary`): the
 * server's route contracts and the web's fetchers both use these. Schema and type share a name.
 */
import { z } from 'zod'

export const Health = z.object({ status: z.literal('ok'), engine: z.enum(['embedded', 'server']), clickhouse_version: z.string() })
export type Health = z.infer<typeof Health>

/** Rows of a table (current master records count once). */
export const TableRows = z.object({ table: z.string(), rows: z.number() })
export type TableRows = z.infer<typeof TableRows>

/** Scans of one type on one local day (Asia/Shanghai). */
export const EventsPerDay = z.object({ day: z.string(), type: z.string(), events: z.number(), bottles: z.number() })
export type EventsPerDay = z.infer<typeof EventsPerDay>

/** A record the ingest refused, with why (each error's path is joined: `items.0.ts`). */
export const Reject = z.object({
  received_at: z.string(),
  kind: z.string(),
  line: z.number(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
  raw: z.string(),
})
export type Reject = z.infer<typeof Reject>

export const DataSummary = z.object({ tables: z.array(TableRows), events_per_day: z.array(EventsPerDay), rejects: z.array(Reject) })
export type DataSummary = z.infer<typeof DataSummary>
