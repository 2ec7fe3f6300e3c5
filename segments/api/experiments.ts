/**
 * Response schemas of the policy and experiment endpoints, and the parts of the design both
 * sides share: the server's route contracts (OpenAPI, handler return types) and the web's
 * fetchers use these. The server narrows the design for requests (real dates with its messages,
 * metric ids of its catalog) in server/experiments/schemas.ts. Schema and type share a name.
 */
import { z } from 'zod'
import { LocalDate } from '../rule.js'

/** A label in both languages. */
export const Text = z.object({ en: z.string(), zh: z.string() })
export type Text = z.infer<typeof Text>
const Interval = z.tuple([z.number().nullable(), z.number().nullable()])
const Window = z.object({ from: z.string(), to: z.string() })

const Fen = z.number().int('must be a whole number of fen').min(0).max(1e9)
const FenRange = z.tuple([Fen, Fen]).refine(([a, b]) => a <= b, 'min must not exceed max')
/** Amounts by product tier, in fen. */
export const TierAmounts = z.object({ mass: Fen, sub_premium: Fen, premium: Fen })

/** An incentive configuration: what the code platform pays per event, by tier (the simulator's `Policy` without the ladder). */
export const PolicyConfig = z.object({
  /** To the store, per case scanned at stock-in. */
  stock_in_fen_per_case: TierAmounts,
  /** To the store, per opened bottle scanned by a consumer. */
  sell_through_fen_per_bottle: TierAmounts,
  /** To the consumer, a random amount in [min, max] per scanned open. */
  red_envelope_fen: z.object({ mass: FenRange, sub_premium: FenRange, premium: FenRange }),
  /** To the store's distributor, per scanned open. */
  distributor_bonus_fen_per_open: TierAmounts,
})
export type PolicyConfig = z.infer<typeof PolicyConfig>

export const Policy = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number().int(),
  config: PolicyConfig,
  note: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
})
export type Policy = z.infer<typeof Policy>
export const PolicyList = z.object({ policies: z.array(Policy) })
export const PolicyVersions = z.object({
  id: z.string(),
  versions: z.array(z.object({ version: z.number().int(), name: z.string(), config: PolicyConfig, note: z.string(), created_at: z.string() })),
})
export const PolicySaved = z.object({ id: z.string(), version: z.number().int() })

/** A metric of the catalog, as `/experiments/metrics` lists it. */
export const Metric = z.object({ id: z.string(), kind: z.string(), label: Text, unit: Text, higher_is_better: z.boolean() })
export type Metric = z.infer<typeof Metric>
export const MetricList = z.object({ metrics: z.array(Metric) })

/** Who is in the experiment, frozen at launch: a saved segment, a rule over stores, or explicit store ids. */
export const Audience = z.union([
  z.strictObject({ segment_id: z.string().min(1).max(64) }),
  z.strictObject({ store_ids: z.array(z.string().min(1).max(64)).min(2).max(1_000_000) }),
  z.strictObject({ rule: z.unknown() }),
])
export type Audience = z.infer<typeof Audience>

/** A metric whose per-unit values come with an import. */
export const ExternalMetric = z.object({
  name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  kind: z.enum(['mean', 'proportion']).default('mean'),
  label: z.string().max(100).default(''),
  higher_is_better: z.boolean().default(true),
})
export type ExternalMetric = z.infer<typeof ExternalMetric>

/** The design of an experiment. The first arm is the control. */
export const ExperimentDesign = z.object({
  hypothesis: z.string().max(4000).default(''),
  start: LocalDate,
  end: LocalDate,
  /** A metric id of the catalog, or `ext:<name>` (imported experiments). */
  primary_metric: z.string(),
  secondary_metrics: z.array(z.string()).max(10).default([]),
  guardrail_metrics: z.array(z.string()).max(10).default([]),
  /** Days before `start` whose values are the CUPED covariate and the stratification variable (0: none). */
  pre_days: z.number().int().min(0).max(365).default(28),
  alpha: z.number().min(0.001).max(0.2).default(0.05),
  sequential: z.boolean().default(false),
  /** Tuning parameter τ of the confidence sequences; default: the audience size at launch. */
  sequential_tau: z.number().positive().nullable().default(null),
  /** Across treatment arms × primary and secondary metrics (guardrails are not corrected). */
  correction: z.enum(['none', 'holm', 'bh']).default('holm'),
  stratify: z.boolean().default(true),
  cluster_by_distributor: z.boolean().default(false),
})

/** What the stored `definition` JSON holds. */
export const StoredDefinition = ExperimentDesign.extend({
  audience: Audience.nullable(),
  unit: z.enum(['store', 'external']).default('store'),
  external_metrics: z.array(ExternalMetric).default([]),
})
export type StoredDefinition = z.infer<typeof StoredDefinition>

export const Status = z.enum(['draft', 'running', 'stopped', 'decided'])
export type Status = z.infer<typeof Status>

export const Arm = z.object({ name: z.string(), policy_id: z.string(), policy_version: z.number().int(), weight: z.number(), units: z.number().int() })
export const Decision = z.object({ arm: z.string(), policy_id: z.string(), policy_version: z.number().int(), note: z.string(), decided_at: z.string() })

export const Experiment = StoredDefinition.extend({
  id: z.string(),
  name: z.string(),
  status: Status,
  source: z.enum(['workbench', 'external']),
  revision: z.number().int(),
  audience_size: z.number().int(),
  arms: z.array(Arm),
  created_at: z.string(),
  updated_at: z.string(),
  launched_at: z.string().nullable(),
  stopped_at: z.string().nullable(),
  decided_at: z.string().nullable(),
  decision: Decision.nullable(),
})
export type Experiment = z.infer<typeof Experiment>

export const ExperimentSummary = Experiment.pick({
  id: true, name: true, status: true, source: true, start: true, end: true, primary_metric: true, audience_size: true, updated_at: true,
}).extend({ arms: z.array(z.string()) })
export type ExperimentSummary = z.infer<typeof ExperimentSummary>
export const ExperimentList = z.object({ experiments: z.array(ExperimentSummary) })
export const ExperimentSaved = z.object({ id: z.string(), status: Status, revision: z.number().int() })
export const ExperimentDeleted = z.object({ id: z.string(), deleted: z.literal(true) })

export const PowerResponse = z.object({
  metric: z.string(),
  n_total: z.number().int(),
  /** Effective units per arm of the control-vs-treatment comparison (harmonic mean of the two sizes). */
  n_per_arm: z.number(),
  mean: z.number(),
  variance: z.number(),
  /** Expected CUPED variance reduction ρ²: squared correlation of the baseline window with the period before it. */
  cuped_r2: z.number(),
  /** Relative MDE without and with CUPED; null when no effect is detectable with this power. */
  mde: z.number().nullable(),
  mde_cuped: z.number().nullable(),
  baseline: Window.nullable(),
  note: z.string().nullable(),
})
export type PowerResponse = z.infer<typeof PowerResponse>

export const AssignmentRow = z.object({ unit_id: z.string(), arm: z.string(), policy_id: z.string(), stratum: z.string(), cluster_id: z.string() })
export const AssignmentPage = z.object({ experiment_id: z.string(), total: z.number().int(), rows: z.array(AssignmentRow) })

export const ComparisonResult = z.object({
  arm: z.string(),
  /** Relative lift (treatment / control − 1) with its interval (delta method). */
  lift: z.object({ estimate: z.number(), ci: Interval, se: z.number() }),
  /** Absolute difference of the arm means. */
  difference: z.object({ estimate: z.number(), ci: Interval }),
  p: z.number(),
  /** Holm/BH-adjusted across treatment arms × primary and secondary metrics; null when not corrected. */
  p_adjusted: z.number().nullable(),
  outcome: z.enum(['better', 'worse', 'inconclusive', 'error']),
  verdict: Text,
  error: z.string().nullable(),
})
export type ComparisonResult = z.infer<typeof ComparisonResult>
export const MetricResult = z.object({
  metric: z.string(),
  role: z.enum(['primary', 'secondary', 'guardrail']),
  kind: z.enum(['mean', 'proportion', 'ratio']),
  label: Text,
  unit: Text,
  higher_is_better: z.boolean(),
  cuped: z.boolean(),
  variance_reduction: z.number().nullable(),
  arms: z.array(z.object({ name: z.string(), n: z.number(), mean: z.number() })),
  comparisons: z.array(ComparisonResult),
})
export type MetricResult = z.infer<typeof MetricResult>
export const BalanceRow = z.object({
  metric: z.string(),
  label: Text,
  arms: z.array(z.object({ name: z.string(), n: z.number(), mean: z.number(), sd: z.number() })),
  /** Standardized difference vs. the control, (m_t − m_c) / √((s_t² + s_c²)/2); |d| > 0.1 is the usual imbalance flag. */
  std_diff: z.array(z.object({ arm: z.string(), d: z.number().nullable() })),
})
export type BalanceRow = z.infer<typeof BalanceRow>
export const CumulativePoint = z.object({
  week: z.number().int(),
  through: z.string(),
  comparisons: z.array(z.object({ arm: z.string(), estimate: z.number(), ci: Interval, error: z.string().nullable() })),
})
export const Results = z.object({
  experiment_id: z.string(),
  status: Status,
  computed_at: z.string(),
  /** The analysis unit: stores, distributors (clustered), or imported units. */
  unit: z.enum(['store', 'distributor', 'external']),
  window: z.object({ pre: Window.nullable(), from: z.string(), to: z.string(), days: z.number().int() }),
  alpha: z.number(),
  sequential: z.boolean(),
  correction: z.enum(['none', 'holm', 'bh']),
  arms: z.array(z.object({ name: z.string(), policy_id: z.string(), weight: z.number(), units: z.number().int() })),
  srm: z.object({ p: z.number(), counts: z.array(z.number()), expected: z.array(z.number()), warning: z.boolean() }),
  exposures: z.array(z.object({ arm: z.string(), assigned: z.number(), exposed: z.number(), mismatched: z.number() })),
  metrics: z.array(MetricResult),
  verdict: Text,
  balance: z.array(BalanceRow),
  cumulative: z.object({ metric: z.string(), points: z.array(CumulativePoint) }).nullable(),
})
export type Results = z.infer<typeof Results>
