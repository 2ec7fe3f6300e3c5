/**
 * Known values for the builder's pickers: the most frequent distinct values of a string
 * attribute in the materialised profiles, and the products for SKU filters. Identifiers come
 * from the catalog (the attribute is checked against it); the search text and limit are bound.
 */
import type { AttrValues, SkuValues, ValuesQuery } from '../../segments/api.js'
import { attribute, ENTITIES, type Entity } from '../../segments/catalog.js'
import { ApiError } from '../api/errors.js'
import type { Db } from '../db/gateway.js'
import { PROFILE_TABLE } from '../profiles/sql.js'

/**
 * The most frequent distinct non-empty values of a string attribute, most frequent first
 * (ties by value), optionally those containing `q`. 404 for an unknown entity or attribute,
 * 400 for an attribute that is not a string.
 * @example await attrValues(db, 'store', 'city', { q: '潍', limit: 20 }) // { values: [{ value: '潍坊市', count: 120 }] }
 */
export async function attrValues(db: Db, entity: string, attr: string, q: ValuesQuery): Promise<AttrValues> {
  if (!(ENTITIES as readonly string[]).includes(entity)) throw new ApiError('not_found', `no entity "${entity}"; one of ${ENTITIES.join(', ')}`)
  const a = attribute(entity as Entity, attr)
  if (!a) throw new ApiError('not_found', `no attribute "${attr}" for ${entity}`)
  if (a.type !== 'string') throw new ApiError('bad_request', `${attr} is a ${a.type}: only string attributes have a list of values`, { errors: [{ path: 'attr', message: 'not a string attribute' }] })
  const t = PROFILE_TABLE[entity as Entity]
  // `a.name` is a catalog identifier (the profile column of the same name), never user text.
  const rows = await db.query<{ value: string; n: number }>(
    `SELECT ${a.name} AS value, count() AS n FROM ${t.table} FINAL
     WHERE ${a.name} IS NOT NULL AND ${a.name} != '' AND ({q:String} = '' OR positionCaseInsensitiveUTF8(${a.name}, {q:String}) > 0)
     GROUP BY value ORDER BY n DESC, value LIMIT {limit:UInt32}`,
    { q: q.q, limit: q.limit },
    'segment-values',
  )
  return { entity: entity as Entity, attr: a.name, values: rows.map((r) => ({ value: String(r.value), count: Number(r.n) })) }
}

/**
 * Products (current master data) whose SKU id or name contains `q`, by SKU id.
 * @example await skuValues(db, { q: '国', limit: 20 }) // { values: [{ sku_id: 'K3', name: '国藏', tier: 'premium' }] }
 */
export async function skuValues(db: Db, q: ValuesQuery): Promise<SkuValues> {
  const rows = await db.query<{ sku_id: string; name: string; tier: string }>(
    `SELECT sku_id, name, toString(tier) AS tier FROM products FINAL
     WHERE {q:String} = '' OR positionCaseInsensitiveUTF8(sku_id, {q:String}) > 0 OR positionCaseInsensitiveUTF8(name, {q:String}) > 0
     ORDER BY sku_id LIMIT {limit:UInt32}`,
    { q: q.q, limit: q.limit },
    'segment-values',
  )
  return { values: rows.map((r) => ({ sku_id: r.sku_id, name: r.name, tier: r.tier })) }
}
