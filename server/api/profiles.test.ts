import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Catalog, Profile, ProfileList } from '../../segments/api/profiles.js'
import { CATALOG } from '../../segments/catalog.js'
import type { Db } from '../db/gateway.js'
import { Ingestor } from '../ingest/service.js'
import { ProfileScheduler } from '../profiles/scheduler.js'
import { defaultAsOf } from '../profiles/service.js'
import { openTestDb } from '../testing/db.js'
import { post, serve } from '../testing/http.js'
import { createApp } from './app.js'

let db: Db
let base: string
let stop: () => Promise<void>
let scheduler: ProfileScheduler

const today = defaultAsOf(new Date(Date.now() - 86_400_000)) // local today
const at = (daysAgo: number, hh = '12') => {
  const d = new Date(`${today}T${hh}:00:00+08:00`)
  d.setUTCDate(d.getUTCDate() - daysAgo)
  return d.toISOString()
}
let n = 0
const open = (store: string, daysAgo: number, extra = {}) => ({
  event_id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, ts: at(daysAgo), type: 'open', code: `B${n}`, sku_id: 'K1', bottles: 1, store_id: store, ...extra,
})
const nd = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n')

beforeAll(async () => {
  const t = await openTestDb()
  db = t.db
  const ingestor = new Ingestor(db)
  scheduler = new ProfileScheduler(db)
  scheduler.watch(ingestor)
  const s = await serve(createApp({ db, ingestor, profiles: scheduler, webDir: '/nonexistent' }))
  base = `${s.base}/api/v1`
  stop = async () => {
    await s.close()
    await t.cleanup()
  }
  const stores = ['A', 'B', 'C', 'D'].map((id, i) => ({
    store_id: `S${id}`, name: ['老王烟酒', '好运超市', '大众饭店', '老李便利'][i], kind: ['tobacco_liquor', 'supermarket', 'restaurant', 'convenience'][i],
    distributor_id: 'D1', province: '山东省', city: i < 3 ? '潍坊市' : '青岛市', district: '奎文区', lat: 36.7, lon: 119.1,
  }))
  await post(`${base}/master/stores`, nd(stores), 'application/x-ndjson')
  await post(`${base}/ingest/scans?wait=visible`, nd([open('SA', 0), open('SA', 1), open('SA', 2), open('SB', 5), open('SD', 40)]), 'application/x-ndjson')
  await scheduler.refresh('full')
})
afterAll(() => stop())

describe('profiles API', () => {
  it('serves the catalog with zh/en labels and units', async () => {
    const c = await (await fetch(`${base}/catalog`)).json()
    Catalog.parse(c) // the web parses the answers with the shared schemas
    expect(c.store.map((a: any) => a.name)).toEqual(CATALOG.store.map((a) => a.name))
    expect(c.store.find((a: any) => a.name === 'open_rate_90d')).toMatchObject({ type: 'number', unit: 'ratio', label: { zh: expect.any(String), en: expect.any(String) } })
  })

  it('returns one profile as of the default date (tomorrow: today counts) and a past date', async () => {
    const p = await (await fetch(`${base}/profiles/stores/SA`)).json()
    expect(p).toMatchObject({ id: 'SA', entity: 'store', as_of: defaultAsOf() })
    Profile.parse(p)
    expect(p.attributes).toMatchObject({ name: '老王烟酒', opened_bottles_30d: 3, days_since_last_open: 1 })
    const past = await (await fetch(`${base}/profiles/stores/SA?as_of=${today}`)).json()
    expect(past.attributes).toMatchObject({ opened_bottles_30d: 2, days_since_last_open: 1 })
    expect((await fetch(`${base}/profiles/stores/nobody`)).status).toBe(404)
    const bad = await fetch(`${base}/profiles/stores/SA?as_of=2026-13-01`)
    expect(bad.status).toBe(400)
    expect((await bad.json()).detail).toMatch(/as_of/)
  })

  it('lists with filters, search, sort and paging, and the same values as one profile', async () => {
    const all = await (await fetch(`${base}/profiles/stores?sort=opened_bottles_30d&order=desc`)).json()
    expect(all.total).toBe(4)
    ProfileList.parse(all)
    expect(all.rows.map((r: any) => r.id)).toEqual(['SA', 'SB', 'SC', 'SD'])
    const one = await (await fetch(`${base}/profiles/stores/SA`)).json()
    expect(all.rows[0].attributes).toEqual(one.attributes)
    const f = await (await fetch(`${base}/profiles/stores?f.city.eq=${encodeURIComponent('潍坊市')}&f.opened_bottles_30d.gte=1`)).json()
    expect(f.rows.map((r: any) => r.id)).toEqual(['SA', 'SB'])
    const q = await (await fetch(`${base}/profiles/stores?q=${encodeURIComponent('超市')}`)).json()
    expect(q.rows.map((r: any) => r.id)).toEqual(['SB'])
    const nulls = await (await fetch(`${base}/profiles/stores?f.days_since_last_open.is_null=1`)).json()
    expect(nulls.rows.map((r: any) => r.id)).toEqual(['SC'])
    const page = await (await fetch(`${base}/profiles/stores?limit=2&offset=2`)).json()
    expect(page.rows.map((r: any) => r.id)).toEqual(['SC', 'SD'])
    expect(page.as_of).toBe(defaultAsOf())
  })

  it.each([
    ['f.nope.eq=1', /unknown store attribute "nope"/],
    ['f.city.like=x', /unknown operator/],
    ['f.opened_bottles_30d.gte=many', /is a number/],
    ['sort=nope', /sort/],
    ['limit=100000', /limit/],
  ])('rejects %s with a 400 naming it', async (qs, msg) => {
    const r = await fetch(`${base}/profiles/stores?${qs}`)
    expect(r.status).toBe(400)
    expect((await r.json()).detail).toMatch(msg)
  })

  it('refreshes incrementally the stores touched by new scans, and reports freshness', async () => {
    await post(`${base}/ingest/scans?wait=visible`, nd([open('SC', 0)]), 'application/x-ndjson')
    let c = await (await fetch(`${base}/profiles/stores?f.opened_bottles_30d.gte=1&sort=opened_bottles_30d`)).json()
    expect(c.rows.map((r: any) => r.id)).not.toContain('SC')
    const results = await scheduler.refresh()
    expect(results).toEqual([expect.objectContaining({ entity: 'store', mode: 'incremental', entities: 1 })])
    c = await (await fetch(`${base}/profiles/stores?f.opened_bottles_30d.gte=1`)).json()
    expect(c.rows.map((r: any) => r.id)).toContain('SC')
    const f = await (await fetch(`${base}/profiles/freshness`)).json()
    expect(f[0]).toMatchObject({ entity: 'store', as_of: defaultAsOf(), entities: 4 })
    const r = await post(`${base}/profiles/refresh?entity=store`, '', 'application/json')
    expect(r.json).toEqual([expect.objectContaining({ entity: 'store', mode: 'full', entities: 4 })])
  })
})
