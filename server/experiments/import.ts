/**
 * External experiments: a test run elsewhere, imported as its assignment (unit → arm) and
 * dates, optionally with per-unit metric values (`ext:<name>` metrics). Store units are
 * analysed with the catalog metrics too; other units only with the values supplied.
 */
import type { ExternalMetric } from '../../segments/api/experiments.js'
import { ApiError } from '../api/errors.js'
import type { Db } from '../db/gateway.js'
import { localDate } from './dates.js'
import { writeAssignments } from './launch.js'
import type { ImportInput, StoredDefinition } from './schemas.js'
import type { ExperimentStore } from './store.js'
import { newId } from './util.js'

function bad(path: string, message: string): never {
  throw new ApiError('bad_request', `${path}: ${message}`, { errors: [{ path, message }] })
}

/** Checks an import beyond its schema and returns its arms (control first) and declared metrics. */
export function checkImport(input: ImportInput): { arms: { name: string; weight: number; policy_id: string }[]; metrics: ExternalMetric[] } {
  const arms = input.arms ?? [...new Set(input.assignments.map((a) => a.arm))].map((name) => ({ name, weight: 1, policy_id: '' }))
  if (arms.length < 2) bad('assignments', 'needs at least two arms')
  const armNames = new Set(arms.map((a) => a.name))
  if (armNames.size !== arms.length) bad('arms', 'an arm is listed twice')
  const units = new Set<string>()
  input.assignments.forEach((a, i) => {
    if (!armNames.has(a.arm)) bad(`assignments.${i}.arm`, `"${a.arm}" is not one of the arms (${[...armNames].join(', ')})`)
    if (units.has(a.unit_id)) bad(`assignments.${i}.unit_id`, `${a.unit_id} is assigned twice`)
    units.add(a.unit_id)
  })
  if (input.end < input.start) bad('end', 'must not be before start')
  const metrics = [...input.metrics]
  input.values.forEach((v, i) => {
    if (!units.has(v.unit_id)) bad(`values.${i}.unit_id`, `${v.unit_id} has no assignment`)
    if (!metrics.some((m) => m.name === v.metric)) metrics.push({ name: v.metric, kind: 'mean', label: '', higher_is_better: true })
  })
  const refs = [input.primary_metric, ...input.secondary_metrics, ...input.guardrail_metrics]
  const named = new Set(input.values.map((v) => v.metric))
  refs.forEach((ref, i) => {
    const path = i === 0 ? 'primary_metric' : 'secondary_metrics'
    if (ref.startsWith('ext:') && !named.has(ref.slice(4))) bad(path, `${ref} has no values in the import`)
    if (!ref.startsWith('ext:') && input.unit === 'external') bad(path, `${ref} is a store metric; units of kind "external" are analysed only with ext: metrics`)
  })
  if (new Set(refs).size !== refs.length) bad('secondary_metrics', 'a metric is listed twice')
  return { arms, metrics }
}

/**
 * Imports an external experiment: assignment, values, then the experiment row (stopped when its
 * end date has passed, else running).
 * @example await importExperiment(db, store, { name: 'Promo test', start: '2026-01-05', end: '2026-02-01', primary_metric: 'ext:sales', assignments, values, … })
 */
export async function importExperiment(db: Db, store: ExperimentStore, input: ImportInput) {
  const { arms, metrics } = checkImport(input)
  const id = newId('exp')
  await writeAssignments(db, id, input.assignments.map((a) => ({ unit_id: a.unit_id, arm: a.arm, stratum: 'imported', cluster_id: a.unit_id, pre_value: 0 })))
  for (let i = 0; i < input.values.length; i += 100_000)
    await db.insert(
      'experiment_values',
      input.values.slice(i, i + 100_000).map((v) => ({ experiment_id: id, metric: v.metric, unit_id: v.unit_id, period: v.period, week: v.week ?? 0, value: v.value })),
      'exp-import',
    )
  const { name, unit, arms: _arms, assignments: _a, metrics: _m, values: _v, ...design } = input
  const definition: StoredDefinition = { ...design, audience: null, unit, external_metrics: metrics }
  const status = input.end < localDate(new Date()) ? 'stopped' : 'running'
  const saved = await store.exclusive(() =>
    store.write(id, { name, status, source: 'external', definition, arms: arms.map((a) => ({ ...a, policy_version: 0 })), audience_size: input.assignments.length }, { launched: true }),
  )
  return { ...saved, units: input.assignments.length, values: input.values.length }
}
