/**
 * The attribute catalog: the single source of what each profile attribute is called, means,
 * measures and how it is computed. The profile SQL, the segment compiler, the API and the
 * builder UI all read it; nothing else lists attributes.
 *
 * Conventions (DESIGN §4): attributes are computed as of a local date `as_of` (Asia/Shanghai);
 * an N-day window covers the N whole days before it (as_of excluded); the 12 ISO weeks are
 * the 12 most recent Monday–Sunday weeks that end before as_of; shares and rates with an
 * empty denominator are null.
 */
export type Entity = 'store' | 'consumer' | 'distributor'
export const ENTITIES: readonly Entity[] = ['store', 'consumer', 'distributor']

export type AttrType = 'number' | 'integer' | 'string' | 'date' | 'datetime'
export type Unit = 'bottles' | 'share' | 'fen' | 'fen_per_bottle' | 'days' | 'weeks' | 'consumers' | 'stores' | 'skus' | 'opens' | 'ratio' | 'none'

export interface Attribute {
  name: string
  entity: Entity
  type: AttrType
  unit: Unit
  /** Column of the profile table and key in API responses (same as name). */
  group: 'identity' | 'volume' | 'stability' | 'mix' | 'reach' | 'geo' | 'reward' | 'recency'
  label: { en: string; zh: string }
  description: { en: string; zh: string }
  /** True for attributes from master data (dimensions) rather than events. */
  dimension?: boolean
  /** Values may be null (empty denominator, no event, unknown). */
  nullable: boolean
}

type Def = Omit<Attribute, 'entity' | 'nullable'> & { nullable?: boolean }

const windows = [30, 90, 365] as const

function storeAttributes(): Def[] {
  const defs: Def[] = [
    { name: 'name', type: 'string', unit: 'none', group: 'identity', dimension: true, label: { en: 'Name', zh: '名称' }, description: { en: 'Store name from master data.', zh: '主数据中的门店名称。' } },
    { name: 'kind', type: 'string', unit: 'none', group: 'identity', dimension: true, label: { en: 'Store kind', zh: '门店类型' }, description: { en: 'tobacco_liquor, restaurant, supermarket, convenience or other.', zh: '烟酒店、餐饮、商超、便利店或其他。' } },
    { name: 'city', type: 'string', unit: 'none', group: 'identity', dimension: true, label: { en: 'City', zh: '城市' }, description: { en: 'City of the store (master data).', zh: '门店所在城市（主数据）。' } },
    { name: 'district', type: 'string', unit: 'none', group: 'identity', dimension: true, label: { en: 'District', zh: '区县' }, description: { en: 'District of the store (master data).', zh: '门店所在区县（主数据）。' } },
    { name: 'distributor_id', type: 'string', unit: 'none', group: 'identity', dimension: true, label: { en: 'Distributor', zh: '经销商' }, description: { en: 'The distributor that serves the store.', zh: '供货的经销商。' } },
    { name: 'rep_id', type: 'string', unit: 'none', group: 'identity', dimension: true, label: { en: 'Sales rep', zh: '业务员' }, description: { en: 'The sales rep responsible for the store.', zh: '负责门店的业务员。' } },
  ]
  for (const w of windows) {
    defs.push({
      name: `stocked_bottles_${w}d`, type: 'integer', unit: 'bottles', group: 'volume',
      label: { en: `Bottles stocked, ${w} d`, zh: `近${w}天入库瓶数` },
      description: { en: `Bottles in the store's stock_in scans in the ${w} days before as_of.`, zh: `截至日前${w}天内门店入库扫码的瓶数。` },
    })
    defs.push({
      name: `opened_bottles_${w}d`, type: 'integer', unit: 'bottles', group: 'volume',
      label: { en: `Bottles opened, ${w} d`, zh: `近${w}天开瓶数` },
      description: { en: `Bottles in open scans attributed to the store in the ${w} days before as_of.`, zh: `截至日前${w}天内归属门店的开瓶扫码瓶数。` },
    })
  }
  defs.push(
    { name: 'open_rate_90d', type: 'number', unit: 'ratio', group: 'volume', nullable: true, label: { en: 'Open rate, 90 d', zh: '近90天开瓶率' }, description: { en: 'Opened / stocked bottles over 90 days; null when nothing was stocked.', zh: '90天开瓶数 / 入库瓶数；无入库时为空。' } },
    { name: 'weekly_opened_mean_12w', type: 'number', unit: 'bottles', group: 'stability', label: { en: 'Weekly opened, mean of 12 weeks', zh: '近12周周均开瓶' }, description: { en: 'Mean of weekly opened bottles over the last 12 complete ISO weeks, empty weeks as 0.', zh: '最近12个完整自然周（周一至周日）每周开瓶数的均值，空周计0。' } },
    { name: 'weekly_opened_cv_12w', type: 'number', unit: 'ratio', group: 'stability', nullable: true, label: { en: 'Weekly opened, CV of 12 weeks', zh: '近12周开瓶变异系数' }, description: { en: 'Population stddev / mean of weekly opened bottles over the 12 weeks; null when the mean is 0. Lower is steadier.', zh: '12周每周开瓶数的总体标准差/均值；均值为0时为空。越小越稳定。' } },
    { name: 'active_weeks_12w', type: 'integer', unit: 'weeks', group: 'stability', label: { en: 'Active weeks of 12', zh: '近12周活跃周数' }, description: { en: 'Weeks among the 12 with at least one open.', zh: '12周中至少有一次开瓶的周数。' } },
    { name: 'sub_premium_share_90d', type: 'number', unit: 'share', group: 'mix', nullable: true, label: { en: 'Sub-premium+ share, 90 d', zh: '近90天次高端及以上占比' }, description: { en: 'Share of opened bottles in tier sub_premium or premium.', zh: '开瓶中次高端或高端产品的占比。' } },
    { name: 'distinct_consumers_90d', type: 'integer', unit: 'consumers', group: 'reach', label: { en: 'Distinct consumers, 90 d', zh: '近90天扫码消费者数' }, description: { en: 'Exact count of distinct consumers among its opens in the window.', zh: '窗口内开瓶扫码的不同消费者数（精确）。' } },
    { name: 'local_open_share_90d', type: 'number', unit: 'share', group: 'geo', nullable: true, label: { en: 'Opened within 5 km, 90 d', zh: '近90天5公里内开瓶占比' }, description: { en: 'Among opened bottles whose scan has lat/lon, the share within 5 km (haversine, R = 6371 km) of the store.', zh: '有经纬度的开瓶中，距门店5公里内（球面距离，R=6371公里）的占比。' } },
    { name: 'outside_city_share_90d', type: 'number', unit: 'share', group: 'geo', nullable: true, label: { en: 'Opened outside its city, 90 d', zh: '近90天异地开瓶占比' }, description: { en: "Among opened bottles whose scan has a city, the share whose city differs from the store's (diversion signal).", zh: '有城市信息的开瓶中，城市与门店不同的占比（窜货信号）。' } },
    { name: 'reward_fen_90d', type: 'integer', unit: 'fen', group: 'reward', label: { en: 'Rewards earned, 90 d', zh: '近90天奖励金额' }, description: { en: 'Rewards of all kinds whose beneficiary is the store, in the window.', zh: '窗口内门店获得的各类奖励金额。' } },
    { name: 'reward_per_opened_bottle_90d', type: 'number', unit: 'fen_per_bottle', group: 'reward', nullable: true, label: { en: 'Reward per opened bottle, 90 d', zh: '近90天单瓶奖励' }, description: { en: 'reward_fen_90d / opened_bottles_90d; null when nothing was opened.', zh: '90天奖励金额 / 开瓶数；无开瓶时为空。' } },
    { name: 'days_since_last_open', type: 'integer', unit: 'days', group: 'recency', nullable: true, label: { en: 'Days since last open', zh: '距上次开瓶天数' }, description: { en: 'as_of minus the local date of the latest open before it (1 = yesterday); null when none.', zh: '截至日减去最近一次开瓶的日期（1=昨天）；从未开瓶为空。' } },
    { name: 'days_since_last_stock_in', type: 'integer', unit: 'days', group: 'recency', nullable: true, label: { en: 'Days since last stock-in', zh: '距上次入库天数' }, description: { en: 'as_of minus the local date of the latest stock-in before it; null when none.', zh: '截至日减去最近一次入库的日期；从未入库为空。' } },
  )
  return defs
}

function consumerAttributes(): Def[] {
  return [
    { name: 'opened_bottles_90d', type: 'integer', unit: 'bottles', group: 'volume', label: { en: 'Bottles opened, 90 d', zh: '近90天开瓶数' }, description: { en: 'Bottles in the consumer\'s open scans in the 90 days before as_of.', zh: '截至日前90天内消费者开瓶扫码的瓶数。' } },
    { name: 'opened_bottles_365d', type: 'integer', unit: 'bottles', group: 'volume', label: { en: 'Bottles opened, 365 d', zh: '近365天开瓶数' }, description: { en: 'Bottles in the consumer\'s open scans in the 365 days before as_of.', zh: '截至日前365天内消费者开瓶扫码的瓶数。' } },
    { name: 'distinct_stores_365d', type: 'integer', unit: 'stores', group: 'reach', label: { en: 'Distinct stores, 365 d', zh: '近365天开瓶门店数' }, description: { en: 'Stores whose bottles the consumer opened.', zh: '消费者开瓶的不同门店数。' } },
    { name: 'distinct_skus_365d', type: 'integer', unit: 'skus', group: 'mix', label: { en: 'Distinct SKUs, 365 d', zh: '近365天开瓶单品数' }, description: { en: 'SKUs the consumer opened.', zh: '消费者开瓶的不同单品数。' } },
    { name: 'preferred_tier_365d', type: 'string', unit: 'none', group: 'mix', nullable: true, label: { en: 'Preferred tier, 365 d', zh: '偏好档位' }, description: { en: 'Tier with most opened bottles; ties go to the higher tier.', zh: '开瓶最多的价格档位；并列取更高档。' } },
    { name: 'home_city', type: 'string', unit: 'none', group: 'geo', nullable: true, label: { en: 'Home city', zh: '常驻城市' }, description: { en: 'City with most of the consumer\'s city-tagged opens in 365 days (ties: alphabetical).', zh: '365天内带城市信息的开瓶中次数最多的城市。' } },
    { name: 'first_open_at', type: 'datetime', unit: 'none', group: 'recency', nullable: true, label: { en: 'First open', zh: '首次开瓶时间' }, description: { en: 'Time of the consumer\'s first open before as_of.', zh: '截至日前首次开瓶扫码的时间。' } },
    { name: 'last_open_at', type: 'datetime', unit: 'none', group: 'recency', nullable: true, label: { en: 'Last open', zh: '最近开瓶时间' }, description: { en: 'Time of the consumer\'s latest open before as_of.', zh: '截至日前最近一次开瓶扫码的时间。' } },
    { name: 'red_envelope_fen_365d', type: 'integer', unit: 'fen', group: 'reward', label: { en: 'Red envelopes, 365 d', zh: '近365天红包金额' }, description: { en: 'Red-envelope rewards paid to the consumer in 365 days.', zh: '365天内发给消费者的红包金额。' } },
    { name: 'max_opens_per_day_365d', type: 'integer', unit: 'opens', group: 'stability', label: { en: 'Most opens in a day, 365 d', zh: '单日最多开瓶次数' }, description: { en: 'The most open scans the consumer made on one local day (scan-farm signal).', zh: '消费者单日开瓶扫码次数的最大值（刷码信号）。' } },
  ]
}

function distributorAttributes(): Def[] {
  return [
    { name: 'name', type: 'string', unit: 'none', group: 'identity', dimension: true, label: { en: 'Name', zh: '名称' }, description: { en: 'Distributor name from master data.', zh: '主数据中的经销商名称。' } },
    { name: 'city', type: 'string', unit: 'none', group: 'identity', dimension: true, label: { en: 'City', zh: '城市' }, description: { en: 'Home city of the distributor.', zh: '经销商所在城市。' } },
    { name: 'stores_served_90d', type: 'integer', unit: 'stores', group: 'reach', label: { en: 'Stores served, 90 d', zh: '近90天供货门店数' }, description: { en: 'Stores with a stock-in of its cases in the window.', zh: '窗口内有其货品入库的门店数。' } },
    { name: 'stocked_bottles_90d', type: 'integer', unit: 'bottles', group: 'volume', label: { en: 'Bottles stocked, 90 d', zh: '近90天入库瓶数' }, description: { en: 'Bottles in stock_in scans of its cases.', zh: '其货品的入库扫码瓶数。' } },
    { name: 'opened_bottles_90d', type: 'integer', unit: 'bottles', group: 'volume', label: { en: 'Bottles opened, 90 d', zh: '近90天开瓶数' }, description: { en: 'Bottles in open scans of its bottles.', zh: '其货品的开瓶扫码瓶数。' } },
    { name: 'open_rate_90d', type: 'number', unit: 'ratio', group: 'volume', nullable: true, label: { en: 'Open rate, 90 d', zh: '近90天开瓶率' }, description: { en: 'Opened / stocked bottles; null when nothing was stocked.', zh: '开瓶数 / 入库瓶数；无入库时为空。' } },
    { name: 'outside_territory_open_share_90d', type: 'number', unit: 'share', group: 'geo', nullable: true, label: { en: 'Opened outside territory, 90 d', zh: '近90天区域外开瓶占比' }, description: { en: 'Among its city-tagged opens, the share in a city outside its authorised territory (its city when no territory is given).', zh: '带城市信息的开瓶中，位于授权区域外城市的占比。' } },
    { name: 'active_store_share_90d', type: 'number', unit: 'share', group: 'reach', nullable: true, label: { en: 'Active store share, 90 d', zh: '近90天动销门店占比' }, description: { en: 'Among stores served in the window, the share with at least one open of its bottles.', zh: '供货门店中至少有一次开瓶的占比。' } },
  ]
}

function build(entity: Entity, defs: Def[]): Attribute[] {
  return defs.map((d) => ({ ...d, entity, nullable: d.nullable ?? d.dimension === true }))
}

export const CATALOG: Record<Entity, Attribute[]> = {
  store: build('store', storeAttributes()),
  consumer: build('consumer', consumerAttributes()),
  distributor: build('distributor', distributorAttributes()),
}

/** The attribute of an entity by name, or undefined. */
export function attribute(entity: Entity, name: string): Attribute | undefined {
  return CATALOG[entity].find((a) => a.name === name)
}
