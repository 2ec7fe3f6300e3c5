/**
 * Outlier capping (winsorizing from above), as GrowthBook's "capping" metric setting:
 * unit-level values above a cap are replaced by the cap before the sufficient statistics
 * are summed. Heavy right tails (a few bulk buyers) otherwise dominate the variance and
 * can flip the sign of a test. The cap must be computed once on all arms pooled and
 * applied to every arm, so that capping stays independent of assignment.
 */

/** How to cap: an absolute value, or a percentile (0–1) of the pooled unit values. */
export interface CapOptions {
  /** Values above this are set to it. */
  absolute?: number
  /** Cap at this quantile (e.g. 0.99) of the pooled values. */
  percentile?: number
  /** Compute the percentile on non-zero values only (GrowthBook's "ignore zeros"), useful when most units never buy. */
  ignoreZeros?: boolean
}

/** Sufficient statistics of one arm after capping. */
export interface CappedStats {
  n: number
  sum: number
  sum_squares: number
  /** The cap applied (Infinity when none). */
  cap: number
  /** How many values were capped. */
  capped: number
}

/**
 * Sample quantile with linear interpolation between order statistics (Hyndman & Fan
 * type 7: the default of numpy, R and SQL `PERCENTILE_CONT`, which GrowthBook's
 * warehouses use).
 * @example quantile([1, 2, 3, 4], 0.5) // 2.5
 */
export function quantile(values: number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile level must be in [0, 1] (got ${q})`)
  if (values.length === 0) throw new RangeError('quantile of an empty sample')
  const sorted = Float64Array.from(values).sort()
  const h = (sorted.length - 1) * q
  const lo = Math.floor(h)
  const hi = Math.min(lo + 1, sorted.length - 1)
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo])
}

/**
 * The cap implied by `options` for the given (pooled) values; Infinity when no capping
 * is requested. When both are given the smaller cap wins.
 * @example capValue([1, 2, 3, 100], { percentile: 0.5 }) // 2.5
 */
export function capValue(values: number[], options: CapOptions = {}): number {
  let cap = Infinity
  if (options.absolute !== undefined) cap = options.absolute
  if (options.percentile !== undefined) {
    const pool = options.ignoreZeros ? values.filter((v) => v !== 0) : values
    if (pool.length > 0) cap = Math.min(cap, quantile(pool, options.percentile))
  }
  return cap
}

/**
 * Capped sufficient statistics of one arm's unit values, given a cap (a number, e.g.
 * from {@link capValue} on all arms pooled) or capping options computed on these values alone.
 * @example cappedSufficientStats([1, 2, 50], 10) // { n: 3, sum: 13, sum_squares: 105, cap: 10, capped: 1 }
 */
export function cappedSufficientStats(values: number[], cap: number | CapOptions = Infinity): CappedStats {
  const c = typeof cap === 'number' ? cap : capValue(values, cap)
  let sum = 0
  let sumSquares = 0
  let capped = 0
  for (const v of values) {
    if (!Number.isFinite(v)) throw new RangeError(`unit values must be finite (got ${v})`)
    const x = v > c ? c : v
    if (v > c) capped++
    sum += x
    sumSquares += x * x
  }
  return { n: values.length, sum, sum_squares: sumSquares, cap: c, capped }
}

/**
 * Caps every arm with one cap computed on all arms pooled.
 * @example cappedArms([[1, 2, 3], [4, 500]], { percentile: 0.9 })
 */
export function cappedArms(arms: number[][], options: CapOptions): CappedStats[] {
  const cap = capValue(arms.flat(), options)
  return arms.map((values) => cappedSufficientStats(values, cap))
}
