import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import type express from 'express'

/** Serves an Express app on a free loopback port for a test; returns its base URL and a closer. */
export async function serve(app: express.Express): Promise<{ base: string; close: () => Promise<void> }> {
  const server: Server = app.listen(0, '127.0.0.1')
  await new Promise<void>((r) => server.once('listening', () => r()))
  const { port } = server.address() as AddressInfo
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) }
}

/** POSTs a body with a content type and returns status, content type and parsed JSON. */
export async function post(url: string, body: string, contentType: string): Promise<{ status: number; type: string; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': contentType }, body })
  const text = await res.text()
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = text
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', json }
}
