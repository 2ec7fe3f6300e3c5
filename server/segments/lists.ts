/**
 * Uploaded id lists: a CSV with an `id` column, NDJSON (one id or `{"id": …}` per line) or a
 * JSON array of the same. Each id is checked (1–64 characters, like every external id); bad
 * records are reported by record number, duplicates counted once.
 */
import type { ListCreated, ListSummary } from '../../segments/api.js'
import type { Entity } from '../../segments/catalog.js'
import { ApiError } from '../api/errors.js'
import type { Db } from '../db/gateway.js'
import { BodyParseError, parseBody, type BodyFormat } from '../ingest/parse.js'
import { isoUtc, newId } from './errors.js'

const INSERT_CHUNK = 100_000
export const MAX_LIST_IDS = 5_000_000

type Rejected = ListCreated['rejected'][number]

/** The ids of an upload, in order and without duplicates, and the records that are not ids. */
export function readIds(text: string, format: BodyFormat): { ids: string[]; duplicates: number; rejected: Rejected[] } {
  // Spreadsheet exports often start with a byte-order mark; it is not part of the header.
  const body = text.replace(/^\uFEFF/, '')
  let records
  try {
    records = parseBody(body, format)
  } catch (e) {
    if (e instanceof BodyParseError) throw new ApiError('invalid_body', e.message)
    throw e
  }
  if (format === 'csv' && !csvHeader(body).includes('id')) throw new ApiError('invalid_body', 'the CSV header must have an id column')
  const seen = new Set<string>()
  const ids: string[] = []
  const rejected: Rejected[] = []
  let duplicates = 0
  for (const r of records) {
    const fail = (message: string) => rejected.push({ line: r.line, errors: [{ path: 'id', message }] })
    if (r.parseError !== undefined) {
      fail(r.parseError)
      continue
    }
    let v = r.value
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) v = (v as Record<string, unknown>).id
    if (typeof v === 'number' && Number.isSafeInteger(v)) v = String(v)
    if (typeof v !== 'string') {
      fail(v === undefined ? 'missing id' : 'an id is a string')
      continue
    }
    const id = v.trim()
    if (id.length < 1 || id.length > 64) {
      fail('an id has 1 to 64 characters')
      continue
    }
    if (seen.has(id)) duplicates++
    else {
      seen.add(id)
      ids.push(id)
    }
  }
  if (ids.length > MAX_LIST_IDS) throw new ApiError('payload_too_large', `the list has ${ids.length} ids; at most ${MAX_LIST_IDS} are accepted`)
  return { ids, duplicates, rejected }
}

export async function createList(db: Db, text: string, format: BodyFormat, opts: { name?: string; entity: Entity }): Promise<ListCreated> {
  const { ids, duplicates, rejected } = readIds(text, format)
  const id = newId('lst')
  for (let i = 0; i < ids.length; i += INSERT_CHUNK) {
    await db.insert('list_members', ids.slice(i, i + INSERT_CHUNK).map((m) => ({ list_id: id, member_id: m })), 'list-upload')
  }
  const now = new Date().toISOString()
  // Written last: a list that can be seen (and referenced) has all its members.
  await db.insert('lists', [{ list_id: id, name: opts.name ?? `upload ${now.slice(0, 10)}`, entity: opts.entity, size: ids.length, rejected: rejected.length, created_at: now }], 'list-upload')
  return { id, size: ids.length, duplicates, rejected }
}

export async function listLists(db: Db): Promise<ListSummary[]> {
  const rows = await db.query<{ list_id: string; name: string; entity: Entity; size: number; rejected: number; created_at: string }>(
    'SELECT list_id, name, entity, size, rejected, created_at FROM lists FINAL ORDER BY created_at DESC, list_id',
    undefined,
    'list-list',
  )
  return rows.map((r) => ({ id: r.list_id, name: r.name, entity: r.entity, size: Number(r.size), rejected: Number(r.rejected), created_at: isoUtc(r.created_at) }))
}

function csvHeader(body: string): string[] {
  const first = body.split(/\r?\n/).find((l) => l.trim() !== '') ?? ''
  return first.split(',').map((h) => h.trim().replace(/^"(.*)"$/, '$1'))
}
