/**
 * Names of master records for the dashboards' labels, read with FINAL (the current version).
 * Lookups by id use `IN (SELECT arrayJoin(…))`: a plain array parameter on the right of IN is
 * pathologically slow in chDB (DESIGN §10).
 */
import type { Db } from '../db/gateway.js'

/** Every product's name and tier (the catalog is small: hundreds of SKUs). */
export async function productInfo(db: Db): Promise<Map<string, { name: string; tier: string }>> {
  const rows = await db.query<{ sku_id: string; name: string; tier: string }>('SELECT sku_id, name, tier FROM products FINAL', undefined, 'dash-products')
  return new Map(rows.map((r) => [r.sku_id, { name: r.name, tier: r.tier }]))
}

/** Names of the given distributors. */
export async function distributorNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const rows = await db.query<{ id: string; name: string }>(
    'SELECT distributor_id AS id, name FROM distributors FINAL WHERE distributor_id IN (SELECT arrayJoin({ids:Array(String)}))',
    { ids },
    'dash-distributor-names',
  )
  return new Map(rows.map((r) => [r.id, r.name]))
}

/** Name, city and kind of the given stores. */
export async function storeInfo(db: Db, ids: string[]): Promise<Map<string, { name: string; city: string; district: string; kind: string }>> {
  if (ids.length === 0) return new Map()
  const rows = await db.query<{ id: string; name: string; city: string; district: string; kind: string }>(
    'SELECT store_id AS id, name, city, district, kind FROM stores FINAL WHERE store_id IN (SELECT arrayJoin({ids:Array(String)}))',
    { ids },
    'dash-store-names',
  )
  return new Map(rows.map((r) => [r.id, { name: r.name, city: r.city, district: r.district, kind: r.kind }]))
}
