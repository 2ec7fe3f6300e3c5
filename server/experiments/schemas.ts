/**
 * Request schemas of the policy and experiment endpoints, and the stored experiment definition
 * narrowed like a request. The responses (and the design they share) are in
 * segments/api/experiments.ts, shared with the web. Schema and type share a name; stored JSON
 * (policy amounts, experiment designs) is re-validated with these when read.
 */
import { z } from 'zod'
import * as shared from '../../segments/api/experiments.js'
import { LocalDate } from '../ingest/schemas.js'
import { CATALOG_IDS } from './catalog.js'

export { LocalDate }

export const PolicyInput = z.object({ name: z.string().trim().min(1).max(200), note: z.string().max(4000).default(''), config: shared.PolicyConfig })
export type PolicyInput = z.infer<typeof PolicyInput>

/** A metric of the catalog, or `ext:<name>`: per-unit values supplied with an imported experiment. */
export const MetricRef = z
  .string()
  .refine((s) => (CATALOG_IDS as readonly string[]).includes(s) || /^ext:[a-z][a-z0-9_]{0,39}$/.test(s), {
    message: `must be one of ${CATALOG_IDS.join(', ')} or ext:<name> (lower-case letters, digits, _)`,
  })
export type MetricRef = z.infer<typeof MetricRef>

export const ArmName = z.string().trim().min(1).max(40).regex(/^[^\s,"]+( [^\s,"]+)*$/, 'no commas, quotes or double spaces (the name goes into CSV exports)')
export const ArmInput = z.object({ name: ArmName, policy_id: z.string().max(64).default(''), weight: z.number().positive().max(1000).default(1) })
export type ArmInput = z.infer<typeof ArmInput>

// Requests and stored definitions narrow the shared design: real dates (with the ingest API's
// messages) and metric ids of the catalog.
const NARROWED = {
  start: LocalDate,
  end: LocalDate,
  primary_metric: MetricRef,
  secondary_metrics: z.array(MetricRef).max(10).default([]),
  guardrail_metrics: z.array(MetricRef).max(10).default([]),
}

/** The design of an experiment. The first arm is the control. */
export const ExperimentDesign = shared.ExperimentDesign.extend(NARROWED)

const designChecks = (d: { start: string; end: string; primary_metric: string; secondary_metrics: string[]; guardrail_metrics: string[] }, ctx: z.RefinementCtx) => {
  if (d.end < d.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must not be before start' })
  const all = [d.primary_metric, ...d.secondary_metrics, ...d.guardrail_metrics]
  const dup = all.findIndex((m, i) => all.indexOf(m) !== i)
  if (dup >= 0) ctx.addIssue({ code: 'custom', path: ['secondary_metrics'], message: `metric ${all[dup]} is listed twice` })
}
const armChecks = (arms: { name: string }[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>()
  arms.forEach((a, i) => {
    if (seen.has(a.name)) ctx.addIssue({ code: 'custom', path: ['arms', i, 'name'], message: `arm "${a.name}" is listed twice` })
    seen.add(a.name)
  })
}

export const ExperimentInput = ExperimentDesign.extend({
  name: z.string().trim().min(1).max(200),
  audience: shared.Audience,
  arms: z.array(ArmInput).min(2).max(6),
}).superRefine((e, ctx) => {
  designChecks(e, ctx)
  armChecks(e.arms, ctx)
  e.arms.forEach((a, i) => {
    if (!a.policy_id) ctx.addIssue({ code: 'custom', path: ['arms', i, 'policy_id'], message: 'every arm needs a policy' })
  })
  for (const m of [e.primary_metric, ...e.secondary_metrics, ...e.guardrail_metrics])
    if (m.startsWith('ext:')) ctx.addIssue({ code: 'custom', path: ['primary_metric'], message: `${m}: ext: metrics exist only in imported experiments` })
})
export type ExperimentInput = z.infer<typeof ExperimentInput>

/** What the stored `definition` JSON holds. */
export const StoredDefinition = shared.StoredDefinition.extend(NARROWED)
export type StoredDefinition = z.infer<typeof StoredDefinition>

export const LaunchRequest = z.object({ as_of: LocalDate.optional() })
export const DecideRequest = z.object({ arm: z.string().min(1), note: z.string().max(4000).default('') })

/** An experiment run elsewhere: who got which arm, its dates, and optionally per-unit metric values. */
export const ImportInput = ExperimentDesign.extend({
  name: z.string().trim().min(1).max(200),
  /** `store`: units are store ids, analysable with the catalog metrics; `external`: only with supplied values. */
  unit: z.enum(['store', 'external']).default('store'),
  /** Arm names in order; the first is the control. Default: the distinct arms of `assignments` in order of appearance. */
  arms: z.array(z.object({ name: ArmName, weight: z.number().positive().default(1), policy_id: z.string().max(64).default('') })).min(2).max(20).optional(),
  assignments: z.array(z.object({ unit_id: z.string().min(1).max(64), arm: ArmName })).min(2).max(2_000_000),
  metrics: z.array(shared.ExternalMetric).max(20).default([]),
  values: z
    .array(
      z.object({
        unit_id: z.string().min(1).max(64),
        metric: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
        value: z.number().finite(),
        period: z.enum(['pre', 'post']).default('post'),
        /** 1-based week of the period; the unit's value is the mean over its weeks. Omit for one value per period. */
        week: z.number().int().min(1).max(520).optional(),
      }),
    )
    .max(5_000_000)
    .default([]),
})
export type ImportInput = z.infer<typeof ImportInput>

export const PowerRequest = z.object({
  audience: shared.Audience.optional(),
  /** Audience size, when no audience is given (then mean and variance are required). */
  n: z.number().int().min(2).optional(),
  metric: MetricRef,
  weights: z.array(z.number().positive()).min(2).max(6).default([1, 1]),
  alpha: z.number().min(0.001).max(0.2).default(0.05),
  power: z.number().min(0.5).max(0.99).default(0.8),
  sequential_tau: z.number().positive().nullable().default(null),
  pre_days: z.number().int().min(0).max(365).default(28),
  /** Planned analysis length in days: the baseline window is the `days` before `as_of`. */
  days: z.number().int().min(1).max(365).default(28),
  as_of: LocalDate.optional(),
  mean: z.number().optional(),
  variance: z.number().positive().optional(),
  cuped_r2: z.number().min(0).lt(1).optional(),
})
export type PowerRequest = z.infer<typeof PowerRequest>
