/**
 * `npm run simulate -- --stores N --days D --seed S [--end YYYY-MM-DD]
 *    [--out dir] [--url http://host:port [--api-key K]] [--live --rate R]`
 */
import { realpathSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { generate, prepare, run, runLive, truthOf, type SimulateOptions } from './index'
import { countingSink, fileSink, httpSink, teeSink, type Sink } from './sinks'
import { stringifyTruth } from './truth'

const USAGE = `usage: npm run simulate -- --stores N --days D --seed S [options]
  --end YYYY-MM-DD   last simulated date (default: yesterday in Asia/Shanghai, computed
                     once at start-up and recorded in truth.json; pass it for reproducible runs)
  --out DIR          write products|distributors|reps|stores|scans|orders|rewards.ndjson + truth.json
  --url URL          POST to URL/api/v1/master/* then URL/api/v1/ingest/* (batches of --batch rows)
  --api-key K        sent as Authorization: Bearer K
  --batch N          rows per batch (default 20000, at most 50000)
  --truth FILE       where to write truth.json in --url mode without --out
  --live             after the history, keep sending events stamped now (needs --url)
  --rate R           live scan events per second (default 100)
  --quiet            no progress line`

interface CliArgs {
  stores: number
  days: number
  seed: string
  end?: string
  out?: string
  url?: string
  apiKey?: string
  batch: number
  truth?: string
  live: boolean
  rate: number
  quiet: boolean
}

export function parseArgs(argv: string[]): CliArgs {
  const a: Partial<CliArgs> & { batch: number; live: boolean; rate: number; quiet: boolean } = { batch: 20_000, live: false, rate: 100, quiet: false }
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]
    const val = (): string => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${k} needs a value`)
      return v
    }
    const int = (): number => {
      const v = val()
      if (!/^\d+$/.test(v)) throw new Error(`${k} needs a non-negative integer, got ${v}`)
      return Number(v)
    }
    switch (k) {
      case '--stores': a.stores = int(); break
      case '--days': a.days = int(); break
      case '--seed': a.seed = val(); break
      case '--end': a.end = val(); break
      case '--out': a.out = val(); break
      case '--url': a.url = val(); break
      case '--api-key': a.apiKey = val(); break
      case '--batch': a.batch = Math.min(50_000, Math.max(1, int())); break
      case '--truth': a.truth = val(); break
      case '--live': a.live = true; break
      case '--rate': a.rate = Number(val()); break
      case '--quiet': a.quiet = true; break
      case '--help': case '-h': throw new Error(USAGE)
      default: throw new Error(`unknown argument ${k}\n${USAGE}`)
    }
  }
  if (a.stores === undefined || a.days === undefined || a.seed === undefined) throw new Error(`--stores, --days and --seed are required\n${USAGE}`)
  if (!a.out && !a.url) throw new Error(`give --out DIR and/or --url URL\n${USAGE}`)
  if (a.live && !a.url) throw new Error('--live needs --url')
  if (!(a.rate > 0)) throw new Error('--rate must be positive')
  return a as CliArgs
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e4 ? `${(n / 1e3).toFixed(0)}k` : String(n)
}

/** Runs the simulator CLI; returns the process exit code. */
export async function runSimulatorCli(argv: string[]): Promise<number> {
  let args: CliArgs
  try {
    args = parseArgs(argv)
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`)
    return 2
  }
  let t0 = Date.now()
  const sinks: Sink[] = []
  if (args.out) sinks.push(fileSink(args.out))
  if (args.url) sinks.push(httpSink({ url: args.url, apiKey: args.apiKey, batchRows: args.batch }))
  const counter = countingSink(sinks.length === 1 ? sinks[0] : teeSink(...sinks))
  const tty = process.stderr.isTTY
  let lastPrint = 0
  let shown = counter
  const progress = (label: string, force = false): void => {
    if (args.quiet) return
    const now = Date.now()
    if (!force && now - lastPrint < 1000) return
    lastPrint = now
    const r = shown.rows
    const secs = (now - t0) / 1000
    const ev = (r.scans ?? 0) + (r.orders ?? 0) + (r.rewards ?? 0)
    const line = `${label}  scans ${fmt(r.scans ?? 0)}  orders ${fmt(r.orders ?? 0)}  rewards ${fmt(r.rewards ?? 0)}  ${secs.toFixed(1)} s  ${fmt(Math.round(ev / Math.max(secs, 1e-3)))} rows/s`
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`)
  }
  const options: SimulateOptions = {
    stores: args.stores, days: args.days, seed: args.seed, end: args.end, batchRows: args.batch,
    onDay: (date, i, n) => progress(`${date} (${i + 1}/${n})`),
  }
  try {
    if (!args.live) {
      const truth = await generate(options, counter)
      if (args.truth) writeFileSync(args.truth, stringifyTruth(truth))
    } else {
      const sim = prepare(options)
      await run(sim, options, counter)
      const truth = truthOf(sim, options)
      await counter.close?.(truth)
      if (args.truth) writeFileSync(args.truth, stringifyTruth(truth))
      const ac = new AbortController()
      process.once('SIGINT', () => ac.abort())
      process.once('SIGTERM', () => ac.abort())
      const live = httpSink({ url: args.url!, apiKey: args.apiKey, batchRows: args.batch, eager: true })
      const liveCounter = countingSink(live)
      if (!args.quiet) process.stderr.write(`${tty ? '\n' : ''}live: ~${args.rate} scans/s to ${args.url} (Ctrl-C to stop)\n`)
      shown = liveCounter
      t0 = Date.now()
      await runLive(sim, liveCounter, { rate: args.rate, signal: ac.signal, onTick: () => progress('live') })
      await liveCounter.close?.(truth)
    }
  } catch (e) {
    process.stderr.write(`${tty ? '\n' : ''}simulate failed: ${(e as Error).stack ?? String(e)}\n`)
    return 1
  }
  progress('done', true)
  if (!args.quiet && tty) process.stderr.write('\n')
  return 0
}

const isMain = ((): boolean => {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
  } catch {
    return false
  }
})()
if (isMain) {
  runSimulatorCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code
  })
}
