/**
 * The overview dashboard: KPI tiles against the previous period of the same length, the
 * stocked-vs-opened trend, tier and SKU mix, the distributor leaderboard and the channel funnel.
 * Everything is read from the rollups and the dashboard indexes (see overview-sql.ts).
 *
 * Without a store filter the volumes are the whole channel's (every scan); with one, the matching
 * stores'. Store counts are of stores with a known id. Bottles are the unit throughout.
 */
import type { Db } from '../db/gateway.js'
import type { Scope } from '../scope.js'
import {
  autoGrain, bucketOf, buckets, daysIn, filterSql, periodParams, rewardBasis, rewardCondition,
  type DashFilters, type Grain, type RewardBasis,
} from './filters.js'
import { productInfo, distributorNames } from './names.js'
import { consumersAndRewards, storeFigures, volumesByDay, volumesBySku } from './overview-sql.js'

/** A KPI in the period, the same figure in the previous period, and the relative change. */
export interface Kpi {
  value: number | null
  previous: number | null
  /** value / previous − 1; null when the previous figure is 0 or unknown. */
  change: number | null
}

export interface Overview {
  period: { from: string; to: string; days: number }
  previous: { from: string; to: string }
  kpis: {
    stocked_bottles: Kpi
    opened_bottles: Kpi
    open_rate: Kpi
    active_stores: Kpi
    new_active_stores: Kpi
    consumers: Kpi
    reward_fen: Kpi
    reward_per_opened_fen: Kpi
  }
  reward_basis: RewardBasis
  /** Reward spend in the period by beneficiary type; null where the basis leaves it out. */
  reward_by_beneficiary: { store: number; distributor: number | null; consumer: number | null }
  trend: { grain: Grain; buckets: string[]; stocked: number[]; opened: number[] }
  tiers: { tier: string; stocked: number; opened: number }[]
  skus: { sku_id: string; name: string | null; tier: string | null; stocked: number; opened: number }[]
  distributors: { distributor_id: string; name: string | null; stocked: number; opened: number; open_rate: number | null; active_stores: number }[]
  funnel: { shipped: number; stocked: number; opened: number }
}

const TIER_ORDER = ['mass', 'sub_premium', 'premium']

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null)

/** Builds a KPI from the period's and the previous period's figure. */
export function kpi(value: number | null, previous: number | null): Kpi {
  return { value, previous, change: value !== null && previous !== null && previous !== 0 ? value / previous - 1 : null }
}

/**
 * The overview figures for a filter set, restricted to the caller's scope.
 * @example const o = await overview(db, { from: '2026-11-01', to: '2026-11-30' }, ALL)
 */
export async function overview(db: Db, f: DashFilters, scope: Scope, grain: Grain = autoGrain(f.from, f.to)): Promise<Overview> {
  const fs = filterSql(f, scope)
  const pp = periodParams(f)
  const params = { ...fs.params, ...pp }
  const basis = rewardBasis(f, scope)
  const days = await volumesByDay(db, fs, params)
  const skuRows = await volumesBySku(db, fs, params)
  const perStore = await storeFigures(db, fs, params)
  const k = await consumersAndRewards(db, fs, rewardCondition(f, scope, fs), params)
  const total = perStore.find((r) => r.total_row === 1) ?? { stocked: 0, opened: 0, active: 0, active_prev: 0, fresh: 0, fresh_prev: 0 }
  const lead = perStore
    .filter((r) => r.total_row === 0 && r.distributor_id !== '')
    .sort((x, y) => y.opened - x.opened || x.distributor_id.localeCompare(y.distributor_id))
    .slice(0, 10)
  const products = await productInfo(db)
  const names = await distributorNames(db, lead.map((r) => r.distributor_id))

  // Volumes per day and type: the KPIs of both periods, the funnel and the trend, from one read.
  const axis = buckets(f.from, f.to, grain)
  const at = new Map(axis.map((b, i) => [b, i]))
  const stocked = new Array<number>(axis.length).fill(0)
  const opened = new Array<number>(axis.length).fill(0)
  const cur = { ship: 0, stock_in: 0, open: 0 }
  const prev = { ship: 0, stock_in: 0, open: 0 }
  for (const r of days) {
    const t = r.type as keyof typeof cur
    if (!(t in cur)) continue
    if (r.day < f.from) {
      prev[t] += r.bottles
      continue
    }
    cur[t] += r.bottles
    const i = at.get(bucketOf(r.day, grain))
    if (i === undefined) continue
    if (t === 'stock_in') stocked[i] += r.bottles
    else if (t === 'open') opened[i] += r.bottles
  }

  const tierMap = new Map<string, { tier: string; stocked: number; opened: number }>()
  const skus = skuRows.map((r) => {
    const p = products.get(r.sku_id)
    const tier = p?.tier ?? 'unknown'
    const t = tierMap.get(tier) ?? { tier, stocked: 0, opened: 0 }
    t.stocked += r.stocked
    t.opened += r.opened
    tierMap.set(tier, t)
    return { sku_id: r.sku_id, name: p?.name ?? null, tier: p?.tier ?? null, stocked: r.stocked, opened: r.opened }
  })
  skus.sort((a, b) => b.opened - a.opened || b.stocked - a.stocked || a.sku_id.localeCompare(b.sku_id))
  const rank = (t: string) => (TIER_ORDER.includes(t) ? TIER_ORDER.indexOf(t) : TIER_ORDER.length)
  const tiers = [...tierMap.values()].sort((a, b) => rank(a.tier) - rank(b.tier) || a.tier.localeCompare(b.tier))

  return {
    period: { from: f.from, to: f.to, days: daysIn(f.from, f.to) },
    previous: { from: pp.q_from, to: pp.q_to },
    kpis: {
      stocked_bottles: kpi(cur.stock_in, prev.stock_in),
      opened_bottles: kpi(cur.open, prev.open),
      open_rate: kpi(ratio(cur.open, cur.stock_in), ratio(prev.open, prev.stock_in)),
      active_stores: kpi(total.active, total.active_prev),
      new_active_stores: kpi(total.fresh, total.fresh_prev),
      consumers: kpi(k.consumers, k.consumers_prev),
      reward_fen: kpi(k.fen, k.fen_prev),
      reward_per_opened_fen: kpi(ratio(k.fen, cur.open), ratio(k.fen_prev, prev.open)),
    },
    reward_basis: basis,
    reward_by_beneficiary: {
      store: k.fen_store,
      distributor: basis.distributors ? k.fen_distributor : null,
      consumer: basis.consumers ? k.fen_consumer : null,
    },
    trend: { grain, buckets: axis, stocked, opened },
    tiers,
    skus,
    distributors: lead.map((r) => ({
      distributor_id: r.distributor_id, name: names.get(r.distributor_id) ?? null, stocked: r.stocked, opened: r.opened,
      open_rate: ratio(r.opened, r.stocked), active_stores: r.active,
    })),
    funnel: { shipped: cur.ship, stocked: cur.stock_in, opened: cur.open },
  }
}
