/** Attribute conditions → SQL over the profile source's columns. */
import { attribute, type Attribute, type AttrType } from '../catalog.js'
import type { RuleContext } from '../context.js'
import { assertUnreachable, RuleError, type AttrCondition, type Scalar } from '../rule.js'
import { normalizeValue } from '../values.js'
import type { Params, ParamType } from './params.js'

const SCALAR_TYPE: Record<AttrType, ParamType> = {
  number: 'Float64',
  integer: 'Float64',
  string: 'String',
  date: 'Date',
  datetime: "DateTime64(3, 'UTC')",
}
const ARRAY_TYPE: Record<AttrType, ParamType> = {
  number: 'Array(Float64)',
  integer: 'Array(Float64)',
  string: 'Array(String)',
  date: 'Array(Date)',
  datetime: "Array(DateTime64(3, 'UTC'))",
}
const CMP = { eq: '=', neq: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' } as const

/** The catalog attribute a condition names; its name is the only identifier that reaches SQL. */
export function catalogAttribute(ctx: RuleContext, name: string, path: string): Attribute {
  const a = attribute(ctx.entity, name)
  if (!a) throw new RuleError([{ path: `${path}.attr`, message: `unknown attribute ${JSON.stringify(name)} for ${ctx.entity}` }])
  return a
}

/** The column of an attribute in the profile source (catalog names are plain identifiers). */
export function column(a: Attribute): string {
  return `\`${a.name}\``
}

/**
 * A comparison with a null attribute is false, so each comparison is wrapped in `ifNull(…, 0)`:
 * the predicate is never null and `NOT` is plain boolean negation (DESIGN §5).
 */
export function compileAttr(n: AttrCondition, ctx: RuleContext, params: Params, path: string): string {
  const a = catalogAttribute(ctx, n.attr, path)
  const col = column(a)
  const bind = (v: Scalar, p: string) => {
    const r = normalizeValue(a, v, ctx.asOf)
    if (!r.ok) throw new RuleError([{ path: p, message: r.message }])
    return r.value
  }
  switch (n.op) {
    case 'eq':
    case 'neq':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return `ifNull(${col} ${CMP[n.op]} ${params.bind(bind(n.value, `${path}.value`), SCALAR_TYPE[a.type])}, 0)`
    case 'between': {
      const lo = params.bind(bind(n.value[0], `${path}.value.0`), SCALAR_TYPE[a.type])
      const hi = params.bind(bind(n.value[1], `${path}.value.1`), SCALAR_TYPE[a.type])
      return `ifNull(${col} >= ${lo} AND ${col} <= ${hi}, 0)`
    }
    case 'in':
    case 'not_in': {
      // `IN (SELECT arrayJoin(param))`, not `IN param`: chDB 3.4 is pathologically slow on a
      // large array parameter right of IN (25k elements: 45 s; the subquery form: 0.1 s).
      const values = n.value.map((v, i) => bind(v, `${path}.value.${i}`))
      const set = `(SELECT arrayJoin(${params.bind(values, ARRAY_TYPE[a.type])}))`
      return `ifNull(${col} ${n.op === 'in' ? 'IN' : 'NOT IN'} ${set}, 0)`
    }
    case 'is_null':
      return `isNull(${col})`
    case 'not_null':
      return `isNotNull(${col})`
    default:
      return assertUnreachable(n)
  }
}
