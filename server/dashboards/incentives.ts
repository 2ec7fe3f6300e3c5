/**
 * The incentive-spend dashboard: reward spend by kind and by policy over time (rewards the
 * filters can be charged with, see `rewardBasis`), the stores' incentive cost per opened bottle
 * by city and by store kind, and the stores earning the most per bottle sold.
 *
 * Per-bottle figures use rewards whose beneficiary is the store (stock-in, sell-through, store
 * campaigns) over the store's opened bottles: the same rule as the store profile's
 * `reward_per_opened_bottle_90d` (DESIGN §4). Consumer envelopes cannot be placed at a store
 * from the rollups, so they are in the totals only.
 */
import type { Db } from '../db/gateway.js'
import type { Scope } from '../scope.js'
import {
  autoGrain, bucketOf, buckets, filterSql, rewardBasis, rewardCondition, type DashFilters, type Grain, type RewardBasis,
} from './filters.js'
import { storeRewards, storeSums } from './store-periods.js'

export interface Series {
  name: string
  /** Fen per bucket. */
  fen: number[]
  total_fen: number
}

export interface PerBottle {
  key: string
  reward_fen: number
  opened: number
  stores: number
  /** reward_fen / opened; null when nothing was opened. */
  per_bottle_fen: number | null
}

export interface Incentives {
  reward_basis: RewardBasis
  grain: Grain
  buckets: string[]
  by_kind: Series[]
  by_policy: Series[]
  by_beneficiary: { beneficiary_type: string; fen: number }[]
  total_fen: number
  by_city: PerBottle[]
  by_store_kind: PerBottle[]
  top_stores: { store_id: string; name: string; city: string; kind: string; reward_fen: number; opened: number; per_bottle_fen: number }[]
  min_bottles: number
}

function series(rows: { bucket: number; name: string; fen: number }[], n: number): Series[] {
  const out = new Map<string, Series>()
  for (const r of rows) {
    let s = out.get(r.name)
    if (!s) out.set(r.name, (s = { name: r.name, fen: new Array<number>(n).fill(0), total_fen: 0 }))
    s.fen[r.bucket] += r.fen
    s.total_fen += r.fen
  }
  return [...out.values()].sort((a, b) => b.total_fen - a.total_fen || a.name.localeCompare(b.name))
}

function perBottle(rows: { key: string; fen: number; opened: number; stores: number }[]): PerBottle[] {
  const m = new Map<string, PerBottle>()
  for (const r of rows) {
    const p = m.get(r.key) ?? { key: r.key, reward_fen: 0, opened: 0, stores: 0, per_bottle_fen: null }
    p.reward_fen += r.fen
    p.opened += r.opened
    p.stores += r.stores
    m.set(r.key, p)
  }
  return [...m.values()]
    .map((p) => ({ ...p, per_bottle_fen: p.opened > 0 ? p.reward_fen / p.opened : null }))
    .sort((a, b) => (b.per_bottle_fen ?? -1) - (a.per_bottle_fen ?? -1) || a.key.localeCompare(b.key))
}

/**
 * Incentive spend for a filter set.
 * @example await incentives(db, { from, to, city: '潍坊市' }, ALL, { minBottles: 10 })
 */
export async function incentives(db: Db, f: DashFilters, scope: Scope, opts: { minBottles: number; grain?: Grain; top?: number }): Promise<Incentives> {
  const fs = filterSql(f, scope)
  const grain = opts.grain ?? autoGrain(f.from, f.to)
  const params = { ...fs.params, p_from: f.from, p_to: f.to, min_bottles: opts.minBottles, top: opts.top ?? 20 }
  const rewards = rewardCondition(f, scope, fs)
  // The whole channel's spend per day is small (reward_spend_daily); filtered spend needs the beneficiaries.
  const spend = await db.query<{ day: string; kind: string; policy_id: string; beneficiary_type: string; fen: number }>(
    `SELECT day, kind, policy_id, beneficiary_type, sum(amount_fen) AS fen FROM ${rewards === '1' ? 'reward_spend_daily' : 'reward_daily'}
     WHERE day BETWEEN {p_from:Date} AND {p_to:Date} AND ${rewards}
     GROUP BY day, kind, policy_id, beneficiary_type`,
    params,
    'dash-incentive-spend',
  )
  // Per store: its own rewards and its opened bottles (whole months from the monthly tables, the
  // days around them from the daily ones), then summed by city and kind here (a few dozen rows),
  // so both breakdowns come from one statement.
  const range = { from: f.from, to: f.to }
  const opened = storeSums(fs, [{ name: 'op', type: 'open', range }])
  const paid = storeRewards(fs, range)
  Object.assign(params, opened.params, paid.params)
  const perStore = `
     FROM (SELECT store_id, name, city, kind FROM stores FINAL WHERE ${fs.storeWhere}) AS s
     LEFT JOIN (${paid.sql}) AS r ON r.store_id = s.store_id
     LEFT JOIN (${opened.sql}) AS o ON o.store_id = s.store_id`
  const cells = await db.query<{ city: string; kind: string; fen: number; opened: number; stores: number }>(
    `SELECT s.city AS city, s.kind AS kind, sum(r.fen) AS fen, sum(o.op) AS opened, count() AS stores ${perStore}
     GROUP BY s.city, s.kind`,
    params,
    'dash-incentive-cells',
  )
  const top = await db.query<Incentives['top_stores'][number]>(
    `SELECT s.store_id AS store_id, s.name AS name, s.city AS city, s.kind AS kind, r.fen AS reward_fen, o.op AS opened,
            r.fen / o.op AS per_bottle_fen ${perStore}
     WHERE o.op >= {min_bottles:UInt32}
     ORDER BY per_bottle_fen DESC, reward_fen DESC, store_id LIMIT {top:UInt32}`,
    params,
    'dash-incentive-top',
  )

  const axis = buckets(f.from, f.to, grain)
  const at = new Map(axis.map((b, i) => [b, i]))
  const rows = spend.map((r) => ({ ...r, bucket: at.get(bucketOf(r.day, grain)) ?? 0 }))
  const byBen = new Map<string, number>()
  for (const r of spend) byBen.set(r.beneficiary_type, (byBen.get(r.beneficiary_type) ?? 0) + r.fen)
  return {
    reward_basis: rewardBasis(f, scope),
    grain,
    buckets: axis,
    by_kind: series(rows.map((r) => ({ bucket: r.bucket, name: r.kind, fen: r.fen })), axis.length),
    by_policy: series(rows.map((r) => ({ bucket: r.bucket, name: r.policy_id || '', fen: r.fen })), axis.length),
    by_beneficiary: [...byBen].map(([beneficiary_type, fen]) => ({ beneficiary_type, fen })).sort((a, b) => b.fen - a.fen),
    total_fen: spend.reduce((s, r) => s + r.fen, 0),
    by_city: perBottle(cells.map((c) => ({ key: c.city, fen: c.fen, opened: c.opened, stores: c.stores }))),
    by_store_kind: perBottle(cells.map((c) => ({ key: c.kind, fen: c.fen, opened: c.opened, stores: c.stores }))),
    top_stores: top,
    min_bottles: opts.minBottles,
  }
}
