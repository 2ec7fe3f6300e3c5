/**
 * A hand-built channel for the experiment tests: four stores over a two-week analysis window
 * (2026-03-02 … 03-15) and its two-week pre-period, with every figure small enough to sum by
 * hand. Rows go straight into the fact tables; the materialized views fill the rollups.
 */
import { randomUUID } from 'node:crypto'
import type { Db } from '../db/gateway.js'

export const WINDOW = { pre: { from: '2026-02-16', to: '2026-03-01' }, post: { from: '2026-03-02', to: '2026-03-15' } }

const at = (day: string) => `${day}T04:00:00.000Z` // noon in Asia/Shanghai

/** [store, day, type, bottles, consumer] */
const SCANS: [string, string, 'open' | 'stock_in', number, string][] = [
  ['S1', '2026-03-02', 'open', 3, 'C1'],
  ['S1', '2026-03-09', 'open', 1, 'C2'],
  ['S1', '2026-03-15', 'open', 2, 'C1'],
  ['S1', '2026-02-20', 'open', 4, 'C3'],
  ['S1', '2026-03-03', 'stock_in', 6, ''],
  ['S1', '2026-02-17', 'stock_in', 12, ''],
  ['S2', '2026-03-01', 'open', 2, 'C4'],
  ['S3', '2026-03-10', 'open', 2, 'C5'],
  ['S3', '2026-03-10', 'open', 2, 'C6'],
  ['S4', '2026-03-14', 'open', 10, 'C7'],
  ['S4', '2026-03-16', 'open', 5, 'C7'], // after the window
  ['S4', '2026-02-16', 'open', 6, 'C8'],
  ['S4', '2026-02-15', 'open', 9, 'C8'], // before the pre-period
]

export const STORES = [
  { store_id: 'S1', city: '潍坊市', distributor_id: 'D1' },
  { store_id: 'S2', city: '潍坊市', distributor_id: 'D1' },
  { store_id: 'S3', city: '青岛市', distributor_id: 'D2' },
  { store_id: 'S4', city: '青岛市', distributor_id: 'D3' },
]

/** Inserts the stores, scans, orders and rewards above. */
export async function insertChannel(db: Db): Promise<void> {
  await db.insert('stores', STORES.map((s) => ({ ...s, name: s.store_id, kind: 'tobacco_liquor', province: '山东省', district: '', lat: 0, lon: 0, rep_id: '', source: 'test', version: 1, updated_at: at('2026-01-01') })))
  await db.insert('scan_events', SCANS.map(([store, day, type, bottles, consumer], i) => ({
    event_id: randomUUID(), ts: at(day), type, code: `K${i}`, case_code: '', sku_id: 'K1', bottles, store_id: store, distributor_id: STORES.find((s) => s.store_id === store)!.distributor_id,
    consumer_id: consumer, has_geo: 0, lat: 0, lon: 0, city: '', district: '', device_id: '', received_at: at(day),
  })))
  const order = (id: string, store: string, day: string, fen: number) => ({ order_id: id, ts: at(day), seller_type: 'store', seller_id: store, buyer_type: 'consumer', buyer_id: 'B', sku_id: 'K1', bottles: 1, amount_fen: fen, received_at: at(day) })
  await db.insert('orders', [order('O1', 'S1', '2026-03-05', 6000), order('O2', 'S1', '2026-03-05', 4000), order('O3', 'S3', '2026-02-20', 5000)])
  const reward = (id: string, type: string, who: string, day: string, fen: number) => ({
    reward_id: id, ts: at(day), beneficiary_type: type, beneficiary_id: who, kind: 'sell_through', amount_fen: fen, source_event_id: '', policy_id: 'P', experiment_id: '', arm: '', flow_id: '', received_at: at(day),
  })
  await db.insert('rewards', [reward('R1', 'store', 'S1', '2026-03-02', 300), reward('R2', 'store', 'S4', '2026-03-14', 1000), reward('R3', 'consumer', 'C1', '2026-03-02', 888)])
}
