/** Test fixtures for segments: synthetic profile rows, products, scans and lists written straight to the tables. */
import { randomUUID } from 'node:crypto'
import { CATALOG, type Entity } from '../../segments/catalog.js'
import type { Db } from '../db/gateway.js'

const PROFILE: Record<Entity, { table: string; id: string }> = {
  store: { table: 'store_profiles', id: 'store_id' },
  consumer: { table: 'consumer_profiles', id: 'consumer_id' },
  distributor: { table: 'distributor_profiles', id: 'distributor_id' },
}

/** Writes profile rows (`id` + attributes); a later `refreshedAt` replaces earlier rows of the same id. */
export async function insertProfiles(db: Db, entity: Entity, rows: ({ id: string } & Record<string, unknown>)[], refreshedAt = '2026-03-01T00:00:00Z'): Promise<void> {
  const p = PROFILE[entity]
  const full = rows.map(({ id, ...attrs }) => {
    const out: Record<string, unknown> = { [p.id]: id, as_of: '2026-03-01', refreshed_at: refreshedAt }
    for (const a of CATALOG[entity]) out[a.name] = attrs[a.name] ?? (a.nullable ? null : 0)
    return out
  })
  await db.insert(p.table, full, 'test-profiles')
}

export const PRODUCTS = [
  { sku_id: 'K1', tier: 'mass' },
  { sku_id: 'K2', tier: 'sub_premium' },
  { sku_id: 'K3', tier: 'premium' },
  { sku_id: 'K4', tier: 'mass' },
]

export async function insertProducts(db: Db): Promise<void> {
  await db.insert(
    'products',
    PRODUCTS.map((p) => ({ ...p, name: p.sku_id, series: 's', volume_ml: 500, price_fen: 10000, bottles_per_case: 6, source: 'test', version: 1, updated_at: '2026-01-01T00:00:00Z' })),
    'test-products',
  )
}

export interface TestScan {
  ts: string
  type: 'ship' | 'stock_in' | 'open' | 'verify'
  sku_id: string
  bottles: number
  store_id?: string
  distributor_id?: string
  consumer_id?: string
  city?: string
}

/** Inserts scans straight into scan_events; the materialized views fill the rollups. */
export async function insertScans(db: Db, scans: TestScan[]): Promise<void> {
  await db.insert(
    'scan_events',
    scans.map((s, i) => ({
      event_id: randomUUID(),
      ts: s.ts,
      type: s.type,
      code: `C-${i}`,
      case_code: '',
      sku_id: s.sku_id,
      bottles: s.bottles,
      store_id: s.store_id ?? '',
      distributor_id: s.distributor_id ?? '',
      consumer_id: s.consumer_id ?? '',
      has_geo: 0,
      lat: 0,
      lon: 0,
      city: s.city ?? '',
      district: '',
      device_id: '',
      received_at: s.ts,
    })),
    'test-scans',
  )
}

export async function insertList(db: Db, id: string, entity: Entity, members: string[]): Promise<void> {
  await db.insert('list_members', members.map((m) => ({ list_id: id, member_id: m })), 'test-list')
  await db.insert('lists', [{ list_id: id, name: id, entity, size: members.length, rejected: 0, created_at: '2026-03-01T00:00:00Z' }], 'test-list')
}
