/**
 * Helpers shared by the simulator's tests: generate a run into a temp directory once per
 * test file and read its NDJSON back.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generate, type SimulateOptions } from './index'
import { fileSink } from './sinks'
import type { Truth } from './truth'

export async function generateTo(options: SimulateOptions, prefix = 'sim-test-'): Promise<{ dir: string; truth: Truth }> {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const truth = await generate(options, fileSink(dir))
  return { dir, truth }
}

export function readNdjson<T = Record<string, unknown>>(dir: string, kind: string): T[] {
  const text = readFileSync(join(dir, `${kind}.ndjson`), 'utf8')
  const out: T[] = []
  for (const line of text.split('\n')) if (line) out.push(JSON.parse(line) as T)
  return out
}

export function readTruth(dir: string): Truth {
  return JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8')) as Truth
}
