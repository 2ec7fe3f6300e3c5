import { afterEach, describe, expect, it, vi } from 'vitest'
import { Budget, MORE, Schedule, periodic } from './jobs.js'

afterEach(() => vi.useRealTimers())

describe('periodic jobs', () => {
  it('wait 9x a run that took long (duty 0.1), the interval otherwise, and never overlap', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] })
    const starts: number[] = []
    let running = 0
    let maxRunning = 0
    let cost = 50
    const p = periodic(
      'test job',
      async () => {
        starts.push(Date.now())
        maxRunning = Math.max(maxRunning, ++running)
        await new Promise((r) => setTimeout(r, cost))
        running--
      },
      10,
      new Budget(0.1),
    )
    await vi.advanceTimersByTimeAsync(1200)
    cost = 0 // the run at 1,510 ms is instant, and so are the ones every 10 ms after it
    await vi.advanceTimersByTimeAsync(600)
    await p.stop()
    const t0 = starts[0]
    // 50 ms runs: the next starts 450 ms after one ends; instant runs: every 10 ms.
    expect(starts.slice(0, 3).map((t) => t - t0)).toEqual([0, 500, 1000])
    expect(starts.length).toBeGreaterThan(8)
    expect(maxRunning).toBe(1)
  })

  it('logs a failing run and keeps the schedule; stop waits for a run in progress', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] })
    let runs = 0
    let finished = false
    const p = periodic(
      'failing job',
      async () => {
        runs++
        if (runs === 1) throw new Error('boom')
        await new Promise((r) => setTimeout(r, 5))
        finished = true
      },
      10,
      new Budget(0.1),
    )
    await vi.advanceTimersByTimeAsync(21)
    const stopping = p.stop()
    await vi.advanceTimersByTimeAsync(10)
    await stopping
    expect(runs).toBe(2)
    expect(finished).toBe(true)
  })
})

describe('a job with work left', () => {
  it('runs again as soon as the budget allows, not after its interval', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] })
    const starts: number[] = []
    let left = 3
    const p = periodic(
      'sliced job',
      async () => {
        starts.push(Date.now())
        await new Promise((r) => setTimeout(r, 20))
        return --left > 0 ? MORE : undefined
      },
      10_000,
      new Budget(0.1),
      0,
    )
    await vi.advanceTimersByTimeAsync(15_000)
    await p.stop()
    const t0 = starts[0]
    // 20 ms runs, 180 ms apart (the budget) while work is left, then the 10 s interval.
    expect(starts.map((t) => t - t0)).toEqual([0, 200, 400, 10_420])
  })
})

describe('jobs sharing a budget', () => {
  it('take the duty share together: a long run of one holds back the others', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] })
    const budget = new Budget(0.1)
    const log: string[] = []
    const job = (name: string, cost: number) => async () => {
      log.push(`${name}@${Date.now()}`)
      await new Promise((r) => setTimeout(r, cost))
    }
    const t0 = Date.now()
    const a = periodic('a', job('a', 100), 10, budget)
    const b = periodic('b', job('b', 0), 15, budget)
    await vi.advanceTimersByTimeAsync(1000)
    await a.stop()
    await b.stop()
    const at = log.map((x) => { const [n, t] = x.split('@'); return `${n}${Number(t) - t0}` })
    // a runs 10–110; b, due at 15, waits for it and then for 9 × 100 ms: 1,010 is past the end.
    expect(at).toEqual(['a10'])
  })
})

describe('Schedule', () => {
  it('stops the schedule it started last, waiting for its run in progress', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] })
    const runs: string[] = []
    let finished = 0
    const job = (name: string) => async () => {
      runs.push(name)
      await new Promise((r) => setTimeout(r, 5))
      finished++
    }
    const s = new Schedule()
    s.start('first', job('first'), 10, new Budget(1))
    // Started again at once (as a restart does): the first schedule must not survive it.
    s.start('second', job('second'), 10, new Budget(1))
    await vi.advanceTimersByTimeAsync(32)
    const stopping = s.stop()
    await vi.advanceTimersByTimeAsync(5)
    await stopping
    const n = runs.length
    expect(finished).toBe(n)
    await vi.advanceTimersByTimeAsync(100)
    expect(runs.length).toBe(n)
    expect(new Set(runs)).toEqual(new Set(['second']))
  })
})
