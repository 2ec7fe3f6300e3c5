import { expect, test } from 'vitest'
import { daysBetween, eventsByDay } from './eventsSeries'

test('daysBetween crosses month ends and is empty when reversed', () => {
  expect(daysBetween('2026-10-30', '2026-11-02')).toEqual(['2026-10-30', '2026-10-31', '2026-11-01', '2026-11-02'])
  expect(daysBetween('2026-11-02', '2026-11-01')).toEqual([])
})

test('eventsByDay fills gaps with zeros and orders types along the channel', () => {
  const rows = [
    { day: '2026-11-03', type: 'open', events: 2, bottles: 2 },
    { day: '2026-11-01', type: 'stock_in', events: 1, bottles: 6 },
    { day: '2026-11-01', type: 'mystery', events: 5, bottles: 5 },
  ]
  const p = eventsByDay(rows, 'bottles')
  expect(p.days).toEqual(['2026-11-01', '2026-11-02', '2026-11-03'])
  expect(p.types).toEqual(['stock_in', 'open', 'mystery'])
  expect(p.values.stock_in).toEqual([6, 0, 0])
  expect(p.values.open).toEqual([0, 0, 2])
  expect(p.totals).toEqual({ stock_in: 6, open: 2, mystery: 5 })
  expect(eventsByDay([], 'events').days).toEqual([])
})
