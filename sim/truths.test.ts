import { beforeAll, describe, expect, it } from 'vitest'
import { rmSync } from 'node:fs'
import { dayOf, isoOf, weekdayOf } from './calendar'
import { haversineKm, nearestCity, CITIES } from './geo'
import { generateTo, readNdjson } from './testkit'
import type { Truth } from './truth'

interface Scan {
  type: string; ts: string; sku_id: string; bottles: number; store_id?: string; distributor_id?: string
  consumer_id?: string; lat?: number; lon?: number; city?: string; code: string
}
interface Store { store_id: string; city: string; lat: number; lon: number; distributor_id: string }

const END = '2026-11-25'
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

describe('planted truths are in truth.json and visible in the data', () => {
  let truth: Truth
  let scans: Scan[]
  let opens: Scan[]
  let stores: Map<string, Store>
  let territory: Map<string, Set<string>>
  let tier: Map<string, string>
  let farmIds: Set<string>
  beforeAll(async () => {
    const run = await generateTo({ stores: 800, days: 400, seed: 7, end: END })
    truth = run.truth
    scans = readNdjson<Scan>(run.dir, 'scans')
    opens = scans.filter((s) => s.type === 'open')
    stores = new Map(readNdjson<Store>(run.dir, 'stores').map((s) => [s.store_id, s]))
    territory = new Map(
      readNdjson<{ distributor_id: string; territory_cities: string[] }>(run.dir, 'distributors').map((d) => [d.distributor_id, new Set(d.territory_cities)]),
    )
    tier = new Map(readNdjson<{ sku_id: string; tier: string }>(run.dir, 'products').map((p) => [p.sku_id, p.tier]))
    farmIds = new Set(truth.scan_farms.map((f) => f.consumer_id))
    return () => rmSync(run.dir, { recursive: true, force: true })
  })

  it('scale: ~20 consumers per store, a few hundred scans per store-year, sensible stock/open ratio', () => {
    expect(truth.counts.consumers).toBe(800 * 20)
    const perStoreYear = ((truth.counts.scans as { total: number }).total / 800) * (365 / 400)
    expect(perStoreYear).toBeGreaterThan(200)
    expect(perStoreYear).toBeLessThan(450)
    const stocked = truth.counts.stocked_bottles as number
    const opened = truth.counts.opened_bottles as number
    expect(stocked / opened).toBeGreaterThan(0.9)
    expect(stocked / opened).toBeLessThan(1.2)
    // per store, the data's stock-in bottles are the truth's, and roughly match opens
    const stockedBy = new Map<string, number>()
    for (const s of scans) if (s.type === 'stock_in') stockedBy.set(s.store_id!, (stockedBy.get(s.store_id!) ?? 0) + s.bottles)
    const ratios: number[] = []
    for (const st of truth.stores) {
      expect(stockedBy.get(st.store_id) ?? 0).toBe(st.stocked_bottles)
      if (!st.dormant && st.opened_bottles >= 300) ratios.push(st.stocked_bottles / st.opened_bottles)
    }
    expect(median(ratios)).toBeGreaterThan(0.9)
    expect(median(ratios)).toBeLessThan(1.15)
  })

  it('scan share of opens is 15–40% by store', () => {
    const scanned = new Map<string, number>()
    for (const o of opens) if (!farmIds.has(o.consumer_id!)) scanned.set(o.store_id!, (scanned.get(o.store_id!) ?? 0) + 1)
    for (const st of truth.stores) {
      expect(st.scan_share).toBeGreaterThanOrEqual(0.15)
      expect(st.scan_share).toBeLessThanOrEqual(0.4)
      expect(scanned.get(st.store_id) ?? 0).toBe(st.scanned_opens)
      if (!st.dormant && st.opened_bottles >= 300) {
        const share = st.scanned_opens / st.opened_bottles
        expect(Math.abs(share - st.scan_share)).toBeLessThan(0.09)
      }
    }
    const overall = (truth.counts.scanned_opens as number) / (truth.counts.opened_bottles as number)
    expect(overall).toBeGreaterThan(0.15)
    expect(overall).toBeLessThan(0.4)
  })

  it('leaking distributors: their bottles are opened outside the territory far more often', () => {
    expect(truth.leaking_distributors.length).toBeGreaterThanOrEqual(2)
    const leaking = new Set(truth.leaking_distributors.map((d) => d.distributor_id))
    // group-buy stores sell locally whoever their distributor is (see world.ts)
    const gb = new Set(truth.group_buy_stores.map((g) => g.store_id))
    const byCity = { leak: [0, 0], honest: [0, 0] }
    const byGps = { leak: [0, 0], honest: [0, 0] }
    for (const o of opens) {
      if (farmIds.has(o.consumer_id!) || gb.has(o.store_id!)) continue
      const terr = territory.get(o.distributor_id!)!
      const k = leaking.has(o.distributor_id!) ? 'leak' : 'honest'
      if (o.city) {
        byCity[k][1]++
        if (!terr.has(o.city)) byCity[k][0]++
      }
      if (o.lat !== undefined) {
        byGps[k][1]++
        if (!terr.has(CITIES[nearestCity(o.lat, o.lon!)].name)) byGps[k][0]++
      }
    }
    const share = (x: number[]): number => x[0] / x[1]
    expect(share(byCity.leak)).toBeGreaterThan(0.25)
    expect(share(byGps.leak)).toBeGreaterThan(0.25)
    expect(share(byCity.honest)).toBeLessThan(0.05)
    expect(share(byGps.honest)).toBeLessThan(0.05)
    // per leaking distributor, close to its planted diversion share
    for (const d of truth.leaking_distributors) {
      const mine = opens.filter((o) => o.distributor_id === d.distributor_id && o.city && !farmIds.has(o.consumer_id!) && !gb.has(o.store_id!))
      const out = mine.filter((o) => !territory.get(d.distributor_id)!.has(o.city!)).length / mine.length
      expect(Math.abs(out - d.diversion_share)).toBeLessThan(0.12)
    }
  })

  it('group-buy stores: large, stable, premium, concentrated and local', () => {
    expect(truth.group_buy_stores.length).toBeGreaterThanOrEqual(10)
    const gb = new Set(truth.group_buy_stores.map((g) => g.store_id))
    // last 12 complete ISO weeks before END
    const endDay = dayOf(END)
    const lastSunday = endDay - ((weekdayOf(endDay) + 1) % 7)
    const from = lastSunday - 83
    const weekly = new Map<string, number[]>()
    const prem = new Map<string, number[]>()
    const local = new Map<string, number[]>()
    const consumers = new Map<string, Set<string>>()
    for (const o of opens) {
      const d = dayOf(o.ts.slice(0, 10))
      if (d < from || d > lastSunday) continue
      const s = o.store_id!
      if (!weekly.has(s)) {
        weekly.set(s, new Array(12).fill(0))
        prem.set(s, [0, 0])
        local.set(s, [0, 0])
        consumers.set(s, new Set())
      }
      weekly.get(s)![Math.floor((d - from) / 7)]++
      prem.get(s)![1]++
      if (tier.get(o.sku_id) !== 'mass') prem.get(s)![0]++
      consumers.get(s)!.add(o.consumer_id!)
      if (o.lat !== undefined) {
        const st = stores.get(s)!
        local.get(s)![1]++
        if (haversineKm(st.lat, st.lon, o.lat, o.lon!) <= 5) local.get(s)![0]++
      }
    }
    const cv = (xs: number[]): number => {
      const m = mean(xs)
      return Math.sqrt(mean(xs.map((x) => (x - m) ** 2))) / m
    }
    const group = { cv: [] as number[], prem: [] as number[], local: [] as number[], conc: [] as number[], vol: [] as number[] }
    const other = { cv: [] as number[], prem: [] as number[], local: [] as number[], conc: [] as number[], vol: [] as number[] }
    for (const [s, w] of weekly) {
      const t = gb.has(s) ? group : other
      const n = w.reduce((a, b) => a + b, 0)
      t.vol.push(n)
      if (n < 30) continue
      t.cv.push(cv(w))
      t.prem.push(prem.get(s)![0] / prem.get(s)![1])
      t.local.push(local.get(s)![0] / local.get(s)![1])
      t.conc.push(consumers.get(s)!.size / n)
    }
    expect(group.cv.length).toBe(gb.size)
    expect(median(group.vol)).toBeGreaterThan(5 * median(other.vol))
    expect(Math.max(...group.cv)).toBeLessThan(0.35)
    expect(median(group.cv)).toBeLessThan(median(other.cv) * 0.6)
    expect(Math.min(...group.prem)).toBeGreaterThan(0.7)
    expect(mean(other.prem)).toBeLessThan(0.5)
    expect(Math.min(...group.local)).toBeGreaterThan(0.9)
    expect(median(group.conc)).toBeLessThan(median(other.conc) / 2)
    for (const g of truth.group_buy_stores) expect(g.member_ids.length).toBeGreaterThanOrEqual(15)
  })

  it('scan farms: many stores per consumer within a few days', () => {
    expect(truth.scan_farms.length).toBeGreaterThanOrEqual(3)
    // consumers reaching 8+ distinct stores inside any 4-day window
    const byConsumer = new Map<string, { d: number; s: string }[]>()
    for (const o of opens) {
      const list = byConsumer.get(o.consumer_id!) ?? []
      list.push({ d: dayOf(o.ts.slice(0, 10)), s: o.store_id! })
      byConsumer.set(o.consumer_id!, list)
    }
    const flagged = new Set<string>()
    for (const [c, list] of byConsumer) {
      list.sort((a, b) => a.d - b.d)
      for (let i = 0, j = 0; j < list.length; j++) {
        while (list[j].d - list[i].d > 3) i++
        if (new Set(list.slice(i, j + 1).map((x) => x.s)).size >= 8) {
          flagged.add(c)
          break
        }
      }
    }
    expect([...flagged].sort()).toEqual([...farmIds].sort())
    for (const f of truth.scan_farms) {
      for (const b of f.bursts) {
        expect(b.scans).toBeGreaterThanOrEqual(20)
        expect(b.stores).toBeGreaterThanOrEqual(8)
      }
    }
  })

  it('dormant stores: stock-ins earlier, zero opens in the last 60+ days', () => {
    expect(truth.dormant_stores.length).toBeGreaterThanOrEqual(15)
    const endDay = dayOf(END)
    for (const ds of truth.dormant_stores) {
      const from = dayOf(ds.dormant_from)
      expect(endDay - from + 1).toBeGreaterThanOrEqual(60)
      const mine = scans.filter((s) => s.store_id === ds.store_id)
      const day = (s: Scan): number => dayOf(s.ts.slice(0, 10))
      expect(mine.filter((s) => s.type === 'open' && day(s) >= from)).toHaveLength(0)
      expect(mine.filter((s) => s.type === 'open' && day(s) < from).length).toBeGreaterThan(0)
      expect(mine.filter((s) => s.type === 'stock_in' && day(s) < from).length).toBeGreaterThan(0)
    }
  })

  it('rhythm: weekends, evenings and the Spring Festival peak', () => {
    const byWd = new Array(7).fill(0)
    const byHour = new Array(24).fill(0)
    const byDay = new Map<number, number>()
    for (const o of opens) {
      const d = dayOf(o.ts.slice(0, 10))
      byWd[weekdayOf(d)]++
      byHour[Number(o.ts.slice(11, 13))]++
      byDay.set(d, (byDay.get(d) ?? 0) + 1)
    }
    expect(mean(byWd.slice(4))).toBeGreaterThan(1.2 * mean(byWd.slice(0, 4)))
    expect(byHour.slice(17, 22).reduce((a, b) => a + b)).toBeGreaterThan(byHour.slice(6, 11).reduce((a, b) => a + b) * 2)
    const sf = dayOf('2026-02-17')
    const window = (a: number, b: number): number => {
      const xs: number[] = []
      for (let d = a; d <= b; d++) xs.push(byDay.get(d) ?? 0)
      return mean(xs)
    }
    expect(window(sf - 14, sf - 1)).toBeGreaterThan(1.4 * window(dayOf('2026-04-01'), dayOf('2026-06-15')))
    expect(isoOf(sf)).toBe('2026-02-17')
  })

  it('elasticity is recorded per store', () => {
    for (const st of truth.stores) {
      expect(st.elasticity).toBeGreaterThanOrEqual(0)
      expect(st.elasticity).toBeLessThanOrEqual(1.2)
    }
    expect(new Set(truth.stores.map((s) => s.elasticity)).size).toBeGreaterThan(700)
  })
})
