import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query'
import { apiGet } from './client'
import { queryKeys } from './queryKeys'
import { DataSummary, Health } from './schemas'

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
