/**
 * Ground truth of a run (truth.json, never ingested): the parameters behind every planted
 * pattern and per-store counters the data can be checked against.
 */
import { basePolicy, PRODUCTS, STORE_KINDS, type Policy } from './catalog'
import { MID_AUTUMN, SPRING_FESTIVAL, isoOf } from './calendar'
import { CONSUMERS_PER_STORE, CONSUMER_GROUP_BUY, consumerId } from './consumers'
import { CITIES, DISTRICTS } from './geo'
import type { Engine, PolicyOverride } from './events'
import { FLAG_DORMANT, FLAG_GROUP_BUY, FLAG_POS, type World } from './world'

export interface StoreTruth {
  store_id: string
  kind: string
  city: string
  district: string
  distributor_id: string
  joined_on: string
  group_buy: boolean
  dormant: boolean
  pos: boolean
  /** probability that a consumer scans an opened bottle */
  scan_share: number
  /** relative change in opened bottles per relative change in sell-through reward */
  elasticity: number
  /** mean opened bottles per day before season, weekday and drift (diverted included) */
  mean_daily_bottles: number
  opened_bottles: number
  /** opens scanned by genuine consumers (scan farms excluded) */
  scanned_opens: number
  farm_scans: number
  stocked_bottles: number
  diverted_bottles: number
  lost_sales: number
}

export interface Truth {
  generator: 'negentropy-sim'
  version: 1
  args: {
    seed: string
    stores: number
    days: number
    start: string
    end: string
    end_rule: string
    emit_from: string
    override_from: string | null
  }
  model: Record<string, unknown>
  calendar: { spring_festival: Record<number, string>; mid_autumn: Record<number, string> }
  policies: Policy[]
  counts: Record<string, unknown>
  group_buy_stores: { store_id: string; weekly_bottles: number; sub_premium_share: number; member_ids: string[] }[]
  leaking_distributors: { distributor_id: string; territory_cities: string[]; diversion_share: number; target_cities: string[]; stores: number }[]
  scan_farms: { consumer_id: string; city: string; bursts: { start: string; days: number; planned_scans: number; scans: number; stores: number }[] }[]
  dormant_stores: { store_id: string; dormant_from: string; restock_until: string }[]
  experiment: {
    override_from: string
    stores: { store_id: string; policy_id: string; experiment_id?: string; arm?: string; multipliers: number[]; opened_from: number }[]
  } | null
  stores: StoreTruth[]
}

const r4 = (x: number): number => Math.round(x * 1e4) / 1e4

export function buildTruth(
  w: World, e: Engine, args: Truth['args'], overrides: Map<string, PolicyOverride> | undefined, multipliers: (s: number) => number[],
): Truth {
  const n = w.nStores
  const sum = (a: Int32Array): number => a.reduce((x, y) => x + y, 0)
  const years = new Set<number>()
  for (let d = w.startDay; d <= w.endDay; d++) years.add(Number(isoOf(d).slice(0, 4)))
  const policies = [...years].sort().map(basePolicy)
  const seen = new Set(policies.map((p) => p.policy_id))
  for (const o of overrides?.values() ?? []) {
    if (seen.has(o.policy.policy_id)) continue
    seen.add(o.policy.policy_id)
    policies.push(o.policy)
  }

  const members = new Map<number, string[]>()
  const cons = w.consumers
  for (let s = 0; s < n; s++) {
    if (!(w.flags[s] & FLAG_GROUP_BUY)) continue
    const ids: string[] = []
    for (let k = cons.storeStart[s]; k < cons.storeStart[s + 1]; k++) {
      const ci = cons.storeCons[k]
      if (cons.flags[ci] & CONSUMER_GROUP_BUY) ids.push(consumerId(cons, ci))
    }
    members.set(s, ids)
  }
  const storesOf = new Int32Array(w.dists.length)
  for (let s = 0; s < n; s++) storesOf[w.dist[s]]++
  const index = new Map(w.storeId.map((id, s) => [id, s]))

  return {
    generator: 'negentropy-sim',
    version: 1,
    args,
    model: {
      consumers_per_store: CONSUMERS_PER_STORE,
      scan_share_range: [0.15, 0.4],
      location_share: 0.6,
      location_share_group_buy: 0.9,
      city_known_share: 0.9,
      honest_travel_share: 0.02,
      verify_share_of_scanned_opens: 0.03,
      group_buy_local_radius_km: 5,
      elasticity: 'opened bottles of tier t × max(0, 1 + elasticity × (policy sell-through of t / base sell-through of t − 1))',
      reference_policy: 'P-BASE-<year>; amounts identical every year, so only overrides change demand',
      ids: 'stores S000001…, distributors D0001…, reps R0001…, SKUs SKU-001…; rewards <event_id>-s|c|d|f, ladder LAD-<store>-<yyyymm>',
    },
    calendar: { spring_festival: { ...SPRING_FESTIVAL }, mid_autumn: { ...MID_AUTUMN } },
    policies,
    counts: {
      products: PRODUCTS.length,
      distributors: w.dists.length,
      reps: w.reps.length,
      stores: n,
      consumers: cons.n,
      scans: { ...pick(e.counts, ['ship', 'stock_in', 'open', 'verify']), total: e.counts.ship + e.counts.stock_in + e.counts.open + e.counts.verify },
      orders: e.counts.orders,
      rewards: e.counts.rewards,
      opened_bottles: sum(e.opened),
      scanned_opens: sum(e.scanned),
      farm_scans: sum(e.farmScans),
      stocked_bottles: sum(e.stocked),
      diverted_bottles: sum(e.diverted),
      lost_sales: sum(e.lost),
    },
    group_buy_stores: [...members].map(([s, ids]) => ({
      store_id: w.storeId[s],
      weekly_bottles: r4(w.gbWeekly[s]),
      sub_premium_share: r4((w.tierRate[s * 3 + 1] + w.tierRate[s * 3 + 2]) / (w.tierRate[s * 3] + w.tierRate[s * 3 + 1] + w.tierRate[s * 3 + 2])),
      member_ids: ids,
    })),
    leaking_distributors: w.dists.flatMap((d, i) =>
      d.leakShare > 0
        ? [{
            distributor_id: d.id, territory_cities: d.territory.map((c) => CITIES[c].name), diversion_share: d.leakShare,
            target_cities: d.leakTargets.map((c) => CITIES[c].name), stores: storesOf[i],
          }]
        : [],
    ),
    scan_farms: w.farms.map((f, fi) => ({
      consumer_id: consumerId(cons, f.consumer),
      city: CITIES[f.city].name,
      bursts: f.bursts.map((b, bi) => ({
        start: isoOf(b.startDay), days: b.days, planned_scans: b.scans,
        scans: e.farmLog[fi][bi].scans, stores: e.farmLog[fi][bi].stores.size,
      })),
    })),
    dormant_stores: w.storeId.flatMap((id, s) =>
      w.flags[s] & FLAG_DORMANT ? [{ store_id: id, dormant_from: isoOf(w.dormantFrom[s]), restock_until: isoOf(w.restockUntil[s]) }] : [],
    ),
    experiment: overrides && overrides.size > 0
      ? {
          override_from: args.override_from ?? args.start,
          stores: [...overrides].map(([id, o]) => {
            const s = index.get(id)!
            return {
              store_id: id, policy_id: o.policy.policy_id, experiment_id: o.experimentId, arm: o.arm,
              multipliers: multipliers(s).map(r4), opened_from: e.openedFrom[s],
            }
          }),
        }
      : null,
    stores: w.storeId.map((id, s) => ({
      store_id: id,
      kind: STORE_KINDS[w.kind[s]],
      city: CITIES[w.city[s]].name,
      district: DISTRICTS[w.district[s]].name,
      distributor_id: w.dists[w.dist[s]].id,
      joined_on: isoOf(w.joinDay[s]),
      group_buy: (w.flags[s] & FLAG_GROUP_BUY) !== 0,
      dormant: (w.flags[s] & FLAG_DORMANT) !== 0,
      pos: (w.flags[s] & FLAG_POS) !== 0,
      scan_share: r4(w.scanShare[s]),
      elasticity: r4(w.elasticity[s]),
      mean_daily_bottles: r4(w.tierRate[s * 3] + w.tierRate[s * 3 + 1] + w.tierRate[s * 3 + 2]),
      opened_bottles: e.opened[s],
      scanned_opens: e.scanned[s],
      farm_scans: e.farmScans[s],
      stocked_bottles: e.stocked[s],
      diverted_bottles: e.diverted[s],
      lost_sales: e.lost[s],
    })),
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>
  for (const k of keys) out[k] = o[k]
  return out
}

/**
 * Pretty-prints the truth with arrays of objects one element per line, so a 100k-store
 * truth stays greppable and about 25 MB.
 */
export function stringifyTruth(t: Truth): string {
  const parts = Object.entries(t).map(([k, v]) => {
    let body: string
    if (Array.isArray(v) && v.length > 0 && typeof v[0] === 'object') body = `[\n    ${v.map((x) => JSON.stringify(x)).join(',\n    ')}\n  ]`
    else if (v && typeof v === 'object' && 'stores' in v && Array.isArray((v as { stores: unknown[] }).stores)) {
      const { stores, ...rest } = v as { stores: unknown[] }
      const head = JSON.stringify(rest).slice(0, -1)
      body = `${head}${head.length > 1 ? ',' : ''}"stores":[\n    ${stores.map((x) => JSON.stringify(x)).join(',\n    ')}\n  ]}`
    } else body = JSON.stringify(v)
    return `  ${JSON.stringify(k)}: ${body}`
  })
  return `{\n${parts.join(',\n')}\n}\n`
}
