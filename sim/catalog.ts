/**
 * The maker's catalog and incentive policies, plus the name pools for master data. All
 * brands are invented: 鲁泉 (mass), 齐岳 (sub-premium), 岳尊 (premium).
 */
import type { Rng } from './prng'

export type Tier = 'mass' | 'sub_premium' | 'premium'
/** Tier by index; the simulator's hot path uses the index (0, 1, 2). */
export const TIERS: readonly Tier[] = ['mass', 'sub_premium', 'premium']

export interface Product {
  sku_id: string
  name: string
  series: string
  tier: Tier
  volume_ml: number
  /** suggested retail price per bottle */
  price_fen: number
  bottles_per_case: number
}

type ProductRow = [series: string, variant: string, abv: number, volumeMl: number, priceYuan: number, tier: number]

const PRODUCT_ROWS: readonly ProductRow[] = [
  ['鲁泉光瓶', '', 42, 500, 28, 0], ['鲁泉光瓶', '', 52, 500, 32, 0],
  ['鲁泉醇香', '', 38, 500, 39, 0], ['鲁泉醇香', '', 42, 500, 45, 0], ['鲁泉醇香', '', 52, 500, 52, 0],
  ['鲁泉陈酿', '', 42, 500, 58, 0], ['鲁泉陈酿', '', 52, 500, 68, 0],
  ['鲁泉老酒坊', '', 42, 500, 78, 0], ['鲁泉老酒坊', '', 52, 500, 88, 0],
  ['鲁泉家宴', '', 42, 450, 65, 0], ['鲁泉家宴', '', 52, 450, 75, 0], ['鲁泉家宴', '红装', 42, 500, 98, 0],
  ['齐岳窖藏', '5年', 42, 500, 158, 1], ['齐岳窖藏', '5年', 52, 500, 178, 1],
  ['齐岳窖藏', '8年', 42, 500, 228, 1], ['齐岳窖藏', '8年', 52, 500, 258, 1],
  ['齐岳窖藏', '10年', 52, 500, 328, 1], ['齐岳典藏', '', 42, 500, 268, 1], ['齐岳典藏', '', 52, 500, 298, 1],
  ['齐岳礼宾', '', 52, 500, 368, 1], ['齐岳和韵', '', 46, 500, 198, 1], ['齐岳和韵', '', 52, 500, 218, 1],
  ['岳尊国韵', '', 42, 500, 498, 2], ['岳尊国韵', '', 52, 500, 568, 2],
  ['岳尊天元', '', 52, 500, 698, 2], ['岳尊天元', '金装', 52, 500, 868, 2],
  ['岳尊大师酿', '', 53, 500, 1080, 2], ['岳尊珍品', '20年', 52, 500, 1280, 2],
  ['岳尊珍品', '30年', 53, 500, 1499, 2], ['岳尊1958', '', 52, 1000, 1380, 2],
]

/** The 30 SKUs, ids `SKU-001` … `SKU-030`. */
export const PRODUCTS: readonly Product[] = PRODUCT_ROWS.map(([series, variant, abv, vol, yuan, tier], i) => ({
  sku_id: `SKU-${String(i + 1).padStart(3, '0')}`,
  name: `${series}${variant ? `·${variant}` : ''} ${abv}度 ${vol}ml`,
  series,
  tier: TIERS[tier],
  volume_ml: vol,
  price_fen: yuan * 100,
  bottles_per_case: 6,
}))

export const BOTTLES_PER_CASE = 6
/** Distributor → store price as a share of suggested retail; factory → distributor. */
export const DISTRIBUTOR_PRICE_SHARE = 0.78
export const FACTORY_PRICE_SHARE = 0.6

export interface TierAmounts {
  mass: number
  sub_premium: number
  premium: number
}

/** An incentive policy: what the code platform pays per event, by product tier. */
export interface Policy {
  policy_id: string
  /** to the store, per case scanned at stock-in */
  stock_in_fen_per_case: TierAmounts
  /** to the stocking store, per scanned opened bottle (paid T+0) */
  sell_through_fen_per_bottle: TierAmounts
  /** to the consumer, a uniform random amount in [min, max] per scanned open */
  red_envelope_fen: { mass: [number, number]; sub_premium: [number, number]; premium: [number, number] }
  /** to the store's distributor, per scanned open */
  distributor_bonus_fen_per_open: TierAmounts
  /** monthly ladder for stores on scanned opens: the highest step reached is paid */
  ladder: { min_bottles: number; reward_fen: number }[]
}

/**
 * The base policy in force in a calendar year, id `P-BASE-<year>`. Amounts are the same
 * every year, so a year boundary changes only the id, never demand (the elasticity
 * reference is this policy).
 */
export function basePolicy(year: number): Policy {
  return {
    policy_id: `P-BASE-${year}`,
    stock_in_fen_per_case: { mass: 200, sub_premium: 800, premium: 2000 },
    sell_through_fen_per_bottle: { mass: 100, sub_premium: 500, premium: 1500 },
    red_envelope_fen: { mass: [88, 888], sub_premium: [500, 3000], premium: [1000, 10000] },
    distributor_bonus_fen_per_open: { mass: 50, sub_premium: 200, premium: 500 },
    ladder: [
      { min_bottles: 50, reward_fen: 5000 },
      { min_bottles: 100, reward_fen: 15000 },
      { min_bottles: 200, reward_fen: 40000 },
    ],
  }
}

/**
 * The true effect of a policy change on a store's opened bottles of one tier:
 * multiplier = max(0, 1 + elasticity × (new sell-through per bottle / base − 1)).
 * @example openMultiplier(0.4, 500, 750) // 1.2: +50% reward, elasticity 0.4 → +20% opens
 */
export function openMultiplier(elasticity: number, baseFen: number, newFen: number): number {
  if (baseFen <= 0) return 1
  return Math.max(0, 1 + elasticity * (newFen / baseFen - 1))
}

/** Per-tier multipliers [mass, sub_premium, premium] of a store under a policy. */
export function policyMultipliers(elasticity: number, policy: Policy, base: Policy = basePolicy(2026)): number[] {
  return TIERS.map((t) => openMultiplier(elasticity, base.sell_through_fen_per_bottle[t], policy.sell_through_fen_per_bottle[t]))
}

/** Spring Festival consumer campaign: an extra envelope on some sub-premium/premium opens. */
export const SF_CAMPAIGN = { probability: 0.2, amount_fen: 888, flowId: (year: number) => `FLOW-SF${year}` }

const SURNAMES = '王张李刘孙于杨高徐马赵陈郭周吴宋韩曹田任孟董冯崔朱胡林何梁郑谢唐许邓姜蔡贾丁魏薛毕衣隋鞠'
const GIVEN = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平',
  '刚', '桂英', '建华', '志强', '海燕', '国庆', '立新', '红梅', '春生', '玉兰', '建国', '晓东', '文静', '庆华', '宏伟',
  '雪', '鹏', '浩', '宁', '鑫', '凯', '旭', '晨', '婷', '博', '健', '波', '辉', '斌', '莉',
]
const WORDS = [
  '鸿运', '兴隆', '福源', '万家', '恒通', '鑫源', '金鼎', '聚福', '顺发', '永昌', '德盛', '富民', '佳美', '和顺', '瑞丰',
  '祥和', '鼎盛', '旺角', '金盛', '汇丰源', '好客', '泰和', '隆昌', '宏达', '丰泽', '嘉和', '天成', '广源', '裕丰', '润泽',
]
const ROADS = [
  '东风街', '胜利街', '健康街', '新华路', '北海路', '福寿街', '和平路', '文化路', '鸢飞路', '人民路', '解放路', '中山路',
  '泰山路', '黄河路', '长江路', '青年路', '民主街', '向阳路', '幸福街', '友谊路', '建设路', '工业街', '站前街', '金宝街',
]

export function personName(r: Rng): string {
  return SURNAMES[r.int(SURNAMES.length)] + r.pick(GIVEN)
}

/** Store kinds, index = kind code in the world arrays. */
export const STORE_KINDS = ['tobacco_liquor', 'restaurant', 'supermarket', 'convenience', 'other'] as const
export type StoreKind = (typeof STORE_KINDS)[number]

export function storeName(r: Rng, kind: number, districtShort: string): string {
  const s = SURNAMES[r.int(SURNAMES.length)]
  const w = r.pick(WORDS)
  const road = r.pick(ROADS)
  const prefix = r.bool(0.35) ? districtShort : ''
  switch (kind) {
    case 0:
      return prefix + r.pick([`${s}记烟酒`, `${w}烟酒商行`, `${road}烟酒店`, `${w}名烟名酒`, `${s}氏烟酒超市`])
    case 1:
      return prefix + r.pick([`${s}家菜馆`, `${w}大酒店`, `${w}酒楼`, `${road}${w}饭庄`, `老${s}家常菜`, `${w}海鲜城`])
    case 2:
      return prefix + r.pick([`${w}超市`, `${w}购物广场`, `${w}生活超市`, `${road}${w}超市`])
    case 3:
      return prefix + r.pick([`${w}便利店`, `${road}便民店`, `${s}姐便利`, `${w}24小时便利`])
    default:
      return prefix + r.pick([`${w}酒水批发部`, `${s}氏商店`, `${w}农家乐`, `${road}${w}商店`])
  }
}

export function distributorName(r: Rng, cityShort: string): string {
  return `${cityShort}${r.pick(WORDS)}${r.pick(['酒业', '商贸', '糖酒', '酒水'])}有限公司`
}

/** Short form of a division name for store-name prefixes: 奎文区 → 奎文, 莒县 → 莒县. */
export function shortDistrict(name: string): string {
  return name.length > 2 ? name.slice(0, -1) : name
}
