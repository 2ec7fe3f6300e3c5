/** Row mapping from validated facts to their table columns (empty string = unknown). */
import type { Order, Reward, Scan } from './schemas.js'

export function scanRow(s: Scan, receivedAt: string) {
  const geo = s.lat !== undefined && s.lon !== undefined
  return {
    event_id: s.event_id,
    ts: s.ts,
    type: s.type,
    code: s.code,
    case_code: s.case_code ?? '',
    sku_id: s.sku_id,
    bottles: s.bottles,
    store_id: s.store_id ?? '',
    distributor_id: s.distributor_id ?? '',
    consumer_id: s.consumer_id ?? '',
    has_geo: geo ? 1 : 0,
    lat: geo ? s.lat : 0,
    lon: geo ? s.lon : 0,
    city: s.city ?? '',
    district: s.district ?? '',
    device_id: s.device_id ?? '',
    received_at: receivedAt,
  }
}

export function orderRow(o: Order, receivedAt: string) {
  return { ...o, received_at: receivedAt }
}

export function rewardRow(r: Reward, receivedAt: string) {
  return {
    ...r,
    source_event_id: r.source_event_id ?? '',
    policy_id: r.policy_id ?? '',
    experiment_id: r.experiment_id ?? '',
    arm: r.arm ?? '',
    flow_id: r.flow_id ?? '',
    received_at: receivedAt,
  }
}
