/**
 * The segment builder in a real browser: build a two-group rule by clicking, watch the live count
 * follow and equal the API's preview of the same rule, save it with a note, explain a member, and
 * compare two segments; screenshots in English and Chinese.
 */
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generate, httpSink } from '../../sim/index.js'
import { launchBrowser, newPage, screenshot, startWorkbench } from './harness.js'

let wb: Awaited<ReturnType<typeof startWorkbench>>
let browser: Browser
let api: string
let city: string
let savedId: string

async function call(method: string, path: string, body?: unknown): Promise<any> {
  const r = await fetch(`${api}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  const json = await r.json()
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`)
  return json
}
const previewCount = async (rule: unknown) => (await call('POST', '/segments/preview', { entity: 'store', rule, sample: 0 })).count as number

beforeAll(async () => {
  wb = await startWorkbench()
  browser = await launchBrowser()
  api = `${wb.url}/api/v1`
  // A small simulated channel through the real HTTP ingestion API, then profiles as of tomorrow.
  await generate({ stores: 200, days: 120, seed: 3, end: '2026-11-25' }, httpSink({ url: wb.url, batchRows: 20_000 }))
  await call('POST', '/profiles/refresh')
  city = (await call('GET', '/segments/values/store/city?limit=1')).values[0].value
})

afterAll(async () => {
  await browser?.close()
  await wb?.cleanup()
})

/** The live count once it has settled (not loading, not stale). */
async function settledCount(page: Page): Promise<number> {
  const count = page.getByTestId('seg-count')
  await expect.poll(() => count.getAttribute('data-count'), { timeout: 20_000 }).toMatch(/^\d+$/)
  return Number(await count.getAttribute('data-count'))
}

/** Picks an attribute by searching for it, then sets the operator and typed value. */
async function fillCondition(cond: Locator, search: string, attr: string, op: string, value: string) {
  if (!(await cond.getByTestId('seg-attr-search').isVisible())) await cond.getByTestId('seg-attr-picker').click()
  await cond.getByTestId('seg-attr-search').fill(search)
  await cond.getByTestId(`seg-attr-option-${attr}`).click()
  await expect.poll(() => cond.getByTestId('seg-attr-picker').getAttribute('data-attr')).toBe(attr)
  await cond.getByTestId('seg-op').selectOption(op)
  await cond.getByTestId('seg-value').fill(value)
}

const shot = async (page: Page, name: string) => {
  await page.evaluate(() => window.scrollTo(0, 0))
  await screenshot(page, name)
}

describe('segment builder', () => {
  it('builds a two-group rule by clicking; the live count equals the API; saves with a note; explains a member', async () => {
    const page = await newPage(browser, 'en-US')
    await page.goto(`${wb.url}/segments`)
    await expect.poll(() => page.getByTestId('seg-list-empty').count(), { timeout: 15_000 }).toBe(1)
    await expect.poll(() => page.getByTestId('seg-template-group_buy_candidates').count()).toBe(1)
    await page.getByTestId('seg-new').click()
    await expect.poll(() => page.url()).toMatch(/\/segments\/new$/)
    const all = await settledCount(page)
    expect(all).toBe(await previewCount({ and: [] }))

    // Group 1 (the root, AND): city = the most common city.
    await page.getByTestId('seg-group-add-condition').click()
    await fillCondition(page.getByTestId('seg-condition').nth(0), 'city', 'city', 'eq', city)
    const cityRule = { attr: 'city', op: 'eq', value: city }
    await expect.poll(() => settledCount(page), { timeout: 20_000 }).toBe(await previewCount({ and: [cityRule] }))
    const inCity = await settledCount(page)
    expect(inCity).toBeLessThan(all)

    // Group 2: a nested group, switched to OR, with two conditions (typed in the units people read).
    await page.getByTestId('seg-group-add-group').click()
    const nested = page.getByTestId('seg-group').nth(1)
    const toggle = nested.getByTestId('seg-group-toggle')
    const first = await toggle.getAttribute('data-op')
    await toggle.click()
    expect(await toggle.getAttribute('data-op')).not.toBe(first)
    if ((await toggle.getAttribute('data-op')) !== 'or') await toggle.click()
    expect(await nested.getAttribute('data-op')).toBe('or')
    await nested.getByTestId('seg-group-add-condition').click()
    await fillCondition(nested.getByTestId('seg-condition').nth(0), '90 opened', 'opened_bottles_90d', 'gte', '60')
    await nested.getByTestId('seg-group-add-condition').click()
    await fillCondition(nested.getByTestId('seg-condition').nth(1), 'sub-premium', 'sub_premium_share_90d', 'gte', '40')
    const rule = {
      and: [cityRule, { or: [{ attr: 'opened_bottles_90d', op: 'gte', value: 60 }, { attr: 'sub_premium_share_90d', op: 'gte', value: 0.4 }] }],
    }
    const want = await previewCount(rule)
    await expect.poll(() => settledCount(page), { timeout: 20_000 }).toBe(want)
    expect(want).toBeLessThan(inCity)
    expect(want).toBeGreaterThan(0)
    // The sample shows the attributes the rule uses, formatted with their units, ids linking to the store.
    const sample = page.getByTestId('seg-sample')
    await expect.poll(() => sample.locator('tbody tr').count()).toBeGreaterThan(0)
    expect(await sample.locator('thead').innerText()).toMatch(/City[\s\S]*Bottles opened, 90 d[\s\S]*Sub-premium\+ share, 90 d/)
    expect(await sample.locator('tbody tr').first().innerText()).toMatch(/%/)
    expect(await sample.locator('tbody tr a').first().getAttribute('href')).toMatch(/^\/stores\//)

    await page.getByTestId('seg-name').fill('Weifang steady sellers')
    await page.getByTestId('seg-note').fill('first cut: city and volume or mix')
    await page.getByTestId('seg-save').click()
    await expect.poll(() => page.url(), { timeout: 20_000 }).toMatch(/\/segments\/seg_\w+$/)
    savedId = page.url().split('/').pop()!
    const saved = await call('GET', `/segments/${savedId}`)
    expect(saved.rule).toEqual(rule)
    await expect.poll(() => page.getByTestId('seg-versions').innerText(), { timeout: 15_000 }).toContain('first cut: city and volume or mix')
    await expect.poll(() => page.getByTestId('seg-history-chart').getAttribute('data-state'), { timeout: 20_000 }).toBe('ready')
    expect(await settledCount(page)).toBe(want)
    expect(await page.getByTestId('seg-export').getAttribute('href')).toBe(`/api/v1/segments/${savedId}/members?format=csv`)

    await shot(page, 'segments-builder-en')

    // Explain a member from the sample.
    await expect.poll(() => sample.locator('tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(0)
    const memberId = await sample.locator('tbody tr').first().getAttribute('data-id')
    await sample.getByTestId('seg-sample-explain').first().click()
    const drawer = page.getByTestId('seg-explain')
    await expect.poll(() => drawer.getByTestId('seg-explain-member').getAttribute('data-member'), { timeout: 15_000 }).toBe('true')
    expect(await drawer.innerText()).toContain(memberId!)
    expect(await drawer.locator('.seg-x-node[data-pass="true"]').count()).toBeGreaterThanOrEqual(3)
    await shot(page, 'segments-explain-en')

    // A store of another city is not a member, and the drawer says which condition fails.
    const other = (await call('GET', `/profiles/stores?f.city.neq=${encodeURIComponent(city)}&limit=1`)).rows[0].id
    await drawer.getByTestId('seg-explain-id').fill(other)
    await drawer.getByTestId('seg-explain-run').click()
    await expect.poll(() => drawer.getByTestId('seg-explain-member').getAttribute('data-member'), { timeout: 15_000 }).toBe('false')
    expect(await drawer.locator('.seg-x-node[data-path="rule.and.0"]').getAttribute('data-pass')).toBe('false')
    await page.close()
  })

  it('shows the builder, list, templates and overlap in Chinese', async () => {
    const page = await newPage(browser, 'zh-CN')
    await page.goto(`${wb.url}/segments/${savedId}`)
    expect(await settledCount(page)).toBeGreaterThan(0)
    await expect.poll(() => page.getByTestId('seg-history-chart').getAttribute('data-state'), { timeout: 20_000 }).toBe('ready')
    expect(await page.getByTestId('seg-builder').innerText()).toContain('满足以下任一条件')
    await page.getByTestId('seg-sample-explain').first().click()
    await expect.poll(() => page.getByTestId('seg-explain-member').getAttribute('data-member'), { timeout: 15_000 }).toBe('true')
    await shot(page, 'segments-builder-zh')

    // A second segment from a template, then the overlap of the two.
    const dormant = await call('POST', '/segments', { name: '沉睡门店', entity: 'store', rule: (await call('GET', '/segments/templates')).templates.find((t: any) => t.id === 'dormant_stores').rule })
    await call('POST', `/segments/${dormant.id}/refresh`)
    await page.goto(`${wb.url}/segments?overlap=${savedId},${dormant.id}`)
    const overlap = page.getByTestId('seg-overlap')
    await expect.poll(() => overlap.locator('[data-testid="seg-overlap-table"] tbody tr[data-region]').count(), { timeout: 15_000 }).toBe(3)
    const want = await call('POST', '/segments/overlap', { ids: [savedId, dormant.id] })
    for (const r of want.regions)
      expect(await overlap.locator(`tr[data-region="${[...r.in].sort().join('+')}"]`).getAttribute('data-count')).toBe(String(r.count))
    expect(await page.getByTestId('seg-list').innerText()).toContain('沉睡门店')
    await shot(page, 'segments-list-zh')

    // A template opens as an editable copy with its name and rule.
    await page.getByTestId('seg-template-group_buy_candidates').click()
    await expect.poll(() => page.getByTestId('seg-condition').count(), { timeout: 15_000 }).toBe(5)
    expect(await page.getByTestId('seg-name').inputValue()).toBe('团购候选门店')
    expect(await page.getByTestId('seg-condition').first().getByTestId('seg-value').inputValue()).toBe('50')
    await settledCount(page)
    await shot(page, 'segments-template-zh')
    await page.close()
  })
  it('event, list and segment conditions count like the API; a refused condition shows its error in place', async () => {
    const page = await newPage(browser, 'en-US')
    await page.goto(`${wb.url}/segments/new`)
    await settledCount(page)

    // Opened premium bottles in the last 60 days ≥ 2, with the tier picked from the multi-select.
    await page.getByTestId('seg-group-add-event').click()
    const ev = page.getByTestId('seg-event')
    await ev.getByTestId('seg-event-days').fill('60')
    await ev.getByTestId('seg-value').fill('2')
    await ev.getByTestId('seg-event-tier').click()
    await ev.locator('[data-testid="seg-event-tier-option"][data-value="premium"]').click()
    expect(await ev.getByTestId('seg-event-tier-box').innerText()).toMatch(/^Premium/)
    const event = { event: 'open', window: { days: 60 }, where: { tier: ['premium'] }, measure: 'bottles', op: 'gte', value: 2 }
    await expect.poll(() => settledCount(page), { timeout: 20_000 }).toBe(await previewCount({ and: [event] }))

    // An uploaded list, inline: the first 30 stores by id.
    const ids = (await call('GET', '/profiles/stores?limit=30')).rows.map((r: any) => r.id)
    await page.getByTestId('seg-group-add-list').click()
    await page.getByTestId('seg-list-upload-open').click()
    await page.getByTestId('seg-list-upload').locator('textarea').fill(`id\n${ids.join('\n')}\n`)
    await page.getByTestId('seg-list-upload').getByRole('button', { name: 'Upload' }).click()
    await expect.poll(() => page.getByTestId('seg-ref-list').inputValue(), { timeout: 15_000 }).toMatch(/^lst_/)
    const list = { list: await page.getByTestId('seg-ref-list').inputValue() }
    await expect.poll(() => settledCount(page), { timeout: 20_000 }).toBe(await previewCount({ and: [event, list] }))

    // Not a member of a saved segment; counted like the API.
    const restaurants = await call('POST', '/segments', { name: 'Restaurants', entity: 'store', rule: { attr: 'kind', op: 'eq', value: 'restaurant' } })
    await page.getByTestId('seg-group-add-segment').click()
    await page.getByTestId('seg-ref-segment').selectOption(restaurants.id)
    await page.getByTestId('seg-ref-member').selectOption('no')
    await expect.poll(() => settledCount(page), { timeout: 20_000 }).toBe(await previewCount({ and: [event, list, { segment: restaurants.id, member: false }] }))
    await shot(page, 'segments-conditions-en')

    // Reorder: a move-up button (keyboard), then drag and drop by the handle; an AND keeps its count.
    const kinds = () => page.getByTestId('seg-condition').evaluateAll((els) => els.map((e) => e.querySelector('.seg-kind-tag')?.textContent ?? ''))
    const before = await settledCount(page)
    await page.getByTestId('seg-condition').nth(2).getByTestId('seg-move-up').click()
    expect(await kinds()).toEqual(['Event', 'Segment', 'List'])
    await page.getByTestId('seg-condition').nth(2).locator('.seg-handle').dragTo(page.getByTestId('seg-condition').nth(0), { targetPosition: { x: 40, y: 4 } })
    await expect.poll(kinds).toEqual(['List', 'Event', 'Segment'])
    expect(await settledCount(page)).toBe(before)

    // A saved segment that would reference itself through another one: the save's 400 lands on that condition.
    const loop = await call('POST', '/segments', { name: 'Loop', entity: 'store', rule: { segment: savedId } })
    await page.goto(`${wb.url}/segments/${savedId}`)
    await settledCount(page)
    // The root group's buttons come last (the nested group's are inside it).
    await page.getByTestId('seg-group-add-segment').last().click()
    const cond = page.getByTestId('seg-condition').last()
    await cond.getByTestId('seg-ref-segment').selectOption(loop.id)
    await settledCount(page)
    await page.getByTestId('seg-save').click()
    const err = cond.getByTestId('seg-error')
    await expect.poll(() => err.count(), { timeout: 20_000 }).toBe(1)
    expect(await err.innerText()).toMatch(/cycle/)
    expect((await call('GET', `/segments/${savedId}`)).version).toBe(1)
    await page.close()
  })
})
