/**
 * Day-by-day generation of scans, orders and rewards. Each store draws from its own
 * random stream, so a policy override on some stores leaves every other store's events
 * byte-identical (the control arm of a simulated experiment is exactly its own
 * counterfactual). Lines are encoded into per-kind byte buffers; the driver drains them.
 *
 * A store's day: weekly demand drift → deliveries arrive (ship + stock_in scans, stock-in
 * rewards) → bottles are sold/opened from inventory (a store-specific share is scanned by
 * consumers: open scan + sell-through, red envelope, distributor bonus) → slots at or below
 * their reorder point order cases from the distributor (order rows).
 */
import {
  BOTTLES_PER_CASE, DISTRIBUTOR_PRICE_SHARE, FACTORY_PRICE_SHARE, PRODUCTS, SF_CAMPAIGN, TIERS, basePolicy, policyMultipliers,
  type Policy, type TierAmounts,
} from './catalog'
import { HOURS, WEEKDAY_FACTOR, isoOf, seasonFactor, springFestivalYear, stockingFactor, tierSeasonFactor, tsAt, tsNow, weekKey, weekdayOf } from './calendar'
import { CONSUMER_CITY_KNOWN, CONSUMER_FARM, consumerId, pickStoreConsumer } from './consumers'
import { CITIES, DISTRICTS, KM_LAT, kmLon } from './geo'
import { Rng, hashKey } from './prng'
import { CodeBook, LineBuffer, coord, uuidFrom } from './records'
import { FLAG_DORMANT, FLAG_GROUP_BUY, FLAG_POS, type World } from './world'

/** A policy applied to one store instead of the base policy, e.g. an experiment arm. */
export interface PolicyOverride {
  policy: Policy
  experimentId?: string
  arm?: string
}

export interface EngineOptions {
  /** by store id */
  policyOverrides?: Map<string, PolicyOverride>
  /** first day (day number) the overrides apply; default: the first simulated day */
  overrideFromDay?: number
  /** first day whose records are emitted (earlier days are simulated silently) */
  emitFromDay?: number
}

interface Compiled {
  id: string
  stockIn: number[]
  sell: number[]
  envMin: number[]
  envSpan: number[]
  bonus: number[]
  ladder: { min: number; fen: number }[]
  /** `,"policy_id":…` plus experiment fields, appended to every reward line */
  tail: string
}

function compile(p: Policy, experimentId?: string, arm?: string): Compiled {
  const byTier = (x: TierAmounts): number[] => TIERS.map((t) => x[t])
  let tail = `,"policy_id":${JSON.stringify(p.policy_id)}`
  if (experimentId) tail += `,"experiment_id":${JSON.stringify(experimentId)}`
  if (arm) tail += `,"arm":${JSON.stringify(arm)}`
  return {
    id: p.policy_id,
    stockIn: byTier(p.stock_in_fen_per_case),
    sell: byTier(p.sell_through_fen_per_bottle),
    envMin: TIERS.map((t) => p.red_envelope_fen[t][0]),
    envSpan: TIERS.map((t) => p.red_envelope_fen[t][1] - p.red_envelope_fen[t][0]),
    bonus: byTier(p.distributor_bonus_fen_per_open),
    ladder: p.ladder.map((x) => ({ min: x.min_bottles, fen: x.reward_fen })).sort((a, b) => b.min - a.min),
    tail,
  }
}

const CASE_SPAN = 1048576 // 2^20 case serials per assortment slot
const RING = 32 // unscanned caps remembered per store (scan farms collect them)
const TRAVEL = 0.02 // honest opens with another city involved (visitors, bottles taken along)
const VERIFY_P = 0.03
const LOC_P = 0.6
const LOC_P_GROUP_BUY = 0.9
const NEVER = 2 ** 31 - 1
const SKU_IDS = PRODUCTS.map((p) => p.sku_id)
const CITY_OF_DISTRICT = DISTRICTS.map((x) => CITIES[x.city].name)
const KMLON_OF_DISTRICT = DISTRICTS.map((x) => kmLon(x.lat))
const WEEKDAY_CUM = (() => {
  let a = 0
  return WEEKDAY_FACTOR.map((x) => (a += x))
})()

export class Engine {
  readonly w: World
  /** output buffers, drained by the driver */
  readonly out = { scans: new LineBuffer(), orders: new LineBuffer(), rewards: new LineBuffer() }
  /** records emitted so far, by scan type and kind */
  readonly counts = { ship: 0, stock_in: 0, open: 0, verify: 0, orders: 0, rewards: 0 }
  // truth counters per store, over every simulated day
  readonly opened: Int32Array
  readonly scanned: Int32Array
  readonly farmScans: Int32Array
  readonly stocked: Int32Array
  readonly diverted: Int32Array
  readonly lost: Int32Array
  /** opened bottles on and after overrideFromDay */
  readonly openedFrom: Int32Array
  readonly farmLog: { scans: number; stores: Set<number> }[][]

  private readonly codes: CodeBook
  private readonly rngs: Rng[]
  private readonly farmRngs: Rng[]
  private readonly storeIds: string[]
  private readonly distIds: string[]
  private readonly leak: Float64Array
  // store state
  private readonly drift: Float64Array
  private readonly lastWeek: Int32Array
  private readonly nextArrival: Int32Array
  private readonly monthScanned: Int32Array
  private readonly orderSeq: Int32Array
  private readonly ring: Float64Array
  private readonly ringPos: Uint8Array
  private readonly gbIndex: Int32Array
  private readonly gbDays: Int32Array
  // slot state: bottles left in the open case, cases opened/arrived/ordered, arrival day
  private readonly openLeft: Int8Array
  private readonly nextOpen: Int32Array
  private readonly arrived: Int32Array
  private readonly alloc: Int32Array
  private readonly pendingDay: Int32Array
  private readonly distWeek: Int32Array
  // policies
  private readonly overrideIdx: Int32Array
  private readonly overrideMult: Float64Array
  private readonly overridePolicies: Compiled[] = []
  private readonly overrideFromDay: number
  private readonly emitFromDay: number
  private readonly baseByYear = new Map<number, Compiled>()
  private readonly farmBurstStores: number[][]
  // the current day
  private day = 0
  private prefix = ''
  private wd = 0
  private wdf = 1
  private tf = [1, 1, 1]
  private stockF = 1
  private sfFlow = ''
  private openLut = HOURS.openWeekday
  private base!: Compiled
  private emitting = true
  private overrideOn = false
  private liveTs: string | null = null
  private liveCum: Float64Array | null = null
  // the consumer and place chosen for the open being emitted (no per-event objects)
  private selCi = 0
  private selLat = 0
  private selLon = 0
  private selDistrict = 0

  constructor(w: World, opts: EngineOptions = {}) {
    this.w = w
    const n = w.nStores
    const nSlots = w.slotSku.length
    this.codes = new CodeBook(w.seedKey)
    this.rngs = Array.from({ length: n }, (_, s) => Rng.from(w.seedKey, 'store', s))
    this.farmRngs = w.farms.map((_, f) => Rng.from(w.seedKey, 'farm', f))
    this.farmBurstStores = w.farms.map(() => [])
    this.farmLog = w.farms.map((f) => f.bursts.map(() => ({ scans: 0, stores: new Set<number>() })))
    this.storeIds = w.storeId
    this.distIds = w.dists.map((d) => d.id)
    this.leak = Float64Array.from({ length: n }, (_, s) => (w.flags[s] & FLAG_GROUP_BUY ? 0 : w.dists[w.dist[s]].leakShare))
    this.opened = new Int32Array(n)
    this.scanned = new Int32Array(n)
    this.farmScans = new Int32Array(n)
    this.stocked = new Int32Array(n)
    this.diverted = new Int32Array(n)
    this.lost = new Int32Array(n)
    this.openedFrom = new Int32Array(n)
    this.lastWeek = new Int32Array(n)
    this.monthScanned = new Int32Array(n)
    this.orderSeq = new Int32Array(n)
    this.drift = new Float64Array(n)
    this.nextArrival = new Int32Array(n).fill(NEVER)
    this.ring = new Float64Array(n * RING).fill(-1)
    this.ringPos = new Uint8Array(n)
    this.gbIndex = new Int32Array(n).fill(-1)
    let nGb = 0
    for (let s = 0; s < n; s++) if (w.flags[s] & FLAG_GROUP_BUY) this.gbIndex[s] = nGb++
    this.gbDays = new Int32Array(nGb * 7)
    this.openLeft = new Int8Array(nSlots)
    this.nextOpen = new Int32Array(nSlots)
    this.arrived = new Int32Array(nSlots)
    this.alloc = new Int32Array(nSlots)
    this.pendingDay = new Int32Array(nSlots).fill(-1)
    this.distWeek = new Int32Array(w.dists.length * PRODUCTS.length)
    this.overrideFromDay = opts.overrideFromDay ?? w.startDay
    this.emitFromDay = opts.emitFromDay ?? w.startDay
    this.overrideIdx = new Int32Array(n).fill(-1)
    const ov = opts.policyOverrides ?? new Map<string, PolicyOverride>()
    this.overrideMult = new Float64Array(ov.size * 3)
    const index = new Map(w.storeId.map((id, s) => [id, s]))
    for (const [id, o] of ov) {
      const s = index.get(id)
      if (s === undefined) throw new Error(`policy override for unknown store ${id}`)
      const k = this.overridePolicies.length
      this.overrideIdx[s] = k
      this.overridePolicies.push(compile(o.policy, o.experimentId, o.arm))
      policyMultipliers(w.elasticity[s], o.policy).forEach((m, t) => (this.overrideMult[k * 3 + t] = m))
    }
    // stores that joined before the window start with some stock (scanned in before it)
    for (let s = 0; s < n; s++) {
      if (w.joinDay[s] >= w.startDay) continue
      const r = this.rngs[s]
      for (let sl = w.slotStart[s]; sl < w.slotStart[s + 1]; sl++) {
        const rate = w.slotRate[sl]
        const cases = Math.max(1, Math.ceil((rate * 7 + 1 + rate * w.coverDays[s] * r.range(0.3, 1)) / BOTTLES_PER_CASE))
        this.arrived[sl] = this.alloc[sl] = cases
        this.nextOpen[sl] = 1
        this.openLeft[sl] = 1 + r.int(BOTTLES_PER_CASE)
      }
    }
  }

  /** Compiled base policy in force on a day (`P-BASE-<year>`). */
  private baseFor(day: number): Compiled {
    const y = Number(isoOf(day).slice(0, 4))
    let c = this.baseByYear.get(y)
    if (!c) this.baseByYear.set(y, (c = compile(basePolicy(y))))
    return c
  }

  /** Sets the day context; emits the factory's weekly replenishment orders on Mondays. */
  beginDay(d: number): void {
    this.day = d
    this.prefix = `${isoOf(d)}T`
    this.wd = weekdayOf(d)
    this.wdf = WEEKDAY_FACTOR[this.wd]
    this.openLut = this.wd >= 4 ? HOURS.openWeekend : HOURS.openWeekday
    for (let t = 0; t < 3; t++) this.tf[t] = tierSeasonFactor(d, t)
    this.stockF = stockingFactor(d)
    const sfYear = springFestivalYear(d)
    this.sfFlow = sfYear === null ? '' : `,"flow_id":"${SF_CAMPAIGN.flowId(sfYear)}"`
    this.base = this.baseFor(d)
    this.emitting = d >= this.emitFromDay
    this.overrideOn = d >= this.overrideFromDay
    if (this.wd === 0 && this.liveTs === null) this.factoryOrders()
  }

  /** One store's day. */
  storeDay(s: number): void {
    const w = this.w
    const d = this.day
    if (d < w.joinDay[s]) return
    const r = this.rngs[s]
    const wk = weekKey(d)
    if (this.lastWeek[s] !== wk) {
      this.lastWeek[s] = wk
      // slow mean-reverting drift of a store's demand (log scale)
      this.drift[s] = 0.85 * this.drift[s] + 0.1 * r.normal()
      if (this.gbIndex[s] >= 0) this.drawGroupBuyWeek(s, r)
    }
    if (this.nextArrival[s] <= d) this.arrivals(s, r)
    const dormant = d >= w.dormantFrom[s]
    if (dormant && d >= w.restockUntil[s]) return
    const k = this.overrideOn ? this.overrideIdx[s] : -1
    const m0 = k >= 0 ? this.overrideMult[k * 3] : 1
    const m1 = k >= 0 ? this.overrideMult[k * 3 + 1] : 1
    const m2 = k >= 0 ? this.overrideMult[k * 3 + 2] : 1
    const a0 = w.tierRate[s * 3] * this.tf[0] * m0
    const a1 = w.tierRate[s * 3 + 1] * this.tf[1] * m1
    const a2 = w.tierRate[s * 3 + 2] * this.tf[2] * m2
    const g = this.gbIndex[s]
    const nSold = g >= 0 ? this.gbDays[g * 7 + this.wd] : r.poisson((a0 + a1 + a2) * this.wdf * Math.exp(this.drift[s]))
    for (let i = 0; i < nSold; i++) this.sellOne(s, r, a0, a1, a0 + a1 + a2, dormant)
    if (nSold > 0 || d === w.joinDay[s]) this.reorder(s, r, m0, m1, m2)
  }

  /** Group-buy stores sell a steady weekly quantity, spread over the week's days. */
  private drawGroupBuyWeek(s: number, r: Rng): void {
    const w = this.w
    const g = this.gbIndex[s]
    const season = 1 + 0.3 * (seasonFactor(this.day - this.wd + 3) - 1)
    const k = this.overrideOn ? this.overrideIdx[s] : -1
    let mult = 1
    if (k >= 0) {
      const tot = w.tierRate[s * 3] + w.tierRate[s * 3 + 1] + w.tierRate[s * 3 + 2]
      mult = 0
      for (let t = 0; t < 3; t++) mult += (w.tierRate[s * 3 + t] / tot) * this.overrideMult[k * 3 + t]
    }
    const total = Math.max(0, Math.round(w.gbWeekly[s] * season * mult * (1 + 0.06 * r.normal())))
    this.gbDays.fill(0, g * 7, g * 7 + 7)
    for (let i = 0; i < total; i++) {
      const u = r.float() * WEEKDAY_CUM[6]
      let day = 0
      while (day < 6 && WEEKDAY_CUM[day] <= u) day++
      this.gbDays[g * 7 + day]++
    }
  }

  private inventory(sl: number): number {
    return this.openLeft[sl] + (this.arrived[sl] - this.nextOpen[sl]) * BOTTLES_PER_CASE
  }

  /** One bottle leaves the shelf and is opened (scanned or not, here or diverted). */
  private sellOne(s: number, r: Rng, a0: number, a1: number, total: number, silent: boolean): void {
    const w = this.w
    const u = r.float() * total
    const t = u < a0 ? 0 : u < a0 + a1 ? 1 : 2
    let lo = w.tierSlotStart[s * 4 + t]
    let hi = w.tierSlotStart[s * 4 + t + 1]
    if (lo === hi) {
      lo = w.tierSlotStart[s * 4]
      hi = w.tierSlotStart[s * 4 + 1]
    }
    const u2 = r.float()
    let sl = lo
    while (sl < hi - 1 && w.slotCum[sl] <= u2) sl++
    if (this.inventory(sl) === 0) {
      sl = -1
      for (let x = lo; x < hi; x++) if (this.inventory(x) > 0) { sl = x; break }
      if (sl < 0) {
        this.lost[s]++
        return
      }
    }
    if (this.openLeft[sl] === 0) {
      this.nextOpen[sl]++
      this.openLeft[sl] = BOTTLES_PER_CASE
    }
    const bottle = BOTTLES_PER_CASE - this.openLeft[sl]
    this.openLeft[sl]--
    const caseSerial = sl * CASE_SPAN + this.nextOpen[sl] - 1
    this.opened[s]++
    if (this.day >= this.overrideFromDay) this.openedFrom[s]++
    // dormant stores keep receiving their usual deliveries for a while, but nothing
    // they hold is ever opened by a consumer who scans
    if (silent) return
    const leak = this.leak[s]
    const diverted = leak > 0 && r.float() < leak
    if (diverted) this.diverted[s]++
    let buyer = ''
    let sec = -1
    if (r.float() < w.scanShare[s]) {
      this.pickConsumer(s, r, diverted)
      sec = this.sec(this.openLut, r.next())
      const hasLoc = r.float() < (w.flags[s] & FLAG_GROUP_BUY ? LOC_P_GROUP_BUY : LOC_P)
      buyer = this.emitOpen(s, r, sl, caseSerial, bottle, sec, hasLoc)
      this.scanned[s]++
    } else if (!diverted) {
      const p = this.ringPos[s]
      this.ring[s * RING + p] = caseSerial * 8 + bottle
      this.ringPos[s] = (p + 1) % RING
    }
    if (w.flags[s] & FLAG_POS && !diverted) {
      if (sec < 0) sec = this.sec(HOURS.openWeekday, r.next())
      const sku = w.slotSku[sl]
      const seq = ++this.orderSeq[s]
      this.order(
        `{"order_id":"PO-${this.storeIds[s]}-${seq}","ts":"${this.ts(sec)}","seller_type":"store","seller_id":"${this.storeIds[s]}",` +
          `"buyer_type":"consumer","buyer_id":"${buyer || 'walk-in'}","sku_id":"${SKU_IDS[sku]}","bottles":1,"amount_fen":${w.skuPrice[sku]}}\n`,
      )
    }
  }

  /** Chooses the consumer and the place of a scanned open into sel*. */
  private pickConsumer(s: number, r: Rng, diverted: boolean): void {
    const w = this.w
    const cons = w.consumers
    if (diverted) {
      const targets = w.dists[w.dist[s]].leakTargets
      this.selCi = this.randomConsumerIn(targets[r.int(targets.length)], r)
      this.placeNear(cons.lat[this.selCi], cons.lon[this.selCi], cons.district[this.selCi], 0.5, r)
      return
    }
    const x = r.float()
    if (x < TRAVEL / 2) {
      // a visitor from anywhere buys here and opens here: profile city ≠ store city
      let ci = r.int(cons.n)
      if (cons.flags[ci] & CONSUMER_FARM) ci = this.regular(s, r)
      this.selCi = ci
      this.placeNear(w.lat[s], w.lon[s], w.district[s], 1, r)
      return
    }
    this.selCi = this.regular(s, r)
    if (x < TRAVEL) {
      // a regular takes the bottle to another city: location elsewhere, profile city home
      let dj = r.int(DISTRICTS.length)
      if (DISTRICTS[dj].city === w.city[s]) dj = (dj + 60) % DISTRICTS.length
      this.placeNear(DISTRICTS[dj].lat, DISTRICTS[dj].lon, dj, 2, r)
    } else if (w.kind[s] === 1) {
      this.placeNear(w.lat[s], w.lon[s], w.district[s], 0.05, r) // opened at the restaurant table
    } else {
      this.placeNear(cons.lat[this.selCi], cons.lon[this.selCi], cons.district[this.selCi], 0.4, r) // at home
    }
  }

  private regular(s: number, r: Rng): number {
    const ci = pickStoreConsumer(this.w.consumers, s, r.float())
    return ci >= 0 ? ci : this.randomConsumerIn(this.w.city[s], r)
  }

  private randomConsumerIn(city: number, r: Rng): number {
    const cons = this.w.consumers
    const lo = cons.cityStart[city]
    const span = cons.cityStart[city + 1] - lo
    let ci = lo + r.int(span)
    for (let k = 0; k < 4 && cons.flags[ci] & CONSUMER_FARM; k++) ci = lo + ((ci - lo + 1) % span)
    return ci
  }

  private placeNear(lat: number, lon: number, district: number, km: number, r: Rng): void {
    this.selLat = lat + r.normal() * km * KM_LAT
    this.selLon = lon + r.normal() * km * KMLON_OF_DISTRICT[district]
    this.selDistrict = district
  }

  /** Emits an open scan for sel* and its rewards; returns the consumer id. */
  private emitOpen(s: number, r: Rng, sl: number, caseSerial: number, bottle: number, sec: number, hasLoc: boolean): string {
    const w = this.w
    const cons = w.consumers
    const ci = this.selCi
    const cid = consumerId(cons, ci)
    const sku = w.slotSku[sl]
    const tier = w.slotTier[sl]
    const sid = this.storeIds[s]
    const did = this.distIds[w.dist[s]]
    const code = this.codes.bottleCode(caseSerial, bottle)
    const caseCode = this.codes.caseCode(caseSerial)
    const city = cons.flags[ci] & CONSUMER_CITY_KNOWN ? `,"city":"${CITY_OF_DISTRICT[cons.district[ci]]}"` : ''
    if (r.float() < VERIFY_P) {
      // an authenticity check shortly before opening: no reward
      this.scan(
        `{"event_id":"${uuidFrom(r)}","ts":"${this.ts(sec - 60 - r.int(1800))}","type":"verify","code":"${code}","case_code":"${caseCode}",` +
          `"sku_id":"${SKU_IDS[sku]}","bottles":1,"store_id":"${sid}","distributor_id":"${did}","consumer_id":"${cid}"${city}}\n`,
      )
      this.counts.verify += this.emitting ? 1 : 0
    }
    const eid = uuidFrom(r)
    const ts = this.ts(sec)
    const loc = hasLoc
      ? `,"lat":${coord(this.selLat)},"lon":${coord(this.selLon)}${city},"district":"${DISTRICTS[this.selDistrict].name}"`
      : city
    this.scan(
      `{"event_id":"${eid}","ts":"${ts}","type":"open","code":"${code}","case_code":"${caseCode}","sku_id":"${SKU_IDS[sku]}",` +
        `"bottles":1,"store_id":"${sid}","distributor_id":"${did}","consumer_id":"${cid}"${loc}}\n`,
    )
    this.counts.open += this.emitting ? 1 : 0
    const p = this.policyFor(s)
    const head = `{"reward_id":"${eid}-`
    const mid = `","ts":"${ts}","beneficiary_type":`
    const src = `,"source_event_id":"${eid}"${p.tail}`
    this.reward(`${head}s${mid}"store","beneficiary_id":"${sid}","kind":"sell_through","amount_fen":${p.sell[tier]}${src}}\n`)
    const env = p.envMin[tier] + r.int(p.envSpan[tier] + 1)
    this.reward(`${head}c${mid}"consumer","beneficiary_id":"${cid}","kind":"red_envelope","amount_fen":${env}${src}}\n`)
    this.reward(`${head}d${mid}"distributor","beneficiary_id":"${did}","kind":"distributor_bonus","amount_fen":${p.bonus[tier]}${src}}\n`)
    if (this.sfFlow && tier > 0 && r.float() < SF_CAMPAIGN.probability) {
      this.reward(`${head}f${mid}"consumer","beneficiary_id":"${cid}","kind":"campaign","amount_fen":${SF_CAMPAIGN.amount_fen}${src}${this.sfFlow}}\n`)
    }
    this.monthScanned[s]++
    return cid
  }

  private policyFor(s: number): Compiled {
    const k = this.overrideOn ? this.overrideIdx[s] : -1
    return k >= 0 ? this.overridePolicies[k] : this.base
  }

  private arrivals(s: number, r: Rng): void {
    let next = NEVER
    for (let sl = this.w.slotStart[s]; sl < this.w.slotStart[s + 1]; sl++) {
      const pd = this.pendingDay[sl]
      if (pd < 0) continue
      if (pd <= this.day) this.arrive(s, r, sl)
      else if (pd < next) next = pd
    }
    this.nextArrival[s] = next
  }

  /** A delivery arrives: the distributor scans the cases out, the store scans them in. */
  private arrive(s: number, r: Rng, sl: number): void {
    const w = this.w
    const cases = this.alloc[sl] - this.arrived[sl]
    const sku = w.slotSku[sl]
    const tier = w.slotTier[sl]
    const dd = w.dists[w.dist[s]]
    const sid = this.storeIds[s]
    const did = dd.id
    const p = this.policyFor(s)
    const shipSec = this.sec(HOURS.ship, r.next())
    const stockSec = Math.max(this.sec(HOURS.stockIn, r.next()), shipSec + 1800)
    const lat = coord(w.lat[s] + r.normal() * 0.02 * KM_LAT)
    const lon = coord(w.lon[s] + r.normal() * 0.02 * KMLON_OF_DISTRICT[w.district[s]])
    const place = `,"lat":${lat},"lon":${lon},"city":"${CITIES[w.city[s]].name}","district":"${DISTRICTS[w.district[s]].name}","device_id":"APP-${sid}"}\n`
    for (let k = 0; k < cases; k++) {
      const cc = this.codes.caseCode(sl * CASE_SPAN + this.arrived[sl] + k)
      const common = `"type":"ship","code":"${cc}","case_code":"${cc}","sku_id":"${SKU_IDS[sku]}","bottles":6,"store_id":"${sid}","distributor_id":"${did}"`
      if (dd.scansShipments) {
        this.scan(`{"event_id":"${uuidFrom(r)}","ts":"${this.ts(shipSec + 15 * k)}",${common},"device_id":"PDA-${did}"}\n`)
        this.counts.ship += this.emitting ? 1 : 0
      }
      const eid = uuidFrom(r)
      const ts = this.ts(stockSec + 20 * k)
      this.scan(`{"event_id":"${eid}","ts":"${ts}",${common.replace('"ship"', '"stock_in"')}${place}`)
      this.counts.stock_in += this.emitting ? 1 : 0
      this.reward(
        `{"reward_id":"${eid}-s","ts":"${ts}","beneficiary_type":"store","beneficiary_id":"${sid}","kind":"stock_in",` +
          `"amount_fen":${p.stockIn[tier]},"source_event_id":"${eid}"${p.tail}}\n`,
      )
    }
    this.arrived[sl] = this.alloc[sl]
    this.pendingDay[sl] = -1
    this.stocked[s] += cases * BOTTLES_PER_CASE
    this.distWeek[w.dist[s] * PRODUCTS.length + sku] += cases * BOTTLES_PER_CASE
  }

  /** Slots at or below their reorder point order enough cases to cover the next weeks. */
  private reorder(s: number, r: Rng, m0: number, m1: number, m2: number): void {
    const w = this.w
    for (let sl = w.slotStart[s]; sl < w.slotStart[s + 1]; sl++) {
      if (this.pendingDay[sl] >= 0) continue
      const t = w.slotTier[sl]
      const rate = w.slotRate[sl] * (t === 0 ? m0 : t === 1 ? m1 : m2)
      const rop = rate * 7 + 1
      const position = this.inventory(sl)
      if (position > rop) continue
      const target = rop + rate * w.coverDays[s] * this.stockF
      const cases = Math.max(1, Math.ceil((target - position) / BOTTLES_PER_CASE))
      this.alloc[sl] += cases
      const arrival = this.liveTs !== null ? this.day : this.day + (r.float() < 0.3 ? 2 : 1)
      this.pendingDay[sl] = arrival
      if (arrival < this.nextArrival[s]) this.nextArrival[s] = arrival
      const sku = w.slotSku[sl]
      const bottles = cases * BOTTLES_PER_CASE
      this.order(
        `{"order_id":"SO-${this.storeIds[s]}-${++this.orderSeq[s]}","ts":"${this.ts(this.sec(HOURS.order, r.next()))}",` +
          `"seller_type":"distributor","seller_id":"${this.distIds[w.dist[s]]}","buyer_type":"store","buyer_id":"${this.storeIds[s]}",` +
          `"sku_id":"${SKU_IDS[sku]}","bottles":${bottles},"amount_fen":${Math.round(bottles * w.skuPrice[sku] * DISTRIBUTOR_PRICE_SHARE)}}\n`,
      )
    }
  }

  /** Monday: each distributor reorders from the factory what it delivered last week. */
  private factoryOrders(): void {
    const ymd = this.prefix.slice(0, 10).replaceAll('-', '')
    const nSku = PRODUCTS.length
    for (let di = 0; di < this.distIds.length; di++) {
      for (let k = 0; k < nSku; k++) {
        const b = this.distWeek[di * nSku + k]
        if (b === 0) continue
        this.distWeek[di * nSku + k] = 0
        const bottles = Math.ceil(b / BOTTLES_PER_CASE) * BOTTLES_PER_CASE
        this.order(
          `{"order_id":"FO-${this.distIds[di]}-${ymd}-${SKU_IDS[k]}","ts":"${this.ts(9 * 3600 + ((di * 37) % 480) * 60)}",` +
            `"seller_type":"factory","seller_id":"FACTORY","buyer_type":"distributor","buyer_id":"${this.distIds[di]}",` +
            `"sku_id":"${SKU_IDS[k]}","bottles":${bottles},"amount_fen":${Math.round(bottles * this.w.skuPrice[k] * FACTORY_PRICE_SHARE)}}\n`,
        )
      }
    }
  }

  /** After all stores: scan-farm bursts, and the monthly ladder on the month's last day. */
  endDay(): void {
    this.farmDay()
    if (isoOf(this.day + 1).endsWith('-01')) this.ladder()
  }

  private farmDay(): void {
    const w = this.w
    const d = this.day
    w.farms.forEach((f, fi) => {
      f.bursts.forEach((b, bi) => {
        if (d < b.startDay || d >= b.startDay + b.days) return
        const r = this.farmRngs[fi]
        if (d === b.startDay) this.farmBurstStores[fi] = this.farmStores(f.city, b.storeCount, r)
        const set = this.farmBurstStores[fi]
        const today = Math.floor(b.scans / b.days) + (d - b.startDay < b.scans % b.days ? 1 : 0)
        // one sitting in the evening, a scan every half minute to two minutes, the caps
        // taken round-robin from the bags collected at each store
        let sec = (19 + r.int(3)) * 3600 + r.int(3600)
        let j = r.int(Math.max(1, set.length))
        for (let k = 0; k < today; k++) {
          sec += 20 + r.int(100)
          let s = -1
          let code = -1
          for (let tries = 0; tries < set.length && code < 0; tries++, j = (j + 1) % set.length) {
            s = set[j]
            if (d < w.dormantFrom[s]) code = this.takeCap(s)
          }
          // the stores at hand ran out of caps: the farm goes on to more stores
          for (let more = 0; code < 0 && more < 50; more++) {
            const extra = this.farmStores(f.city, 1, r)
            if (extra.length === 0 || set.includes(extra[0])) continue
            set.push(extra[0])
            s = extra[0]
            code = this.takeCap(s)
          }
          if (code < 0) break
          const caseSerial = Math.floor(code / 8)
          const sl = Math.floor(caseSerial / CASE_SPAN)
          this.selCi = f.consumer
          this.placeNear(w.consumers.lat[f.consumer], w.consumers.lon[f.consumer], w.consumers.district[f.consumer], 0.05, r)
          this.emitOpen(s, r, sl, caseSerial, code % 8, Math.min(sec, 86_399), r.float() < 0.5)
          this.farmScans[s]++
          this.farmLog[fi][bi].scans++
          this.farmLog[fi][bi].stores.add(s)
        }
      })
    })
  }

  /** Distinct stores of a city open for business today (never group-buy or dormant). */
  private farmStores(city: number, count: number, r: Rng): number[] {
    const w = this.w
    const lo = w.cityStoreStart[city]
    const span = w.cityStoreStart[city + 1] - lo
    const out = new Set<number>()
    if (span === 0) return []
    for (let k = 0; k < count * 20 && out.size < count; k++) {
      const s = lo + r.int(span)
      if (w.joinDay[s] <= this.day && this.day < w.dormantFrom[s] && !(w.flags[s] & FLAG_GROUP_BUY)) out.add(s)
    }
    return [...out]
  }

  /** A collected cap of a bottle opened unscanned at store s (newest first), or -1. */
  private takeCap(s: number): number {
    for (let k = 1; k <= RING; k++) {
      const i = s * RING + ((this.ringPos[s] - k + RING) % RING)
      const v = this.ring[i]
      if (v >= 0) {
        this.ring[i] = -1
        return v
      }
    }
    return -1
  }

  private ladder(): void {
    const w = this.w
    const ym = this.prefix.slice(0, 7).replace('-', '')
    const ts = this.ts(23 * 3600 + 50 * 60)
    for (let s = 0; s < w.nStores; s++) {
      const m = this.monthScanned[s]
      if (m === 0) continue
      this.monthScanned[s] = 0
      const p = this.policyFor(s)
      const step = p.ladder.find((x) => m >= x.min)
      if (!step) continue
      this.reward(
        `{"reward_id":"LAD-${this.storeIds[s]}-${ym}","ts":"${ts}","beneficiary_type":"store","beneficiary_id":"${this.storeIds[s]}",` +
          `"kind":"campaign","amount_fen":${step.fen}${p.tail}}\n`,
      )
    }
  }

  /**
   * Live mode: emits about `target` scan events stamped `nowMs`, by drawing sales at stores
   * in proportion to their demand; deliveries arrive at once.
   */
  live(target: number, nowMs: number): void {
    const w = this.w
    const d = Math.floor((nowMs + 8 * 3_600_000) / 86_400_000)
    this.liveTs = tsNow(nowMs)
    if (d !== this.day || !this.base) this.beginDay(d)
    if (!this.liveCum) {
      this.liveCum = new Float64Array(w.nStores)
      let acc = 0
      for (let s = 0; s < w.nStores; s++) {
        const dead = w.flags[s] & FLAG_DORMANT && d >= w.restockUntil[s]
        this.liveCum[s] = acc += dead ? 0 : w.tierRate[s * 3] + w.tierRate[s * 3 + 1] + w.tierRate[s * 3 + 2]
      }
    }
    const lr = Rng.from(w.seedKey, 'live', hashKey(nowMs))
    const startCount = this.counts.open + this.counts.stock_in + this.counts.ship + this.counts.verify
    const cum = this.liveCum
    for (let guard = 0; guard < target * 100; guard++) {
      if (this.counts.open + this.counts.stock_in + this.counts.ship + this.counts.verify - startCount >= target) break
      const s = lr.weighted(cum)
      if (d < w.joinDay[s]) continue
      const r = this.rngs[s]
      const a = w.tierRate[s * 3] * this.tf[0]
      const b = w.tierRate[s * 3 + 1] * this.tf[1]
      this.sellOne(s, r, a, b, a + b + w.tierRate[s * 3 + 2] * this.tf[2], d >= w.dormantFrom[s])
      this.reorder(s, r, 1, 1, 1)
      if (this.nextArrival[s] <= d) this.arrivals(s, r)
    }
  }

  private sec(lut: Uint8Array, r: number): number {
    return lut[r >>> 22] * 3600 + ((r & 0x3fffff) % 3600)
  }

  private ts(sec: number): string {
    return this.liveTs ?? tsAt(this.prefix, sec)
  }

  private scan(line: string): void {
    if (this.emitting) this.out.scans.push(line)
  }

  private order(line: string): void {
    if (!this.emitting) return
    this.out.orders.push(line)
    this.counts.orders++
  }

  private reward(line: string): void {
    if (!this.emitting) return
    this.out.rewards.push(line)
    this.counts.rewards++
  }
}
