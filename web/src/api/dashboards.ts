import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query'
import type { z } from 'zod'
import { Cohorts, Diversion, Evidence, FilterOptions, GeoMap, Geography, Incentives, Overview } from '../../../segments/api/dashboards'
import { apiGet } from './client'
import { queryKeys } from './queryKeys'

// The response schemas are shared with the server's route contracts (segments/api/dashboards.ts).
export type { Kpi, RewardBasis, Grain, FilterOptions, Overview, Geography, GeoMap, Flow, Diversion, Evidence, PerBottle, Incentives, Cohorts } from '../../../segments/api/dashboards'

/** The endpoints by page, with their response schemas. */
const PAGES = {
  overview: Overview,
  geography: Geography,
  'geography/map': GeoMap,
  diversion: Diversion,
  'diversion/evidence': Evidence,
  incentives: Incentives,
  cohorts: Cohorts,
} as const
export type DashEndpoint = keyof typeof PAGES
/** The parsed response of each endpoint. */
export type DashData = { [E in DashEndpoint]: z.output<(typeof PAGES)[E]> }

/** GET /api/v1/dashboards/options (changes only with master data: kept for 5 minutes). */
export const dashOptionsQuery = () =>
  queryOptions({
    queryKey: queryKeys.dashboards.options(),
    queryFn: ({ signal }) => apiGet('/dashboards/options', FilterOptions, { signal }),
    staleTime: 300_000,
  })

/**
 * GET /api/v1/dashboards/<endpoint>?<query>; `query` is the canonical query string of the
 * filters (its text is the cache key). Disabled while `query` is null (the period is not known yet).
 */
export const dashQuery = <E extends DashEndpoint>(endpoint: E, query: string | null) =>
  queryOptions({
    queryKey: queryKeys.dashboards.page(endpoint, query ?? ''),
    // The schema is looked up by endpoint, so the checker needs the answer's type spelled out.
    queryFn: ({ signal }) => apiGet(`/dashboards/${endpoint}?${query}`, PAGES[endpoint], { signal }) as Promise<DashData[E]>,
    enabled: query !== null,
    // Changing a filter keeps the old figures on screen (marked loading) until the new ones arrive.
    placeholderData: keepPreviousData,
  })

export const useDashOptions = () => useQuery(dashOptionsQuery())
export const useDash = <E extends DashEndpoint>(endpoint: E, query: string | null) => useQuery(dashQuery(endpoint, query))
