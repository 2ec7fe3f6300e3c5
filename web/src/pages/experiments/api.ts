/**
 * Fetchers of the policy and experiment endpoints (server/api/routes/experiments.ts), parsing
 * each answer with a schema that mirrors the server's contract (web/ never imports server/),
 * and the query options and keys built on them.
 */
import { keepPreviousData, queryOptions } from '@tanstack/react-query'
import { z } from 'zod'
import { apiGet, apiSend } from '../../api/client'

const Text = z.object({ en: z.string(), zh: z.string() })
export type Text = z.infer<typeof Text>
const Interval = z.tuple([z.number().nullable(), z.number().nullable()])
const Tiers = z.object({ mass: z.number(), sub_premium: z.number(), premium: z.number() })
const Range = z.tuple([z.number(), z.number()])

export const PolicyConfig = z.object({
  stock_in_fen_per_case: Tiers,
  sell_through_fen_per_bottle: Tiers,
  red_envelope_fen: z.object({ mass: Range, sub_premium: Range, premium: Range }),
  distributor_bonus_fen_per_open: Tiers,
})
export type PolicyConfig = z.infer<typeof PolicyConfig>
export const Policy = z.object({ id: z.string(), name: z.string(), version: z.number(), config: PolicyConfig, note: z.string(), updated_at: z.string() })
export type Policy = z.infer<typeof Policy>
const PolicyList = z.object({ policies: z.array(Policy) })
const Saved = z.object({ id: z.string() }).loose()

export const Metric = z.object({ id: z.string(), kind: z.string(), label: Text, unit: Text, higher_is_better: z.boolean() })
export type Metric = z.infer<typeof Metric>
const MetricList = z.object({ metrics: z.array(Metric) })

export const Status = z.enum(['draft', 'running', 'stopped', 'decided'])
export type Status = z.infer<typeof Status>

export const Experiment = z.object({
  id: z.string(),
  name: z.string(),
  status: Status,
  source: z.enum(['workbench', 'external']),
  hypothesis: z.string(),
  audience: z.unknown(),
  audience_size: z.number(),
  unit: z.enum(['store', 'external']),
  external_metrics: z.array(z.object({ name: z.string(), label: z.string() }).loose()),
  arms: z.array(z.object({ name: z.string(), policy_id: z.string(), policy_version: z.number(), weight: z.number(), units: z.number() })),
  start: z.string(),
  end: z.string(),
  primary_metric: z.string(),
  secondary_metrics: z.array(z.string()),
  guardrail_metrics: z.array(z.string()),
  pre_days: z.number(),
  alpha: z.number(),
  sequential: z.boolean(),
  sequential_tau: z.number().nullable(),
  correction: z.enum(['none', 'holm', 'bh']),
  stratify: z.boolean(),
  cluster_by_distributor: z.boolean(),
  launched_at: z.string().nullable(),
  stopped_at: z.string().nullable(),
  decision: z.object({ arm: z.string(), policy_id: z.string(), policy_version: z.number(), note: z.string(), decided_at: z.string() }).nullable(),
})
export type Experiment = z.infer<typeof Experiment>
const ExperimentList = z.object({
  experiments: z.array(z.object({
    id: z.string(), name: z.string(), status: Status, source: z.string(), start: z.string(), end: z.string(),
    primary_metric: z.string(), audience_size: z.number(), updated_at: z.string(), arms: z.array(z.string()),
  })),
})
export type ExperimentSummary = z.infer<typeof ExperimentList>['experiments'][number]

const Comparison = z.object({
  arm: z.string(),
  lift: z.object({ estimate: z.number(), ci: Interval, se: z.number() }),
  difference: z.object({ estimate: z.number(), ci: Interval }),
  p: z.number(),
  p_adjusted: z.number().nullable(),
  outcome: z.enum(['better', 'worse', 'inconclusive', 'error']),
  verdict: Text,
  error: z.string().nullable(),
})
export type Comparison = z.infer<typeof Comparison>
const MetricResult = z.object({
  metric: z.string(),
  role: z.enum(['primary', 'secondary', 'guardrail']),
  kind: z.string(),
  label: Text,
  unit: Text,
  higher_is_better: z.boolean(),
  cuped: z.boolean(),
  variance_reduction: z.number().nullable(),
  arms: z.array(z.object({ name: z.string(), n: z.number(), mean: z.number() })),
  comparisons: z.array(Comparison),
})
export type MetricResult = z.infer<typeof MetricResult>
export const Results = z.object({
  status: Status,
  unit: z.string(),
  window: z.object({ pre: z.object({ from: z.string(), to: z.string() }).nullable(), from: z.string(), to: z.string(), days: z.number() }),
  alpha: z.number(),
  sequential: z.boolean(),
  correction: z.string(),
  srm: z.object({ p: z.number(), counts: z.array(z.number()), expected: z.array(z.number()), warning: z.boolean() }),
  exposures: z.array(z.object({ arm: z.string(), assigned: z.number(), exposed: z.number(), mismatched: z.number() })),
  metrics: z.array(MetricResult),
  verdict: Text,
  balance: z.array(z.object({
    metric: z.string(),
    label: Text,
    arms: z.array(z.object({ name: z.string(), n: z.number(), mean: z.number(), sd: z.number() })),
    std_diff: z.array(z.object({ arm: z.string(), d: z.number().nullable() })),
  })),
  cumulative: z.object({
    metric: z.string(),
    points: z.array(z.object({ week: z.number(), through: z.string(), comparisons: z.array(z.object({ arm: z.string(), estimate: z.number(), ci: Interval, error: z.string().nullable() })) })),
  }).nullable(),
})
export type Results = z.infer<typeof Results>

export const PowerResponse = z.object({
  n_total: z.number(),
  n_per_arm: z.number(),
  mean: z.number(),
  variance: z.number(),
  cuped_r2: z.number(),
  mde: z.number().nullable(),
  mde_cuped: z.number().nullable(),
  baseline: z.object({ from: z.string(), to: z.string() }).nullable(),
  note: z.string().nullable(),
})
export type PowerResponse = z.infer<typeof PowerResponse>
const SegmentList = z.object({ segments: z.array(z.object({ id: z.string(), name: z.string(), entity: z.string(), size: z.number().nullable() }).loose()) })

/** Query keys of this page, one factory, nested so a prefix invalidates everything below it. */
export const expKeys = {
  all: () => ['experiments'] as const,
  list: () => ['experiments', 'list'] as const,
  one: (id: string) => ['experiments', 'one', id] as const,
  results: (id: string) => ['experiments', 'one', id, 'results'] as const,
  metrics: () => ['experiments', 'metrics'] as const,
  policies: () => ['experiments', 'policies'] as const,
  segments: () => ['experiments', 'segments'] as const,
  power: (body: string) => ['experiments', 'power', body] as const,
}

const exp = (id: string) => `/experiments/${encodeURIComponent(id)}`

export const experimentListQuery = () => queryOptions({ queryKey: expKeys.list(), queryFn: ({ signal }) => apiGet('/experiments', ExperimentList, { signal }) })
export const experimentQuery = (id: string) => queryOptions({ queryKey: expKeys.one(id), queryFn: ({ signal }) => apiGet(exp(id), Experiment, { signal }) })
export const resultsQuery = (id: string, enabled: boolean) =>
  queryOptions({ queryKey: expKeys.results(id), queryFn: ({ signal }) => apiGet(`${exp(id)}/results`, Results, { signal }), enabled })
export const metricsQuery = () => queryOptions({ queryKey: expKeys.metrics(), queryFn: ({ signal }) => apiGet('/experiments/metrics', MetricList, { signal }), staleTime: Infinity })
export const policiesQuery = () => queryOptions({ queryKey: expKeys.policies(), queryFn: ({ signal }) => apiGet('/policies', PolicyList, { signal }) })
/** Saved store segments, for the audience picker. */
export const segmentsQuery = () => queryOptions({ queryKey: expKeys.segments(), queryFn: ({ signal }) => apiGet('/segments', SegmentList, { signal }) })
/** POST /experiments/power; the request's JSON is the key, the last answer stays while the next loads. */
export const powerQuery = (body: string, enabled: boolean) =>
  queryOptions({
    queryKey: expKeys.power(body),
    queryFn: ({ signal }) => apiSend('POST', '/experiments/power', JSON.parse(body), PowerResponse, { signal }),
    enabled,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  })

export const savePolicy = (body: { name: string; note: string; config: PolicyConfig }) => apiSend('POST', '/policies', body, Saved)
export const createExperiment = (body: unknown) => apiSend('POST', '/experiments', body, Saved)
export const launchExperiment = (id: string) => apiSend('POST', `${exp(id)}/launch`, {}, Saved)
export const stopExperiment = (id: string) => apiSend('POST', `${exp(id)}/stop`, undefined, Saved)
export const decideExperiment = (id: string, arm: string, note: string) => apiSend('POST', `${exp(id)}/decide`, { arm, note }, Saved)
export const deleteExperiment = (id: string) => apiSend('DELETE', exp(id), undefined, Saved)
/** Where the browser downloads the frozen assignment. */
export const assignmentsUrl = (id: string, format: 'csv' | 'ndjson') => `/api/v1${exp(id)}/assignments?format=${format}`
