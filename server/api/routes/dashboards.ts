/**
 * Dashboards for sales leaders: `GET /dashboards/{options,overview,geography,geography/map,
 * diversion,diversion/evidence,incentives,cohorts}`. Each takes the shared filter set as query
 * parameters (`from`, `to` local days, inclusive; `city`, `district`, `kind`, `distributor`,
 * `tier`, `sku`) and answers chart-ready series computed from the rollups.
 */
import { Router } from 'express'
import { z } from 'zod'
import type { Db } from '../../db/gateway.js'
import { cohorts } from '../../dashboards/cohorts.js'
import { diversion, flowEvidence } from '../../dashboards/diversion.js'
import { dashQuery, Grain } from '../../dashboards/filters.js'
import { geography, geoMap } from '../../dashboards/geography.js'
import { incentives } from '../../dashboards/incentives.js'
import { filterOptions } from '../../dashboards/options.js'
import { overview } from '../../dashboards/overview.js'
import * as R from '../../../segments/api/dashboards.js'
import { ALL } from '../../scope.js'
import { endpoint, mount } from '../contract.js'

const int = (min: number, max: number, def: number) => z.coerce.number().int().min(min).max(max).default(def)
const City = z.string().trim().min(1, 'must not be empty').max(64)
const tag = 'dashboards'

const optionsEp = endpoint({
  method: 'get', path: '/dashboards/options', tag, response: R.FilterOptions,
  summary: 'Filter choices: cities and districts, store kinds, tiers, SKUs, distributors, and the span of days with data',
})
const overviewEp = endpoint({
  method: 'get', path: '/dashboards/overview', tag, response: R.Overview, errors: [400],
  summary: 'KPIs against the previous period of the same length, stocked vs opened trend, tier/SKU mix, distributor leaderboard, funnel',
  query: dashQuery({ grain: Grain.optional() }),
})
const geographyEp = endpoint({
  method: 'get', path: '/dashboards/geography', tag, response: R.Geography, errors: [400],
  summary: 'Breakdown by city, by district of a city, or by store of a district (follows the city/district filters)',
  query: dashQuery({ limit: int(1, 1000, 200) }),
})
const mapEp = endpoint({
  method: 'get', path: '/dashboards/geography/map', tag, response: R.GeoMap, errors: [400],
  summary: 'Stores at their coordinates with opened bottles, open scans binned on a grid, city label positions',
  query: dashQuery({ limit: int(1, 20_000, 5000) }),
})
const diversionEp = endpoint({
  method: 'get', path: '/dashboards/diversion', tag, response: R.Diversion, errors: [400],
  summary: 'Flows of opened bottles from the stocking store\'s city to the scan city, alerts over a threshold, top outside-share distributors and stores',
  query: dashQuery({ alert_bottles: int(2, 1_000_000, 20), min_bottles: int(1, 1_000_000, 10) }),
})
const evidenceEp = endpoint({
  method: 'get', path: '/dashboards/diversion/evidence', tag, response: R.Evidence, errors: [400],
  summary: 'The open scans of one flow (newest first): codes, times, places',
  query: dashQuery({ from_city: City, to_city: City, limit: int(1, 1000, 200) }),
})
const incentivesEp = endpoint({
  method: 'get', path: '/dashboards/incentives', tag, response: R.Incentives, errors: [400],
  summary: 'Reward spend by kind and policy over time, store incentive per opened bottle by city and store kind, top stores per bottle',
  query: dashQuery({ grain: Grain.optional(), min_bottles: int(1, 1_000_000, 10) }),
})
const cohortsEp = endpoint({
  method: 'get', path: '/dashboards/cohorts', tag, response: R.Cohorts, errors: [400],
  summary: 'Stores by month of first stock-in, and the share with at least one open in each later month',
  query: dashQuery({}),
})

export const dashboardEndpoints = [optionsEp, overviewEp, geographyEp, mapEp, diversionEp, evidenceEp, incentivesEp, cohortsEp]

/** The dashboard routes. Every request is unrestricted (`ALL`) until sessions carry a scope. */
export function dashboardsRouter(db: Db): Router {
  const router = Router()
  const scope = ALL
  mount(router, optionsEp, () => filterOptions(db, scope))
  mount(router, overviewEp, ({ query }) => overview(db, query, scope, query.grain))
  mount(router, geographyEp, ({ query }) => geography(db, query, scope, query.limit))
  mount(router, mapEp, ({ query }) => geoMap(db, query, scope, query.limit))
  mount(router, diversionEp, ({ query }) => diversion(db, query, scope, { alertBottles: query.alert_bottles, minBottles: query.min_bottles }))
  mount(router, evidenceEp, async ({ query }) => ({
    from_city: query.from_city,
    to_city: query.to_city,
    limit: query.limit,
    scans: await flowEvidence(db, query, scope, { fromCity: query.from_city, toCity: query.to_city }, query.limit),
  }))
  mount(router, incentivesEp, ({ query }) => incentives(db, query, scope, { minBottles: query.min_bottles, grain: query.grain }))
  mount(router, cohortsEp, ({ query }) => cohorts(db, query, scope))
  return router
}
