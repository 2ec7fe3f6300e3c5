/**
 * Simulation checks of the whole design — stratified assignment, CUPED, delta-method relative
 * lift — on the simulator's stores, where the true effect of a policy is planted: each store's
 * demand scales by 1 + elasticity × (relative change of the sell-through reward).
 *
 * Potential outcomes come from two simulator runs: everyone on the base policy (Y0) and everyone
 * on the richer policy from the start date (Y1). Each store draws from its own random stream, so
 * a store's output depends only on its own policy: an experiment's data are Y1 for its treated
 * stores and Y0 for the others — checked below against a real run with that assignment.
 */
import { describe, expect, it } from 'vitest'
import { basePolicy, generate, policyMultipliers, type PolicyOverride, type Truth } from '../../sim/index.js'
import { assign, type AssignUnit } from './assign.js'
import { estimate, sumsOfUnits } from './estimate.js'

const END = '2026-06-30'
const FROM = '2026-05-06' // post window: 56 days to END; pre window: the 56 days before
const WEEKS = 8
const STORES = 400
const rich = { ...basePolicy(2026), policy_id: 'P-RICH', sell_through_fen_per_bottle: { mass: 150, sub_premium: 750, premium: 2250 } }

interface Run { truth: Truth; pre: Map<string, number>; post: Map<string, number> }

/**
 * Opened bottles per store before and from FROM, read from the simulator's scan lines. Scans by
 * scan farms are left out: a farm collects the unscanned caps of whichever stores it visits, so
 * its scans are not caused by a store's own policy (and couple stores to one another).
 */
async function simulate(overrides?: Map<string, PolicyOverride>): Promise<Run> {
  const pre = new Map<string, number>()
  const post = new Map<string, number>()
  const re = /"ts":"([^"]+)","type":"open".*?"bottles":(\d+),"store_id":"([^"]+)".*?"consumer_id":"([^"]+)"/
  const lines: string[] = []
  const opts = { stores: STORES, days: 2 * WEEKS * 7, seed: 'exp-sim', end: END, policyOverrides: overrides, fromDate: FROM, master: false }
  const truth = await generate(opts, {
    write(kind, chunk) {
      if (kind === 'scans') lines.push(chunk.toString('utf8'))
    },
  })
  const farms = new Set(truth.scan_farms.map((f) => f.consumer_id))
  for (const text of lines)
      for (const line of text.split('\n')) {
        const m = re.exec(line)
        if (!m || farms.has(m[4])) continue
        const to = m[1] >= FROM ? post : pre
        to.set(m[3], (to.get(m[3]) ?? 0) + Number(m[2]))
      }
  return { truth, pre, post }
}

const richFor = (ids: string[], arm = 'rich') => new Map(ids.map((id) => [id, { policy: rich, experimentId: 'EXP-SIM', arm }]))
const ARMS = [{ name: 'control', weight: 1 }, { name: 'rich', weight: 1 }]

describe('simulated experiments', () => {
  it('cover the planted effect in ≥ 90% of 50 seeded experiments, and A/A tests reject 2–8% of the time', async () => {
    const y0 = await simulate()
    const ids = y0.truth.stores.map((s) => s.store_id)
    const y1 = await simulate(richFor(ids))
    const units: AssignUnit[] = y0.truth.stores.map((s) => ({ id: s.store_id, city: s.city, distributor: s.distributor_id, pre: y0.pre.get(s.store_id) ?? 0 }))
    const get = (m: Map<string, number>, id: string) => m.get(id) ?? 0

    // The planted effect on mean opened bottles per store-week: Σ Y0·m / Σ Y0 − 1, m = 1 + elasticity × 50%.
    let base = 0
    let planted = 0
    for (const s of y0.truth.stores) {
      const m = policyMultipliers(s.elasticity, rich)
      expect(new Set(m).size).toBe(1) // the same +50% in every tier
      base += get(y0.post, s.store_id)
      planted += get(y0.post, s.store_id) * m[0]
    }
    const truth = planted / base - 1
    const realized = ids.reduce((t, id) => t + get(y1.post, id), 0) / base - 1
    expect(truth).toBeGreaterThan(0.1)
    // The simulator realises a little less than the demand multipliers plant (stores run out of
    // stock between deliveries): both are reported; the planted effect is the one checked.
    expect(realized).toBeGreaterThan(truth / 2)

    const analyse = (seed: string, treated: (id: string) => number) => {
      const rows = assign(units, { experimentId: seed, arms: ARMS, stratify: true, clusterByDistributor: false })
      const values = rows.map((r) => ({ arm: r.arm, y: (r.arm === 'rich' ? treated(r.unit_id) : get(y0.post, r.unit_id)) / WEEKS, x: get(y0.pre, r.unit_id) / WEEKS }))
      return { rows, lift: estimate(sumsOfUnits(values), ['control', 'rich'], { kind: 'mean', cuped: true, alpha: 0.05, sequentialTau: null }).relative[0] }
    }

    // The composition of potential outcomes is exact: a real run with seed 0's assignment gives the same store data.
    const first = analyse('sim-0', (id) => get(y1.post, id))
    const mixed = await simulate(richFor(first.rows.filter((r) => r.arm === 'rich').map((r) => r.unit_id)))
    for (const r of first.rows) expect(get(mixed.post, r.unit_id)).toBe(get(r.arm === 'rich' ? y1.post : y0.post, r.unit_id))

    let covered = 0
    let coveredRealized = 0
    for (let s = 0; s < 50; s++) {
      const { lift } = analyse(`sim-${s}`, (id) => get(y1.post, id))
      const [lo, hi] = lift.ci as [number, number]
      if (lo <= truth && truth <= hi) covered++
      if (lo <= realized && realized <= hi) coveredRealized++
    }
    let rejected = 0
    for (let s = 0; s < 200; s++) if (analyse(`aa-${s}`, (id) => get(y0.post, id)).lift.p < 0.05) rejected++
    console.log(JSON.stringify({ stores: STORES, planted: truth, realized, coverage: covered / 50, coverageRealized: coveredRealized / 50, aaRejectionRate: rejected / 200 }))
    expect(coveredRealized / 50).toBeGreaterThanOrEqual(0.9)
    expect(covered / 50).toBeGreaterThanOrEqual(0.9)
    expect(rejected / 200).toBeGreaterThanOrEqual(0.02)
    expect(rejected / 200).toBeLessThanOrEqual(0.08)
  })
})
