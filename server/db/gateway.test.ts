import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../config.js'
import { openDb } from './gateway.js'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "neg it's \\ odd-"))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('gateway inserts', () => {
  it('spools JSONEachRow bodies through a data directory with quotes and backslashes in its path', async () => {
    const db = await openDb(parseConfig({ DATA_DIR: dir }))
    try {
      await db.command('CREATE TABLE t (id UInt32, s String, d Date MATERIALIZED toDate(\'2026-01-01\'), n Nullable(Float64)) ENGINE = MergeTree ORDER BY id')
      await db.insert('t', [{ id: 1, s: "it's", n: null }, { id: 2, s: 'a\nb', n: 1.5 }])
      await db.insertNdjson('t', '{"id":3,"s":"\\u4e2d","extra":1}')
      expect(await db.query('SELECT id, s, n, d FROM t ORDER BY id')).toEqual([
        { id: 1, s: "it's", n: null, d: '2026-01-01' },
        { id: 2, s: 'a\nb', n: 1.5, d: '2026-01-01' },
        { id: 3, s: '中', n: null, d: '2026-01-01' },
      ])
      expect(fs.readdirSync(path.join(dir, 'spool'))).toEqual([])
      // The embedded engine runs with the server-level settings of its config file.
      expect(await db.query(`SELECT name, value FROM system.server_settings WHERE name IN ('mark_cache_size', 'background_pool_size') ORDER BY name`)).toEqual([
        { name: 'background_pool_size', value: '8' },
        { name: 'mark_cache_size', value: '268435456' },
      ])
      expect(await db.query(`SELECT getSetting('max_bytes_before_external_group_by') AS g`)).toEqual([{ g: 134217728 }])
    } finally {
      await db.close()
    }
  })
})
