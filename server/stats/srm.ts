/**
 * Sample-ratio mismatch check: Pearson's χ² goodness-of-fit test of the observed
 * assignment counts against the planned traffic shares (gbstats `check_srm`).
 */
import { z } from 'zod'
import { chi2Sf } from './distributions'

/**
 * p-value of the χ² test that `users` were assigned with the expected shares `weights`
 * (default: equal). Arms with weight ≤ 0 contribute nothing, but still count towards the
 * k − 1 degrees of freedom, as in gbstats. No users at all gives p = 1.
 * A small p (GrowthBook warns below 0.001) means the randomization or the logging is
 * broken and the effect estimates should not be trusted.
 * @example checkSrm([1000, 1200], [0.5, 0.5]) // ≈ 0.000020079 (gbstats test_srm)
 */
export function checkSrm(users: number[], weights?: number[]): number {
  const w = weights ?? users.map(() => 1)
  if (w.length !== users.length) throw new RangeError('weights must have one entry per arm')
  if (users.length < 2) throw new RangeError('the SRM test needs at least two arms')
  const total = users.reduce((t, u) => t + u, 0)
  if (!total) return 1
  const totalWeight = w.reduce((t, x) => t + (x > 0 ? x : 0), 0)
  if (!(totalWeight > 0)) throw new RangeError('at least one weight must be positive')
  let x2 = 0
  users.forEach((observed, i) => {
    if (!(w[i] > 0)) return
    const expected = (w[i] / totalWeight) * total
    x2 += (observed - expected) ** 2 / expected
  })
  return chi2Sf(x2, users.length - 1)
}

/** Input of `stats srm`: assignment counts and (optional) expected shares. */
export const SrmInput = z
  .object({
    users: z.array(z.number().nonnegative()).min(2),
    weights: z.array(z.number().nonnegative()).optional(),
  })
  .superRefine((input, ctx) => {
    if (!input.weights) return
    if (input.weights.length !== input.users.length) ctx.addIssue({ code: 'custom', path: ['weights'], message: `needs one weight per arm (${input.users.length}), got ${input.weights.length}` })
    else if (!input.weights.some((w) => w > 0)) ctx.addIssue({ code: 'custom', path: ['weights'], message: 'at least one weight must be positive' })
  })
/** Validated (defaults filled in) form of {@link SrmInput}. */
export type SrmInput = z.infer<typeof SrmInput>

/** `stats srm`: {users, weights?} → {p}. Throws a ZodError on invalid input. */
export function srm(raw: z.input<typeof SrmInput>): { p: number } {
  const input = SrmInput.parse(raw)
  return { p: checkSrm(input.users, input.weights) }
}
