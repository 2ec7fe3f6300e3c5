/**
 * Versioned upserts of master data. Each accepted change becomes a new version (the tables are
 * ReplacingMergeTree on `version`) and a row in master_history. Sources disagree (ERP vs CRM):
 * a change of an existing record's name or city coming from a different `source` is a conflict,
 * reported and held in master_history (status `conflict`) instead of silently overwriting,
 * unless the caller asks for `on_conflict=overwrite`. Re-sending an unchanged record is a
 * duplicate and writes nothing.
 */
import type { Db } from '../db/gateway.js'
import type { RawRecord } from './parse.js'
import { MASTER_KINDS, type MasterKind } from './schemas.js'
import { validateRecords, type Rejected } from './validate.js'

export type OnConflict = 'hold' | 'overwrite'

export interface Conflict {
  line: number
  id: string
  fields: { field: string; current: string; incoming: string }[]
  current_source: string
  incoming_source: string
}

type Row = Record<string, unknown>

// Columns compared to decide "unchanged", per kind (everything but source/version/updated_at).
const COLUMNS: Record<MasterKind, string[]> = {
  products: ['sku_id', 'name', 'series', 'tier', 'volume_ml', 'price_fen', 'bottles_per_case'],
  distributors: ['distributor_id', 'name', 'province', 'city', 'territory_cities'],
  stores: ['store_id', 'name', 'kind', 'distributor_id', 'province', 'city', 'district', 'lat', 'lon', 'rep_id', 'joined_on'],
  reps: ['rep_id', 'name', 'city'],
}
const CONFLICT_FIELDS = ['name', 'city']
const DEFAULTS: Row = { series: '', territory_cities: [], rep_id: '', joined_on: null }

let lastVersion = 0
/** Versions increase strictly within a process and across restarts (microseconds since epoch). */
function nextVersion(): number {
  lastVersion = Math.max(Date.now() * 1000, lastVersion + 1)
  return lastVersion
}

function normalise(kind: MasterKind, input: Row): Row {
  const row: Row = {}
  for (const c of COLUMNS[kind]) row[c] = input[c] === undefined || input[c] === null ? (c in DEFAULTS ? DEFAULTS[c] : '') : input[c]
  return row
}

const same = (a: Row, b: Row, cols: string[]) => cols.every((c) => JSON.stringify(a[c]) === JSON.stringify(b[c]))

export async function applyMaster(db: Db, kind: MasterKind, records: RawRecord[], receivedAt: string, onConflict: OnConflict) {
  const spec = MASTER_KINDS[kind]
  const cols = COLUMNS[kind]
  const { valid, rejected } = validateRecords(spec.schema as never, records) as { valid: { line: number; row: Row }[]; rejected: Rejected[] }
  const ids = [...new Set(valid.map((v) => String(v.row[spec.idField])))]
  const current = new Map<string, { row: Row; source: string }>()
  for (let i = 0; i < ids.length; i += 10_000) {
    const rows = await db.query<Row>(
      `SELECT ${cols.join(', ')}, source FROM ${spec.table} FINAL WHERE ${spec.idField} IN (SELECT arrayJoin({ids:Array(String)}))`,
      { ids: ids.slice(i, i + 10_000) },
      'master-lookup',
    )
    for (const r of rows) current.set(String(r[spec.idField]), { row: normalise(kind, r), source: String(r.source) })
  }
  const upserts: Row[] = []
  const history: Row[] = []
  const conflicts: Conflict[] = []
  let accepted = 0
  let duplicates = 0
  for (const { line, row: input } of valid) {
    const id = String(input[spec.idField])
    const incoming = normalise(kind, input)
    const source = typeof input.source === 'string' ? input.source : ''
    const prior = current.get(id)
    if (prior && same(prior.row, incoming, cols)) {
      duplicates++
      continue
    }
    const version = nextVersion()
    if (prior && prior.source !== source) {
      const changed = CONFLICT_FIELDS.filter((f) => f in incoming && JSON.stringify(prior.row[f]) !== JSON.stringify(incoming[f]))
      if (changed.length > 0) {
        conflicts.push({
          line,
          id,
          fields: changed.map((f) => ({ field: f, current: String(prior.row[f]), incoming: String(incoming[f]) })),
          current_source: prior.source,
          incoming_source: source,
        })
        if (onConflict === 'hold') {
          history.push({ kind, id, version, source, status: 'conflict', record: JSON.stringify(incoming), received_at: receivedAt })
          continue
        }
      }
    }
    upserts.push({ ...incoming, source, version, updated_at: receivedAt })
    history.push({ kind, id, version, source, status: 'applied', record: JSON.stringify(incoming), received_at: receivedAt })
    current.set(id, { row: incoming, source })
    accepted++
  }
  await db.insert(spec.table, upserts, `master-${kind}`)
  await db.insert('master_history', history, 'master-history')
  return { accepted, duplicates, rejectedRaw: rejected, conflicts }
}
