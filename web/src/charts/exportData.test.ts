import { expect, test } from 'vitest'
import { categoryCsv } from './category'
import { fileStem, toCsv } from './exportData'

test('toCsv of a category chart quotes, leaves nulls empty and defuses formulas', () => {
  const csv = toCsv(categoryCsv('日期', ['2026-11-01', '2026-11-02'], [
    { name: 'a,"b"', data: [1, null] },
    { name: '=cmd', data: [-3, 4] },
  ]))
  expect(csv).toBe('日期,"a,""b""",\'=cmd\r\n2026-11-01,1,-3\r\n2026-11-02,,4\r\n')
})

test('toCsv keeps numbers as numbers and defuses a text that starts like a formula', () => {
  expect(toCsv({ header: ['id', 'v'], rows: [['+86 555', -1.5], ['@x', null]] })).toBe("id,v\r\n'+86 555,-1.5\r\n'@x,\r\n")
})

test('fileStem keeps CJK and drops separators', () => {
  expect(fileStem('每日扫码事件 事件数 90d')).toBe('每日扫码事件-事件数-90d')
  expect(fileStem(' / ')).toBe('chart')
})
