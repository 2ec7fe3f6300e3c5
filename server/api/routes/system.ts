import { Router } from 'express'
import { Health } from '../../../segments/api/data.js'
import type { Db } from '../../db/gateway.js'
import { endpoint, mount } from '../contract.js'

export const systemEndpoints = [
  endpoint({ method: 'get', path: '/health', summary: 'Liveness and the engine behind the API', tag: 'system', response: Health }),
]

export function systemRouter(db: Db): Router {
  const router = Router()
  let version: string | undefined
  mount(router, systemEndpoints[0], async () => {
    version ??= (await db.query<{ v: string }>('SELECT version() AS v', undefined, 'health'))[0].v
    return { status: 'ok' as const, engine: db.engine, clickhouse_version: version }
  })
  return router
}
