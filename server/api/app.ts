/**
 * The Express application: the JSON API under /api/v1 and the built web app at /.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import express, { Router } from 'express'
import type { Db } from '../db/gateway.js'
import { Ingestor } from '../ingest/service.js'
import { ApiError, errorHandler } from './errors.js'
import { openApiDocument } from './openapi.js'
import { dataEndpoints, dataRouter } from './routes/data.js'
import { profileEndpoints, profilesRouter } from './routes/profiles.js'
import { profileDetailEndpoints, profileDetailRouter } from './routes/profile-detail.js'
import { ProfileScheduler } from '../profiles/scheduler.js'
import { ingestEndpoints, ingestRouter } from './routes/ingest.js'
import { systemEndpoints, systemRouter } from './routes/system.js'
import { segmentEndpoints, segmentsRouter } from './routes/segments.js'
import { dashboardEndpoints, dashboardsRouter } from './routes/dashboards.js'
import { experimentEndpoints, experimentsRouter } from './routes/experiments.js'

export const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web')

export const allEndpoints = [...systemEndpoints, ...ingestEndpoints, ...dataEndpoints, ...profileEndpoints, ...profileDetailEndpoints, ...segmentEndpoints, ...dashboardEndpoints, ...experimentEndpoints]

export interface AppDeps {
  db: Db
  ingestor?: Ingestor
  profiles?: ProfileScheduler
  version?: string
  webDir?: string
}

export function createApp({ db, ingestor = new Ingestor(db), profiles = new ProfileScheduler(db), version = '0.1.0', webDir = WEB_DIR }: AppDeps): express.Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('query parser', 'simple')
  const api = Router()
  api.use(systemRouter(db))
  const doc = openApiDocument(allEndpoints, version)
  api.get('/openapi.json', (_req, res) => {
    res.json(doc)
  })
  api.use(ingestRouter(ingestor))
  api.use(segmentsRouter(db))
  api.use(experimentsRouter(db))
  api.use(express.json({ limit: '1mb' }))
  api.use(dataRouter(db))
  api.use(profilesRouter(db, profiles))
  api.use(profileDetailRouter(db))
  api.use(dashboardsRouter(db))
  api.use((req) => {
    throw new ApiError('not_found', `no endpoint ${req.method} /api/v1${req.path}`)
  })
  app.use('/api/v1', api)
  app.use('/api', (req) => {
    throw new ApiError('not_found', `no endpoint ${req.method} ${req.originalUrl}; the API lives under /api/v1`)
  })
  if (fs.existsSync(webDir)) {
    app.use(express.static(webDir, { index: false, maxAge: '1h' }))
    // The web app routes on the client: any other GET gets index.html.
    app.get(/.*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache')
      res.sendFile(path.join(webDir, 'index.html'))
    })
  }
  app.use(errorHandler)
  return app
}
