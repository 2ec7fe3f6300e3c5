/**
 * The dashboards' shared filter set and the SQL it turns into. Every page takes the same
 * filters: a local-day period `from`..`to` (inclusive, Asia/Shanghai), and optional store
 * filters (city, district, store kind, distributor: read from store master data) and product
 * filters (tier, SKU). Values are always bound parameters; column names come from the callers.
 *
 * Store filters restrict facts by `store_id` to the matching master stores, so a scan is placed
 * where its store is (a regional leader's region is the stores in it), not where it was scanned.
 * The distributor is the store's distributor in master data, so the leaderboard, the filter and
 * the reward rule below all agree on who serves a store.
 */
import { z } from 'zod'
import { LocalDate, StoreKind, Tier } from '../ingest/schemas.js'
import { addDays } from '../profiles/service.js'
import { scopeCondition, type Scope } from '../scope.js'

const Name = z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters')

/** The longest period a dashboard accepts (about three years), so one request stays short. */
export const MAX_PERIOD_DAYS = 1100

/** The fields of the filter set every dashboard endpoint takes as query parameters. */
// LocalDate's checks, with a message for a missing value (and the pattern kept in OpenAPI).
const Day = z
  .string({ error: 'is required: a local date YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD', abort: true })
  .refine((d) => LocalDate.safeParse(d).success, 'must be a real date')
  .describe('A local day (Asia/Shanghai), YYYY-MM-DD')

export const dashFilterFields = {
  from: Day,
  to: Day,
  city: Name.optional(),
  district: Name.optional(),
  kind: StoreKind.optional(),
  distributor: Name.optional(),
  tier: Tier.optional(),
  sku: Name.optional(),
}

/**
 * Query schema of a dashboard endpoint: the filter fields plus the endpoint's own, with the
 * period checked (`to` not before `from`, at most {@link MAX_PERIOD_DAYS} days).
 * @example const Q = dashQuery({ grain: Grain.optional() })
 */
export function dashQuery<E extends z.ZodRawShape>(extra: E) {
  return z.object({ ...dashFilterFields, ...extra }).superRefine((value, ctx) => {
    // The generic shape hides the two fields from the checker; they are always there.
    const f = value as unknown as { from: string; to: string }
    if (f.to < f.from) ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${f.from})` })
    else if (daysIn(f.from, f.to) > MAX_PERIOD_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `the period may span at most ${MAX_PERIOD_DAYS} days` })
  })
}

/** The filter set itself. */
export const DashFilters = dashQuery({})
export type DashFilters = z.infer<typeof DashFilters>

/** Time buckets of a series. */
export const Grain = z.enum(['day', 'week', 'month'])
export type Grain = z.infer<typeof Grain>

/** Number of local days in `from`..`to` inclusive. */
export function daysIn(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1
}

/** The period of the same length just before `from`..`to`. */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const n = daysIn(from, to)
  return { from: addDays(from, -n), to: addDays(from, -1) }
}

/** Day buckets up to a quarter, weeks up to two years, months beyond (a readable number of bars). */
export function autoGrain(from: string, to: string): Grain {
  const n = daysIn(from, to)
  return n <= 92 ? 'day' : n <= 731 ? 'week' : 'month'
}

/** The first day of the bucket holding `day` (weeks start on Monday, as ISO weeks do). */
export function bucketOf(day: string, grain: Grain): string {
  if (grain === 'day') return day
  if (grain === 'month') return `${day.slice(0, 7)}-01`
  const d = new Date(`${day}T00:00:00Z`)
  return addDays(day, -((d.getUTCDay() + 6) % 7))
}

/** Every bucket start from the bucket of `from` to the bucket of `to`: a gap-free axis. */
export function buckets(from: string, to: string, grain: Grain): string[] {
  const out: string[] = []
  for (let b = bucketOf(from, grain); b <= to; ) {
    out.push(b)
    if (grain === 'day') b = addDays(b, 1)
    else if (grain === 'week') b = addDays(b, 7)
    else {
      const [y, m] = b.split('-').map(Number)
      b = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`
    }
  }
  return out
}

/**
 * Bound SQL pieces for a filter set and a caller scope. `stores(col)` restricts a store-id
 * column to the matching master stores (or is `1` when nothing restricts stores); `product(col)`
 * restricts a SKU column; `params` carries every value.
 */
export interface FilterSql {
  /** True when a store filter or a restricted scope is in force. */
  storeRestricted: boolean
  /** True when a tier or SKU filter is in force. */
  productRestricted: boolean
  /** A condition on a store-id column. */
  stores(col: string): string
  /** The master-store condition itself, on the columns of `stores FINAL` (alias-free). */
  storeWhere: string
  /** A condition on a SKU column. */
  product(col: string): string
  params: Record<string, unknown>
}

/**
 * Compiles the filters and scope into bound SQL conditions.
 * @example const f = filterSql(filters, ALL); db.query(`SELECT … FROM store_daily WHERE ${f.stores('store_id')}`, f.params)
 */
export function filterSql(f: DashFilters, scope: Scope): FilterSql {
  const params: Record<string, unknown> = {}
  const where: string[] = []
  const sc = scopeCondition(scope, 'city', 'f_scope')
  if (scope.cities !== null) {
    where.push(sc.sql)
    Object.assign(params, sc.params)
  }
  const eq = (col: string, key: string, value: string | undefined) => {
    if (value === undefined) return
    where.push(`${col} = {${key}:String}`)
    params[key] = value
  }
  eq('city', 'f_city', f.city)
  eq('district', 'f_district', f.district)
  eq('kind', 'f_kind', f.kind)
  eq('distributor_id', 'f_distributor', f.distributor)
  const storeWhere = where.length ? where.join(' AND ') : '1'
  const product: string[] = []
  if (f.sku !== undefined) {
    params.f_sku = f.sku
    product.push('{col} = {f_sku:String}')
  }
  if (f.tier !== undefined) {
    params.f_tier = f.tier
    product.push('{col} IN (SELECT sku_id FROM products FINAL WHERE tier = {f_tier:String})')
  }
  return {
    storeRestricted: where.length > 0,
    productRestricted: product.length > 0,
    storeWhere,
    stores: (col) => (where.length ? `${col} IN (SELECT store_id FROM stores FINAL WHERE ${storeWhere})` : '1'),
    product: (col) => (product.length ? product.map((p) => p.replaceAll('{col}', col)).join(' AND ') : '1'),
    params,
  }
}

/** Period parameters: `p_from`/`p_to` (the period) and `q_from`/`q_to` (the previous one). */
export function periodParams(f: DashFilters): { p_from: string; p_to: string; q_from: string; q_to: string } {
  const q = previousPeriod(f.from, f.to)
  return { p_from: f.from, p_to: f.to, q_from: q.from, q_to: q.to }
}

/**
 * Which rewards a filter set can be charged with, from the reward ledger's beneficiary alone
 * (the daily reward rollup carries no store or product for consumer and distributor rewards):
 * - no store filter: every reward (stores, distributors, consumers);
 * - a store filter: rewards paid to the matching stores, plus the distributor's own rewards
 *   when the only store filter is the distributor; consumer rewards cannot be placed and are left out.
 * Tier and SKU filters never apply to rewards (the ledger has no product).
 */
export interface RewardBasis {
  stores: boolean
  distributors: boolean
  consumers: boolean
  /** True when a tier/SKU filter is set but rewards are not filtered by it. */
  product_ignored: boolean
}

/** The reward basis of a filter set and scope (see {@link RewardBasis}). */
export function rewardBasis(f: DashFilters, scope: Scope): RewardBasis {
  const otherStoreFilter = f.city !== undefined || f.district !== undefined || f.kind !== undefined || scope.cities !== null
  const restricted = otherStoreFilter || f.distributor !== undefined
  return {
    stores: true,
    distributors: !otherStoreFilter,
    consumers: !restricted,
    product_ignored: f.tier !== undefined || f.sku !== undefined,
  }
}

/** A condition on `reward_daily` rows implementing {@link rewardBasis}. */
export function rewardCondition(f: DashFilters, scope: Scope, fs: FilterSql): string {
  const b = rewardBasis(f, scope)
  if (b.consumers) return '1'
  const parts = [`(beneficiary_type = 'store' AND ${fs.stores('beneficiary_id')})`]
  if (b.distributors) parts.push(`(beneficiary_type = 'distributor' AND beneficiary_id = {f_distributor:String})`)
  return `(${parts.join(' OR ')})`
}
