import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generate, httpSink } from '../../sim/index.js'
import { launchBrowser, newPage, screenshot, startWorkbench } from './harness.js'

let wb: Awaited<ReturnType<typeof startWorkbench>>
let browser: Browser

const END = '2026-06-30'
const WEIFANG = '潍坊市'

beforeAll(async () => {
  wb = await startWorkbench()
  browser = await launchBrowser()
  // A small simulated channel through the real HTTP ingestion API.
  await generate({ stores: 300, days: 120, seed: 7, end: END }, httpSink({ url: wb.url, batchRows: 20_000 }))
})

afterAll(async () => {
  await browser?.close()
  await wb?.cleanup()
})

async function api(path: string): Promise<any> {
  const r = await fetch(`${wb.url}/api/v1/dashboards/${path}`)
  expect(r.status).toBe(200)
  return r.json()
}

/** The period the filter bar resolved (shown on the page). */
async function period(page: Page): Promise<{ from: string; to: string }> {
  const el = page.getByTestId('dash-period')
  await expect.poll(() => el.getAttribute('data-from'), { timeout: 15_000 }).toMatch(/^\d{4}-/)
  return { from: (await el.getAttribute('data-from'))!, to: (await el.getAttribute('data-to'))! }
}

/** A full-page picture from the top (a click may have scrolled the page, and the top bar is sticky). */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0))
  await screenshot(page, name)
}

const tile = (page: Page, k: string) => page.getByTestId(`kpi-${k}`)
const chartsReady = (page: Page) =>
  expect.poll(() => page.locator('.chart[data-state="loading"]').count(), { timeout: 20_000 }).toBe(0)

describe('dashboards', () => {
  it('overview: KPI tiles equal the API, and follow a filter change', async () => {
    const page = await newPage(browser, 'en-US')
    await page.goto(`${wb.url}/`)
    const p = await period(page)
    expect(p.to).toBe(END)
    const all = await api(`overview?from=${p.from}&to=${p.to}`)
    await expect.poll(() => tile(page, 'opened_bottles').getAttribute('data-value'), { timeout: 15_000 }).toBe(String(all.kpis.opened_bottles.value))
    expect(await tile(page, 'stocked_bottles').getAttribute('data-value')).toBe(String(all.kpis.stocked_bottles.value))
    expect(await tile(page, 'active_stores').getAttribute('data-value')).toBe(String(all.kpis.active_stores.value))

    await page.getByTestId('dash-filter-city').selectOption(WEIFANG)
    await expect.poll(() => decodeURIComponent(page.url())).toContain(`city=${WEIFANG}`)
    const wf = await api(`overview?from=${p.from}&to=${p.to}&city=${encodeURIComponent(WEIFANG)}`)
    expect(wf.kpis.opened_bottles.value).toBeLessThan(all.kpis.opened_bottles.value)
    await expect.poll(() => tile(page, 'opened_bottles').getAttribute('data-value'), { timeout: 15_000 }).toBe(String(wf.kpis.opened_bottles.value))
    expect(await tile(page, 'consumers').getAttribute('data-value')).toBe(String(wf.kpis.consumers.value))
    // The filter lives in the URL: a reload (a shared link) shows the same view.
    await page.reload()
    await expect.poll(() => tile(page, 'opened_bottles').getAttribute('data-value'), { timeout: 15_000 }).toBe(String(wf.kpis.opened_bottles.value))
    await page.getByTestId('dash-reset').click()
    await page.getByTestId('dash-range-90d').click()
    await expect.poll(() => page.url()).toMatch(/range=90d/)
    await chartsReady(page)
    await page.locator('[data-testid="dash-trend"] canvas').first().waitFor()
    await shot(page, 'dash-overview-en')
  })

  it('geography: clicking a name drills down, breadcrumbs go back', async () => {
    const page = await newPage(browser, 'en-US')
    await page.goto(`${wb.url}/geography?range=90d`)
    const breakdown = page.getByTestId('dash-geo-breakdown')
    await expect.poll(() => breakdown.innerText(), { timeout: 15_000 }).toContain(WEIFANG)
    await breakdown.getByRole('button', { name: WEIFANG, exact: true }).click()
    await expect.poll(() => decodeURIComponent(page.url())).toContain(`city=${WEIFANG}`)
    await expect.poll(() => breakdown.innerText()).toMatch(/By district/)
    await chartsReady(page)
    await shot(page, 'dash-geography-en')
    await page.getByTestId('dash-crumbs').getByRole('button', { name: 'All cities' }).click()
    await expect.poll(() => page.url()).not.toContain('city=')
  })

  it('diversion: alerts over the threshold with their evidence', async () => {
    const page = await newPage(browser, 'en-US')
    await page.goto(`${wb.url}/diversion?range=90d&alert=10`)
    const alerts = page.getByTestId('dash-alerts')
    await alerts.waitFor({ timeout: 15_000 })
    await alerts.getByRole('button', { name: 'Evidence' }).first().click()
    const ev = page.getByTestId('dash-evidence')
    await expect.poll(() => ev.innerText(), { timeout: 15_000 }).toMatch(/distinct caps/)
    expect(await ev.locator('tbody tr').count()).toBeGreaterThan(1)
    await chartsReady(page)
    await shot(page, 'dash-diversion-en')
  })

  it('incentives and cohorts', async () => {
    const page = await newPage(browser, 'en-US')
    await page.goto(`${wb.url}/incentives?range=90d`)
    await expect.poll(() => page.getByTestId('dash-top-earners').locator('tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(0)
    await chartsReady(page)
    await shot(page, 'dash-incentives-en')
    await page.getByTestId('dash-tab-cohorts').click()
    await expect.poll(() => page.url()).toMatch(/\/cohorts\?range=90d/)
    await page.getByTestId('dash-range-365d').click()
    await expect.poll(() => page.locator('.dash-cohorts tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(1)
    await chartsReady(page)
    await shot(page, 'dash-cohorts-en')
  })

  it('every page in Chinese', async () => {
    const page = await newPage(browser, 'zh-CN')
    for (const [path, name, ready] of [
      ['/?range=90d', 'overview', 'dash-trend'],
      [`/geography?range=90d`, 'geography', 'dash-map'],
      ['/diversion?range=90d&alert=10', 'diversion', 'dash-alerts'],
      ['/incentives?range=90d', 'incentives', 'dash-top-earners'],
      ['/cohorts?range=365d', 'cohorts', 'dash-cohorts'],
    ] as const) {
      await page.goto(`${wb.url}${path}`)
      await expect.poll(() => page.getByTestId(`nav-${name}`).getAttribute('aria-current'), { timeout: 15_000 }).toBe('page')
      await page.getByTestId(ready).waitFor({ timeout: 15_000 })
      await expect.poll(() => page.getByTestId('dash-period').getAttribute('data-from'), { timeout: 15_000 }).toMatch(/^\d{4}-/)
      await chartsReady(page)
      await shot(page, `dash-${name}-zh`)
    }
    await expect.poll(() => page.getByTestId('nav-diversion').innerText()).toBe('窜货')
  })
})
