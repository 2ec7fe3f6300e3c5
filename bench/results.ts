/** Benchmark results: a printed table and bench/results/<suite>.json, comparable across runs. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export interface SuiteResult {
  suite: string
  scale: Record<string, number | string>
  metrics: Record<string, number>
  ratios: Record<string, number>
  machine: { cpus: number; node: string }
}

export const RESULTS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'results')

export function report(r: Omit<SuiteResult, 'machine'>, write = true): SuiteResult {
  const full: SuiteResult = { ...r, machine: { cpus: os.cpus().length, node: process.version } }
  const rows = [...Object.entries(r.metrics).map(([k, v]) => [k, fmt(v)]), ...Object.entries(r.ratios).map(([k, v]) => [`ratio ${k}`, fmt(v)])]
  const w = Math.max(...rows.map(([k]) => k.length))
  process.stdout.write(`\n${r.suite}  ${Object.entries(r.scale).map(([k, v]) => `${k}=${v}`).join(' ')}\n`)
  for (const [k, v] of rows) process.stdout.write(`  ${k.padEnd(w)}  ${v.padStart(14)}\n`)
  if (write) {
    fs.mkdirSync(RESULTS_DIR, { recursive: true })
    fs.writeFileSync(path.join(RESULTS_DIR, `${r.suite}.json`), JSON.stringify(full, null, 2) + '\n')
  }
  return full
}

function fmt(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en')
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(3)
}

/** p-th percentile (0–100) of a sample, by linear interpolation. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b)
  if (s.length === 0) return NaN
  const i = ((s.length - 1) * p) / 100
  const lo = Math.floor(i)
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo)
}
