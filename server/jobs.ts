/**
 * Background jobs on the one embedded engine (profile refresh, segment refresh, the dashboards'
 * consumer index). They share one budget: together they take at most `duty` of the time. After a
 * run of d ms no background job starts for d × (1 / duty − 1) ms, and each job also waits its own
 * interval after its last run. During a backfill every entity is touched each minute, and jobs
 * that re-did seconds of work every interval would take the engine from ingestion (measured at
 * the reference scale: a full consumer refresh ~17 s, the consumer index's catch-up of new days
 * seconds per run). Runs never overlap, neither one job's nor two jobs'.
 */
import { errorText, log } from './log.js'

/** The shared time budget of background jobs. */
export class Budget {
  /** performance.now() before which no job of this budget starts. */
  private gate = 0
  private busy = false

  constructor(readonly duty = 0.1) {}

  /** Ms to wait before a job may start (0: now). */
  wait(): number {
    return this.busy ? 50 : Math.max(0, this.gate - performance.now())
  }

  begin(): void {
    this.busy = true
  }

  /** Records a run of `ms`: no job starts for ms × (1 / duty − 1). */
  end(ms: number): void {
    this.busy = false
    this.gate = Math.max(this.gate, performance.now() + ms * (1 / this.duty - 1))
  }
}

/** The budget every server job shares unless told otherwise. */
export const BACKGROUND = new Budget(0.1)

/** What a periodic job returns when it stopped with work left: it runs again once the budget allows. */
export const MORE = Symbol('more work')

export interface Periodic {
  /** Stops the schedule; resolves once a run in progress has finished. */
  stop(): Promise<void>
}

/**
 * Runs `job` periodically within `budget` (first after `firstMs`, by default `intervalMs`); a job
 * that resolves to {@link MORE} runs again as soon as the budget allows. Failures are logged, never thrown.
 */
export function periodic(name: string, job: () => Promise<unknown>, intervalMs: number, budget = BACKGROUND, firstMs = intervalMs): Periodic {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> | undefined
  let stopped = false
  const attempt = () => {
    const wait = budget.wait()
    if (wait > 0) {
      timer = setTimeout(attempt, wait)
      timer.unref()
      return
    }
    budget.begin()
    const t0 = performance.now()
    let more = false
    running = job()
      .then(
        (r) => {
          more = r === MORE
        },
        (e) => log.error(`${name} failed`, { error: errorText(e) }),
      )
      .finally(() => {
        budget.end(performance.now() - t0)
        running = undefined
        if (!stopped) schedule(more ? 0 : intervalMs)
      })
  }
  const schedule = (delay = intervalMs) => {
    timer = setTimeout(attempt, delay)
    timer.unref()
  }
  schedule(firstMs)
  return {
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await running
    },
  }
}

/**
 * A periodic job that can be started again (the previous schedule stops) and stopped; `stop`
 * resolves once a run in progress has finished. The job is swapped synchronously, so a start
 * right after a stop (or another start) never loses track of the new schedule.
 */
export class Schedule {
  private job: Periodic | undefined

  start(...args: Parameters<typeof periodic>): void {
    const old = this.job
    this.job = periodic(...args)
    void old?.stop()
  }

  async stop(): Promise<void> {
    const job = this.job
    this.job = undefined
    await job?.stop()
  }
}
