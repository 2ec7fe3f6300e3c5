import { afterAll, describe, expect, it } from 'vitest'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { basePolicy, openMultiplier, policyMultipliers, type Policy } from './catalog'
import type { PolicyOverride } from './events'
import { generateTo } from './testkit'
import type { Truth } from './truth'

const END = '2026-11-25'
const FROM = '2026-09-27'
const OPTS = { stores: 400, days: 200, seed: 'experiment', end: END }

const richer: Policy = {
  ...basePolicy(2026),
  policy_id: 'P-TEST-RICH',
  sell_through_fen_per_bottle: { mass: 200, sub_premium: 1000, premium: 3000 },
}

describe('policy overrides: experiments with a known true effect', () => {
  const dirs: string[] = []
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))
  const lines = (dir: string, kind: string): string[] => readFileSync(join(dir, `${kind}.ndjson`), 'utf8').split('\n').filter(Boolean)

  it('openMultiplier applies elasticity × relative reward change', () => {
    expect(openMultiplier(0.4, 500, 750)).toBeCloseTo(1.2)
    expect(openMultiplier(0, 500, 5000)).toBe(1)
    expect(openMultiplier(1, 500, 0)).toBe(0)
    expect(policyMultipliers(0.5, richer)).toEqual([1.5, 1.5, 1.5])
  })

  it('treated stores change by their elasticity; everything else is byte-identical', async () => {
    const base = await generateTo(OPTS)
    dirs.push(base.dir)
    const baseTruth: Truth = base.truth
    const treated = baseTruth.stores.filter((s, i) => i % 4 === 0 && !s.dormant).map((s) => s.store_id)
    const overrides = new Map<string, PolicyOverride>(treated.map((id) => [id, { policy: richer, experimentId: 'EXP-1', arm: 'treatment' }]))
    const exp = await generateTo({ ...OPTS, policyOverrides: overrides, fromDate: FROM })
    dirs.push(exp.dir)
    const t = exp.truth
    const farms = new Set(t.scan_farms.map((f) => f.consumer_id))
    const isTreated = new Set(treated)

    // before FROM every scan is identical; after it, every scan of a control store (scan
    // farms aside: they pick caps across stores) is identical
    const keep = (l: string): boolean => {
      const r = JSON.parse(l) as { ts: string; store_id?: string; consumer_id?: string }
      if (r.ts < FROM) return true
      return !isTreated.has(r.store_id ?? '') && !farms.has(r.consumer_id ?? '')
    }
    const a = lines(base.dir, 'scans').filter(keep)
    const b = lines(exp.dir, 'scans').filter(keep)
    expect(b.length).toBeGreaterThan(10_000)
    expect(b).toEqual(a)

    // treated rewards carry the policy and the arm
    const treatedRewards = lines(exp.dir, 'rewards')
      .map((l) => JSON.parse(l) as Record<string, string | number>)
      .filter((r) => r.kind === 'sell_through' && isTreated.has(String(r.beneficiary_id)) && String(r.ts) >= FROM)
    expect(treatedRewards.length).toBeGreaterThan(100)
    for (const r of treatedRewards) {
      expect(r.policy_id).toBe('P-TEST-RICH')
      expect(r.experiment_id).toBe('EXP-1')
      expect(r.arm).toBe('treatment')
      expect([200, 1000, 3000]).toContain(r.amount_fen)
    }

    // the true effect: post-period opens scale by each store's multiplier
    expect(t.experiment?.stores).toHaveLength(treated.length)
    const baseOpened = new Map(baseTruth.stores.map((s) => [s.store_id, s.opened_bottles]))
    const expOpened = new Map(t.stores.map((s) => [s.store_id, s.opened_bottles]))
    let observed = 0
    let counterfactual = 0
    let expected = 0
    for (const s of t.experiment!.stores) {
      const pre = expOpened.get(s.store_id)! - s.opened_from
      const basePost = baseOpened.get(s.store_id)! - pre
      const el = t.stores.find((x) => x.store_id === s.store_id)!.elasticity
      expect(s.multipliers[0]).toBeCloseTo(1 + el, 3)
      observed += s.opened_from
      counterfactual += basePost
      expected += basePost * s.multipliers[0]
    }
    expect(observed / counterfactual).toBeGreaterThan(1.1)
    expect(Math.abs(observed / expected - 1)).toBeLessThan(0.05)
  })
})
