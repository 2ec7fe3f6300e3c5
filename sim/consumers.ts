/**
 * Consumers: about 20 per store, living near the stores of their division. Each regular
 * consumer has an anchor store (chosen by the store's local sales) and up to two more
 * nearby stores, so most of their opens happen at 1–3 stores; activity is heavy-tailed
 * (a few loyal repeat buyers, many occasional ones). Group-buy stores get their own small
 * set of members living within a couple of km. Stored column-wise in typed arrays.
 */
import { CITIES, CITY_DISTRICT_START, DISTRICTS, KM_LAT, kmLon } from './geo'
import { Rng, fmix32, hashString, searchCum } from './prng'

export const CONSUMER_CITY_KNOWN = 1
export const CONSUMER_FARM = 2
export const CONSUMER_GROUP_BUY = 4

export interface Consumers {
  n: number
  /** key mixed into consumer ids, so ids differ between seeds */
  idKey: number
  district: Uint16Array
  lat: Float64Array
  lon: Float64Array
  flags: Uint8Array
  /** consumers living in city c are [cityStart[c], cityStart[c+1]) */
  cityStart: Int32Array
  /** regular consumers of store s: storeCons[storeStart[s] .. storeStart[s+1]) */
  storeStart: Int32Array
  storeCons: Int32Array
  /** cumulative visit weights aligned with storeCons (each store's segment restarts) */
  storeCum: Float64Array
}

export interface ConsumerContext {
  n: number
  seedKey: string
  district: Uint16Array
  lat: Float64Array
  lon: Float64Array
  /** local (not diverted) mean daily sales; 0 excludes a store as an anchor */
  localRate: Float64Array
  isGroupBuy: (s: number) => boolean
}

export const CONSUMERS_PER_STORE = 20
const MAX_LINKS = 3

/** Links consumer → store, kept until the farms are chosen and the index is built. */
export interface ConsumerLinks {
  store: Int32Array
  weight: Float32Array
}

export function buildConsumers(rng: Rng, ctx: ConsumerContext): { consumers: Consumers; links: ConsumerLinks } {
  const total = CONSUMERS_PER_STORE * ctx.n
  const district = new Uint16Array(total)
  const lat = new Float64Array(total)
  const lon = new Float64Array(total)
  const flags = new Uint8Array(total)
  const links: ConsumerLinks = { store: new Int32Array(total * MAX_LINKS).fill(-1), weight: new Float32Array(total * MAX_LINKS) }
  const cityStart = new Int32Array(CITIES.length + 1)
  let ci = 0
  let s0 = 0
  for (let di = 0; di < DISTRICTS.length; di++) {
    let s1 = s0
    while (s1 < ctx.n && ctx.district[s1] === di) s1++
    const nStores = s1 - s0
    if (nStores > 0) {
      const cum = new Float64Array(nStores)
      let acc = 0
      for (let s = s0; s < s1; s++) cum[s - s0] = acc += ctx.isGroupBuy(s) ? 0 : ctx.localRate[s]
      if (acc === 0) for (let k = 0; k < nStores; k++) cum[k] = k + 1
      const end = ci + CONSUMERS_PER_STORE * nStores
      const kl = kmLon(DISTRICTS[di].lat)
      // group-buy members first: a concentrated set living within ~2 km of the store
      for (let s = s0; s < s1 && ci < end; s++) {
        if (!ctx.isGroupBuy(s)) continue
        for (let m = rng.intIn(15, 40); m > 0 && ci < end; m--, ci++) {
          district[ci] = di
          lat[ci] = ctx.lat[s] + rng.normal() * 0.8 * KM_LAT
          lon[ci] = ctx.lon[s] + rng.normal() * 0.8 * kl
          flags[ci] = CONSUMER_GROUP_BUY | (rng.bool(0.9) ? CONSUMER_CITY_KNOWN : 0)
          links.store[ci * MAX_LINKS] = s
          links.weight[ci * MAX_LINKS] = rng.lognormal(0, 0.4)
        }
      }
      for (; ci < end; ci++) {
        const anchor = s0 + searchCum(cum, 0, nStores, rng.float() * cum[nStores - 1])
        district[ci] = di
        const hl = (lat[ci] = ctx.lat[anchor] + rng.normal() * 1.2 * KM_LAT)
        const ho = (lon[ci] = ctx.lon[anchor] + rng.normal() * 1.2 * kl)
        flags[ci] = rng.bool(0.9) ? CONSUMER_CITY_KNOWN : 0
        const activity = rng.lognormal(-0.5, 1)
        const base = ci * MAX_LINKS
        links.store[base] = anchor
        links.weight[base] = 0.65 * activity
        const r = rng.float()
        const extra = nStores < 2 ? 0 : r < 0.4 ? 0 : r < 0.75 ? 1 : 2
        for (let e = 1; e <= extra; e++) {
          // the nearest of a few sampled stores: regulars shop close to home
          let best = -1
          let bestD = Infinity
          for (let c = 0; c < 4; c++) {
            const s = s0 + searchCum(cum, 0, nStores, rng.float() * cum[nStores - 1])
            if (s === links.store[base] || s === links.store[base + 1]) continue
            const dd = (ctx.lat[s] - hl) ** 2 + ((ctx.lon[s] - ho) * 0.8) ** 2
            if (dd < bestD) {
              bestD = dd
              best = s
            }
          }
          if (best < 0) break
          links.store[base + e] = best
          links.weight[base + e] = (e === 1 ? 0.25 : 0.1) * activity
        }
      }
    }
    if (di + 1 === CITY_DISTRICT_START[DISTRICTS[di].city + 1]) cityStart[DISTRICTS[di].city + 1] = ci
    s0 = s1
  }
  for (let c = 1; c <= CITIES.length; c++) cityStart[c] = Math.max(cityStart[c], cityStart[c - 1])
  const consumers: Consumers = {
    n: total, idKey: hashString(`${ctx.seedKey}/consumer`), district, lat, lon, flags, cityStart,
    storeStart: new Int32Array(ctx.n + 1), storeCons: new Int32Array(0), storeCum: new Float64Array(0),
  }
  return { consumers, links }
}

/** Builds each store's consumer list from the links, leaving out scan farms. */
export function indexStoreConsumers(cons: Consumers, links: ConsumerLinks, nStores: number): void {
  const start = new Int32Array(nStores + 1)
  for (let i = 0; i < links.store.length; i++) {
    const s = links.store[i]
    if (s >= 0 && !(cons.flags[(i / MAX_LINKS) | 0] & CONSUMER_FARM)) start[s + 1]++
  }
  for (let s = 0; s < nStores; s++) start[s + 1] += start[s]
  const fill = start.slice(0, nStores)
  const idx = new Int32Array(start[nStores])
  const w = new Float64Array(start[nStores])
  for (let i = 0; i < links.store.length; i++) {
    const s = links.store[i]
    const c = (i / MAX_LINKS) | 0
    if (s < 0 || cons.flags[c] & CONSUMER_FARM) continue
    idx[fill[s]] = c
    w[fill[s]++] = links.weight[i]
  }
  for (let s = 0; s < nStores; s++) {
    let acc = 0
    for (let k = start[s]; k < start[s + 1]; k++) w[k] = acc += w[k]
  }
  cons.storeStart = start
  cons.storeCons = idx
  cons.storeCum = w
}

/** A regular consumer of store s by visit weight, or -1 when the store has none. */
export function pickStoreConsumer(cons: Consumers, s: number, u: number): number {
  const lo = cons.storeStart[s]
  const hi = cons.storeStart[s + 1]
  if (hi === lo) return -1
  return cons.storeCons[searchCum(cons.storeCum, lo, hi, u * cons.storeCum[hi - 1])]
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** Hashed-looking WeChat-openid-style id: `o` + 27 url-safe base64 characters. */
export function consumerId(cons: Consumers, ci: number): string {
  let h = fmix32(cons.idKey ^ Math.imul(ci + 1, 0x9e3779b1))
  let out = 'o'
  for (let w = 0; w < 6; w++) {
    h = fmix32((h + 0x6d2b79f5 + w) | 0)
    out += B64[h & 63] + B64[(h >>> 6) & 63]
    if (w < 5) out += B64[(h >>> 12) & 63] + B64[(h >>> 18) & 63] + B64[(h >>> 24) & 63]
  }
  return out
}
