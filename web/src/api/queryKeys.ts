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
  dashboards: {
    all: () => ['dashboards'] as const,
    options: () => ['dashboards', 'options'] as const,
    page: (endpoint: string, query: string) => ['dashboards', endpoint, query] as const,
  },
  segments: {
    all: () => ['segments'] as const,
    list: () => ['segments', 'list'] as const,
    templates: () => ['segments', 'templates'] as const,
    lists: () => ['segments', 'lists'] as const,
    one: (id: string) => ['segments', 'one', id] as const,
    versions: (id: string) => ['segments', 'one', id, 'versions'] as const,
    history: (id: string) => ['segments', 'one', id, 'history'] as const,
    explain: (id: string, entityId: string) => ['segments', 'one', id, 'explain', entityId] as const,
    preview: (entity: string, rule: string) => ['segments', 'preview', entity, rule] as const,
    overlap: (ids: readonly string[]) => ['segments', 'overlap', [...ids]] as const,
    values: (entity: string, attr: string, q: string) => ['segments', 'values', entity, attr, q] as const,
  },
  profiles: {
    all: () => ['profiles'] as const,
    catalog: () => ['profiles', 'catalog'] as const,
    entity: (entity: string) => ['profiles', entity] as const,
    list: (entity: string, search: string) => ['profiles', entity, 'list', search] as const,
    one: (entity: string, id: string, asOf: string | null) => ['profiles', entity, 'one', id, { asOf }] as const,
    detail: (entity: string, id: string, asOf: string | null, weeks: number) => ['profiles', entity, 'detail', id, { asOf, weeks }] as const,
  },
}
