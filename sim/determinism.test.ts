import { afterAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { generateTo } from './testkit'

const FILES = ['products', 'distributors', 'reps', 'stores', 'scans', 'orders', 'rewards'].map((k) => `${k}.ndjson`).concat('truth.json')
const digest = (dir: string): Record<string, string> =>
  Object.fromEntries(FILES.map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]))

describe('reproducibility', () => {
  const dirs: string[] = []
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))
  const run = async (seed: string | number, stores = 300, days = 150): Promise<Record<string, string>> => {
    const { dir } = await generateTo({ stores, days, seed, end: '2026-11-25', batchRows: 3000 })
    dirs.push(dir)
    return digest(dir)
  }

  it('same seed and arguments give identical bytes in every file', async () => {
    const a = await run(42)
    const b = await run(42)
    expect(b).toEqual(a)
  })

  it('a different seed changes every file but the catalog', async () => {
    const a = await run(42)
    const c = await run(43)
    for (const f of FILES) if (f !== 'products.ndjson') expect(`${f} ${c[f]}`).not.toBe(`${f} ${a[f]}`)
    expect(c['products.ndjson']).toBe(a['products.ndjson'])
  })

  it('the batch size does not change the bytes', async () => {
    const a = await run('batch', 120, 60)
    const { dir } = await generateTo({ stores: 120, days: 60, seed: 'batch', end: '2026-11-25', batchRows: 777 })
    dirs.push(dir)
    expect(digest(dir)).toEqual(a)
  })
})

describe('emitFrom', () => {
  it('emits exactly the full run\'s records from that date on', async () => {
    const opts = { stores: 150, days: 90, seed: 'tail', end: '2026-11-25' }
    const full = await generateTo(opts)
    const tail = await generateTo({ ...opts, emitFrom: '2026-10-15', master: false })
    try {
      for (const kind of ['scans', 'orders', 'rewards']) {
        const all = readFileSync(join(full.dir, `${kind}.ndjson`), 'utf8').split('\n').filter(Boolean)
        const want = all.filter((l) => (JSON.parse(l) as { ts: string }).ts >= '2026-10-15')
        const got = readFileSync(join(tail.dir, `${kind}.ndjson`), 'utf8').split('\n').filter(Boolean)
        expect(got.length).toBeGreaterThan(0)
        expect(got).toEqual(want)
      }
      expect(readFileSync(join(tail.dir, 'stores.ndjson'), 'utf8')).toBe('')
    } finally {
      rmSync(full.dir, { recursive: true, force: true })
      rmSync(tail.dir, { recursive: true, force: true })
    }
  })
})
