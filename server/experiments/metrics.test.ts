import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Db } from '../db/gateway.js'
import { openTestDb } from '../testing/db.js'
import { CATALOG } from './catalog.js'
import { estimate, sumsOfUnits } from './estimate.js'
import { insertChannel, WINDOW } from './fixtures.js'
import { writeAssignments } from './launch.js'
import { armSumsOf, armSumsSql, cumulativeSql, unitsOfExperiment, unitsOfIds } from './sql.js'

let db: Db
let cleanup: () => Promise<void>
const EXP = 'exp_hand'

beforeAll(async () => {
  ;({ db, cleanup } = await openTestDb())
  await insertChannel(db)
  await writeAssignments(db, EXP, [
    { unit_id: 'S1', arm: 'control', stratum: 's', cluster_id: 'D1', pre_value: 0 },
    { unit_id: 'S2', arm: 'control', stratum: 's', cluster_id: 'D1', pre_value: 0 },
    { unit_id: 'S3', arm: 'b', stratum: 's', cluster_id: 'D2', pre_value: 0 },
    { unit_id: 'S4', arm: 'b', stratum: 's', cluster_id: 'D3', pre_value: 0 },
  ])
})
afterAll(() => cleanup())

async function sums(opts: { cuped: boolean; clustered: boolean }) {
  const q = armSumsSql(unitsOfExperiment(EXP), CATALOG.map((def) => ({ def })), WINDOW, opts)
  const rows = await db.query<Record<string, unknown>>(q.sql, q.params)
  return (metric: string, arm: string) => armSumsOf(rows.find((r) => r.arm === arm)!, CATALOG.findIndex((m) => m.id === metric))
}

// Per-store values worked out by hand from fixtures.ts (two-week windows, so per-week = total / 2):
//          opened y / x   stocked y / x   sales y / x   reward num/den (post) (pre)   active y/x   consumers y/x
//   S1      6/2=3 / 4/2=2  6/2=3 / 12/2=6   100/2=50 / 0  3 / 6   0 / 4                1 / 1        2 (C1, C2) / 1
//   S2      0     / 2/2=1  0 / 0             0 / 0        0 / 0   0 / 2                0 / 1        0 / 1
//   S3      4/2=2 / 0      0 / 0             0 / 50/2=25  0 / 4   0 / 0                1 / 0        2 / 0
//   S4      10/2=5 / 6/2=3 0 / 0             0 / 0        10 / 10 0 / 6                1 / 1        1 / 1
describe('metric SQL against hand-built scans', () => {
  it('computes the sufficient statistics of every catalog metric per arm, with the CUPED sums', async () => {
    const s = await sums({ cuped: true, clustered: false })
    expect(s('opened_bottles', 'control')).toMatchObject({ n: 2, sum: 3, sum_squares: 9, pre_sum: 3, pre_sum_squares: 5, sum_post_pre: 6 })
    expect(s('opened_bottles', 'b')).toMatchObject({ n: 2, sum: 7, sum_squares: 29, pre_sum: 3, pre_sum_squares: 9, sum_post_pre: 15 })
    expect(s('stocked_bottles', 'control')).toMatchObject({ sum: 3, sum_squares: 9, pre_sum: 6, pre_sum_squares: 36, sum_post_pre: 18 })
    expect(s('retail_sales', 'control')).toMatchObject({ sum: 50, sum_squares: 2500, pre_sum: 0 })
    expect(s('retail_sales', 'b')).toMatchObject({ sum: 0, pre_sum: 25, pre_sum_squares: 625 })
    expect(s('reward_per_open', 'control')).toMatchObject({ sum: 3, sum_squares: 9, den_sum: 6, den_sum_squares: 36, sum_num_den: 18, pre_sum: 0, pre_den_sum: 6, pre_den_sum_squares: 20, sum_post_pre_den: 24 })
    expect(s('reward_per_open', 'b')).toMatchObject({ sum: 10, sum_squares: 100, den_sum: 14, den_sum_squares: 116, sum_num_den: 100, pre_den_sum: 6, sum_post_num_pre_den: 60, sum_post_pre_den: 60 })
    expect(s('active_share', 'control')).toMatchObject({ n: 2, sum: 1, pre_sum: 2, sum_post_pre: 1 })
    expect(s('active_share', 'b')).toMatchObject({ n: 2, sum: 2, pre_sum: 1 })
    expect(s('distinct_consumers', 'control')).toMatchObject({ sum: 2, sum_squares: 4, pre_sum: 2, sum_post_pre: 2 })
    expect(s('distinct_consumers', 'b')).toMatchObject({ sum: 3, sum_squares: 5, pre_sum: 1, sum_post_pre: 1 })
  })

  it('rolls units up to distributors when clustered: every metric a ratio Σ value / Σ stores', async () => {
    const s = await sums({ cuped: false, clustered: true })
    expect(s('opened_bottles', 'control')).toMatchObject({ n: 1, sum: 3, sum_squares: 9, den_sum: 2, den_sum_squares: 4, sum_num_den: 6 })
    expect(s('opened_bottles', 'b')).toMatchObject({ n: 2, sum: 7, sum_squares: 29, den_sum: 2, den_sum_squares: 2, sum_num_den: 7 })
  })

  it('gives the same estimate as the in-memory sums of the hand values (one code path from sums to lifts)', async () => {
    const s = await sums({ cuped: true, clustered: false })
    const hand = sumsOfUnits([
      { arm: 'control', y: 3, x: 2 }, { arm: 'control', y: 0, x: 1 },
      { arm: 'b', y: 2, x: 0 }, { arm: 'b', y: 5, x: 3 },
    ])
    const o = { kind: 'mean' as const, cuped: true, alpha: 0.05, sequentialTau: null }
    const fromSql = estimate([s('opened_bottles', 'control'), s('opened_bottles', 'b')], ['control', 'b'], o)
    const fromHand = estimate(hand, ['control', 'b'], o)
    expect(fromSql.relative[0].estimate).toBeCloseTo(fromHand.relative[0].estimate, 12)
    expect(fromSql.relative[0].se).toBeCloseTo(fromHand.relative[0].se, 12)
    expect(fromSql.arms.map((a) => a.mean)).toEqual([1.5, 3.5])
  })

  it('builds the cumulative weekly series from week partials (distinct consumers counted from their first week)', async () => {
    const run = async (metric: string) => {
      const q = cumulativeSql(unitsOfExperiment(EXP), { def: CATALOG.find((m) => m.id === metric)! }, WINDOW, { cuped: true, clustered: false })
      expect(q.weeks).toBe(2)
      const rows = await db.query<Record<string, unknown>>(q.sql, q.params)
      return (k: number, arm: string) => armSumsOf(rows.find((r) => Number(r.k) === k && r.arm === arm)!, 0)
    }
    const opened = await run('opened_bottles')
    // Week 1: S1 opened 3 in 1 week; S3, S4 nothing yet. Through week 2: the full-window values.
    expect(opened(0, 'control')).toMatchObject({ n: 2, sum: 3, sum_squares: 9, pre_sum: 3 })
    expect(opened(0, 'b')).toMatchObject({ n: 2, sum: 0 })
    expect(opened(1, 'control')).toMatchObject({ sum: 3, sum_squares: 9 })
    expect(opened(1, 'b')).toMatchObject({ sum: 7, sum_squares: 29, sum_post_pre: 15 })
    const consumers = await run('distinct_consumers')
    expect(consumers(0, 'control')).toMatchObject({ sum: 1 }) // S1: C1
    expect(consumers(1, 'control')).toMatchObject({ sum: 2 }) // S1: C1, C2 (C1 again in week 2 counts once)
    expect(consumers(1, 'b')).toMatchObject({ sum: 3 })
  })

  it('reads a bound list of ids as one arm (baselines for the power calculator)', async () => {
    const def = CATALOG.find((m) => m.id === 'opened_bottles')!
    const q = armSumsSql(unitsOfIds(['S1', 'S2', 'S3', 'S4', 'NOBODY']), [{ def }], WINDOW, { cuped: true, clustered: false })
    const [row] = await db.query<Record<string, unknown>>(q.sql, q.params)
    expect(armSumsOf(row, 0)).toMatchObject({ arm: '', n: 5, sum: 10, sum_squares: 38, pre_sum: 6 })
  })
})
