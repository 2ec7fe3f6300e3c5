/**
 * Fetchers of the policy and experiment endpoints (server/api/routes/experiments.ts), parsing
 * each answer with the response schemas the server's contracts use (segments/api/experiments.ts),
 * and the query options and keys built on them.
 */
import { keepPreviousData, queryOptions } from '@tanstack/react-query'
import { SegmentList } from '../../../../segments/api'
import {
  Experiment, ExperimentDeleted, ExperimentList, ExperimentSaved, MetricList, PolicyList, PolicySaved, PowerResponse, Results, type PolicyConfig,
} from '../../../../segments/api/experiments'
import { apiGet, apiSend } from '../../api/client'

export type {
  ComparisonResult as Comparison, Experiment, ExperimentSummary, Metric, MetricResult, Policy, PolicyConfig, PowerResponse, Results, Status, Text,
} from '../../../../segments/api/experiments'

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

export const savePolicy = (body: { name: string; note: string; config: PolicyConfig }) => apiSend('POST', '/policies', body, PolicySaved)
export const createExperiment = (body: unknown) => apiSend('POST', '/experiments', body, ExperimentSaved)
export const launchExperiment = (id: string) => apiSend('POST', `${exp(id)}/launch`, {}, ExperimentSaved)
export const stopExperiment = (id: string) => apiSend('POST', `${exp(id)}/stop`, undefined, ExperimentSaved)
export const decideExperiment = (id: string, arm: string, note: string) => apiSend('POST', `${exp(id)}/decide`, { arm, note }, ExperimentSaved)
export const deleteExperiment = (id: string) => apiSend('DELETE', exp(id), undefined, ExperimentDeleted)
/** Where the browser downloads the frozen assignment. */
export const assignmentsUrl = (id: string, format: 'csv' | 'ndjson') => `/api/v1${exp(id)}/assignments?format=${format}`
