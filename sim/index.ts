/**
 * Channel simulator with planted truth: library entry points.
 *
 * @example
 * // in-process (e.g. the server's demo seeding): records arrive in batches, master first
 * const truth = await generate({ stores: 500, days: 120, seed: 1, end: '2026-11-25' },
 *   recordSink(async (kind, rows) => { await pipeline.ingest(kind, rows) }))
 *
 * @example
 * // a policy experiment: treatment stores get a richer sell-through reward from a date;
 * // every other store's events are byte-identical to the run without overrides
 * const overrides = new Map([['S000042', { policy: richer, experimentId: 'EXP-1', arm: 'treatment' }]])
 * await generate({ ...opts, policyOverrides: overrides, fromDate: '2026-10-01', emitFrom: '2026-10-01', master: false }, sink)
 */
import { dayOf, isoOf, yesterdayInShanghai } from './calendar'
import { policyMultipliers } from './catalog'
import { Engine, type PolicyOverride } from './events'
import { EVENT_KINDS, MASTER_KINDS, masterLines } from './records'
import type { Sink } from './sinks'
import { buildTruth, type Truth } from './truth'
import { buildWorld, type World } from './world'

export interface SimulateOptions {
  stores: number
  /** days of history ending at `end` (0: none, e.g. live only) */
  days: number
  seed: number | string
  /** last simulated local date (YYYY-MM-DD); default: yesterday in Asia/Shanghai */
  end?: string
  /** store id → policy (and experiment arm) that replaces the base policy from `fromDate` */
  policyOverrides?: Map<string, PolicyOverride>
  /** first date the overrides apply (YYYY-MM-DD); default: the first simulated date */
  fromDate?: string
  /** first date whose events are emitted; earlier days are simulated but not written */
  emitFrom?: string
  /** emit master data (default true) */
  master?: boolean
  /** rows per chunk handed to the sink (default 20,000) */
  batchRows?: number
  /** progress callback, once per simulated day */
  onDay?: (date: string, index: number, days: number) => void
}

/** A prepared simulation: the world, the engine, and the resolved window. */
export interface Simulation {
  world: World
  engine: Engine
  start: string
  end: string
  endRule: string
}

/** Builds the world and engine for options (no records emitted yet). */
export function prepare(options: SimulateOptions): Simulation {
  if (!Number.isInteger(options.stores) || options.stores < 1) throw new Error('stores must be a positive integer')
  if (!Number.isInteger(options.days) || options.days < 0) throw new Error('days must be a non-negative integer')
  const end = options.end ?? yesterdayInShanghai()
  const endRule = options.end ? 'explicit --end' : 'default: yesterday in Asia/Shanghai, computed once at start-up'
  const endDay = dayOf(end)
  const startDay = endDay - options.days + 1
  const world = buildWorld({ stores: options.stores, days: options.days, seed: options.seed, end }, startDay, endDay)
  const engine = new Engine(world, {
    policyOverrides: options.policyOverrides,
    overrideFromDay: options.fromDate ? dayOf(options.fromDate) : undefined,
    emitFromDay: options.emitFrom ? dayOf(options.emitFrom) : undefined,
  })
  return { world, engine, start: isoOf(startDay), end, endRule }
}

/**
 * Generates master data, then scans, orders and rewards day by day into `sink`, and
 * returns the ground truth (also passed to `sink.close`). Same options → same bytes.
 */
export async function generate(options: SimulateOptions, sink: Sink): Promise<Truth> {
  const sim = prepare(options)
  await run(sim, options, sink)
  const truth = truthOf(sim, options)
  await sink.close?.(truth)
  return truth
}

/** Alias of generate, named for experiment code. */
export const simulate = generate

/** Emits the master data and the history of a prepared simulation. */
export async function run(sim: Simulation, options: SimulateOptions, sink: Sink): Promise<void> {
  const { world, engine } = sim
  const batch = options.batchRows ?? 20_000
  if (options.master !== false) {
    for (const kind of MASTER_KINDS) {
      const lines = masterLines(world, kind)
      for (let i = 0; i < lines.length; i += batch) {
        const chunk = lines.slice(i, i + batch)
        await sink.write(kind, Buffer.from(chunk.join('')), chunk.length)
      }
    }
  }
  const drain = async (all: boolean): Promise<void> => {
    for (const kind of EVENT_KINDS) {
      const out = engine.out[kind]
      if (out.rows === 0 || (!all && out.rows < batch)) continue
      const p = sink.write(kind, out.view(), out.rows)
      if (p) await p
      out.clear()
    }
  }
  const n = world.nStores
  for (let d = world.startDay; d <= world.endDay; d++) {
    engine.beginDay(d)
    for (let s = 0; s < n; s++) {
      engine.storeDay(s)
      const o = engine.out
      if (o.scans.rows >= batch || o.rewards.rows >= batch || o.orders.rows >= batch) await drain(false)
    }
    engine.endDay()
    options.onDay?.(isoOf(d), d - world.startDay, world.endDay - world.startDay + 1)
  }
  await drain(true)
}

/** The ground truth of a simulation after it ran. */
export function truthOf(sim: Simulation, options: SimulateOptions): Truth {
  const { world, engine } = sim
  return buildTruth(
    world, engine,
    {
      seed: String(options.seed), stores: options.stores, days: options.days, start: sim.start, end: sim.end,
      end_rule: sim.endRule, emit_from: options.emitFrom ?? sim.start, override_from: options.fromDate ?? null,
    },
    options.policyOverrides,
    (s) => {
      const o = world.storeId[s] ? options.policyOverrides?.get(world.storeId[s]) : undefined
      return o ? policyMultipliers(world.elasticity[s], o.policy) : [1, 1, 1]
    },
  )
}

export interface LiveOptions {
  /** scan events per second */
  rate: number
  /** stop after this long (default: until the signal aborts) */
  durationMs?: number
  signal?: AbortSignal
  /** tick length, ms (default 250) */
  tickMs?: number
  onTick?: (scans: number) => void
}

/**
 * Keeps generating events stamped with the current time at about `rate` scans per second
 * into `sink` (usually an httpSink), continuing the simulation's state.
 */
export async function runLive(sim: Simulation, sink: Sink, opts: LiveOptions): Promise<number> {
  const { engine } = sim
  const t0 = Date.now()
  const tick = opts.tickMs ?? 250
  let produced = 0
  const scanCount = (): number => engine.counts.ship + engine.counts.stock_in + engine.counts.open + engine.counts.verify
  const base = scanCount()
  while (!opts.signal?.aborted && (opts.durationMs === undefined || Date.now() - t0 < opts.durationMs)) {
    const now = Date.now()
    const due = Math.floor(((now - t0) / 1000) * opts.rate) - produced
    if (due > 0) {
      engine.live(due, now)
      produced = scanCount() - base
      for (const kind of EVENT_KINDS) {
        const out = engine.out[kind]
        if (out.rows > 0) await sink.write(kind, out.view(), out.rows)
        out.clear()
      }
      opts.onTick?.(produced)
    }
    await new Promise((r) => setTimeout(r, tick))
  }
  return produced
}

export { runSimulatorCli } from './cli'
export { Engine, type PolicyOverride } from './events'
export { basePolicy, openMultiplier, policyMultipliers, PRODUCTS, TIERS, type Policy, type Product, type Tier } from './catalog'
export { countingSink, fileSink, httpSink, recordSink, teeSink, type Sink } from './sinks'
export type { Truth, StoreTruth } from './truth'
export type { Kind } from './records'
export type { World } from './world'
