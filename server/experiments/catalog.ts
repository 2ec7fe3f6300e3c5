/**
 * The metric catalog of policy experiments: each metric is a value per store over an analysis
 * window, built from additive "parts" summed out of the daily rollups (so the same definition
 * serves the whole window, the pre-period covariate and the cumulative weekly series).
 */

/** Additive per-store quantities over a window, and the rollup each comes from. */
export const PARTS = {
  /** Opened bottles scanned by consumers (store_daily, type open). */
  open: 'scans',
  /** Bottles scanned in at stock-in (store_daily, type stock_in). */
  stock: 'scans',
  /** Retail sales in yuan: orders the store sold (order_daily, seller_type store). */
  sales: 'orders',
  /** Rewards paid to the store in yuan (reward_daily, beneficiary_type store). */
  reward: 'rewards',
  /** Distinct consumers who scanned an opened bottle at the store (scan_detail_daily). */
  consumers: 'consumers',
} as const
export type Part = keyof typeof PARTS
export type Source = (typeof PARTS)[Part]

export type MetricKind = 'mean' | 'proportion' | 'ratio'

/** How a metric's per-unit value is built from parts: `part(name)` is the part's SQL column, `weeks` the window length in weeks. */
export interface MetricDef {
  id: string
  kind: MetricKind
  label: { en: string; zh: string }
  unit: { en: string; zh: string }
  /** Direction of a good change (a guardrail fails when it moves significantly the other way). */
  higher_is_better: boolean
  parts: Part[]
  /** Numerator (or the value) per unit. */
  num: (part: (p: Part) => string, weeks: string) => string
  /** Denominator per unit (ratio metrics only). */
  den?: (part: (p: Part) => string, weeks: string) => string
}

export const CATALOG: readonly MetricDef[] = [
  {
    id: 'opened_bottles',
    kind: 'mean',
    label: { en: 'Opened bottles per store-week', zh: '每店每周开瓶数' },
    unit: { en: 'bottles', zh: '瓶' },
    higher_is_better: true,
    parts: ['open'],
    num: (p, w) => `${p('open')} / ${w}`,
  },
  {
    id: 'stocked_bottles',
    kind: 'mean',
    label: { en: 'Stocked bottles per store-week', zh: '每店每周进货瓶数' },
    unit: { en: 'bottles', zh: '瓶' },
    higher_is_better: true,
    parts: ['stock'],
    num: (p, w) => `${p('stock')} / ${w}`,
  },
  {
    id: 'retail_sales',
    kind: 'mean',
    label: { en: 'Retail sales per store-week', zh: '每店每周零售额' },
    unit: { en: 'yuan', zh: '元' },
    higher_is_better: true,
    parts: ['sales'],
    num: (p, w) => `${p('sales')} / ${w}`,
  },
  {
    // A ratio of sums, not a mean of per-store ratios: stores with no opens count through the
    // denominator instead of being dropped (delta method: Deng et al. 2018, "Applying the delta
    // method in metric analytics", KDD). Counts the rewards the store itself receives; the
    // consumers' red envelopes are paid to consumers and not attributed to a store by the rollups.
    id: 'reward_per_open',
    kind: 'ratio',
    label: { en: 'Store reward cost per opened bottle', zh: '每开瓶门店奖励成本' },
    unit: { en: 'yuan', zh: '元' },
    higher_is_better: false,
    parts: ['reward', 'open'],
    num: (p) => p('reward'),
    den: (p) => p('open'),
  },
  {
    id: 'active_share',
    kind: 'proportion',
    label: { en: 'Share of stores active (≥ 1 opened bottle)', zh: '动销门店占比（≥1 次开瓶）' },
    unit: { en: 'share', zh: '占比' },
    higher_is_better: true,
    parts: ['open'],
    num: (p) => `toFloat64(${p('open')} > 0)`,
  },
  {
    id: 'distinct_consumers',
    kind: 'mean',
    label: { en: 'Distinct consumers per store', zh: '每店开瓶消费者数' },
    unit: { en: 'consumers', zh: '人' },
    higher_is_better: true,
    parts: ['consumers'],
    num: (p) => p('consumers'),
  },
]

export const CATALOG_IDS = ['opened_bottles', 'stocked_bottles', 'retail_sales', 'reward_per_open', 'active_share', 'distinct_consumers'] as const
export type CatalogId = (typeof CATALOG_IDS)[number]

/** The catalog entry of a metric id, or undefined for `ext:` metrics. */
export function catalogMetric(id: string): MetricDef | undefined {
  return CATALOG.find((m) => m.id === id)
}
