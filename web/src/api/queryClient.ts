import { QueryClient } from '@tanstack/react-query'
import { isApiError } from './errors'

/** The app's QueryClient: a client error (4xx) or an unparsable body is not retried. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => {
          if (isApiError(error) && (error.kind === 'parse' || (error.status >= 400 && error.status < 500))) return false
          return failures < 2
        },
      },
    },
  })
}
