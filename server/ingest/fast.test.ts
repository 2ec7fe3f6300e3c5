import { describe, expect, it } from 'vitest'
import { fastValidate } from './fast.js'
import { FACT_KINDS, type FactKind } from './schemas.js'
import { rng as mulberry32 } from '../../segments/testing/random.js'


const BASE: Record<FactKind, Record<string, unknown>> = {
  scans: {
    event_id: '464713C7-efaf-4007-a4fd-f7091c9a6b7a', ts: '2025-11-26T09:17:38+08:00', type: 'open', code: 'BAJE9MEPYRV', case_code: 'C6Y', sku_id: 'SKU-006',
    bottles: 1, store_id: 'S000001', distributor_id: 'D0003', consumer_id: 'ox', lat: 36.75056, lon: 119.01411, city: '潍坊市', district: '潍城区', device_id: 'dev',
  },
  orders: { order_id: 'O1', ts: '2026-11-01T10:00:00Z', seller_type: 'distributor', seller_id: 'D1', buyer_type: 'store', buyer_id: 'S1', sku_id: 'K1', bottles: 6, amount_fen: 28800 },
  rewards: {
    reward_id: 'R1', ts: '2026-11-01T10:00:00.123+0800', beneficiary_type: 'store', beneficiary_id: 'S1', kind: 'sell_through', amount_fen: 200,
    source_event_id: 'E1', policy_id: 'P1', experiment_id: 'X1', arm: 'a', flow_id: 'F1',
  },
}

// Values that sit on or across every boundary the schemas draw.
const ODD: unknown[] = [
  undefined, null, '', 'x', 'a'.repeat(64), 'a'.repeat(65), 'b'.repeat(256), 'b'.repeat(257), 0, 1, -1, 1.5, 1_000_000, 1_000_001, 1e13, 1e13 + 1, 90, 90.0001, -180, 180.5,
  NaN, Infinity, true, [], {}, '1', 'open', 'stock_in', 'teleport', 'store', 'premium', 'campaign',
  '2026-11-01T10:00:00+08:00', '2026-11-01T10:00:00', '2026-02-30T10:00:00Z', '1999-12-31T23:59:59Z', '2100-01-01T00:00:00Z', '2026-11-01T10:00Z',
  '2026-11-01T10:00:00.123456789-05:30', '6F1C2F64-8A8E-4C55-9D4E-1A2B3C4D5E01', '6f1c2f64-8a8e-4c55-9d4e-1a2b3c4d5e0', 'zzzzzzzz-8a8e-4c55-9d4e-1a2b3c4d5e01',
]

describe('fast validation agrees with the zod schemas', () => {
  it.each(Object.keys(FACT_KINDS) as FactKind[])('%s: same verdict and same output on 20,000 mutated records', (kind) => {
    const rand = mulberry32(kind.length * 7919)
    const fields = Object.keys(BASE[kind])
    let accepted = 0
    // Valid records the fast path left to zod: allowed by design, but none are expected.
    let deferred = 0
    for (let i = 0; i < 20_000; i++) {
      const rec: Record<string, unknown> = { ...BASE[kind] }
      const mutations = Math.floor(rand() * 3)
      for (let m = 0; m < mutations; m++) {
        const f = fields[Math.floor(rand() * fields.length)]
        const v = ODD[Math.floor(rand() * ODD.length)]
        if (v === undefined) delete rec[f]
        else rec[f] = v
      }
      if (rand() < 0.05) rec.extra_field = 'ignored'
      const fast = fastValidate(kind, rec)
      const slow = FACT_KINDS[kind].schema.safeParse(rec)
      if (fast !== undefined) {
        accepted++
        if (!slow.success) throw new Error(`fast path accepted what zod rejects: ${JSON.stringify(rec)}`)
        expect(fast).toEqual(slow.data)
      } else if (slow.success) deferred++
    }
    expect(accepted).toBeGreaterThan(2_000)
    expect(deferred).toBe(0)
  })

  it('defers to zod on anything but a plain object', () => {
    for (const v of [null, [], 'x', 1]) expect(fastValidate('scans', v)).toBeUndefined()
  })
})

describe('localDateOf', () => {
  it('is the Asia/Shanghai date of a UTC instant, across midnight', async () => {
    const { localDateOf } = await import('../../segments/values.js')
    expect(localDateOf(Date.parse('2026-11-02T15:59:59.999Z'))).toBe('2026-11-02')
    expect(localDateOf(Date.parse('2026-11-02T16:00:00.000Z'))).toBe('2026-11-03')
    expect(localDateOf(Date.parse('2026-12-31T16:00:00.000Z'))).toBe('2027-01-01')
    expect(localDateOf(Date.parse('1969-12-31T15:59:59.999Z'))).toBe('1969-12-31')
  })
})
