import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, newPage, screenshot, startWorkbench } from './harness.js'

let wb: Awaited<ReturnType<typeof startWorkbench>>
let browser: Browser

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`

beforeAll(async () => {
  wb = await startWorkbench()
  browser = await launchBrowser()
  // Real rows through the real API: 37 opens and 5 stock-ins over three local days, 2 rejects.
  const rows: object[] = []
  for (let i = 0; i < 42; i++)
    rows.push({
      event_id: uuid(i),
      ts: `2026-11-0${1 + (i % 3)}T10:00:00+08:00`,
      type: i < 5 ? 'stock_in' : 'open',
      code: `C-${i}`,
      sku_id: 'K1',
      bottles: i < 5 ? 6 : 1,
      store_id: 'S1',
    })
  const body = [...rows.map((r) => JSON.stringify(r)), '{"event_id":"nope","ts":"soon"}', 'not json at all'].join('\n')
  const res = await fetch(`${wb.url}/api/v1/ingest/scans`, { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' }, body })
  const reply = await res.json()
  if (reply.accepted !== 42) throw new Error(`setup: expected 42 accepted, got ${JSON.stringify(reply)}`)
})

afterAll(async () => {
  await browser?.close()
  await wb?.cleanup()
})

describe('Data page', () => {
  it('shows real row counts, the events chart and the rejects (English)', async () => {
    const page = await newPage(browser, 'en-US')
    await page.goto(`${wb.url}/data`)
    const table = page.getByTestId('data-table-rows')
    await expect.poll(() => table.innerText(), { timeout: 15_000 }).toMatch(/42/)
    await expect.poll(() => page.getByTestId('health-engine').innerText()).toMatch(/embedded/i)
    await page.getByTestId('data-events-chart').locator('canvas').first().waitFor({ timeout: 15_000 })
    const rejects = await page.getByTestId('data-rejects').innerText()
    expect(rejects).toMatch(/event_id/)
    expect(rejects).toMatch(/not valid JSON/)
    await screenshot(page, 'data-en')
  })

  it('switches to Chinese and keeps the figures', async () => {
    const page = await newPage(browser, 'en-US')
    await page.goto(`${wb.url}/data`)
    await page.getByTestId('lang-switch').click()
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN')
    await expect.poll(() => page.getByTestId('nav-data').innerText()).toBe('数据')
    await expect.poll(() => page.getByTestId('data-table-rows').innerText()).toMatch(/42/)
    await screenshot(page, 'data-zh')
  })

  it('opens in Chinese for a Chinese browser and navigates between pages', async () => {
    const page = await newPage(browser, 'zh-CN')
    await page.goto(`${wb.url}/`)
    await expect.poll(() => page.getByTestId('nav-stores').innerText()).toBe('门店')
    await page.getByTestId('nav-data').click()
    await expect.poll(() => page.url()).toMatch(/\/data$/)
    await expect.poll(() => page.getByTestId('data-table-rows').innerText()).toMatch(/42/)
  })
})
