import { describe, expect, it } from 'vitest'
import { rng } from '../../segments/testing/random.js'
import { HashSet52, IdIndex } from './hashset.js'
import { hash52 } from './recent.js'

describe('HashSet52', () => {
  it('answers as a Set of the same numbers, through growth', () => {
    const rand = rng(5)
    const s = new HashSet52(4)
    const ref = new Set<number>()
    for (let i = 0; i < 50_000; i++) {
      // Few distinct values at first (repeats), then many; 0 and 2^53 - 1 included.
      const v = i === 0 ? 0 : i === 1 ? 2 ** 53 - 1 : Math.floor(rand() * (i < 1000 ? 300 : 2 ** 52))
      expect(s.has(v)).toBe(ref.has(v))
      s.add(v)
      ref.add(v)
    }
    expect(s.size).toBe(ref.size)
    for (const v of ref) expect(s.has(v)).toBe(true)
  })
})

describe('IdIndex', () => {
  it('keeps ids that share a hash apart', () => {
    const ix = new IdIndex()
    const ids: string[] = []
    const put = (id: string) => {
      const ok = ix.add(7, ids.length, (j) => ids[j] === id)
      if (ok) ids.push(id)
      return ok
    }
    for (let i = 0; i < 100; i++) expect(put(`id${i}`)).toBe(true)
    for (let i = 0; i < 100; i++) expect(put(`id${i}`)).toBe(false)
    expect(put('id100')).toBe(true)
    expect(ix.size).toBe(101)
  })

  it('answers as a Set of the same strings, through growth', () => {
    const rand = rng(9)
    const ix = new IdIndex(2)
    const ref = new Set<string>()
    const ids: string[] = []
    for (let i = 0; i < 30_000; i++) {
      const id = `S${Math.floor(rand() * 20_000)}`
      const added = ix.add(hash52(id), ids.length, (j) => ids[j] === id)
      expect(added).toBe(!ref.has(id))
      if (added) ids.push(id)
      ref.add(id)
    }
    expect(ix.size).toBe(ref.size)
  })
})
