import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Experiment, ExperimentList, ExperimentSaved, MetricList, Policy, PolicyList, PolicySaved, PolicyVersions, PowerResponse, Results } from '../../segments/api/experiments.js'
import { createApp } from '../api/app.js'
import type { Db } from '../db/gateway.js'
import { ProfileScheduler } from '../profiles/scheduler.js'
import { openTestDb } from '../testing/db.js'
import { serve } from '../testing/http.js'
import { insertChannel } from './fixtures.js'

let db: Db
let base: string
let stop: () => Promise<void>

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${base}${path}`, { method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  let json: any = text
  try {
    json = JSON.parse(text)
  } catch {
    // CSV / NDJSON
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', json, text }
}

const AMOUNTS = (sell: number) => ({
  stock_in_fen_per_case: { mass: 200, sub_premium: 800, premium: 2000 },
  sell_through_fen_per_bottle: { mass: sell, sub_premium: 5 * sell, premium: 15 * sell },
  red_envelope_fen: { mass: [88, 888], sub_premium: [500, 3000], premium: [1000, 10000] },
  distributor_bonus_fen_per_open: { mass: 50, sub_premium: 200, premium: 500 },
})

const design = (policies: string[], audience: unknown) => ({
  name: 'Richer sell-through reward',
  hypothesis: 'A 50% higher sell-through reward raises opened bottles by 10%',
  audience,
  arms: [{ name: 'control', policy_id: policies[0], weight: 1 }, { name: 'rich', policy_id: policies[1], weight: 1 }],
  start: '2026-03-02',
  end: '2026-03-15',
  primary_metric: 'opened_bottles',
  secondary_metrics: ['distinct_consumers'],
  guardrail_metrics: ['reward_per_open'],
  pre_days: 14,
})

beforeAll(async () => {
  const t = await openTestDb()
  db = t.db
  await insertChannel(db)
  const scheduler = new ProfileScheduler(db)
  await scheduler.refresh('full')
  const s = await serve(createApp({ db, profiles: scheduler, webDir: '/nonexistent' }))
  base = `${s.base}/api/v1`
  stop = async () => {
    await s.close()
    await t.cleanup()
  }
})
afterAll(() => stop())

describe('policies API', () => {
  it('saves versions and lists the current one', async () => {
    const a = await call('POST', '/policies', { name: 'Base', config: AMOUNTS(100) })
    expect(a.status).toBe(200)
    expect(a.json).toMatchObject({ version: 1 })
    const v2 = await call('PUT', `/policies/${a.json.id}`, { name: 'Base (2026)', config: AMOUNTS(100), note: 'renamed' })
    expect(v2.json).toEqual({ id: a.json.id, version: 2 })
    const got = await call('GET', `/policies/${a.json.id}`)
    expect(got.json).toMatchObject({ name: 'Base (2026)', version: 2, config: AMOUNTS(100) })
    // The web parses these answers with the shared schemas: they must fit.
    PolicySaved.parse(v2.json)
    Policy.parse(got.json)
    PolicyVersions.parse((await call('GET', `/policies/${a.json.id}/versions`)).json)
    PolicyList.parse((await call('GET', '/policies')).json)
    expect((await call('GET', `/policies/${a.json.id}/versions`)).json.versions.map((v: any) => v.name)).toEqual(['Base', 'Base (2026)'])
    const bad = await call('POST', '/policies', { name: 'x', config: { ...AMOUNTS(1), red_envelope_fen: { mass: [9, 1], sub_premium: [0, 0], premium: [0, 0] } } })
    expect(bad.status).toBe(400)
    expect(bad.json.detail).toMatch(/red_envelope_fen\.mass/)
    expect((await call('GET', '/policies/nope')).status).toBe(404)
  })
})

describe('experiments API: draft → running → stopped → decided', () => {
  let policies: string[]
  let id: string

  it('saves, edits and validates drafts', async () => {
    policies = [(await call('POST', '/policies', { name: 'Base', config: AMOUNTS(100) })).json.id, (await call('POST', '/policies', { name: 'Rich', config: AMOUNTS(150) })).json.id]
    const created = await call('POST', '/experiments', design(policies, { store_ids: ['S1', 'S2', 'S3', 'S4'] }))
    expect(created.status).toBe(200)
    expect(created.json).toMatchObject({ status: 'draft', revision: 1 })
    id = created.json.id
    const edited = await call('PUT', `/experiments/${id}`, { ...design(policies, { store_ids: ['S1', 'S2', 'S3', 'S4'] }), alpha: 0.1 })
    expect(edited.json).toMatchObject({ id, revision: 2 })
    const got = (await call('GET', `/experiments/${id}`)).json
    expect(got).toMatchObject({ status: 'draft', alpha: 0.1, correction: 'holm', arms: [{ name: 'control', units: 0 }, { name: 'rich' }] })
    ExperimentSaved.parse(created.json)
    Experiment.parse(got)
    MetricList.parse((await call('GET', '/experiments/metrics')).json)
    const bad = await call('POST', '/experiments', { ...design(['nope', policies[1]], { store_ids: ['S1', 'S2'] }), end: '2026-03-01', primary_metric: 'profit' })
    expect(bad.status).toBe(400)
    expect(bad.json.detail).toMatch(/end: must not be before start/)
    expect(bad.json.detail).toMatch(/primary_metric/)
    const noPolicy = await call('POST', '/experiments', design(['nope', policies[1]], { store_ids: ['S1', 'S2'] }))
    expect(noPolicy.json.detail).toMatch(/arms\.0\.policy_id: no policy "nope"/)
    expect((await call('GET', `/experiments/${id}/results`)).status).toBe(400)
    expect((await call('GET', '/experiments')).json.experiments.map((e: any) => e.id)).toContain(id)
    ExperimentList.parse((await call('GET', '/experiments')).json)
  })

  it('launches: freezes and assigns the audience, pins policy versions; a running experiment cannot be edited', async () => {
    const launched = await call('POST', `/experiments/${id}/launch`, { as_of: '2026-03-01' })
    expect(launched.json).toMatchObject({ status: 'running' })
    const exp = (await call('GET', `/experiments/${id}`)).json
    expect(exp.audience_size).toBe(4)
    expect(exp.arms.reduce((t: number, a: any) => t + a.units, 0)).toBe(4)
    expect(exp.arms.every((a: any) => a.policy_version === 1)).toBe(true)
    Experiment.parse(exp)
    expect((await call('PUT', `/experiments/${id}`, design(policies, { store_ids: ['S1', 'S2'] }))).status).toBe(400)
    expect((await call('POST', `/experiments/${id}/launch`, {})).status).toBe(400)
  })

  it('exports the assignment as JSON pages, CSV and NDJSON', async () => {
    const page = await call('GET', `/experiments/${id}/assignments?limit=3`)
    expect(page.json.total).toBe(4)
    expect(page.json.rows.map((r: any) => r.unit_id)).toEqual(['S1', 'S2', 'S3'])
    const next = await call('GET', `/experiments/${id}/assignments?after=S3`)
    expect(next.json.rows.map((r: any) => r.unit_id)).toEqual(['S4'])
    const csv = await call('GET', `/experiments/${id}/assignments?format=csv`)
    expect(csv.type).toMatch(/text\/csv/)
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(lines[0]).toBe('unit_id,arm,policy_id,stratum,cluster_id')
    expect(lines).toHaveLength(5)
    const nd = await call('GET', `/experiments/${id}/assignments?format=ndjson`)
    const rows = nd.text.trim().split('\n').map((l) => JSON.parse(l))
    expect(rows.map((r) => r.unit_id)).toEqual(['S1', 'S2', 'S3', 'S4'])
    for (const r of rows) expect(r.policy_id).toBe(r.arm === 'control' ? policies[0] : policies[1])
  })

  it('reports results: every metric with arms, lift, verdict; SRM; balance; cumulative lift', async () => {
    const r = (await call('GET', `/experiments/${id}/results?as_of=2026-03-20`)).json
    Results.parse(r)
    expect(r.window).toEqual({ pre: { from: '2026-02-16', to: '2026-03-01' }, from: '2026-03-02', to: '2026-03-15', days: 14 })
    expect(r.metrics.map((m: any) => [m.metric, m.role])).toEqual([['opened_bottles', 'primary'], ['distinct_consumers', 'secondary'], ['reward_per_open', 'guardrail']])
    const opened = r.metrics[0]
    // The arm means are the hand values of the stores each arm got (fixtures.ts: 3, 0, 2, 5 per week).
    const perWeek: Record<string, number> = { S1: 3, S2: 0, S3: 2, S4: 5 }
    const rows = (await call('GET', `/experiments/${id}/assignments`)).json.rows
    for (const arm of opened.arms) {
      const mine = rows.filter((x: any) => x.arm === arm.name).map((x: any) => perWeek[x.unit_id])
      expect(arm.n).toBe(mine.length)
      if (mine.length) expect(arm.mean).toBeCloseTo(mine.reduce((a: number, b: number) => a + b, 0) / mine.length, 10)
    }
    expect(opened.comparisons[0]).toMatchObject({ arm: 'rich', verdict: { en: expect.any(String), zh: expect.any(String) } })
    expect(opened.comparisons[0].p_adjusted).not.toBeNull()
    expect(r.metrics[2].comparisons[0].p_adjusted).toBeNull() // guardrails are not corrected
    expect(r.srm.counts.reduce((a: number, b: number) => a + b, 0)).toBe(4)
    expect(r.balance.map((b: any) => b.metric)).toEqual(['opened_bottles', 'stocked_bottles', 'retail_sales', 'active_share', 'distinct_consumers'])
    expect(r.cumulative.points.map((p: any) => p.through)).toEqual(['2026-03-08', '2026-03-15'])
    expect(r.exposures.reduce((t: number, e: any) => t + e.assigned, 0)).toBe(4)
    expect(r.verdict.en).toMatch(/opened bottles/i)
  })

  it('stops, then decides with the winning policy recorded', async () => {
    expect((await call('POST', `/experiments/${id}/decide`, { arm: 'rich' })).status).toBe(400) // not stopped yet
    expect((await call('POST', `/experiments/${id}/stop`)).json).toMatchObject({ status: 'stopped' })
    expect((await call('POST', `/experiments/${id}/decide`, { arm: 'nobody' })).json.detail).toMatch(/not an arm/)
    expect((await call('POST', `/experiments/${id}/decide`, { arm: 'rich', note: 'roll out' })).json).toMatchObject({ status: 'decided' })
    const exp = (await call('GET', `/experiments/${id}`)).json
    expect(exp.decision).toMatchObject({ arm: 'rich', policy_id: policies[1], policy_version: 1, note: 'roll out' })
    Experiment.parse(exp)
    expect(exp.stopped_at).not.toBeNull()
  })

  it('takes the audience from a saved segment or a rule, evaluated as of the launch date', async () => {
    const rule = { event: 'open', window: { from: '2026-02-16', to: '2026-03-01' }, measure: 'bottles', op: 'gte', value: 1 }
    const seg = await call('POST', '/segments', { name: 'Opened in the pre-period', entity: 'store', rule })
    expect(seg.status).toBe(200)
    for (const audience of [{ segment_id: seg.json.id }, { rule }]) {
      const e = (await call('POST', '/experiments', design(policies, audience))).json
      expect((await call('POST', `/experiments/${e.id}/launch`, { as_of: '2026-03-02' })).status).toBe(200)
      const rows = (await call('GET', `/experiments/${e.id}/assignments`)).json.rows
      expect(rows.map((x: any) => x.unit_id)).toEqual(['S1', 'S2', 'S4'])
    }
    const draft = (await call('POST', '/experiments', design(policies, { store_ids: ['S1', 'S2'] }))).json
    expect((await call('DELETE', `/experiments/${draft.id}`)).json).toEqual({ id: draft.id, deleted: true })
    expect((await call('GET', `/experiments/${draft.id}`)).status).toBe(404)
  })
})

describe('power calculator', () => {
  it('gives the MDE for an audience from its own history, smaller with CUPED', async () => {
    const r = await call('POST', '/experiments/power', { audience: { store_ids: ['S1', 'S2', 'S3', 'S4'] }, metric: 'opened_bottles', days: 14, pre_days: 14, as_of: '2026-03-16' })
    expect(r.status).toBe(200)
    // Baseline = the analysis window values 3, 0, 2, 5 (mean 2.5, variance 13/3); pre 2, 1, 0, 3.
    expect(r.json).toMatchObject({ n_total: 4, mean: 2.5, baseline: { from: '2026-03-02', to: '2026-03-15' } })
    expect(r.json.variance).toBeCloseTo(13 / 3, 10)
    expect(r.json.cuped_r2).toBeGreaterThan(0)
    PowerResponse.parse(r.json)
    const big = await call('POST', '/experiments/power', { n: 10_000, metric: 'opened_bottles', mean: 10, variance: 100, cuped_r2: 0.5, weights: [1, 1] })
    // w = (z.975 + z.8)² σ² / (n μ²) = 2.801585² · 100 / (5000 · 100) = 0.0015698; δ = (w + √(2w − w²)) / (1 − w) = 0.05767.
    expect(big.json.n_per_arm).toBe(5000)
    expect(big.json.mde).toBeCloseTo(0.05767, 4)
    expect(big.json.mde_cuped).toBeLessThan(big.json.mde * 0.75)
  })
})
