import { z } from 'zod'

// Response schemas of the endpoints the web reads. Schema and type share a name.
// When the server publishes its endpoint contracts, import those instead of these.

/**
 * A count. ClickHouse returns 64-bit integers as strings when
 * `output_format_json_quote_64bit_integers=1`, so a digit string is accepted too.
 */
export const Count = z.union([z.number(), z.string().regex(/^-?\d+$/).transform(Number)])

export const Health = z.object({
  status: z.string(),
  engine: z.enum(['embedded', 'server']),
  clickhouse_version: z.string(),
})
export type Health = z.infer<typeof Health>

export const TableRows = z.object({ table: z.string(), rows: Count })
export type TableRows = z.infer<typeof TableRows>

export const EventsPerDay = z.object({
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  type: z.string(),
  events: Count,
  bottles: Count,
})
export type EventsPerDay = z.infer<typeof EventsPerDay>

export const RejectError = z.object({
  // A zod issue path may arrive joined ("items.0.ts") or as its segments.
  path: z.union([z.string(), z.array(z.union([z.string(), z.number()])).transform((p) => p.join('.'))]),
  message: z.string(),
})

export const Reject = z.object({
  received_at: z.string(),
  kind: z.string(),
  line: z.number().int().nullable().optional(),
  errors: z.array(RejectError),
  raw: z.string(),
})
export type Reject = z.infer<typeof Reject>

export const DataSummary = z.object({
  tables: z.array(TableRows),
  events_per_day: z.array(EventsPerDay),
  rejects: z.array(Reject),
})
export type DataSummary = z.infer<typeof DataSummary>
