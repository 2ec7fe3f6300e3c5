import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query'
import { DataSummary, Health } from '../../../segments/api/data'
import { apiGet } from './client'
import { queryKeys } from './queryKeys'

// The response schemas are shared with the server's route contracts (segments/api/data.ts).
export type { DataSummary, EventsPerDay, Health, Reject, TableRows } from '../../../segments/api/data'

/** GET /api/v1/health. */
export const healthQuery = () =>
  queryOptions({
    queryKey: queryKeys.health(),
    queryFn: ({ signal }) => apiGet('/health', Health, { signal }),
    staleTime: 60_000,
  })

/** GET /api/v1/data/summary?days=… */
export const dataSummaryQuery = (days: number) =>
  queryOptions({
    queryKey: queryKeys.data.summary(days),
    queryFn: ({ signal }) => apiGet(`/data/summary?days=${encodeURIComponent(days)}`, DataSummary, { signal }),
    // Switching the period keeps the old figures on screen (marked loading) until the new ones arrive.
    placeholderData: keepPreviousData,
  })

export const useHealth = () => useQuery(healthQuery())
export const useDataSummary = (days: number) => useQuery(dataSummaryQuery(days))
