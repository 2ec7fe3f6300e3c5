/**
 * The CLI-shaped power calculator (`stats power`): MDE for a given sample size, or the
 * sample size for a given MDE. Formulas and references are in ./power.ts.
 */
import { z } from 'zod'
import { criticalValue, effectStandardError, minimumDetectableEffect, powerAt, sampleSizeForEffect, type PowerDesign } from './power'

/** Input of `stats power` (documented at the top of server/cli/stats.ts). */
export const PowerInput = z
  .object({
    metric: z.enum(['mean', 'proportion']),
    /** Mean metric: control mean and per-unit variance. */
    mean: z.number().optional(),
    variance: z.number().positive().optional(),
    /** Proportion metric: baseline rate. */
    p: z.number().gt(0).lt(1).optional(),
    /** The MDE is a relative lift (default, as GrowthBook) or an absolute difference. */
    relative: z.boolean().default(true),
    n_per_arm: z.number().positive().optional(),
    mde: z.number().optional(),
    /** Number of arms including control (the total sample is arms × n_per_arm). */
    arms: z.number().int().min(2).default(2),
    alpha: z.number().gt(0).lt(1).default(0.05),
    power: z.number().gt(0).lt(1).default(0.8),
    sides: z.enum(['two', 'greater', 'less']).default('two'),
    sequential_tau: z.number().positive().nullable().default(null),
    /** Expected CUPED variance reduction ρ² (squared pre/post correlation). */
    cuped_r2: z.number().min(0).lt(1).default(0),
    /** Comparisons sharing α (Bonferroni), default 1. */
    num_tests: z.number().int().min(1).default(1),
  })
  .superRefine((input, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (input.metric === 'mean') {
      if (input.mean === undefined) issue('mean', 'required for a mean metric')
      if (input.variance === undefined) issue('variance', 'required for a mean metric')
      if (input.relative && input.mean === 0) issue('mean', 'must be non-zero for a relative MDE')
    } else if (input.p === undefined) issue('p', 'required for a proportion metric')
    if ((input.n_per_arm === undefined) === (input.mde === undefined)) issue('n_per_arm', 'give exactly one of n_per_arm and mde')
    if (input.mde !== undefined) {
      if (input.mde === 0) issue('mde', 'must be non-zero')
      if (input.sides === 'greater' && input.mde < 0) issue('mde', 'must be positive when sides is "greater"')
      if (input.sides === 'less' && input.mde > 0) issue('mde', 'must be negative when sides is "less"')
      if (input.relative && input.mde <= -1) issue('mde', 'a relative MDE must be > -1')
    }
  })
/** Validated (defaults filled in) form of {@link PowerInput}. */
export type PowerInput = z.infer<typeof PowerInput>

/** Output of `stats power`. */
export interface PowerOutput {
  /** Effect detectable with the target power (relative or absolute, signed by direction). */
  mde: number
  /** Units per arm (rounded up when solved for). */
  n_per_arm: number
  /** arms × n_per_arm. */
  n_total: number
  /** Power actually achieved at (mde, n_per_arm), counting both rejection regions. */
  power: number
  /** Standard error of the estimated effect at the MDE. */
  se: number
  /** Critical value the test will use (z, or the confidence-sequence multiplier). */
  critical_value: number
}

/** The {@link PowerDesign} described by a validated {@link PowerInput}. */
export function powerDesign(input: PowerInput): PowerDesign {
  const mean = input.metric === 'proportion' ? (input.p as number) : (input.mean as number)
  const variance = input.metric === 'proportion' ? mean * (1 - mean) : (input.variance as number)
  return {
    mean,
    variance,
    relative: input.relative,
    alpha: input.alpha,
    power: input.power,
    sides: input.sides,
    sequentialTau: input.sequential_tau,
    cupedR2: input.cuped_r2,
    numTests: input.num_tests,
  }
}

/**
 * `stats power`: MDE given n_per_arm, or n_per_arm given mde. Throws a ZodError on invalid
 * input and a RangeError when the design is infeasible (n too small for a relative MDE).
 * @example plan({ metric: 'proportion', p: 0.1, n_per_arm: 10000 }) // { mde: ≈0.1266 (relative lift), n_per_arm: 10000, ... }
 */
export function plan(raw: z.input<typeof PowerInput>): PowerOutput {
  const input = PowerInput.parse(raw)
  const design = powerDesign(input)
  let n: number
  let mde: number
  if (input.n_per_arm !== undefined) {
    n = input.n_per_arm
    mde = minimumDetectableEffect(design, n)
  } else {
    mde = input.mde as number
    // Tolerance so that an n that solves the equation exactly is not bumped by rounding noise.
    n = Math.max(1, Math.ceil(sampleSizeForEffect(design, mde) * (1 - 1e-12) - 1e-9))
  }
  return {
    mde,
    n_per_arm: n,
    n_total: n * input.arms,
    power: powerAt(design, n, mde),
    se: effectStandardError(design, n, mde),
    critical_value: criticalValue(design, n),
  }
}
