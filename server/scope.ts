/**
 * The caller's data scope (DESIGN §9): a regional leader sees only the cities granted to them.
 * Every data function takes one; `ALL` is the unrestricted scope of an admin or of the system.
 * Access control (later) derives it from the session; until then every request is unrestricted.
 */
export interface Scope {
  /** Cities the caller may see, or null for all. */
  cities: string[] | null
}

export const ALL: Scope = { cities: null }

/** A SQL condition restricting `column` to the scope, with its bound parameter. */
export function scopeCondition(scope: Scope, column: string, param = 'scope_cities'): { sql: string; params: Record<string, unknown> } {
  if (scope.cities === null) return { sql: '1', params: {} }
  return { sql: `${column} IN (SELECT arrayJoin({${param}:Array(String)}))`, params: { [param]: scope.cities } }
}
