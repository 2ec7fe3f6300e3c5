/**
 * Segment templates shipped with the product: ready rule trees with a name and description in
 * Chinese and English. Thresholds are ordinary rule values: the builder opens a template as an
 * editable copy. Figures follow DESIGN §11 (a case is 6 bottles; diversion needs more than one
 * cap as evidence; bonus hunters scan many caps a day across many stores).
 */
import type { Entity } from './catalog.js'
import type { Rule } from './rule.js'

export interface Template {
  id: string
  entity: Entity
  name: { zh: string; en: string }
  description: { zh: string; en: string }
  rule: Rule
}

export const TEMPLATES: Template[] = [
  {
    id: 'group_buy_candidates',
    entity: 'store',
    name: { zh: '团购候选门店', en: 'Group-buy candidate stores' },
    description: {
      zh: '次高端以上占比高、周均开瓶 ≥ 20 瓶且稳定（变异系数 ≤ 0.35）、多在门店周边 5 公里内、近 12 周至少 10 周有开瓶的门店：适合承接团购与宴席。',
      en: 'Stores whose opens are mostly sub-premium or better, large (≥ 20 bottles a week) and steady (CV ≤ 0.35), mostly within 5 km, and active in at least 10 of the last 12 weeks: good hosts for group buys and banquets.',
    },
    rule: {
      and: [
        { attr: 'sub_premium_share_90d', op: 'gte', value: 0.5 },
        { attr: 'weekly_opened_mean_12w', op: 'gte', value: 20 },
        { attr: 'weekly_opened_cv_12w', op: 'lte', value: 0.35 },
        { attr: 'local_open_share_90d', op: 'gte', value: 0.6 },
        { attr: 'active_weeks_12w', op: 'gte', value: 10 },
      ],
    },
  },
  {
    id: 'diversion_suspects',
    entity: 'store',
    name: { zh: '疑似窜货门店', en: 'Diversion suspects' },
    description: {
      zh: '近 90 天至少 25% 的开瓶发生在门店所在城市之外，且开瓶量足以构成证据（≥ 12 瓶，即 2 箱；单瓶异地不算窜货）。',
      en: "Stores with at least 25% of their last 90 days' opens outside their own city, on enough opens to count as evidence (≥ 12 bottles, 2 cases; one cap elsewhere is not diversion).",
    },
    rule: {
      and: [
        { attr: 'outside_city_share_90d', op: 'gte', value: 0.25 },
        { attr: 'opened_bottles_90d', op: 'gte', value: 12 },
      ],
    },
  },
  {
    id: 'dormant_stores',
    entity: 'store',
    name: { zh: '沉睡门店', en: 'Dormant stores' },
    description: {
      zh: '近 90 天仍有入库，但 60 天以上没有开瓶（或从未开瓶）的门店：货压在店里，需要动销支持。',
      en: 'Stores still stocking in the last 90 days but with no open for 60 days or more (or never): stock is sitting on the shelf.',
    },
    rule: {
      and: [
        { attr: 'stocked_bottles_90d', op: 'gt', value: 0 },
        { or: [{ attr: 'days_since_last_open', op: 'gte', value: 60 }, { attr: 'days_since_last_open', op: 'is_null' }] },
      ],
    },
  },
  {
    id: 'scan_farm_suspects',
    entity: 'consumer',
    name: { zh: '疑似刷码消费者', en: 'Scan-farm suspects' },
    description: {
      zh: '单日开瓶扫码次数高、且跨很多门店开瓶的消费者：职业羊毛党或批量收集瓶盖扫码的特征。',
      en: 'Consumers with many open scans on one day and opens across many stores: the pattern of bonus hunters scanning collected caps in bulk.',
    },
    rule: {
      and: [
        { attr: 'max_opens_per_day_365d', op: 'gte', value: 12 },
        { attr: 'distinct_stores_365d', op: 'gte', value: 10 },
      ],
    },
  },
  {
    id: 'new_high_value_consumers',
    entity: 'consumer',
    name: { zh: '新晋高价值消费者', en: 'New high-value consumers' },
    description: {
      zh: '近 90 天内首次开瓶扫码，且已开瓶至少 6 瓶或偏好高端产品的消费者。',
      en: 'Consumers whose first open was in the last 90 days and who have opened at least 6 bottles since, or who prefer premium.',
    },
    rule: {
      and: [
        { attr: 'first_open_at', op: 'gte', value: 'as_of-90d' },
        { or: [{ attr: 'opened_bottles_90d', op: 'gte', value: 6 }, { attr: 'preferred_tier_365d', op: 'eq', value: 'premium' }] },
      ],
    },
  },
]
