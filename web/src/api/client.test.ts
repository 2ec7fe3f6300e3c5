import { afterEach, expect, test, vi } from 'vitest'
import { z } from 'zod'
import { DataSummary } from '../../../segments/api/data'
import { ApiError, apiGet, apiSend } from './client'

afterEach(() => vi.unstubAllGlobals())

const respond = (body: string, init: ResponseInit) => vi.stubGlobal('fetch', vi.fn(async () => new Response(body, init)))

test('parses a body with its schema; one that breaks the contract is a parse error', async () => {
  respond(JSON.stringify({ tables: [{ table: 'scan_events', rows: 12345678901 }], events_per_day: [], rejects: [] }), { status: 200 })
  const s = await apiGet('/data/summary?days=90', DataSummary)
  expect(s.tables[0].rows).toBe(12345678901)
  // The server sends counts as numbers (server/api/routes/data.ts converts them).
  respond(JSON.stringify({ tables: [{ table: 'scan_events', rows: '12345678901' }], events_per_day: [], rejects: [] }), { status: 200 })
  await expect(apiGet('/data/summary?days=90', DataSummary)).rejects.toMatchObject({ kind: 'parse' })
})

test('a problem+json error becomes an ApiError with title and detail', async () => {
  respond(JSON.stringify({ title: 'Bad days', status: 400, detail: 'days must be 1..3650' }), {
    status: 400,
    headers: { 'content-type': 'application/problem+json' },
  })
  const err = await apiGet('/x', z.unknown()).catch((e: unknown) => e)
  expect(err).toBeInstanceOf(ApiError)
  expect(err).toMatchObject({ kind: 'http', status: 400, title: 'Bad days', detail: 'days must be 1..3650' })
})

test('a body that does not match is a parse error, and no answer is a network error', async () => {
  respond('{"status":"ok"}', { status: 200 })
  await expect(apiGet('/health', z.object({ engine: z.string() }))).rejects.toMatchObject({ kind: 'parse' })
  vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('fetch failed') }))
  await expect(apiGet('/health', z.unknown())).rejects.toMatchObject({ kind: 'network', status: 0 })
})

test('apiSend sends JSON and keeps the problem body of an error', async () => {
  const fetchMock = vi.fn<typeof fetch>(async () => new Response(JSON.stringify({ title: 'Bad', status: 400, detail: 'rule.and.0.value: no', errors: [{ path: 'rule.and.0.value', message: 'no' }] }), { status: 400 }))
  vi.stubGlobal('fetch', fetchMock)
  const err = await apiSend('POST', '/segments/preview', { a: 1 }, z.unknown()).catch((e: unknown) => e)
  expect(err).toMatchObject({ kind: 'http', status: 400, problem: { errors: [{ path: 'rule.and.0.value', message: 'no' }] } })
  const init = fetchMock.mock.calls[0][1]
  expect(init).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { 'Content-Type': 'application/json' } })
})
