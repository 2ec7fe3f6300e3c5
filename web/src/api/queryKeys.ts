/**
 * Query keys, one factory per resource. Keys nest, so invalidating a prefix
 * (`queryKeys.data.all()`) refreshes everything below it — no hand-kept lists.
 *
 * @example
 * useQuery({ queryKey: queryKeys.data.summary(90), ... })
 * queryClient.invalidateQueries({ queryKey: queryKeys.data.all() })
 */
export const queryKeys = {
  health: () => ['health'] as const,
  data: {
    all: () => ['data'] as const,
    summary: (days: number) => ['data', 'summary', { days }] as const,
  },
}
