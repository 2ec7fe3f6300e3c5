import { Router } from 'express'
import { z } from 'zod'
import { Catalog, Profile, ProfileList } from '../../../segments/api/profiles.js'
import { CATALOG, ENTITIES, type Entity } from '../../../segments/catalog.js'
import type { Db } from '../../db/gateway.js'
import { ListError, listProfiles, parseFilters } from '../../profiles/list.js'
import type { ProfileScheduler } from '../../profiles/scheduler.js'
import { computeProfiles, defaultAsOf, freshness } from '../../profiles/service.js'
import { ALL } from '../../scope.js'
import { LocalDate } from '../../ingest/schemas.js'
import { endpoint, mount } from '../contract.js'
import { ApiError } from '../errors.js'

const PLURAL: Record<string, Entity> = { stores: 'store', consumers: 'consumer', distributors: 'distributor' }

export const Freshness = z.array(
  z.object({ entity: z.string(), as_of: z.string().nullable(), refreshed_at: z.string().nullable(), entities: z.number(), age_s: z.number().nullable(), lag_s: z.number().nullable() }),
)
const RefreshReply = z.array(z.object({ entity: z.string(), as_of: z.string(), mode: z.string(), entities: z.number(), duration_ms: z.number() }))

const entityParam = z.enum(['stores', 'consumers', 'distributors'])

const catalogEp = endpoint({ method: 'get', path: '/catalog', summary: 'The attribute catalog of every entity (names, types, units, zh/en labels)', tag: 'profiles', response: Catalog })
const freshnessEp = endpoint({ method: 'get', path: '/profiles/freshness', summary: 'When the materialised profiles were refreshed and how far behind the newest scan they are', tag: 'profiles', response: Freshness })
const refreshEp = endpoint({
    method: 'post', path: '/profiles/refresh', summary: 'Refresh the materialised profiles now (full)', tag: 'profiles',
    query: z.object({ entity: z.enum(['store', 'consumer', 'distributor']).optional() }), response: RefreshReply,
  })
const listEp = endpoint({
    method: 'get', path: '/profiles/:entity', summary: 'List materialised profiles: filters f.<attr>.<op>=value, search q, sort, order, paging', tag: 'profiles',
    params: { entity: entityParam },
    query: z
      .object({
        q: z.string().max(100).optional(),
        sort: z.string().optional(),
        order: z.enum(['asc', 'desc']).default('asc'),
        limit: z.coerce.number().int().min(1).max(500).default(50),
        offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
      })
      .loose(),
    response: ProfileList,
    errors: [400, 404],
  })
const oneEp = endpoint({
    method: 'get', path: '/profiles/:entity/:id', summary: 'One profile as of a local date (default: tomorrow, so today counts), computed from the rollups', tag: 'profiles',
    params: { entity: entityParam, id: z.string() },
    query: z.object({ as_of: LocalDate.optional() }),
    response: Profile,
    errors: [400, 404],
  })

export const profileEndpoints = [catalogEp, freshnessEp, refreshEp, listEp, oneEp]

function entityOf(plural: string): Entity {
  const e = PLURAL[plural]
  if (!e) throw new ApiError('not_found', `no profiles of "${plural}"; one of stores, consumers, distributors`)
  return e
}

export function profilesRouter(db: Db, scheduler: ProfileScheduler): Router {
  const router = Router()
  mount(router, catalogEp, () => CATALOG)
  mount(router, freshnessEp, () => freshness(db))
  mount(router, refreshEp, ({ query }) => scheduler.refresh('full', query.entity ? [query.entity] : ENTITIES))
  mount(router, listEp, async ({ req, query }) => {
    const entity = entityOf(String(req.params.entity))
    try {
      return await listProfiles(db, entity, ALL, { ...query, filters: parseFilters(entity, req.query as Record<string, unknown>) })
    } catch (e) {
      if (e instanceof ListError) throw new ApiError('invalid_query', e.message, { errors: [{ path: e.param, message: e.message }] })
      throw e
    }
  })
  mount(router, oneEp, async ({ req, query }) => {
    const entity = entityOf(String(req.params.entity))
    const id = String(req.params.id)
    const asOf = query.as_of ?? defaultAsOf()
    const p = (await computeProfiles(db, entity, asOf, [id])).get(id)
    if (!p) throw new ApiError('not_found', `no ${entity} "${id}": it is neither in master data nor in any scan before ${asOf}`)
    return { id, entity, as_of: asOf, attributes: p }
  })
  return router
}
