import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// The web app lives in web/; the server serves dist/web at `/` with an SPA fallback.
// ECharts is reached only through a dynamic import (web/src/charts/echarts.ts), so it
// lands in its own chunk and the first load stays small (DESIGN §8: ≤ 400 KB gzipped JS).
const api = { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } }

export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 700,
  },
  server: { proxy: api },
  preview: { proxy: api },
})
