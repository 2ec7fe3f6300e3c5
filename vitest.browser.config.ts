import { defineConfig } from 'vitest/config'

// Browser tests drive the built app (dist/web) in Debian's Chromium; one file at a time, since
// each starts a workbench on its own embedded data directory.
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    env: { TZ: 'UTC' },
  },
})
