/**
 * A process killed (SIGKILL) right after a 'durable' reply loses none of the rows it acknowledged
 * and writes none twice: the next start writes what the log still holds, rollups included.
 * The child opens the data directory first; this file opens it only once the child is dead.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, expect, it } from 'vitest'
import { parseConfig } from '../config.js'
import { openDb, type Db } from '../db/gateway.js'
import { migrate } from '../db/migrate.js'
import { Ingestor } from './service.js'
import { crashScans } from './testing/crash-scans.js'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'negentropy-crash-'))
let db: Db | undefined
afterAll(async () => {
  await db?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** Runs the child until it acknowledges, then kills it at once; resolves with the rows it acknowledged. */
function ackThenKill(count: number, from: number, hold: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const args = [path.join(HERE, 'testing/ack-then-hang.ts'), dir, String(count), String(from), hold ? 'hold' : 'go']
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    let acked: number | undefined
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString()
      const m = /acked (\d+)/.exec(out)
      if (m && acked === undefined) {
        acked = Number(m[1])
        child.kill('SIGKILL')
      }
    })
    child.stderr.on('data', (b: Buffer) => (err += b.toString()))
    child.on('exit', () => (acked === undefined ? reject(new Error(`the child ended without an acknowledgement: ${err.slice(-2000)}`)) : resolve(acked)))
  })
}

const logged = () => fs.readdirSync(path.join(dir, 'wal', 'scans')).filter((n) => n.endsWith('.ndjson'))

it('rows acknowledged before a kill are all stored after the restart, once', async () => {
  // Killed before its insert could start: the rows are only in the log.
  expect(await ackThenKill(30_000, 0, true)).toBe(30_000)
  expect(logged()).toHaveLength(1)
  // The next process writes them at its start, then takes more and is killed right after the
  // reply (before, during or after that insert: whichever, nothing may be lost or doubled).
  expect(await ackThenKill(30_000, 30_000, false)).toBe(30_000)
  const count = 60_000
  db = await openDb(parseConfig({ DATA_DIR: dir, DEMO: '0', LOG_LEVEL: 'warn' }))
  await migrate(db)
  const ingestor = new Ingestor(db)
  await ingestor.recover()
  const [facts] = await db.query<{ rows: number; ids: number }>(`SELECT count() AS rows, uniqExact(event_id) AS ids FROM scan_events`)
  expect({ rows: Number(facts.rows), ids: Number(facts.ids) }).toEqual({ rows: count, ids: count })
  const [daily] = await db.query<{ opens: number }>(`SELECT sum(events) AS opens FROM scan_daily WHERE type = 'open'`)
  expect(Number(daily.opens)).toBe(count)
  expect(logged()).toEqual([])
  // Sent again, every row is a duplicate.
  expect(await ingestor.ingestBody('scans', crashScans(count), { origin: 'cli' })).toMatchObject({ accepted: 0, duplicates: count })
}, 120_000)
