import { expect, test } from 'vitest'
import type { AttributeInfo } from '../../api/profiles'
import { i18nFor } from '../../i18n'
import { matchPath } from '../../router'
import { defaultView, openMapOption } from '../stores/OpenMap'
import { activeFilters } from './FilterBar'
import { formatAttrText, weekLabel } from './format'

const attr = (name: string, type: AttributeInfo['type'], unit: string): AttributeInfo => ({
  name, entity: 'store', type, unit, group: 'volume', label: { en: name, zh: name }, description: { en: '', zh: '' }, nullable: true,
})

test('formats attribute values by unit, in both languages', () => {
  const en = i18nFor('en')
  const zh = i18nFor('zh-CN')
  expect(formatAttrText(en, attr('opened_bottles_30d', 'integer', 'bottles'), 1234)).toBe('1,234 bottles')
  expect(formatAttrText(zh, attr('opened_bottles_30d', 'integer', 'bottles'), 12)).toBe('12 瓶')
  expect(formatAttrText(en, attr('open_rate_90d', 'number', 'ratio'), 0.5)).toBe('50.0%')
  expect(formatAttrText(en, attr('weekly_opened_cv_12w', 'number', 'ratio'), 0.314)).toBe('0.31')
  expect(formatAttrText(en, attr('reward_fen_90d', 'integer', 'fen'), 12345)).toBe('¥123.45')
  expect(formatAttrText(zh, attr('kind', 'string', 'none'), 'restaurant')).toBe('餐饮')
  // Times show in Asia/Shanghai whatever the machine's zone (tests run in UTC).
  expect(formatAttrText(en, attr('last_open_at', 'datetime', 'none'), '2025-11-12T15:30:00.000Z')).toBe('2025-11-12 23:30:00')
  expect(formatAttrText(en, attr('open_rate_90d', 'number', 'ratio'), null)).toBe('—')
  expect(weekLabel(en, '2025-W46', true)).toBe('W46 (so far)')
})

test('reads filters from the query string and matches detail paths', () => {
  const p = new URLSearchParams('q=x&f.city.eq=%E6%BD%8D%E5%9D%8A%E5%B8%82&f.opened_bottles_30d.gte=2&sort=name')
  expect(activeFilters(p)).toEqual([
    { key: 'f.city.eq', attr: 'city', op: 'eq', value: '潍坊市' },
    { key: 'f.opened_bottles_30d.gte', attr: 'opened_bottles_30d', op: 'gte', value: '2' },
  ])
  expect(matchPath('/stores/:id', '/stores/S%201/')).toEqual({ id: 'S 1' })
  expect(matchPath('/stores/:id', '/stores')).toBeNull()
  expect(matchPath('/stores/:id', '/stores/%E0%A4')).toBeNull()
})

test('draws the open map to scale: one km spans as many pixels north–south as east–west', () => {
  const data = {
    window_days: 90, store: { lat: 36.7, lon: 119.1 }, radius_km: 5, precision: null, truncated: false, total_bottles: 3,
    points: [{ lat: 36.7, lon: 119.1, bottles: 2, km: 0 }, { lat: 36.07, lon: 120.38, bottles: 1, km: 134 }],
  }
  const labels = { store: 's', within: 'w', beyond: 'b', ring: 'r', tooltip: () => '' }
  const o = openMapOption(data, { width: 684, height: 376 }, 'all', labels) as any
  const kmX = (o.xAxis.max - o.xAxis.min) * 111.195 * Math.cos((36.7 * Math.PI) / 180)
  const kmY = (o.yAxis.max - o.yAxis.min) * 111.195
  expect(kmX / (684 - 84)).toBeCloseTo(kmY / (376 - 76), 9)
  expect(o.xAxis.max).toBeGreaterThan(120.38) // the far point is in view
  expect(defaultView(data)).toBe('near') // 2 of 3 bottles are near the store
  expect(defaultView({ ...data, store: null })).toBe('all')
})
