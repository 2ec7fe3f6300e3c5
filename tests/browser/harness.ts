/**
 * Browser-test harness: a workbench on a fresh embedded data directory, served like `npm start`
 * serves it, and Debian's Chromium driven by playwright-core.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { parseConfig } from '../../server/config.js'
import { startServer, type Running } from '../../server/main.js'

export const SCREENSHOTS = path.resolve('tests/browser/screenshots')

export async function startWorkbench(env: Record<string, string> = {}): Promise<Running & { cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'negentropy-browser-'))
  const running = await startServer(parseConfig({ DATA_DIR: dir, PORT: '0', DEMO: '0', LOG_LEVEL: 'warn', ...env }))
  return {
    ...running,
    cleanup: async () => {
      await running.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  })
}

export async function newPage(browser: Browser, locale: 'en-US' | 'zh-CN'): Promise<Page> {
  const ctx = await browser.newContext({ locale, viewport: { width: 1366, height: 900 }, timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  page.on('pageerror', (e) => {
    throw new Error(`page error: ${e.message}`)
  })
  return page
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true })
  const file = path.join(SCREENSHOTS, `${name}.png`)
  // Let ECharts finish its entry animation so the picture shows the final figures.
  await page.waitForTimeout(1500)
  await page.screenshot({ path: file, fullPage: true })
  return file
}
