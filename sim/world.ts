/**
 * The simulated channel at the start of the window: distributors with territories,
 * stores with their size, assortment, scan habit and incentive elasticity, consumers with
 * home areas and regular stores, and the planted truths (group-buy stores, leaking
 * distributors, scan farms, dormant stores). Everything is drawn from the world stream,
 * so it depends only on (seed, stores, days, end). Per-entity data lives in typed arrays:
 * at 100k stores there are 2M consumers and the world must stay a few hundred MB.
 */
import { CITIES, CITY_DISTRICT_START, DISTRICTS, KM_LAT, kmLon } from './geo'
import { PRODUCTS, TIERS, distributorName, personName, shortDistrict, storeName } from './catalog'
import { Rng, searchCum } from './prng'
import {
  CONSUMER_FARM, CONSUMER_GROUP_BUY, buildConsumers, indexStoreConsumers, type Consumers,
} from './consumers'

export interface WorldOptions {
  stores: number
  days: number
  seed: number | string
  /** last simulated local date, YYYY-MM-DD (inclusive) */
  end: string
}

export interface Distributor {
  id: string
  name: string
  /** index into CITIES */
  city: number
  /** city indices of the authorised territory (own city first) */
  territory: number[]
  /** planted: share of its (non-group-buy) stores' bottles opened outside the territory */
  leakShare: number
  leakTargets: number[]
  /** whether it scans cases out (`ship` scans) */
  scansShipments: boolean
}

export interface Rep {
  id: string
  name: string
  city: number
}

export const FLAG_GROUP_BUY = 1
export const FLAG_DORMANT = 2
export const FLAG_POS = 4

/** Mean daily opened bottles per kind before the size draw, and the size spread. */
const KIND_WEIGHT = [0.42, 0.25, 0.08, 0.2, 0.05]
const KIND_SIZE = [1.25, 0.9, 1.8, 0.45, 0.6]
const SIZE_SIGMA = 0.9
/** Calibrates ~300 scan events per store-year on average (see README of the report). */
const DEMAND_SCALE = 0.8
/** Tier shares (mass, sub_premium, premium) by kind. */
const KIND_TIER_MIX = [
  [0.6, 0.28, 0.12], [0.72, 0.22, 0.06], [0.72, 0.22, 0.06], [0.92, 0.07, 0.01], [0.85, 0.12, 0.03],
]
const GROUP_BUY_MIX = [0.12, 0.55, 0.33]
/** Scan share range and elasticity mean by kind. */
const KIND_SCAN = [[0.2, 0.4], [0.15, 0.3], [0.15, 0.32], [0.15, 0.35], [0.15, 0.35]]
const KIND_ELASTICITY = [0.45, 0.25, 0.1, 0.3, 0.2]
const POS_SHARE = [0.05, 0, 0.7, 0.25, 0]

export interface World {
  seedKey: string
  startDay: number
  /** inclusive */
  endDay: number
  skuTier: Uint8Array
  skuPrice: Int32Array
  dists: Distributor[]
  reps: Rep[]
  nStores: number
  storeId: string[]
  storeName: string[]
  kind: Uint8Array
  city: Uint16Array
  district: Uint16Array
  lat: Float64Array
  lon: Float64Array
  dist: Int32Array
  rep: Int32Array
  joinDay: Int32Array
  scanShare: Float64Array
  elasticity: Float64Array
  /** mean daily opened bottles by tier (stores × 3), diverted bottles included */
  tierRate: Float64Array
  flags: Uint8Array
  /** dormant stores: first day without opens; until restockUntil they still restock */
  dormantFrom: Int32Array
  restockUntil: Int32Array
  coverDays: Float32Array
  /** group-buy stores: mean weekly opened bottles (0 for others) */
  gbWeekly: Float64Array
  /** assortment slots: store s owns slots [slotStart[s], slotStart[s+1]), sorted by tier */
  slotStart: Int32Array
  /** first slot of tier t of store s at tierSlotStart[s*4+t]; [s*4+3] = end */
  tierSlotStart: Int32Array
  slotSku: Uint16Array
  slotTier: Uint8Array
  /** cumulative share of the slot within its tier's slot range (last = 1) */
  slotCum: Float64Array
  /** mean daily bottles of the slot */
  slotRate: Float64Array
  /** stores of city c are [cityStoreStart[c], cityStoreStart[c+1]) */
  cityStoreStart: Int32Array
  consumers: Consumers
  farms: FarmPlan[]
}

export interface FarmPlan {
  consumer: number
  city: number
  bursts: { startDay: number; days: number; scans: number; storeCount: number }[]
}

/** Largest-remainder apportionment of n over weights. */
export function apportion(n: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0)
  const exact = weights.map((w) => (n * w) / total)
  const out = exact.map(Math.floor)
  let rest = n - out.reduce((a, b) => a + b, 0)
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) out[order[k][1]]++
  return out
}

const pad = (n: number, w: number): string => String(n).padStart(w, '0')

export function buildWorld(opts: WorldOptions, startDay: number, endDay: number): World {
  const n = opts.stores
  const seedKey = String(opts.seed)
  const rng = Rng.from(seedKey, 'world')
  const days = endDay - startDay + 1

  // ---- stores: counts per city and division, location, kind, name
  const perCity = apportion(n, CITIES.map((c) => c.storeWeight))
  const perDistrict: number[] = []
  CITIES.forEach((c, ci) => perDistrict.push(...apportion(perCity[ci], c.districts.map((x) => x.pop))))
  const storeId: string[] = new Array(n)
  const storeNames: string[] = new Array(n)
  const kind = new Uint8Array(n)
  const city = new Uint16Array(n)
  const district = new Uint16Array(n)
  const lat = new Float64Array(n)
  const lon = new Float64Array(n)
  const size = new Float64Array(n)
  const cityStoreStart = new Int32Array(CITIES.length + 1)
  const kindCum = cumulate(KIND_WEIGHT)
  let s = 0
  for (let di = 0; di < DISTRICTS.length; di++) {
    const dd = DISTRICTS[di]
    // urban districts are compact; county seats plus townships spread wider
    const sigmaKm = dd.name.endsWith('区') ? 2.5 : 3.5
    for (let k = 0; k < perDistrict[di]; k++, s++) {
      storeId[s] = `S${pad(s + 1, 6)}`
      const kd = searchCum(kindCum, 0, kindCum.length, rng.float())
      kind[s] = kd
      city[s] = dd.city
      district[s] = di
      lat[s] = dd.lat + rng.normal() * sigmaKm * KM_LAT
      lon[s] = dd.lon + rng.normal() * sigmaKm * kmLon(dd.lat)
      size[s] = KIND_SIZE[kd] * rng.lognormal(-(SIZE_SIGMA ** 2) / 2, SIZE_SIGMA) * DEMAND_SCALE
      storeNames[s] = storeName(rng, kd, shortDistrict(dd.name))
    }
    if (di + 1 === CITY_DISTRICT_START[dd.city + 1]) cityStoreStart[dd.city + 1] = s
  }
  for (let c = 1; c <= CITIES.length; c++) cityStoreStart[c] = Math.max(cityStoreStart[c], cityStoreStart[c - 1])
  const cityHasStores = (c: number): boolean => cityStoreStart[c + 1] > cityStoreStart[c]

  // ---- distributors: about one per 200 stores, at least one per city with stores
  const dists: Distributor[] = []
  CITIES.forEach((c, ci) => {
    if (!cityHasStores(ci)) return
    const nd = Math.max(1, Math.round(perCity[ci] / 200))
    for (let k = 0; k < nd; k++) {
      const territory = [ci]
      const neigh = c.neighbors.map((x) => CITIES.findIndex((y) => y.name === x)).filter(cityHasStores)
      if (neigh.length > 0 && rng.bool(0.2)) territory.push(rng.pick(neigh))
      dists.push({
        id: `D${pad(dists.length + 1, 4)}`, name: distributorName(rng, c.short), city: ci, territory,
        leakShare: 0, leakTargets: [], scansShipments: rng.bool(0.7),
      })
    }
  })
  const distWeight = dists.map(() => rng.lognormal(0, 0.7))
  const candidates: number[][] = CITIES.map((_, ci) => dists.flatMap((dd, i) => (dd.territory.includes(ci) ? [i] : [])))
  const dist = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const cands = candidates[city[i]]
    const cum = cumulate(cands.map((x) => distWeight[x]))
    dist[i] = cands[searchCum(cum, 0, cum.length, rng.float() * cum[cum.length - 1])]
  }

  // ---- sales reps: about one per 80 stores of a city; 90% of stores have one
  const reps: Rep[] = []
  const cityReps: number[][] = CITIES.map(() => [])
  CITIES.forEach((_, ci) => {
    if (!cityHasStores(ci)) return
    for (let k = 0; k < Math.max(1, Math.round(perCity[ci] / 80)); k++) {
      cityReps[ci].push(reps.length)
      reps.push({ id: `R${pad(reps.length + 1, 4)}`, name: personName(rng), city: ci })
    }
  })
  const rep = new Int32Array(n)
  for (let i = 0; i < n; i++) rep[i] = rng.bool(0.9) ? rng.pick(cityReps[city[i]]) : -1

  // ---- planted store roles, joining dates
  const flags = new Uint8Array(n)
  const joinDay = new Int32Array(n)
  const dormantFrom = new Int32Array(n).fill(2 ** 31 - 1)
  const restockUntil = new Int32Array(n).fill(2 ** 31 - 1)
  const lateJoin = days >= 60 ? 0.1 : 0
  for (let i = 0; i < n; i++) {
    joinDay[i] = rng.bool(lateJoin) ? startDay + rng.int(days - 30) : startDay - rng.intIn(30, 2400)
    if (rng.bool(POS_SHARE[kind[i]])) flags[i] |= FLAG_POS
  }
  const early = Array.from({ length: n }, (_, i) => i).filter((i) => joinDay[i] < startDay)
  rng.shuffle(early)
  const nGroupBuy = n >= 50 ? Math.max(1, Math.round(0.02 * n)) : 0
  const gbPool = early.filter((i) => kind[i] === 0 || kind[i] === 4)
  for (const i of gbPool.slice(0, nGroupBuy)) {
    flags[i] |= FLAG_GROUP_BUY
    flags[i] &= ~FLAG_POS
  }
  // dormant stores: a visible past (mid-sized or larger) and 60–120 days of silence
  const nDormant = days >= 91 && n >= 30 ? Math.max(1, Math.round(0.03 * n)) : 0
  const dormPool = early.filter((i) => !(flags[i] & FLAG_GROUP_BUY) && size[i] >= 0.5)
  for (const i of dormPool.slice(0, nDormant)) {
    flags[i] |= FLAG_DORMANT
    const len = 60 + rng.int(Math.min(60, days - 90) + 1)
    dormantFrom[i] = endDay - len + 1
    restockUntil[i] = dormantFrom[i] + Math.floor(len * 0.4)
  }

  // ---- leaking distributors: ~5%, at least 2 when there are 8 or more
  const storesOf = new Int32Array(dists.length)
  for (let i = 0; i < n; i++) storesOf[dist[i]]++
  const nLeak = dists.length >= 8 ? Math.max(2, Math.round(0.05 * dists.length)) : dists.length >= 2 ? 1 : 0
  const leakPool = rng.shuffle(dists.map((_, i) => i).filter((i) => storesOf[i] >= 3))
  for (const di of leakPool.slice(0, nLeak)) {
    const dd = dists[di]
    dd.leakShare = Math.round(rng.range(0.3, 0.5) * 100) / 100
    const outside = rng.shuffle(CITIES.map((_, ci) => ci).filter((ci) => cityHasStores(ci) && !dd.territory.includes(ci)))
    dd.leakTargets = outside.slice(0, rng.intIn(1, 2))
    if (dd.leakTargets.length === 0) dd.leakShare = 0
  }

  // ---- demand, assortment, habits
  const scanShare = new Float64Array(n)
  const elasticity = new Float64Array(n)
  const tierRate = new Float64Array(n * 3)
  const coverDays = new Float32Array(n)
  const gbWeekly = new Float64Array(n)
  const slotStart = new Int32Array(n + 1)
  const tierSlotStart = new Int32Array(n * 4)
  const slotSku: number[] = []
  const slotTier: number[] = []
  const slotCum: number[] = []
  const slotRate: number[] = []
  const tierSkus = TIERS.map((_, t) => PRODUCTS.flatMap((p, i) => (p.tier === TIERS[t] ? [i] : [])))
  // popular SKUs sell more: a fixed popularity per SKU for this seed
  const popularity = PRODUCTS.map(() => rng.lognormal(0, 0.8))
  for (let i = 0; i < n; i++) {
    const k = kind[i]
    const gb = (flags[i] & FLAG_GROUP_BUY) !== 0
    let mix: number[]
    let daily: number
    if (gb) {
      gbWeekly[i] = rng.range(80, 250)
      daily = gbWeekly[i] / 7
      mix = GROUP_BUY_MIX.map((x) => x * rng.lognormal(0, 0.15))
      scanShare[i] = rng.range(0.32, 0.4)
      elasticity[i] = clamp(0.15 + 0.05 * rng.normal(), 0, 1.2)
    } else {
      daily = size[i]
      mix = KIND_TIER_MIX[k].map((x) => x * rng.lognormal(0, 0.3))
      scanShare[i] = clamp(rng.range(KIND_SCAN[k][0], KIND_SCAN[k][1]), 0.15, 0.4)
      elasticity[i] = clamp(KIND_ELASTICITY[k] + 0.12 * rng.normal(), 0, 1.2)
    }
    // group-buy customers are real and local: only the other stores pass bottles on
    const leak = gb ? 0 : dists[dist[i]].leakShare
    if (leak > 0) daily /= 1 - leak
    const mixSum = mix[0] + mix[1] + mix[2]
    coverDays[i] = rng.range(14, 30)
    slotStart[i] = slotSku.length
    for (let t = 0; t < 3; t++) {
      tierSlotStart[i * 4 + t] = slotSku.length
      const rate = (daily * mix[t]) / mixSum
      tierRate[i * 3 + t] = rate
      const maxSkus = t === 0 ? 2 + Math.min(4, Math.floor(Math.log2(1 + daily))) : t === 1 ? 1 + Math.min(2, Math.floor(Math.log2(1 + daily))) : 1 + Math.min(1, Math.floor(daily / 2))
      if (rate * 365 < 1.5 && t > 0) {
        // too little of this tier to stock it at all: fold it into mass
        tierRate[i * 3] += rate
        tierRate[i * 3 + t] = 0
        continue
      }
      const chosen = weightedSample(rng, tierSkus[t], tierSkus[t].map((x) => popularity[x]), maxSkus)
      const w = chosen.map((x) => popularity[x] * rng.lognormal(0, 0.3))
      const total = w.reduce((a, b) => a + b, 0)
      let acc = 0
      chosen.forEach((sku, j) => {
        acc += w[j] / total
        slotSku.push(sku)
        slotTier.push(t)
        slotCum.push(j === chosen.length - 1 ? 1 : acc)
        slotRate.push(0)
      })
    }
    tierSlotStart[i * 4 + 3] = slotSku.length
    // mass folded in after its slots were made: recompute every slot's rate now
    for (let t = 0; t < 3; t++) {
      let prev = 0
      for (let sl = tierSlotStart[i * 4 + t]; sl < (t < 2 ? tierSlotStart[i * 4 + t + 1] : tierSlotStart[i * 4 + 3]); sl++) {
        slotRate[sl] = tierRate[i * 3 + t] * (slotCum[sl] - prev)
        prev = slotCum[sl]
      }
    }
  }
  slotStart[n] = slotSku.length

  const leakOf = (i: number): number => (flags[i] & FLAG_GROUP_BUY ? 0 : dists[dist[i]].leakShare)
  const localRate = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    localRate[i] = (tierRate[i * 3] + tierRate[i * 3 + 1] + tierRate[i * 3 + 2]) * (1 - leakOf(i))
  }
  const { consumers, links } = buildConsumers(rng, {
    n, seedKey, district, lat, lon, localRate, isGroupBuy: (i) => (flags[i] & FLAG_GROUP_BUY) !== 0,
  })
  const farms = planFarms(rng, consumers, cityStoreStart, startDay, days, n)
  indexStoreConsumers(consumers, links, n)

  return {
    seedKey, startDay, endDay,
    skuTier: Uint8Array.from(PRODUCTS.map((p) => TIERS.indexOf(p.tier))),
    skuPrice: Int32Array.from(PRODUCTS.map((p) => p.price_fen)),
    dists, reps, nStores: n, storeId, storeName: storeNames, kind, city, district, lat, lon, dist, rep, joinDay,
    scanShare, elasticity, tierRate, flags, dormantFrom, restockUntil, coverDays, gbWeekly,
    slotStart, tierSlotStart, slotSku: Uint16Array.from(slotSku), slotTier: Uint8Array.from(slotTier),
    slotCum: Float64Array.from(slotCum), slotRate: Float64Array.from(slotRate), cityStoreStart, consumers, farms,
  }
}

/**
 * Scan farms: ~0.1% of consumers (at least 3 from 500 stores), each with bursts of a few
 * days in which it scans dozens of collected caps at many stores of its city.
 */
function planFarms(rng: Rng, cons: Consumers, cityStoreStart: Int32Array, startDay: number, days: number, n: number): FarmPlan[] {
  const nFarms = n >= 500 ? Math.max(3, Math.round(0.001 * cons.n)) : n >= 50 ? Math.max(1, Math.round(0.001 * cons.n)) : 0
  const storesIn = (c: number): number => cityStoreStart[c + 1] - cityStoreStart[c]
  let bigCities = CITIES.map((_, c) => c).filter((c) => storesIn(c) >= 30)
  if (bigCities.length === 0) bigCities = [0]
  const farms: FarmPlan[] = []
  const used = new Set<number>()
  if (days < 1) return farms
  while (farms.length < nFarms) {
    const c = bigCities[rng.int(bigCities.length)]
    const lo = cons.cityStart[c]
    const hi = cons.cityStart[c + 1]
    if (hi <= lo) break
    const ci = lo + rng.int(hi - lo)
    if (used.has(ci) || cons.flags[ci] & (CONSUMER_FARM | CONSUMER_GROUP_BUY)) continue
    used.add(ci)
    cons.flags[ci] |= CONSUMER_FARM
    const nBursts = 1 + rng.poisson(days / 90)
    const bursts: FarmPlan['bursts'] = []
    for (let b = 0; b < nBursts; b++) {
      const len = rng.intIn(1, Math.min(4, days))
      const lead = days >= 30 ? 14 : 0
      bursts.push({
        // caps must be collected first: no burst in the first two weeks of a long window
        startDay: startDay + lead + rng.int(days - lead - len + 1), days: len, scans: rng.intIn(24, 96),
        storeCount: Math.min(storesIn(c), rng.intIn(12, 30)),
      })
    }
    bursts.sort((a, b) => a.startDay - b.startDay)
    // a week at least between bursts, so one burst's store set is never shared
    const apart = bursts.filter((b, k) => k === 0 || b.startDay >= bursts[k - 1].startDay + bursts[k - 1].days + 7)
    farms.push({ consumer: ci, city: c, bursts: apart })
  }
  return farms
}

function cumulate(w: readonly number[]): Float64Array {
  const out = new Float64Array(w.length)
  let acc = 0
  w.forEach((x, i) => (out[i] = acc += x))
  return out
}

/** Up to k distinct items, drawn with probability proportional to weight. */
function weightedSample(rng: Rng, items: readonly number[], weights: readonly number[], k: number): number[] {
  const pool = items.slice()
  const w = weights.slice()
  const out: number[] = []
  while (out.length < k && pool.length > 0) {
    const cum = cumulate(w)
    const j = searchCum(cum, 0, cum.length, rng.float() * cum[cum.length - 1])
    out.push(pool[j])
    pool.splice(j, 1)
    w.splice(j, 1)
  }
  return out
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x
}
