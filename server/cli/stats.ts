/**
 * Stats CLI: reads one JSON object on stdin, prints one JSON object on stdout (nothing
 * else). Invalid input: a message per problem on stderr, naming the field path, exit 2.
 *
 *   npm run --silent stats -- analyze < input.json
 *     in:  {"metric": "mean"|"proportion"|"ratio", "relative": bool, "alpha": 0.05,
 *           "sides": "two"|"greater"|"less", "cuped": bool, "sequential_tau": null|number,
 *           "correction": "none"|"holm"|"bh", "weights"?: [..],
 *           "arms": [{"name", "n", "sum", "sum_squares"?,
 *                     "den_sum"?, "den_sum_squares"?, "sum_num_den"?,        (ratio)
 *                     "pre_sum"?, "pre_sum_squares"?, "sum_post_pre"?,       (cuped)
 *                     "pre_den_sum"?, "pre_den_sum_squares"?, "sum_pre_num_den"?,
 *                     "sum_post_pre_den"?, "sum_post_num_pre_den"?,
 *                     "sum_pre_num_post_den"?}]}                             (cuped + ratio)
 *          Defaults: relative false, alpha 0.05, sides "two", cuped false,
 *          sequential_tau null, correction "none", weights equal. The first arm is the control.
 *          Proportion: sum = successes, sum_squares may be omitted. CUPED uses one θ pooled
 *          over all arms; on a proportion metric the pre-period is a proportion too.
 *     out: {"srm_p", "arms": [{"name", "n", "mean"}],
 *           "comparisons": [{"arm", "estimate", "ci": [lo|null, hi|null], "se", "p",
 *                            "p_adjusted"? (when correction ≠ "none"),
 *                            "error"? (comparison impossible: then estimate 0, ci [0,0], se 0, p 1)}]}
 *
 *   npm run --silent stats -- srm < input.json
 *     in:  {"users": [n per arm], "weights"?: [expected shares]}   out: {"p"}
 *
 *   npm run --silent stats -- power < input.json
 *     in:  {"metric": "mean"|"proportion",
 *           "mean", "variance"            (mean metric: control mean, per-unit variance)
 *           "p"                           (proportion metric: baseline rate, variance p(1−p))
 *           "n_per_arm" | "mde"           (exactly one: solve for the other)
 *           "relative"?: true             (mde is a relative lift; false: absolute difference)
 *           "arms"?: 2, "alpha"?: 0.05, "power"?: 0.8, "sides"?: "two"|"greater"|"less",
 *           "sequential_tau"?: null|number, "cuped_r2"?: 0 (expected ρ², variance × (1 − ρ²)),
 *           "num_tests"?: 1 (Bonferroni: α / num_tests)}
 *          For "less" the mde is negative; for "greater" positive; two-sided MDEs are reported positive.
 *     out: {"mde", "n_per_arm" (rounded up when solved for), "n_total" (= arms × n_per_arm),
 *           "power" (achieved at mde and n_per_arm), "se", "critical_value"}
 *     An infeasible design (n too small for any relative MDE) is reported on stderr, exit 2.
 */
import { ZodError } from 'zod'
import { analyze } from '../stats/analyze'
import { plan } from '../stats/plan'
import { srm } from '../stats/srm'

const COMMANDS: Record<string, (input: never) => unknown> = { analyze, srm, power: plan }
const USAGE = 'usage: stats <analyze|srm|power> < input.json'

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function fail(lines: string[], code: number): never {
  process.stderr.write(lines.map((l) => `stats: ${l}\n`).join(''))
  process.exit(code)
}

async function main(): Promise<void> {
  const command = process.argv[2]
  const run = command === undefined ? undefined : COMMANDS[command]
  if (!run) fail([command ? `unknown command "${command}"` : 'missing command', USAGE], 2)
  const text = await readStdin()
  let input: unknown
  try {
    input = JSON.parse(text)
  } catch (e) {
    fail([`input is not valid JSON: ${(e as Error).message}`], 2)
  }
  let output: unknown
  try {
    output = run(input as never)
  } catch (e) {
    if (e instanceof ZodError) {
      fail(e.issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`), 2)
    }
    if (e instanceof RangeError) fail([e.message], 2)
    throw e
  }
  process.stdout.write(`${JSON.stringify(output)}\n`)
}

await main()
