import path from 'node:path'
import { z } from 'zod'

/**
 * Everything the server reads from the environment, parsed once at start-up.
 * A bad value stops start-up with a message naming the variable (see {@link parseConfig}).
 */
export const Config = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  // 127.0.0.1 by default: a fresh install must not be open to the network (DESIGN §9).
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  CLICKHOUSE_URL: z.url().optional(),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier').default('negentropy'),
  CLICKHOUSE_CLUSTER: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/, 'must be a cluster name').optional(),
  SLOW_QUERY_MS: z.coerce.number().int().min(0).default(1000),
  DEMO: z.enum(['0', '1']).default('1'),
  DEMO_STORES: z.coerce.number().int().min(10).max(200_000).default(5000),
  DEMO_DAYS: z.coerce.number().int().min(7).max(1100).default(365),
  PROFILE_REFRESH_S: z.coerce.number().int().min(5).max(86_400).default(60),
  SEGMENT_REFRESH_S: z.coerce.number().int().min(10).max(86_400).default(600),
  DASHBOARD_INDEX_S: z.coerce.number().int().min(5).max(86_400).default(30),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
})
export type Config = z.infer<typeof Config>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * Parses the environment into a {@link Config}. Pure: pass `process.env` or a test object.
 * Empty strings count as unset, so `FOO= npm start` falls back to the default.
 * @example parseConfig({ PORT: '9000' }).PORT // 9000
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const known = Object.keys(Config.shape)
  const input: Record<string, string> = {}
  for (const key of known) {
    const v = env[key]
    if (v !== undefined && v !== '') input[key] = v
  }
  const r = Config.safeParse(input)
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join('.')}=${JSON.stringify(input[String(i.path[0])] ?? '')}: ${i.message}`)
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`)
  }
  return { ...r.data, DATA_DIR: path.resolve(r.data.DATA_DIR) }
}
