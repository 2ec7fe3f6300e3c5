/**
 * The segments API end to end on the real engine: preview, saved segments with versions and
 * soft delete, refresh changelog and history, explain, overlap, members (JSON and streamed CSV),
 * uploaded lists, templates, and 400s that name the path in the rule.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../api/app.js'
import type { Db } from '../db/gateway.js'
import { openTestDb } from '../testing/db.js'
import { post, serve } from '../testing/http.js'
import { insertProfiles } from './fixtures.js'
import { SegmentRefresher } from './refresh.js'

let db: Db
let base: string
let stop: () => Promise<void>

const STORES = [
  { id: 'S1', kind: 'restaurant', city: '潍坊市', active_weeks_12w: 12, open_rate_90d: 0.9, opened_bottles_90d: 40 },
  { id: 'S2', kind: 'restaurant', city: '青岛市', active_weeks_12w: 8, open_rate_90d: 0.5, opened_bottles_90d: 20 },
  { id: 'S3', kind: 'supermarket', city: '潍坊市', active_weeks_12w: 11, open_rate_90d: null, opened_bottles_90d: 0 },
  { id: 'S4', kind: 'convenience', city: null, active_weeks_12w: 2, open_rate_90d: 0.1, opened_bottles_90d: 3 },
  { id: 'S5', kind: 'tobacco_liquor', city: '潍坊市', active_weeks_12w: 10, open_rate_90d: 0.7, opened_bottles_90d: 30 },
]

beforeAll(async () => {
  const t = await openTestDb()
  db = t.db
  await insertProfiles(db, 'store', STORES)
  const s = await serve(createApp({ db, webDir: '/nonexistent' }))
  base = `${s.base}/api/v1`
  stop = async () => {
    await s.close()
    await t.cleanup()
  }
})
afterAll(() => stop())

const postJson = (path: string, body: unknown) => post(`${base}${path}`, JSON.stringify(body), 'application/json')
async function send(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: res.status, json: (await res.json()) as any }
}
const active = (n: number) => ({ attr: 'active_weeks_12w', op: 'gte', value: n })
const memberSet = async (id: string) => new Set<string>((await send('GET', `/segments/${id}/members?as_of=2026-03-01`)).json.members.map((m: any) => m.id))
async function create(name: string, rule: unknown, entity = 'store') {
  const r = await postJson('/segments', { name, entity, rule })
  expect(r.status).toBe(200)
  return r.json.id as string
}

describe('preview', () => {
  it('counts members and samples them with the values of the attributes the rule uses', async () => {
    const r = await postJson('/segments/preview', { entity: 'store', rule: { and: [active(10), { attr: 'city', op: 'eq', value: '潍坊市' }] }, as_of: '2026-03-01' })
    expect(r.status).toBe(200)
    expect(r.json).toEqual({
      count: 3,
      as_of: '2026-03-01',
      sample: [
        { id: 'S1', values: { active_weeks_12w: 12, city: '潍坊市' } },
        { id: 'S3', values: { active_weeks_12w: 11, city: '潍坊市' } },
        { id: 'S5', values: { active_weeks_12w: 10, city: '潍坊市' } },
      ],
    })
  })

  it('defaults as_of to tomorrow in Asia/Shanghai and limits the sample', async () => {
    const r = await postJson('/segments/preview', { entity: 'store', rule: { and: [] }, sample: 2 })
    expect(r.json.count).toBe(5)
    expect(r.json.sample).toHaveLength(2)
    const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10)
    expect(r.json.as_of).toBe(tomorrow)
    expect((await postJson('/segments/preview', { entity: 'store', rule: { and: [] }, sample: 0 })).json.sample).toEqual([])
    expect((await postJson('/segments/preview', { entity: 'store', rule: { and: [] }, sample: 201 })).status).toBe(400)
  })

  it.each<[string, unknown, string, RegExp]>([
    ['an unknown attribute', { and: [active(1), { or: [{ attr: 'nope', op: 'eq', value: 1 }] }] }, 'rule.and.1.or.0.attr', /unknown attribute/],
    ['a type mismatch', { and: [active(1), { or: [{ attr: 'open_rate_90d', op: 'eq', value: 'high' }] }] }, 'rule.and.1.or.0.value', /number/],
    ['a malformed node', { and: [active(1), { or: [{ attr: 'kind', op: 'eq' }] }] }, 'rule.and.1.or.0.value', /./],
    ['an unknown list', { list: 'lst_nope' }, 'rule.list', /unknown list/],
    ['an unknown segment', { not: { segment: 'seg_nope' } }, 'rule.not.segment', /unknown segment/],
  ])('answers 400 naming the path for %s', async (_name, rule, path, message) => {
    const r = await postJson('/segments/preview', { entity: 'store', rule })
    expect(r.status).toBe(400)
    expect(r.type).toMatch(/problem\+json/)
    expect(r.json.errors).toEqual([{ path, message: expect.stringMatching(message) }])
    expect(r.json.detail).toContain(path)
  })

  it('answers 400 for a bad entity or a missing rule', async () => {
    expect((await postJson('/segments/preview', { entity: 'planet', rule: { and: [] } })).json.errors[0].path).toBe('entity')
    expect((await postJson('/segments/preview', { entity: 'store' })).json.errors[0].path).toBe('rule')
  })
})

describe('saved segments', () => {
  it('keeps every version, and soft-deletes', async () => {
    const id = await create('Active', active(10))
    expect(id).toMatch(/^seg_/)
    const v2 = await send('PUT', `/segments/${id}`, { name: 'Very active', entity: 'store', rule: active(11), note: 'tighter' })
    expect(v2.json).toEqual({ id, version: 2 })
    const got = await send('GET', `/segments/${id}`)
    expect(got.json).toMatchObject({ id, name: 'Very active', version: 2, rule: active(11), note: 'tighter', deleted: false, size: null })
    const versions = await send('GET', `/segments/${id}/versions`)
    expect(versions.json.versions.map((v: any) => [v.version, v.name, v.rule.value])).toEqual([
      [1, 'Active', 10],
      [2, 'Very active', 11],
    ])
    expect((await send('PUT', `/segments/${id}`, { name: 'x', entity: 'consumer', rule: { and: [] } })).status).toBe(400)
    expect((await send('DELETE', `/segments/${id}`)).json).toEqual({ id, deleted: true })
    expect((await send('GET', '/segments')).json.segments.map((s: any) => s.id)).not.toContain(id)
    expect((await send('GET', '/segments?include_deleted=true')).json.segments.map((s: any) => s.id)).toContain(id)
    expect((await send('GET', `/segments/${id}`)).json.deleted).toBe(true)
    expect((await send('GET', `/segments/${id}/versions`)).json.versions).toHaveLength(2)
    expect((await send('PUT', `/segments/${id}`, { name: 'x', entity: 'store', rule: active(1) })).status).toBe(404)
    expect((await send('DELETE', `/segments/${id}`)).status).toBe(404)
    expect((await send('GET', '/segments/seg_nope')).status).toBe(404)
  })

  it('refuses a cycle between saved segments, naming the path', async () => {
    const a = await create('A', active(1))
    const b = await create('B', { and: [active(2), { segment: a }] })
    const r = await send('PUT', `/segments/${a}`, { name: 'A', entity: 'store', rule: { or: [active(3), { not: { segment: b } }] } })
    expect(r.status).toBe(400)
    expect(r.json.errors).toEqual([{ path: 'rule.or.1.not.segment', message: expect.stringContaining(`${a} → ${b} → ${a}`) }])
    const self = await send('PUT', `/segments/${a}`, { name: 'A', entity: 'store', rule: { segment: a } })
    expect(self.json.errors[0]).toEqual({ path: 'rule.segment', message: expect.stringMatching(/cycle/) })
    // A reference without a cycle is fine, and evaluates the referenced rule.
    const c = await create('C', { and: [{ segment: b }, { attr: 'kind', op: 'eq', value: 'restaurant' }] })
    const m = await send('GET', `/segments/${c}/members?as_of=2026-03-01`)
    expect(m.json.members.map((x: any) => x.id)).toEqual(['S1', 'S2'])
  })

  it('refreshes into a changelog of entered and left, with history per refresh', async () => {
    const id = await create('Steady', { and: [active(10), { attr: 'open_rate_90d', op: 'gte', value: 0.6 }] })
    const r1 = await send('POST', `/segments/${id}/refresh?as_of=2026-03-01`)
    expect(r1.json).toMatchObject({ segment_id: id, version: 1, as_of: '2026-03-01', size: 2, entered: 2, left: 0 })
    // S1 drops (a newer profile row), S2 qualifies.
    await insertProfiles(db, 'store', [{ ...STORES[0], open_rate_90d: 0.2 }, { ...STORES[1], active_weeks_12w: 10, open_rate_90d: 0.8 }], '2026-03-02T00:00:00Z')
    const r2 = await send('POST', `/segments/${id}/refresh?as_of=2026-03-02`)
    expect(r2.json).toMatchObject({ size: 2, entered: 1, left: 1, as_of: '2026-03-02' })
    const r3 = await send('POST', `/segments/${id}/refresh?as_of=2026-03-02`)
    expect(r3.json).toMatchObject({ size: 2, entered: 0, left: 0 })
    await send('PUT', `/segments/${id}`, { name: 'Steady', entity: 'store', rule: active(10) })
    const r4 = await new SegmentRefresher(db).refresh(id, '2026-03-03')
    expect(r4).toMatchObject({ version: 2, size: 4, entered: 2, left: 0 })
    const log = await db.query<{ member_id: string; sign: number; version: number; as_of: string }>(
      'SELECT member_id, sign, version, toString(as_of) AS as_of FROM segment_members WHERE segment_id = {id:String} ORDER BY refreshed_at, member_id',
      { id },
    )
    expect(log.map((l) => [l.member_id, Number(l.sign), Number(l.version), l.as_of])).toEqual([
      ['S1', 1, 1, '2026-03-01'],
      ['S5', 1, 1, '2026-03-01'],
      ['S1', -1, 1, '2026-03-02'],
      ['S2', 1, 1, '2026-03-02'],
      ['S1', 1, 2, '2026-03-03'],
      ['S3', 1, 2, '2026-03-03'],
    ])
    const h = await send('GET', `/segments/${id}/history`)
    expect(h.json.refreshes.map((x: any) => [x.as_of, x.version, x.size, x.entered, x.left])).toEqual([
      ['2026-03-01', 1, 2, 2, 0],
      ['2026-03-02', 1, 2, 1, 1],
      ['2026-03-02', 1, 2, 0, 0],
      ['2026-03-03', 2, 4, 2, 0],
    ])
    const listed = (await send('GET', '/segments')).json.segments.find((s: any) => s.id === id)
    expect(listed).toMatchObject({ size: 4, version: 2, refreshed_at: expect.stringMatching(/Z$/) })
  })

  it('refreshes every live segment on a schedule, and stops', async () => {
    const refresher = new SegmentRefresher(db)
    const all = await refresher.refreshAll('2026-03-03')
    const live = (await send('GET', '/segments')).json.segments
    expect(all.map((r) => r.segment_id).sort()).toEqual(live.map((s: any) => s.id).sort())
    const count = async () => Number((await db.query<{ n: number }>('SELECT count() AS n FROM segment_refreshes'))[0].n)
    refresher.start(20)
    // Until two more rounds have run (however slow the machine), then stop: nothing runs after.
    for (let i = 0; i < 300 && (await count()) <= all.length * 3; i++) await new Promise((r) => setTimeout(r, 50))
    await refresher.stop()
    const n = await count()
    await new Promise((r) => setTimeout(r, 100))
    expect(n).toBeGreaterThan(all.length * 3)
    expect(await count()).toBe(n)
  })
})

describe('explain, overlap, members', () => {
  it('explains each condition with the value and pass/fail, as a tree', async () => {
    const inner = await create('Restaurants', { attr: 'kind', op: 'eq', value: 'restaurant' })
    const id = await create('Explained', { and: [active(10), { or: [{ attr: 'open_rate_90d', op: 'lt', value: 0.5 }, { segment: inner }] }] })
    const r = await send('GET', `/segments/${id}/explain/S3?as_of=2026-03-01`)
    expect(r.status).toBe(200)
    expect(r.json).toMatchObject({ id, version: 1, entity_id: 'S3', member: false, as_of: '2026-03-01' })
    expect(r.json.tree).toMatchObject({
      path: 'rule',
      kind: 'and',
      pass: false,
      children: [
        { path: 'rule.and.0', kind: 'attr', attr: 'active_weeks_12w', op: 'gte', value: 10, actual: 11, pass: true },
        {
          kind: 'or',
          pass: false,
          children: [
            { kind: 'attr', attr: 'open_rate_90d', actual: null, pass: false },
            { kind: 'segment', segment: inner, member: true, pass: false, children: [{ path: 'rule.and.1.or.1>rule', kind: 'attr', actual: 'supermarket', pass: false }] },
          ],
        },
      ],
    })
    const s5 = await send('GET', `/segments/${id}/explain/S5?as_of=2026-03-01`)
    expect(s5.json.member).toBe(false)
    const s1 = await send('GET', `/segments/${id}/explain/S1?as_of=2026-03-01`)
    expect(s1.json.member).toBe(s1.json.tree.pass)
    expect((await send('GET', `/segments/${id}/explain/S999`)).status).toBe(404)
  })

  it('sizes every Venn region and intersection of 3 segments', async () => {
    const a = await create('weeks≥10', active(10)) // S1? S2 S3 S5 (after the refresh test's updates)
    const b = await create('Weifang', { attr: 'city', op: 'eq', value: '潍坊市' })
    const c = await create('Restaurants', { attr: 'kind', op: 'eq', value: 'restaurant' })
    const r = await postJson('/segments/overlap', { ids: [a, b, c], as_of: '2026-03-01' })
    expect(r.status).toBe(200)
    const [A, B, C] = [await memberSet(a), await memberSet(b), await memberSet(c)]
    const all = ['S1', 'S2', 'S3', 'S4', 'S5']
    const sets = [A, B, C]
    for (const reg of r.json.regions) {
      const want = all.filter((s) => sets.every((set, i) => set.has(s) === reg.in.includes([a, b, c][i]))).length
      expect(reg.count).toBe(want)
    }
    expect(r.json.regions).toHaveLength(7)
    expect(r.json.intersections.map((x: any) => x.ids.length)).toEqual([2, 2, 2, 3])
    for (const x of r.json.intersections) expect(x.count).toBe(all.filter((s) => x.ids.every((id: string) => sets[[a, b, c].indexOf(id)].has(s))).length)
    expect(r.json.segments.map((s: any) => s.size)).toEqual([A.size, B.size, C.size])
    expect((await postJson('/segments/overlap', { ids: [a] })).status).toBe(400)
    expect((await postJson('/segments/overlap', { ids: [a, a] })).status).toBe(400)
  })

  it('pages members as JSON and streams every member as CSV', async () => {
    // 25,000 more stores: three export pages.
    await db.command(`INSERT INTO store_profiles (store_id, as_of, refreshed_at, kind, city, active_weeks_12w, open_rate_90d)
      SELECT concat('B', leftPad(toString(number), 6, '0')), '2026-03-01', '2026-03-01 00:00:00', if(number % 2, 'restaurant', 'super,market "x"'), NULL, number % 13, if(number % 3 = 0, NULL, (number % 10) / 10) FROM numbers(25000)`)
    const id = await create('Big', { and: [active(6), { attr: 'kind', op: 'neq', value: 'convenience' }] })
    const page = await send('GET', `/segments/${id}/members?as_of=2026-03-01&limit=3&offset=1`)
    expect(page.json.attributes).toEqual(['active_weeks_12w', 'kind'])
    expect(page.json.members).toHaveLength(3)
    const total = page.json.count as number
    expect(total).toBeGreaterThan(10_000)
    const res = await fetch(`${base}/segments/${id}/members?format=csv&as_of=2026-03-01`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(res.headers.get('transfer-encoding')).toBe('chunked')
    const text = await res.text()
    const lines = text.trimEnd().split('\r\n')
    expect(lines[0]).toBe('id,active_weeks_12w,kind')
    expect(lines).toHaveLength(total + 1)
    const ids = lines.slice(1).map((l) => l.split(',')[0])
    expect(new Set(ids).size).toBe(total)
    expect([...ids].sort()).toEqual(ids)
    expect(lines).toContain('B000006,6,"super,market ""x"""')
    expect(lines).toContain('S1,12,restaurant')
    // A rule with no attributes exports ids only.
    const only = await create('Listed', { or: [{ attr: 'kind', op: 'is_null' }, { and: [] }] })
    const csv = await (await fetch(`${base}/segments/${only}/members?format=csv&as_of=2026-03-01`)).text()
    expect(csv.split('\r\n')[0]).toBe('id,kind')
    expect((await fetch(`${base}/segments/${only}/members?format=xml`)).status).toBe(400)
  })
})

describe('lists', () => {
  it('uploads CSV, NDJSON and JSON lists, reports bad ids, and uses them in rules', async () => {
    const csv = '\uFEFFname,id\nx,S1\ny,S3\nz,S3\nw,' + 'x'.repeat(65) + '\nv,NOT-A-STORE\n'
    const r = await post(`${base}/lists?name=vip&entity=store`, csv, 'text/csv')
    expect(r.status).toBe(200)
    expect(r.json).toEqual({ id: expect.stringMatching(/^lst_/), size: 3, duplicates: 1, rejected: [{ line: 4, errors: [{ path: 'id', message: expect.stringMatching(/64/) }] }] })
    const nd = await post(`${base}/lists`, '"S2"\n{"id": "S4"}\n{"x": 1}\n[1]\n', 'application/x-ndjson')
    expect(nd.json.size).toBe(2)
    expect(nd.json.rejected.map((x: any) => x.line)).toEqual([3, 4])
    const js = await post(`${base}/lists`, JSON.stringify(['S5', { id: 'S1' }, 42]), 'application/json')
    expect(js.json).toMatchObject({ size: 3, rejected: [] })
    const pv = await postJson('/segments/preview', { entity: 'store', rule: { or: [{ list: r.json.id }, { list: nd.json.id }] }, as_of: '2026-03-01' })
    expect(pv.json.count).toBe(4)
    const notIn = await postJson('/segments/preview', { entity: 'store', rule: { and: [{ not: { list: r.json.id } }, { attr: 'kind', op: 'not_null' }] }, sample: 0 })
    expect(notIn.json.count).toBeGreaterThan(0)
    const consumers = await postJson('/segments/preview', { entity: 'consumer', rule: { list: r.json.id } })
    expect(consumers.json.errors[0]).toEqual({ path: 'rule.list', message: expect.stringMatching(/store ids/) })
    const lists = (await send('GET', '/lists')).json.lists
    expect(lists.find((l: any) => l.id === r.json.id)).toMatchObject({ name: 'vip', entity: 'store', size: 3, rejected: 1 })
  })

  it('refuses a CSV without an id column, an unknown content type, a bad entity', async () => {
    expect((await post(`${base}/lists`, 'store\nS1\n', 'text/csv')).status).toBe(400)
    expect((await post(`${base}/lists`, 'S1', 'text/plain')).status).toBe(415)
    expect((await post(`${base}/lists?entity=planet`, 'id\nS1\n', 'text/csv')).status).toBe(400)
  })
})

describe('templates and the contract', () => {
  it('serves the templates, and each one previews', async () => {
    const t = (await send('GET', '/segments/templates')).json.templates
    expect(t).toHaveLength(5)
    for (const tpl of t) expect((await postJson('/segments/preview', { entity: tpl.entity, rule: tpl.rule, sample: 1 })).status).toBe(200)
  })

  it('documents every endpoint in the OpenAPI document', async () => {
    const doc = await (await fetch(`${base}/openapi.json`)).json()
    for (const p of ['/api/v1/segments/preview', '/api/v1/segments/{id}/members', '/api/v1/segments/{id}/explain/{entityId}', '/api/v1/lists', '/api/v1/segments/overlap'])
      expect(doc.paths[p]).toBeDefined()
    expect(doc.paths['/api/v1/segments'].post.requestBody.content['application/json'].schema).toBeDefined()
  })
})
