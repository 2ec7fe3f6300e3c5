import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readNdjsonBodies } from './files.js'
import { indexNdjson, parseNdjsonLines } from './parse.js'

describe('readNdjsonBodies', () => {
  it('cuts a file into bodies of whole records whose numbers add up to the text parser’s', async () => {
    // Records of varied length and blank lines (CRLF too), long enough to span read chunks.
    const lines: string[] = []
    for (let i = 0; i < 60_000; i++) {
      lines.push(JSON.stringify({ n: i, pad: 'x'.repeat(i % 400), city: '潍坊' }) + (i % 7 === 0 ? '\r' : ''))
      if (i % 1000 === 5) lines.push('', '  \r')
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'negentropy-files-'))
    const file = path.join(dir, 'a.ndjson')
    fs.writeFileSync(file, lines.join('\n'))
    try {
      const want = parseNdjsonLines(fs.readFileSync(file, 'utf8').split('\n'), 0)
      const got: string[] = []
      let bytes = 0
      for await (const { body, records, before } of readNdjsonBodies(file, 7000, (b) => (bytes = b))) {
        const index = indexNdjson(body)
        expect(index.count).toBe(records)
        expect(records).toBeLessThanOrEqual(7000)
        expect(before).toBe(got.length)
        for (let i = 0; i < index.count; i++) got.push(body.toString('utf8', index.starts[i], index.ends[i]))
      }
      expect(bytes).toBe(fs.statSync(file).size)
      expect(got).toEqual(want.map((r) => r.raw))
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
