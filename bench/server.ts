/** Runs the workbench as a child process (as `npm start` would) for benchmarks over HTTP. */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export interface ChildServer {
  url: string
  pid: number
  /** Peak resident set size of the server process so far, in bytes (VmHWM). */
  peakRss(): number
  stop(): Promise<void>
}

export async function startChildServer(env: Record<string, string> = {}): Promise<ChildServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'negentropy-bench-'))
  const port = 20000 + Math.floor(Math.random() * 20000)
  // BENCH_SERVER_NODE_ARGS adds Node options to the server, e.g. `--cpu-prof` to profile it.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/cli/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATA_DIR: dir, DEMO: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  // BENCH_SERVER_LOG=<file> keeps the server's whole log (e.g. with LOG_LEVEL=info in env).
  const logFile = process.env.BENCH_SERVER_LOG
  child.stderr?.on('data', (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000)
    if (logFile) fs.appendFileSync(logFile, b)
  })
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`)
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    url,
    pid: child.pid!,
    peakRss() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8')
      const m = /VmHWM:\s+(\d+) kB/.exec(status)
      return m ? Number(m[1]) * 1024 : NaN
    },
    async stop() {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
