/**
 * Listing materialised profiles with filters, search, sort and paging over any attribute of
 * the catalog. Identifiers come from the catalog; every value is bound.
 */
import { z } from 'zod'
import type { ProfileList } from '../../segments/api/profiles.js'
import { CATALOG, attribute, type Attribute, type Entity } from '../../segments/catalog.js'
import type { Db } from '../db/gateway.js'
import { scopeCondition, type Scope } from '../scope.js'
import { toAttributes } from './service.js'
import { PROFILE_TABLE } from './sql.js'

export const FilterOp = z.enum(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'contains', 'is_null', 'not_null'])
export type FilterOp = z.infer<typeof FilterOp>

export interface Filter {
  attr: string
  op: FilterOp
  value?: string
}

export interface ListQuery {
  filters: Filter[]
  q?: string
  sort?: string
  order: 'asc' | 'desc'
  limit: number
  offset: number
}

/** A problem with a list request, naming the parameter. */
export class ListError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(`${param}: ${message}`)
  }
}

const SQL_OP: Record<string, string> = { eq: '=', neq: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' }

function typed(a: Attribute, raw: string, param: string): { type: string; value: unknown } {
  switch (a.type) {
    case 'number':
    case 'integer': {
      const n = Number(raw)
      if (raw.trim() === '' || !Number.isFinite(n)) throw new ListError(param, `${a.name} is a number; got ${JSON.stringify(raw)}`)
      return { type: 'Float64', value: n }
    }
    case 'date':
    case 'datetime':
      if (Number.isNaN(Date.parse(raw))) throw new ListError(param, `${a.name} is a date; got ${JSON.stringify(raw)}`)
      return { type: a.type === 'date' ? 'Date' : "DateTime64(3, 'UTC')", value: raw.replace('T', ' ').replace('Z', '') }
    case 'string':
      return { type: 'String', value: raw }
  }
}

/** Parses `f.<attr>.<op>=value` query parameters into filters, validated against the catalog. */
export function parseFilters(entity: Entity, query: Record<string, unknown>): Filter[] {
  const out: Filter[] = []
  for (const [key, v] of Object.entries(query)) {
    if (!key.startsWith('f.')) continue
    const m = /^f\.([a-z0-9_]+)\.([a-z_]+)$/.exec(key)
    if (!m) throw new ListError(key, 'filters look like f.<attribute>.<op>=value')
    const [, attr, op] = m
    if (!attribute(entity, attr)) throw new ListError(key, `unknown ${entity} attribute "${attr}"`)
    const p = FilterOp.safeParse(op)
    if (!p.success) throw new ListError(key, `unknown operator "${op}"; one of ${FilterOp.options.join(', ')}`)
    out.push({ attr, op: p.data, value: Array.isArray(v) ? String(v[v.length - 1]) : String(v) })
  }
  return out
}

export async function listProfiles(db: Db, entity: Entity, scope: Scope, query: ListQuery): Promise<ProfileList> {
  const { table, idColumn } = PROFILE_TABLE[entity]
  const params: Record<string, unknown> = {}
  const where: string[] = []
  query.filters.forEach((f, i) => {
    const a = attribute(entity, f.attr)!
    const col = a.name
    const param = `f.${f.attr}.${f.op}`
    const p = `f${i}`
    if (f.op === 'is_null') where.push(`${col} IS NULL`)
    else if (f.op === 'not_null') where.push(`${col} IS NOT NULL`)
    else if (f.op === 'contains') {
      if (a.type !== 'string') throw new ListError(param, `contains applies to text attributes; ${a.name} is a ${a.type}`)
      params[p] = f.value ?? ''
      where.push(`positionCaseInsensitiveUTF8(${col}, {${p}:String}) > 0`)
    } else if (f.op === 'in') {
      const values = (f.value ?? '').split(',').map((s) => s.trim()).filter(Boolean)
      const t = values.map((v) => typed(a, v, param))
      params[p] = t.map((x) => x.value)
      where.push(`${col} IN (SELECT arrayJoin({${p}:Array(${t[0]?.type ?? 'String'})}))`)
    } else {
      const t = typed(a, f.value ?? '', param)
      params[p] = t.value
      where.push(`${col} ${SQL_OP[f.op]} {${p}:${t.type}}`)
    }
  })
  if (query.q) {
    params.q = query.q
    const hasName = CATALOG[entity].some((a) => a.name === 'name')
    where.push(`(startsWith(${idColumn}, {q:String})${hasName ? ' OR positionCaseInsensitiveUTF8(name, {q:String}) > 0' : ''})`)
  }
  const scopeCol = entity === 'consumer' ? 'home_city' : 'city'
  const sc = scopeCondition(scope, scopeCol)
  where.push(sc.sql)
  Object.assign(params, sc.params)
  let order = `${idColumn} ASC`
  if (query.sort) {
    if (!attribute(entity, query.sort)) throw new ListError('sort', `unknown ${entity} attribute "${query.sort}"`)
    order = `${query.sort} ${query.order === 'desc' ? 'DESC' : 'ASC'} NULLS LAST, ${idColumn} ASC`
  }
  const cond = where.join(' AND ')
  const cols = CATALOG[entity].map((a) => a.name).join(', ')
  const [{ total }] = await db.query<{ total: number }>(`SELECT count() AS total FROM ${table} FINAL WHERE ${cond}`, params, 'profile-list-count')
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${idColumn} AS id, ${cols} FROM ${table} FINAL WHERE ${cond} ORDER BY ${order} LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
    { ...params, limit: query.limit, offset: query.offset },
    'profile-list',
  )
  const [meta] = await db.query<{ as_of: string | null; at: string | null }>(
    "SELECT argMaxOrNull(as_of, refreshed_at) AS as_of, maxOrNull(refreshed_at) AS at FROM profile_refreshes WHERE entity = {e:String} AND mode = 'full'",
    { e: entity },
    'profile-list-meta',
  )
  return {
    entity,
    as_of: meta?.as_of ?? null,
    refreshed_at: meta?.at ? meta.at.replace(' ', 'T') + 'Z' : null,
    total: Number(total),
    rows: rows.map((r) => ({ id: String(r.id), attributes: toAttributes(entity, r) })),
  }
}
