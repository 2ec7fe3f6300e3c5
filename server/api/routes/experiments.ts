/**
 * Policies and policy experiments (DESIGN §6): endpoint contracts as data, mounted on one
 * router. JSON bodies are parsed here, scoped to these paths, so an import may be larger than
 * the API's default body limit.
 */
import express, { Router, type Response } from 'express'
import { z } from 'zod'
import {
  AssignmentPage, Experiment, ExperimentDeleted, ExperimentList, ExperimentSaved, MetricList, Policy, PolicyList, PolicySaved, PolicyVersions, PowerResponse, Results,
} from '../../../segments/api/experiments.js'
import type { Db } from '../../db/gateway.js'
import { CATALOG } from '../../experiments/catalog.js'
import { DecideRequest, ExperimentInput, ImportInput, LaunchRequest, LocalDate, PolicyInput, PowerRequest } from '../../experiments/schemas.js'
import { EXPORT_PAGE, ExperimentService, type AssignmentRow } from '../../experiments/service.js'
import { endpoint, mount } from '../contract.js'
import { ApiError } from '../errors.js'

const Id = z.string().min(1).max(64)
const json = (s: z.ZodType) => ({ 'application/json': s })
const ExportQuery = z.object({
  format: z.enum(['json', 'csv', 'ndjson']).default('json'),
  limit: z.coerce.number().int().min(1).max(EXPORT_PAGE).default(1000),
  after: z.string().max(64).default(''),
})

const E = {
  metrics: endpoint({ method: 'get', path: '/experiments/metrics', tag: 'experiments', summary: 'The metric catalog (per store over the analysis window)', response: MetricList }),
  power: endpoint({
    method: 'post', path: '/experiments/power', tag: 'experiments', errors: [400],
    summary: "Minimum detectable effect for an audience, metric and arm weights, without and with CUPED, from the audience's own history",
    body: json(PowerRequest), response: PowerResponse,
  }),
  import: endpoint({
    method: 'post', path: '/experiments/import', tag: 'experiments', errors: [400, 413],
    summary: 'Import an experiment run elsewhere: assignments (unit → arm), dates, optional per-unit metric values (ext:<name> metrics)',
    body: json(ImportInput), response: ExperimentSaved.extend({ units: z.number(), values: z.number() }),
  }),
  list: endpoint({ method: 'get', path: '/experiments', tag: 'experiments', summary: 'Experiments, most recently changed first', response: ExperimentList }),
  create: endpoint({ method: 'post', path: '/experiments', tag: 'experiments', errors: [400], summary: 'Save a draft experiment (the first arm is the control)', body: json(ExperimentInput), response: ExperimentSaved }),
  get: endpoint({ method: 'get', path: '/experiments/:id', params: { id: Id }, tag: 'experiments', errors: [404], summary: 'An experiment: design, arms (units per arm once launched), lifecycle, decision', response: Experiment }),
  update: endpoint({ method: 'put', path: '/experiments/:id', params: { id: Id }, tag: 'experiments', errors: [400, 404], summary: 'Replace a draft', body: json(ExperimentInput), response: ExperimentSaved }),
  remove: endpoint({ method: 'delete', path: '/experiments/:id', params: { id: Id }, tag: 'experiments', errors: [400, 404], summary: 'Delete a draft', response: ExperimentDeleted }),
  launch: endpoint({
    method: 'post', path: '/experiments/:id/launch', params: { id: Id }, tag: 'experiments', errors: [400, 404],
    summary: 'draft → running: freeze the audience as of a date (default today) and assign it (stratified, optionally clustered)',
    body: json(LaunchRequest), response: ExperimentSaved,
  }),
  stop: endpoint({ method: 'post', path: '/experiments/:id/stop', params: { id: Id }, tag: 'experiments', errors: [400, 404], summary: 'running → stopped (the analysis window ends that day)', response: ExperimentSaved }),
  decide: endpoint({
    method: 'post', path: '/experiments/:id/decide', params: { id: Id }, tag: 'experiments', errors: [400, 404],
    summary: 'stopped → decided, recording the winning arm and its policy version', body: json(DecideRequest), response: ExperimentSaved,
  }),
  results: endpoint({
    method: 'get', path: '/experiments/:id/results', params: { id: Id }, tag: 'experiments', errors: [400, 404],
    summary: 'Per metric arm means, lift with interval, p (adjusted), verdict; SRM, balance, cumulative lift, exposures',
    query: z.object({ as_of: LocalDate.optional() }), response: Results,
  }),
  assignments: endpoint({
    method: 'get', path: '/experiments/:id/assignments', params: { id: Id }, tag: 'experiments', errors: [400, 404],
    summary: 'The frozen assignment for the payout system: JSON pages (limit, after = last unit id), or all of it as CSV or NDJSON',
    query: ExportQuery, response: AssignmentPage,
  }),
  policies: endpoint({ method: 'get', path: '/policies', tag: 'policies', summary: 'Current policies', response: PolicyList }),
  createPolicy: endpoint({ method: 'post', path: '/policies', tag: 'policies', errors: [400], summary: 'Save a new policy (version 1)', body: json(PolicyInput), response: PolicySaved }),
  policy: endpoint({ method: 'get', path: '/policies/:id', params: { id: Id }, tag: 'policies', errors: [404], summary: 'The current version of a policy', response: Policy }),
  updatePolicy: endpoint({ method: 'put', path: '/policies/:id', params: { id: Id }, tag: 'policies', errors: [400, 404], summary: 'Save a new version of a policy', body: json(PolicyInput), response: PolicySaved }),
  policyVersions: endpoint({ method: 'get', path: '/policies/:id/versions', params: { id: Id }, tag: 'policies', errors: [404], summary: 'Every version of a policy', response: PolicyVersions }),
}

export const experimentEndpoints = Object.values(E)

/** Validates a JSON body: a 400 naming every path on failure. */
function body<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value ?? {})
  if (r.success) return r.data
  const errors = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
  throw new ApiError('bad_request', errors.map((e) => `${e.path || 'body'}: ${e.message}`).join('; '), { errors })
}

const csvCell = (v: string) => {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
const COLUMNS = ['unit_id', 'arm', 'policy_id', 'stratum', 'cluster_id'] as const

/** Streams the whole assignment, page by page, waiting for the socket to drain. */
async function streamAssignments(res: Response, pages: (after: string) => Promise<AssignmentRow[]>, format: 'csv' | 'ndjson', name: string) {
  res.status(200)
  res.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson')
  res.setHeader('Content-Disposition', `attachment; filename="${name}.${format === 'csv' ? 'csv' : 'ndjson'}"`)
  const write = (s: string) => new Promise<void>((ok) => (res.write(s) ? ok() : res.once('drain', ok)))
  if (format === 'csv') await write(`\uFEFF${COLUMNS.join(',')}\r\n`)
  for (let after = ''; ; ) {
    const rows = await pages(after)
    if (!rows.length) break
    const text = format === 'csv' ? rows.map((r) => COLUMNS.map((c) => csvCell(r[c])).join(',') + '\r\n').join('') : rows.map((r) => JSON.stringify(r) + '\n').join('')
    await write(text)
    if (rows.length < EXPORT_PAGE) break
    after = rows[rows.length - 1].unit_id
  }
  res.end()
}

/** The experiments and policies router. */
export function experimentsRouter(db: Db): Router {
  const svc = new ExperimentService(db)
  const router = Router()
  router.use('/experiments/import', express.json({ limit: '256mb' }))
  router.use(['/experiments', '/policies'], express.json({ limit: '4mb' }))
  mount(router, E.metrics, () => ({ metrics: CATALOG.map(({ id, kind, label, unit, higher_is_better }) => ({ id, kind, label, unit, higher_is_better })) }))
  mount(router, E.power, ({ req }) => svc.power(body(PowerRequest, req.body)))
  mount(router, E.import, ({ req }) => svc.import(body(ImportInput, req.body)))
  mount(router, E.list, async () => ({ experiments: await svc.list() }))
  mount(router, E.create, ({ req }) => svc.create(body(ExperimentInput, req.body)))
  mount(router, E.get, ({ req }) => svc.get(String(req.params.id)))
  mount(router, E.update, ({ req }) => svc.update(String(req.params.id), body(ExperimentInput, req.body)))
  mount(router, E.remove, ({ req }) => svc.remove(String(req.params.id)))
  mount(router, E.launch, ({ req }) => svc.launch(String(req.params.id), body(LaunchRequest, req.body).as_of))
  mount(router, E.stop, ({ req }) => svc.stop(String(req.params.id)))
  mount(router, E.decide, ({ req }) => svc.decide(String(req.params.id), body(DecideRequest, req.body)))
  mount(router, E.results, ({ req, query }) => svc.results(String(req.params.id), query.as_of))
  mount(router, E.assignments, async ({ req, res, query }) => {
    const exp = await svc.get(String(req.params.id))
    if (exp.status === 'draft') throw new ApiError('bad_request', `experiment ${exp.id} is a draft: it has no assignment yet`)
    if (query.format === 'json') {
      const total = exp.arms.reduce((t, a) => t + a.units, 0)
      return { experiment_id: exp.id, total, rows: await svc.assignmentPage(exp, query.after, query.limit) }
    }
    await streamAssignments(res, (after) => svc.assignmentPage(exp, after, EXPORT_PAGE), query.format, `${exp.id}-assignments`)
    return undefined as never
  })
  mount(router, E.policies, async () => ({ policies: await svc.policies.list() }))
  mount(router, E.createPolicy, ({ req }) => svc.policies.create(body(PolicyInput, req.body)))
  mount(router, E.policy, ({ req }) => svc.policies.get(String(req.params.id)))
  mount(router, E.updatePolicy, ({ req }) => svc.policies.update(String(req.params.id), body(PolicyInput, req.body)))
  mount(router, E.policyVersions, ({ req }) => svc.policies.versions(String(req.params.id)))
  return router
}
