/**
 * Benchmark datasets: simulator output on disk, generated once per (stores, days, seed) and
 * reused. The end date is fixed so that a dataset is the same bytes on every machine.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { fileSink, generate } from '../sim/index.js'

export const BENCH_END = '2026-11-25'
export const DATA_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'data')

export interface Scale {
  stores: number
  days: number
  seed: number
}

/** The folder of a dataset, generating it first when it is missing or incomplete. */
export async function dataset(scale: Scale, log: (msg: string) => void = () => {}): Promise<string> {
  const dir = path.join(DATA_ROOT, `s${scale.stores}-d${scale.days}-seed${scale.seed}`)
  if (fs.existsSync(path.join(dir, 'truth.json'))) return dir
  log(`generating ${scale.stores} stores × ${scale.days} days (seed ${scale.seed}) into ${dir} …`)
  const t0 = performance.now()
  fs.rmSync(dir, { recursive: true, force: true })
  const tmp = `${dir}.partial`
  fs.rmSync(tmp, { recursive: true, force: true })
  await generate({ ...scale, end: BENCH_END }, fileSink(tmp))
  fs.renameSync(tmp, dir)
  log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  return dir
}

/** Number of lines of a file, streamed. */
export async function countLines(file: string): Promise<number> {
  let n = 0
  for await (const chunk of fs.createReadStream(file)) {
    const b = chunk as Buffer
    for (let i = 0; i < b.length; i++) if (b[i] === 10) n++
  }
  return n
}
