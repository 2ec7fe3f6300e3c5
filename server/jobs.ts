/**
 * Background jobs on the one embedded engine (profile refresh, segment refresh, the dashboards'
 * consumer index). Each runs again `intervalMs` after its last run ended, or later when runs are
 * long: a job takes at most `duty` of the time (after a run of d ms the next waits at least
 * d × (1 / duty − 1)). During a backfill every entity is touched each minute, and a job that
 * re-did seconds of work every interval would take the engine from ingestion. Runs never overlap.
 */
import { log } from './log.js'

export interface Periodic {
  /** Stops the schedule; resolves once a run in progress has finished. */
  stop(): Promise<void>
}

/** Runs `job` periodically (first after `intervalMs`); failures are logged, never thrown. */
export function periodic(name: string, job: () => Promise<unknown>, intervalMs: number, duty = 0.1): Periodic {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = false
  const schedule = (delay: number) => {
    timer = setTimeout(() => {
      const t0 = performance.now()
      running = job()
        .then(
          () => undefined,
          (e) => log.error(`${name} failed`, { error: String((e as Error)?.message ?? e) }),
        )
        .finally(() => {
          running = undefined
          if (!stopped) schedule(Math.max(intervalMs, (performance.now() - t0) * (1 / duty - 1)))
        })
    }, delay)
    timer.unref()
  }
  schedule(intervalMs)
  return {
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}
