/**
 * What the dashboards' filter bar offers: the cities and districts of the caller's stores, the
 * store kinds, tiers, SKUs and distributors, and the span of days with data (so presets can be
 * anchored to the newest data when a data set from the past is loaded).
 */
import type { Db } from '../db/gateway.js'
import { scopeCondition, type Scope } from '../scope.js'

export interface FilterOptions {
  /** Newest and oldest local day with any scan, or null with no data. */
  latest_day: string | null
  earliest_day: string | null
  cities: { city: string; stores: number; districts: { district: string; stores: number }[] }[]
  kinds: string[]
  tiers: string[]
  skus: { sku_id: string; name: string; tier: string }[]
  distributors: { distributor_id: string; name: string; city: string }[]
}

const TIER_ORDER = ['mass', 'sub_premium', 'premium']

/**
 * The filter choices visible to a scope.
 * @example const o = await filterOptions(db, ALL); o.cities[0].districts
 */
export async function filterOptions(db: Db, scope: Scope): Promise<FilterOptions> {
  const sc = scopeCondition(scope, 'city')
  const [span] = await db.query<{ latest: string | null; earliest: string | null }>(
    'SELECT maxOrNull(day) AS latest, minOrNull(day) AS earliest FROM scan_daily',
    undefined,
    'dash-options-span',
  )
  const places = await db.query<{ city: string; district: string; kind: string; distributor_id: string; stores: number }>(
    `SELECT city, district, kind, distributor_id, count() AS stores FROM stores FINAL WHERE city != '' AND ${sc.sql}
     GROUP BY city, district, kind, distributor_id`,
    sc.params,
    'dash-options-places',
  )
  const skus = await db.query<FilterOptions['skus'][number]>('SELECT sku_id, name, tier FROM products FINAL ORDER BY sku_id', undefined, 'dash-options-skus')
  const seen = new Set(places.map((p) => p.distributor_id))
  const dists = await db.query<FilterOptions['distributors'][number]>(
    'SELECT distributor_id, name, city FROM distributors FINAL ORDER BY distributor_id',
    undefined,
    'dash-options-distributors',
  )
  const cities = new Map<string, { city: string; stores: number; districts: Map<string, number> }>()
  for (const p of places) {
    const c = cities.get(p.city) ?? { city: p.city, stores: 0, districts: new Map<string, number>() }
    c.stores += p.stores
    if (p.district) c.districts.set(p.district, (c.districts.get(p.district) ?? 0) + p.stores)
    cities.set(p.city, c)
  }
  const tiers = [...new Set(skus.map((s) => s.tier))].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  return {
    latest_day: span?.latest ?? null,
    earliest_day: span?.earliest ?? null,
    cities: [...cities.values()]
      .sort((a, b) => b.stores - a.stores || a.city.localeCompare(b.city))
      .map((c) => ({
        city: c.city,
        stores: c.stores,
        districts: [...c.districts].map(([district, stores]) => ({ district, stores })).sort((a, b) => b.stores - a.stores || a.district.localeCompare(b.district)),
      })),
    kinds: [...new Set(places.map((p) => p.kind).filter(Boolean))].sort(),
    tiers,
    skus,
    // A regional caller sees the distributors serving its stores; an unrestricted one sees all.
    distributors: scope.cities === null ? dists : dists.filter((d) => seen.has(d.distributor_id)),
  }
}

const rank = (t: string) => (TIER_ORDER.includes(t) ? TIER_ORDER.indexOf(t) : TIER_ORDER.length)
