/**
 * Property tests: random rule trees (seeded) over random profile rows and random scans; the
 * members the compiled SQL selects must equal the plain TypeScript evaluator's, tree by tree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CATALOG, type Entity } from '../../segments/catalog.js'
import { compileMembers, compilePredicate, Params, renderDebug } from '../../segments/compile.js'
import type { RuleContext, SavedSegment } from '../../segments/context.js'
import { evaluate, type EvalContext } from '../../segments/evaluate.js'
import { walk, type EventCondition, type Rule } from '../../segments/rule.js'
import { NASTY, pick, randomRow, randomRule, rng, type TreeOptions } from '../../segments/testing/random.js'
import { addDays, localDateOf, mondayOf } from '../../segments/values.js'
import type { Db } from '../db/gateway.js'
import { openTestDb } from '../testing/db.js'
import { insertList, insertProducts, insertProfiles, insertScans, PRODUCTS, type TestScan } from './fixtures.js'
import { profileSource } from './source.js'

const AS_OF = '2026-03-01'
let db: Db
let cleanup: () => Promise<void>

const ids: Record<Entity, string[]> = {
  store: [...Array.from({ length: 40 }, (_, i) => `S${String(i).padStart(2, '0')}`), "S'q", 'S`b'],
  consumer: Array.from({ length: 12 }, (_, i) => `c${i}`),
  distributor: Array.from({ length: 12 }, (_, i) => `D${i}`),
}
const rows: Record<Entity, ({ id: string } & Record<string, unknown>)[]> = { store: [], consumer: [], distributor: [] }
const scans: TestScan[] = []
const lists: Record<string, Set<string>> = {}
const saved = new Map<string, SavedSegment>()

beforeAll(async () => {
  ;({ db, cleanup } = await openTestDb())
  const r = rng(20260301)
  for (const entity of ['store', 'consumer', 'distributor'] as Entity[]) {
    rows[entity] = ids[entity].map((id) => ({ id, ...randomRow(r, entity) }))
    // Stale versions first: FINAL must read only the latest row of each id.
    await insertProfiles(db, entity, ids[entity].map((id) => ({ id, ...randomRow(r, entity) })), '2026-02-01T00:00:00Z')
    await insertProfiles(db, entity, rows[entity])
  }
  await insertProducts(db)
  // Scans around local midnights (Asia/Shanghai = UTC+8) in the 40 days before as_of and a few after.
  const base = Date.parse('2026-01-20T16:00:00Z')
  for (let i = 0; i < 600; i++) {
    const day = Math.floor(r() * 45)
    const minute = pick(r, [0, 1, 59, 60 * 8, 60 * 16 - 1, 60 * 23 + 59, Math.floor(r() * 1440)])
    const ts = new Date(base + day * 86_400_000 + minute * 60_000 + (r() < 0.2 ? 59_999 : 0)).toISOString()
    scans.push({
      ts,
      type: pick(r, ['open', 'open', 'open', 'stock_in', 'verify', 'ship'] as const),
      sku_id: pick(r, PRODUCTS).sku_id,
      bottles: 1 + Math.floor(r() * 6),
      store_id: r() < 0.9 ? pick(r, ids.store) : '',
      distributor_id: r() < 0.9 ? pick(r, ids.distributor) : '',
      consumer_id: r() < 0.8 ? pick(r, ids.consumer) : '',
      city: pick(r, ['潍坊市', '青岛市', '', NASTY[0]]),
    })
  }
  await insertScans(db, scans)
  lists.L1 = new Set(ids.store.filter(() => r() < 0.4))
  lists.L2 = new Set([...ids.store.filter(() => r() < 0.3), 'not-a-store'])
  lists.LC = new Set(ids.consumer.filter(() => r() < 0.5))
  await insertList(db, 'L1', 'store', [...lists.L1])
  await insertList(db, 'L2', 'store', [...lists.L2])
  await insertList(db, 'LC', 'consumer', [...lists.LC])
  // Saved segments the trees may reference; segD references segA.
  for (const [id, entity] of [['segA', 'store'], ['segB', 'store'], ['segC', 'consumer']] as const)
    saved.set(id, { id, entity, rule: randomRule(r, opts(entity, { segments: [], lists: [] })) })
  saved.set('segD', { id: 'segD', entity: 'store', rule: { or: [{ segment: 'segA', member: false }, randomRule(r, opts('store', { segments: [] }))] } })
})
afterAll(() => cleanup())

function opts(entity: Entity, o: Partial<TreeOptions> = {}): TreeOptions {
  return {
    entity,
    events: true,
    segments: entity === 'store' ? ['segA', 'segB', 'segD'] : entity === 'consumer' ? ['segC'] : [],
    lists: entity === 'store' ? ['L1', 'L2'] : entity === 'consumer' ? ['LC'] : [],
    skus: PRODUCTS.map((p) => p.sku_id),
    tiers: ['mass', 'sub_premium', 'premium'],
    cities: ['潍坊市', '青岛市', NASTY[0]],
    ...o,
  }
}

function context(entity: Entity): RuleContext {
  return {
    entity,
    asOf: AS_OF,
    segment: (id) => saved.get(id),
    list: (id) => (lists[id] ? { id, entity: id === 'LC' ? 'consumer' : 'store' } : undefined),
  }
}

/** The measure of an event condition, computed from the scans in plain TypeScript (independently of the rollups). */
function measure(entity: Entity, id: string, n: EventCondition): number {
  const tier = new Map(PRODUCTS.map((p) => [p.sku_id, p.tier]))
  const inWindow = (day: string) =>
    'days' in n.window ? day >= addDays(AS_OF, -n.window.days) && day < AS_OF : day >= n.window.from && day <= n.window.to && day < AS_OF
  const idOf = (s: TestScan) => (entity === 'store' ? s.store_id : entity === 'consumer' ? s.consumer_id : s.distributor_id) ?? ''
  const hits = scans.filter(
    (s) =>
      idOf(s) === id &&
      s.type === n.event &&
      inWindow(localDateOf(Date.parse(s.ts))) &&
      (!n.where?.sku_id || n.where.sku_id.includes(s.sku_id)) &&
      (!n.where?.tier || n.where.tier.includes(tier.get(s.sku_id)!)) &&
      (!n.where?.city || n.where.city.includes(s.city ?? '')),
  )
  switch (n.measure) {
    case 'count':
      return hits.length
    case 'bottles':
      return hits.reduce((t, s) => t + s.bottles, 0)
    case 'distinct_consumers':
      return new Set(hits.map((s) => s.consumer_id).filter(Boolean)).size
    case 'active_weeks':
      return new Set(hits.map((s) => mondayOf(localDateOf(Date.parse(s.ts))))).size
  }
}

function evalContext(entity: Entity, id: string): EvalContext {
  return { ...context(entity), measure: (n) => measure(entity, id, n), inList: (l) => lists[l]?.has(id) ?? false }
}

function expected(entity: Entity, rule: Rule): string[] {
  return rows[entity].filter((row) => evaluate(rule, row, evalContext(entity, row.id))).map((row) => row.id).sort()
}

async function members(entity: Entity, rule: Rule): Promise<string[]> {
  const q = compileMembers(rule, { ...context(entity), source: profileSource(entity, undefined) })
  const got = await db.query<{ id: string }>(q.sql, q.params, 'test-members')
  return got.map((g) => g.id).sort()
}

describe('compiled SQL agrees with the plain evaluator', () => {
  it.each([
    ['store', 300, 1],
    ['consumer', 150, 2],
    ['distributor', 60, 3],
  ] as const)('%s: %i random trees', async (entity, n, seed) => {
    const r = rng(seed)
    let nonTrivial = 0
    const failures: string[] = []
    for (let i = 0; i < n; i++) {
      const rule = randomRule(r, opts(entity))
      const want = expected(entity, rule)
      if (want.length > 0 && want.length < rows[entity].length) nonTrivial++
      const got = await members(entity, rule)
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        const q = compileMembers(rule, { ...context(entity), source: profileSource(entity, undefined) })
        failures.push(`tree ${i}: ${JSON.stringify(rule)}\nSQL: ${renderDebug(q)}\nwant ${want.join(',')}\ngot  ${got.join(',')}`)
      }
    }
    expect(failures.slice(0, 3)).toEqual([])
    // The trees must discriminate, or agreement proves little.
    expect(nonTrivial).toBeGreaterThan(n * 0.3)
  })

  it('agrees on thousands more trees run 100 to a statement', async () => {
    const r = rng(99)
    const entity: Entity = 'store'
    const failures: string[] = []
    for (let batch = 0; batch < 20; batch++) {
      const trees = Array.from({ length: 100 }, () => randomRule(r, opts(entity, { depth: 4 })))
      const params = new Params()
      const from = params.adopt(profileSource(entity, undefined))
      const cols = trees.map((t, i) => `(${compilePredicate(t, context(entity), params)}) AS r${i}`)
      const got = await db.query<Record<string, unknown>>(`SELECT id, ${cols.join(', ')} FROM ${from} AS p`, params.values, 'test-batch')
      expect(got).toHaveLength(rows[entity].length)
      const byId = new Map(got.map((g) => [String(g.id), g]))
      for (const row of rows[entity]) {
        const sqlRow = byId.get(row.id)!
        trees.forEach((t, i) => {
          const want = evaluate(t, row, evalContext(entity, row.id))
          if (Number(sqlRow[`r${i}`]) !== (want ? 1 : 0)) failures.push(`batch ${batch} tree ${i} row ${row.id}: ${JSON.stringify(t)} want ${want}`)
        })
      }
    }
    expect(failures.slice(0, 3)).toEqual([])
  })
})

/** Every value a rule carries (comparison values, event values and filters, window dates). */
function values(rule: Rule): unknown[] {
  const out: unknown[] = []
  walk(rule, (n) => {
    if ('attr' in n && 'value' in n) out.push(...(Array.isArray(n.value) ? n.value : [n.value]))
    if ('event' in n) {
      out.push(n.value, ...Object.values(n.where ?? {}).flat())
      if ('from' in n.window) out.push(n.window.from, n.window.to)
    }
  })
  return out
}

describe('safety: values are bound, never spliced', () => {
  /** Distinctive values: unlikely to appear in SQL unless spliced. */
  const DISTINCT = {
    integer: [123457.25, 987651, 555551.5],
    number: [0.123456789, 314159.26],
    string: [...NASTY, 'zq-unique-token', "x' AND '1'='1", '--', '/* c */'],
    datetime: ['2031-07-19', '2031-07-19T08:00:00+08:00', 'as_of-17d'],
    date: ['2031-07-19'],
  }


  it('compiles thousands of random trees with no value in the SQL text', () => {
    const r = rng(7)
    let checked = 0
    const spliced: string[] = []
    const unbound: string[] = []
    for (const entity of ['store', 'consumer', 'distributor'] as Entity[]) {
      for (let i = 0; i < 1500; i++) {
        const rule = randomRule(r, opts(entity, { domain: DISTINCT, depth: 4, cities: ['青岛市', "' OR 1=1 --"], skus: ['sku-zq-1', "K1'--"], tiers: ['tier-zq'] }))
        const q = compileMembers(rule, { ...context(entity), source: profileSource(entity, undefined) })
        for (const v of values(rule)) {
          const s = String(v)
          // Short or placeholder-shaped values cannot be told apart from SQL syntax by a substring test.
          if (s.length < 4 || /^\{p\d+:/.test(s) || /^\d+(\.\d+)?$/.test(s) && Number(s) < 1e5) continue
          if (q.sql.includes(s)) spliced.push(`value ${JSON.stringify(s)} appears in SQL: ${q.sql}`)
          checked++
        }
        // Every placeholder names a bound parameter.
        for (const m of q.sql.matchAll(/\{(\w+):/g)) if (!(m[1] in q.params)) unbound.push(m[1])
      }
    }
    expect(spliced.slice(0, 3)).toEqual([])
    expect(unbound).toEqual([])
    expect(checked).toBeGreaterThan(3000)
  })

  it.each(NASTY.map((s) => [s]))('the string %j matches only itself', async (s) => {
    const stringAttrs = CATALOG.store.filter((a) => a.type === 'string').map((a) => a.name)
    for (const attr of stringAttrs) {
      const want = rows.store.filter((row) => row[attr] === s).map((row) => row.id).sort()
      expect(await members('store', { attr, op: 'eq', value: s })).toEqual(want)
      expect(await members('store', { attr, op: 'in', value: [s, 'nothing'] })).toEqual(want)
      const notWant = rows.store.filter((row) => row[attr] !== null && row[attr] !== s).map((row) => row.id).sort()
      expect(await members('store', { attr, op: 'neq', value: s })).toEqual(notWant)
    }
    // And the tables are all still there.
    const [t] = await db.query<{ n: number }>("SELECT count() AS n FROM system.tables WHERE database = currentDatabase() AND name = 'stores'")
    expect(Number(t.n)).toBe(1)
  })

  it('some nasty strings really are in the rows (so the test above can fail)', () => {
    expect(rows.store.some((row) => NASTY.includes(String(row.name)))).toBe(true)
  })
})
