import { describe, expect, test } from 'vitest'
import { apiQuery, bucketWithin, parseState, previousOf, resolvePeriod, sharedSearch, todayInShanghai } from './filters'

const state = (qs: string) => parseState(new URLSearchParams(qs))

describe('dashboard filters in the URL', () => {
  test.each([
    ['', { from: '2026-10-27', to: '2026-11-25', days: 30 }],
    ['range=7d', { from: '2026-11-19', to: '2026-11-25', days: 7 }],
    ['range=365d', { from: '2025-11-26', to: '2026-11-25', days: 365 }],
    ['range=ytd', { from: '2026-01-01', to: '2026-11-25', days: 329 }],
    ['range=custom&from=2026-03-01&to=2026-03-31', { from: '2026-03-01', to: '2026-03-31', days: 31 }],
    // A broken custom period falls back to 30 days rather than failing the page.
    ['range=custom&from=2026-04-01&to=2026-03-01', { from: '2026-10-27', to: '2026-11-25', days: 30 }],
    ['range=nonsense', { from: '2026-10-27', to: '2026-11-25', days: 30 }],
  ])('%s → %j (anchored on the newest day with data)', (qs, want) => {
    expect(resolvePeriod(state(qs), '2026-11-25')).toEqual(want)
  })

  test('the previous period has the same length and ends the day before', () => {
    expect(previousOf({ from: '2026-03-01', to: '2026-03-31', days: 31 })).toEqual({ from: '2026-01-29', to: '2026-02-28', days: 31 })
  })

  test('filters become the API query in a fixed order; empty ones are left out', () => {
    const s = state('sku=SKU-001&city=%E6%BD%8D%E5%9D%8A%E5%B8%82&kind=&range=90d')
    expect(s.filters).toEqual({ city: '潍坊市', sku: 'SKU-001' })
    expect(apiQuery({ from: '2026-01-01', to: '2026-01-31', days: 31 }, s.filters, { grain: 'week', limit: undefined })).toBe(
      'from=2026-01-01&to=2026-01-31&city=%E6%BD%8D%E5%9D%8A%E5%B8%82&sku=SKU-001&grain=week',
    )
  })

  test('tabs carry the period and filters but not a page’s own parameters', () => {
    expect(sharedSearch(new URLSearchParams('range=7d&city=A&flow=A%3EB&alert=5'))).toBe('?range=7d&city=A')
    expect(sharedSearch(new URLSearchParams('flow=x'))).toBe('')
  })

  test('today is the Shanghai date', () => {
    expect(todayInShanghai(new Date('2026-11-25T17:00:00Z'))).toBe('2026-11-26')
  })
})

test('a clicked bucket drills to its days inside the period', () => {
  const p = { from: '2026-03-04', to: '2026-06-30', days: 119 }
  expect(bucketWithin('2026-03-02', 'week', p)).toEqual({ from: '2026-03-04', to: '2026-03-08' })
  expect(bucketWithin('2026-06-01', 'month', p)).toEqual({ from: '2026-06-01', to: '2026-06-30' })
  expect(bucketWithin('2026-12-01', 'month', { from: '2026-01-01', to: '2027-01-10', days: 375 })).toEqual({ from: '2026-12-01', to: '2026-12-31' })
})
