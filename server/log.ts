/** A tiny structured logger: one JSON line per event on stderr, so stdout stays clean for CLIs. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }
let threshold: LogLevel = (process.env.LOG_LEVEL as LogLevel) in order ? (process.env.LOG_LEVEL as LogLevel) : 'info'

export function setLogLevel(level: LogLevel): void {
  threshold = level
}

function emit(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
  if (order[level] < order[threshold]) return
  process.stderr.write(JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields }) + '\n')
}

export const log = {
  debug: (msg: string, f?: Record<string, unknown>) => emit('debug', msg, f),
  info: (msg: string, f?: Record<string, unknown>) => emit('info', msg, f),
  warn: (msg: string, f?: Record<string, unknown>) => emit('warn', msg, f),
  error: (msg: string, f?: Record<string, unknown>) => emit('error', msg, f),
}

/** The message of a thrown value, for a log field (anything may be thrown, not only Errors). */
export function errorText(e: unknown): string {
  return String((e as Error | undefined)?.message ?? e)
}
