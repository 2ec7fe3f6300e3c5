import { defineConfig } from 'vitest/config'

// Each test file runs in its own forked process: the embedded engine allows one data
// directory per process, so every file that touches ClickHouse opens a fresh temp dir.
export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'segments/**/*.test.ts', 'sim/**/*.test.ts', 'web/**/*.test.ts', 'bench/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'tests/browser/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { TZ: 'UTC' },
  },
})
