/**
 * The builder's value endpoints on the real engine: distinct values of a string attribute by
 * frequency (searchable, bounded, checked against the catalog) and products for SKU pickers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../api/app.js'
import { openTestDb } from '../testing/db.js'
import { serve } from '../testing/http.js'
import { insertProducts, insertProfiles } from './fixtures.js'

let base: string
let stop: () => Promise<void>

beforeAll(async () => {
  const t = await openTestDb()
  await insertProfiles(t.db, 'store', [
    { id: 'S1', kind: 'restaurant', city: '潍坊市' },
    { id: 'S2', kind: 'restaurant', city: '青岛市' },
    { id: 'S3', kind: 'supermarket', city: '潍坊市' },
    { id: 'S4', kind: 'convenience', city: null },
    { id: 'S5', kind: 'tobacco_liquor', city: '潍坊市' },
  ])
  // A newer row of S2 replaces the older one (the table is read FINAL).
  await insertProfiles(t.db, 'store', [{ id: 'S2', kind: 'restaurant', city: '潍坊市' }], '2026-03-02T00:00:00Z')
  await insertProducts(t.db)
  const s = await serve(createApp({ db: t.db, webDir: '/nonexistent' }))
  base = `${s.base}/api/v1/segments/values`
  stop = async () => {
    await s.close()
    await t.cleanup()
  }
})
afterAll(() => stop())

const get = async (path: string) => {
  const res = await fetch(`${base}${path}`)
  return { status: res.status, json: (await res.json()) as any }
}

describe('attribute values', () => {
  it('lists distinct values most frequent first, skipping nulls, reading the latest profiles', async () => {
    expect((await get('/store/city')).json).toEqual({ entity: 'store', attr: 'city', values: [{ value: '潍坊市', count: 4 }] })
    expect((await get('/store/kind')).json.values).toEqual([
      { value: 'restaurant', count: 2 },
      { value: 'convenience', count: 1 },
      { value: 'supermarket', count: 1 },
      { value: 'tobacco_liquor', count: 1 },
    ])
  })

  it('searches case-insensitively and bounds the answer', async () => {
    expect((await get('/store/kind?q=MARK')).json.values).toEqual([{ value: 'supermarket', count: 1 }])
    expect((await get('/store/kind?limit=2')).json.values).toHaveLength(2)
    // Search text is bound, never spliced: quotes are just characters.
    expect((await get(`/store/kind?q=${encodeURIComponent("x') OR 1=1 --")}`)).json.values).toEqual([])
  })

  it.each([
    ['/store/nope', 404],
    ['/planet/city', 404],
    ['/store/open_rate_90d', 400],
    ['/store/city?limit=0', 400],
    ['/store/city?limit=501', 400],
  ])('refuses %s with %i', async (path, status) => {
    expect((await get(path)).status).toBe(status)
  })
})

describe('SKU values', () => {
  it('lists products by SKU id, searchable by id or name', async () => {
    const all = (await get('/sku')).json.values
    expect(all.map((v: any) => v.sku_id)).toEqual(['K1', 'K2', 'K3', 'K4'])
    expect(all[1]).toEqual({ sku_id: 'K2', name: 'K2', tier: 'sub_premium' })
    expect((await get('/sku?q=k3')).json.values.map((v: any) => v.sku_id)).toEqual(['K3'])
    expect((await get('/sku?limit=1')).json.values).toHaveLength(1)
  })
})
