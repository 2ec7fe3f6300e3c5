import { describe, expect, test } from 'vitest'
import { detectLocale, i18nFor, interpolate, isMessageKey } from './i18n'

describe('detectLocale', () => {
  test.each([
    [['zh-TW', 'en'], 'zh-CN'],
    [['en-GB', 'zh-CN'], 'en'],
    [['de-DE', 'zh'], 'zh-CN'],
    [['fr'], 'en'],
    [[], 'en'],
  ] as const)('%j → %s', (langs, want) => expect(detectLocale(langs)).toBe(want))
})

describe('formatting', () => {
  test('instants are shown in Asia/Shanghai whatever the process zone', () => {
    expect(i18nFor('en').dateTime('2026-11-01T17:02:03.000Z')).toBe('2026-11-02 01:02:03')
    expect(i18nFor('zh-CN').dateTime('2026-11-01T01:02:03Z')).toBe('2026-11-01 09:02:03')
  })
  test('calendar days are not shifted by a zone', () => {
    expect(i18nFor('en').day('2026-11-01')).toBe('Nov 1')
    expect(i18nFor('zh-CN').day('2026-11-01')).toBe('11月1日')
  })
  test('numbers group by locale', () => {
    expect(i18nFor('en').number(1234567)).toBe('1,234,567')
    expect(i18nFor('zh-CN').compact(12000)).toBe('1.2万')
  })
})

test('messages interpolate and event keys exist in both languages', () => {
  expect(interpolate('近 {n} 天', { n: 90 })).toBe('近 90 天')
  expect(interpolate('{a} {b}', { a: 1 })).toBe('1 {b}')
  expect(i18nFor('zh-CN').t('event.stock_in')).toBe('入库')
  expect(isMessageKey('event.open')).toBe(true)
  expect(isMessageKey('event.nope')).toBe(false)
})
