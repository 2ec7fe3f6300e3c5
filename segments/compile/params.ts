/**
 * Query parameters of compiled SQL. Every value of a rule goes through {@link Params.bind} and
 * appears in the SQL text only as a `{p0:Float64}` placeholder the engine binds server-side.
 */

/** The ClickHouse types values are bound as. */
export type ParamType =
  | 'Float64'
  | 'String'
  | 'Date'
  | "DateTime64(3, 'UTC')"
  | 'Array(Float64)'
  | 'Array(String)'
  | 'Array(Date)'
  | "Array(DateTime64(3, 'UTC'))"

/** SQL text with the values its placeholders name. */
export interface SqlFragment {
  sql: string
  params: Record<string, unknown>
}

export class Params {
  readonly values: Record<string, unknown> = {}
  private n = 0

  /** @param prefix placeholder names are `${prefix}0`, `${prefix}1`, …; must be an identifier. */
  constructor(private readonly prefix = 'p') {
    if (!/^[a-z_][a-z0-9_]*$/i.test(prefix)) throw new Error(`bad parameter prefix ${prefix}`)
  }

  /** Binds a value and returns its placeholder. @example params.bind(0.5, 'Float64') // '{p0:Float64}' */
  bind(value: unknown, type: ParamType): string {
    let name = `${this.prefix}${this.n++}`
    // A name the source already uses is skipped, so adopted and bound parameters never collide.
    while (name in this.values) name = `${this.prefix}${this.n++}`
    this.values[name] = encode(value)
    return `{${name}:${type}}`
  }

  /** Adds a fragment's own parameters (e.g. a profile source's), refusing a clash of names. */
  adopt(f: SqlFragment): string {
    for (const [k, v] of Object.entries(f.params)) {
      if (k in this.values && this.values[k] !== v) throw new Error(`parameter ${k} is bound twice with different values`)
      this.values[k] = v
    }
    return f.sql
  }
}

// The engine's binder refuses integer-valued numbers beyond ±2^53 (they have lost exact bits
// already); as a bigint they bind exactly and are read back as Float64.
function encode(v: unknown): unknown {
  if (typeof v === 'number' && Number.isInteger(v) && !Number.isSafeInteger(v)) return BigInt(v)
  if (Array.isArray(v)) return v.map(encode)
  return v
}

/**
 * The SQL with its parameters written in as literals: for logs and debugging only, never to run.
 * @example renderDebug({ sql: 'x = {p0:String}', params: { p0: "it's" } }) // "x = 'it\\'s'"
 */
export function renderDebug(f: SqlFragment): string {
  return f.sql.replace(/\{(\w+):([^{}]+(?:\([^{}]*\))?)\}/g, (m, name: string) => (name in f.params ? literal(f.params[name]) : m))
}

function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL'
  if (typeof v === 'number' || typeof v === 'bigint') return String(v)
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`
  return `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}
