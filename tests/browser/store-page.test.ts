import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import path from 'node:path'
import { launchBrowser, newPage, screenshot, SCREENSHOTS, startWorkbench } from './harness.js'

let wb: Awaited<ReturnType<typeof startWorkbench>>
let browser: Browser
let api: string

const nd = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n')
async function post(route: string, rows: object[]) {
  const res = await fetch(`${api}${route}`, { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' }, body: nd(rows) })
  const body = await res.json()
  expect(body.rejected ?? []).toEqual([])
  return body
}
const getJson = async (route: string) => (await fetch(`${api}${route}`)).json()

// A small channel, timed relative to today so the default as-of date (tomorrow) shows it:
// store S1 opens bottles on most of the last 80 days (some far away, in Qingdao) and stocks a
// case a week; S2 and S3 exist for the list and the search.
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
const daysAgo = (n: number, hh = 12) => {
  const d = new Date(`${today}T${String(hh).padStart(2, '0')}:00:00+08:00`)
  d.setUTCDate(d.getUTCDate() - n)
  return d.toISOString()
}
let seq = 0
const uuid = () => `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`

function channel() {
  const scans: object[] = []
  const rewards: object[] = []
  for (let d = 1; d <= 80; d++) {
    const opens = (d % 3) + (d % 7 === 0 ? 2 : 0)
    for (let k = 0; k < opens; k++) {
      const far = (d + k) % 11 === 0
      const geo = far ? { lat: 36.07, lon: 120.38, city: '青岛市' } : { lat: 36.7 + ((d * 7 + k * 13) % 50) / 1000 - 0.025, lon: 119.1 + ((d * 11 + k * 5) % 60) / 1000 - 0.03, city: '潍坊市' }
      const id = uuid()
      scans.push({ event_id: id, ts: daysAgo(d, 10 + k), type: 'open', code: `B${seq}`, sku_id: ['K1', 'K2', 'K3'][(d + k) % 3], bottles: 1, store_id: 'S1', distributor_id: 'D1', consumer_id: `C${(d + k) % 9}`, ...geo })
      rewards.push({ reward_id: `R${seq}`, ts: daysAgo(d, 10 + k), beneficiary_type: 'store', beneficiary_id: 'S1', kind: 'sell_through', amount_fen: 50, source_event_id: id })
    }
    if (d % 7 === 1) {
      const id = uuid()
      scans.push({ event_id: id, ts: daysAgo(d, 9), type: 'stock_in', code: `CASE${seq}`, sku_id: 'K1', bottles: 6, store_id: 'S1', distributor_id: 'D1' })
      rewards.push({ reward_id: `R${seq}`, ts: daysAgo(d, 9), beneficiary_type: 'store', beneficiary_id: 'S1', kind: 'stock_in', amount_fen: 600, source_event_id: id })
    }
  }
  for (const [store, n] of [['S2', 4], ['S3', 1]] as const)
    for (let i = 0; i < n; i++) scans.push({ event_id: uuid(), ts: daysAgo(i + 2), type: 'open', code: `B${seq}`, sku_id: 'K1', bottles: 1, store_id: store, distributor_id: 'D1', consumer_id: 'C1', city: '潍坊市' })
  return { scans, rewards }
}

beforeAll(async () => {
  wb = await startWorkbench()
  browser = await launchBrowser()
  api = `${wb.url}/api/v1`
  await post('/master/products', [
    { sku_id: 'K1', name: '经典大曲', tier: 'mass', volume_ml: 500, price_fen: 9900, bottles_per_case: 6 },
    { sku_id: 'K2', name: '窖藏精品', tier: 'sub_premium', volume_ml: 500, price_fen: 29900, bottles_per_case: 6 },
    { sku_id: 'K3', name: '国藏', tier: 'premium', volume_ml: 500, price_fen: 99900, bottles_per_case: 6 },
  ])
  await post('/master/distributors', [{ distributor_id: 'D1', name: '鸿运商贸', province: '山东省', city: '潍坊市', territory_cities: ['潍坊市'] }])
  await post('/master/reps', [{ rep_id: 'R1', name: '张三', city: '潍坊市' }])
  await post('/master/stores', [
    { store_id: 'S1', name: '老王烟酒', kind: 'tobacco_liquor', distributor_id: 'D1', province: '山东省', city: '潍坊市', district: '奎文区', lat: 36.7, lon: 119.1, rep_id: 'R1' },
    { store_id: 'S2', name: '好运超市', kind: 'supermarket', distributor_id: 'D1', province: '山东省', city: '潍坊市', district: '潍城区', lat: 36.71, lon: 119.09 },
    { store_id: 'S3', name: '大众饭店', kind: 'restaurant', distributor_id: 'D1', province: '山东省', city: '潍坊市', district: '奎文区', lat: 36.69, lon: 119.12 },
  ])
  const { scans, rewards } = channel()
  await post('/ingest/scans', scans)
  await post('/ingest/rewards', rewards)
  const r = await fetch(`${api}/profiles/refresh`, { method: 'POST' })
  if (!r.ok) throw new Error(`profile refresh failed: ${r.status} ${await r.text()}`)
})

afterAll(async () => {
  await browser?.close()
  await wb?.cleanup()
})

const KPIS = ['opened_bottles_30d', 'opened_bottles_90d', 'stocked_bottles_30d', 'stocked_bottles_90d', 'open_rate_90d', 'weekly_opened_mean_12w', 'weekly_opened_cv_12w', 'distinct_consumers_90d', 'reward_per_opened_bottle_90d', 'days_since_last_open', 'days_since_last_stock_in']

async function kpiValues(page: Page): Promise<Record<string, string>> {
  return page.getByTestId('store-kpis').evaluate((el) =>
    Object.fromEntries([...el.querySelectorAll('[data-attr]')].map((x) => [x.getAttribute('data-attr'), x.getAttribute('data-value')])),
  )
}
const asText = (attrs: Record<string, unknown>) => Object.fromEntries(KPIS.map((k) => [k, attrs[k] === null ? '' : String(attrs[k])]))

describe('Store pages', () => {
  it('lists, searches and opens a store whose header and KPIs equal the API (English)', async () => {
    const page = await newPage(browser, 'en-US')
    await page.goto(`${wb.url}/stores`)
    const table = page.getByTestId('stores-table')
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 15_000 }).toBe(3)
    await expect.poll(() => page.getByTestId('profiles-freshness').innerText()).toMatch(/Profiles as of .*refreshed/)
    // Sort by opened bottles (30 d), largest first, and keep it in the URL.
    await table.locator('[data-sort="opened_bottles_30d"]').click()
    await expect.poll(() => page.url()).toMatch(/sort=opened_bottles_30d&order=desc/)
    await expect.poll(() => table.locator('tbody tr').first().getAttribute('data-id')).toBe('S1')
    await screenshot(page, 'stores-list-en')

    // A chip from a cell, then a numeric filter from the catalog; both live in the URL.
    await table.locator('tbody tr[data-id="S1"] [data-attr="district"] button').click()
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2)
    await page.getByTestId('store-filter-add').click()
    await page.getByTestId('filter-attr').selectOption('opened_bottles_30d')
    await page.getByTestId('filter-op').selectOption('gte')
    await page.getByTestId('filter-value').fill('2')
    await page.getByTestId('filter-apply').click()
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1)
    expect(decodeURIComponent(page.url())).toMatch(/f\.district\.eq=奎文区.*f\.opened_bottles_30d\.gte=2/)
    expect(await page.getByTestId('store-filters').innerText()).toMatch(/District\s*=\s*奎文区/)
    await page.getByTestId('store-filters').locator('.filter-chip-x').first().click()
    await page.getByTestId('store-filters').locator('.filter-chip-x').first().click()
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3)

    await page.getByTestId('stores-search').fill('老王')
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1)
    await expect.poll(() => page.url()).toMatch(/q=/)
    await table.locator('tbody tr').first().click()
    await expect.poll(() => page.url()).toMatch(/\/stores\/S1$/)

    const header = page.getByTestId('store-header')
    await expect.poll(() => header.innerText(), { timeout: 15_000 }).toMatch(/老王烟酒/)
    const headerText = await header.innerText()
    expect(headerText).toMatch(/Tobacco & liquor/)
    expect(headerText).toMatch(/鸿运商贸/)
    expect(headerText).toMatch(/张三 \(R1\)/)
    expect(headerText).toMatch(/潍坊市 奎文区/)

    const profile = await getJson('/profiles/stores/S1')
    await expect.poll(() => kpiValues(page)).toEqual(asText(profile.attributes))
    const opened30 = page.getByTestId('store-kpis').locator('[data-attr="opened_bottles_30d"]')
    expect(await opened30.innerText()).toContain(String(profile.attributes.opened_bottles_30d))
    expect(await opened30.getAttribute('title')).toMatch(/open scans attributed to the store/)

    for (const id of ['store-weekly-chart', 'store-tier-mix', 'store-open-map', 'store-rewards-chart'])
      await page.getByTestId(id).locator('canvas').first().waitFor({ timeout: 15_000 })
    const detail = await getJson('/profiles/stores/S1/detail')
    await expect.poll(() => page.getByTestId('store-recent-events').locator('tbody tr').count()).toBe(Math.min(50, detail.recent_events.length))
    expect(await page.getByTestId('store-weekly-chart').innerText()).toContain(`CV ${profile.attributes.weekly_opened_cv_12w.toFixed(2)}`)
    await screenshot(page, 'store-en')
    // A close-up of the map: the near view by default, the ring round, the store pinned.
    await expect.poll(() => page.getByTestId('map-outside').innerText()).toMatch(/\+\d+ bottles beyond 12 km/)
    await page.getByTestId('store-open-map').screenshot({ path: path.join(SCREENSHOTS, 'store-map-en.png') })
  })

  it('re-queries everything for another as-of date, and switches to Chinese', async () => {
    const page = await newPage(browser, 'en-US')
    await page.goto(`${wb.url}/stores/S1`)
    await expect.poll(() => page.getByTestId('store-header').innerText(), { timeout: 15_000 }).toMatch(/老王烟酒/)
    const past = daysAgo(40).slice(0, 10)
    await page.getByTestId('as-of').fill(past)
    await expect.poll(() => page.url()).toMatch(new RegExp(`as_of=${past}`))
    const then = await getJson(`/profiles/stores/S1?as_of=${past}`)
    await expect.poll(() => kpiValues(page), { timeout: 15_000 }).toEqual(asText(then.attributes))
    await page.getByTestId('as-of-reset').click()
    const now = await getJson('/profiles/stores/S1')
    await expect.poll(() => kpiValues(page)).toEqual(asText(now.attributes))

    await page.getByTestId('lang-switch').click()
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN')
    await expect.poll(() => page.getByTestId('store-header').innerText()).toMatch(/烟酒店/)
    expect(await page.getByTestId('store-kpis').innerText()).toMatch(/近30天开瓶数/)
    expect(await page.getByTestId('store-weekly-chart').innerText()).toMatch(/每周动销/)
    for (const id of ['store-weekly-chart', 'store-tier-mix', 'store-open-map', 'store-rewards-chart'])
      await page.getByTestId(id).locator('canvas').first().waitFor({ timeout: 15_000 })
    await screenshot(page, 'store-zh')
  })

  it('shows the distributor and a consumer from the store page links', async () => {
    const page = await newPage(browser, 'zh-CN')
    await page.goto(`${wb.url}/stores/S1`)
    await page.getByTestId('store-header').getByRole('link', { name: '鸿运商贸' }).click()
    await expect.poll(() => page.url()).toMatch(/\/distributors\/D1$/)
    await expect.poll(() => page.getByTestId('distributor-stores').locator('tbody tr').count(), { timeout: 15_000 }).toBe(3)
    await page.getByTestId('distributor-weekly-chart').locator('canvas').first().waitFor({ timeout: 15_000 })
    await screenshot(page, 'distributor-zh')

    await page.goto(`${wb.url}/consumers/C1`)
    await expect.poll(() => page.getByTestId('consumer-stores').locator('tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(1)
    await page.getByTestId('consumer-timeline-chart').locator('canvas').first().waitFor({ timeout: 15_000 })
    await screenshot(page, 'consumer-zh')
  })
})
