import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query'
import { z } from 'zod'
import { Catalog, ConsumerDetail, DistributorDetail, Profile, ProfileList, StoreDetail } from '../../../segments/api/profiles'
import type { Entity } from '../../../segments/catalog'
import { apiGet } from './client'
import { queryKeys } from './queryKeys'

// The response schemas are shared with the server's route contracts (segments/api/profiles.ts).
export type { AttributeInfo, Attributes, Catalog, ConsumerDetail, DistributorDetail, Profile, ProfileList, StoreDetail, TierMix, Week, WeeklyRewards } from '../../../segments/api/profiles'

export type { Entity } from '../../../segments/catalog'
export const PLURAL: Record<Entity, string> = { store: 'stores', consumer: 'consumers', distributor: 'distributors' }

const DETAIL = { store: StoreDetail, consumer: ConsumerDetail, distributor: DistributorDetail } as const
type DetailOf<E extends Entity> = z.infer<(typeof DETAIL)[E]>

const asOfParam = (asOf: string | null) => (asOf ? `as_of=${encodeURIComponent(asOf)}` : '')

// Changing the as-of date keeps the old figures on screen (marked loading) until the new ones
// arrive; another entity's figures are never shown in the meantime.
const sameEntity = (id: string) => <T,>(prev: T | undefined, prevQuery: { queryKey: readonly unknown[] } | undefined) =>
  prevQuery?.queryKey[3] === id ? prev : undefined

/** GET /api/v1/catalog: attribute names, types, units and zh/en labels; changes only with a deploy. */
export const catalogQuery = () =>
  queryOptions({ queryKey: queryKeys.profiles.catalog(), queryFn: ({ signal }) => apiGet('/catalog', Catalog, { signal }), staleTime: Infinity })

/** GET /api/v1/profiles/{plural}?{search}: `search` is the list's query string (filters, q, sort, paging). */
export const profileListQuery = (entity: Entity, search: string) =>
  queryOptions({
    queryKey: queryKeys.profiles.list(entity, search),
    queryFn: ({ signal }) => apiGet(`/profiles/${PLURAL[entity]}${search ? `?${search}` : ''}`, ProfileList, { signal }),
    // Paging and sorting keep the old rows on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  })

/** GET /api/v1/profiles/{plural}/:id?as_of= (null = the server's default, tomorrow). */
export const profileQuery = (entity: Entity, id: string, asOf: string | null) =>
  queryOptions({
    queryKey: queryKeys.profiles.one(entity, id, asOf),
    queryFn: ({ signal }) => apiGet(`/profiles/${PLURAL[entity]}/${encodeURIComponent(id)}?${asOfParam(asOf)}`, Profile, { signal }),
    placeholderData: sameEntity(id),
  })

/** GET /api/v1/profiles/{plural}/:id/detail?as_of=&weeks= */
export const detailQuery = <E extends Entity>(entity: E, id: string, asOf: string | null, weeks = 26) =>
  queryOptions({
    queryKey: queryKeys.profiles.detail(entity, id, asOf, weeks),
    queryFn: ({ signal }) =>
      apiGet(`/profiles/${PLURAL[entity]}/${encodeURIComponent(id)}/detail?weeks=${weeks}&${asOfParam(asOf)}`, DETAIL[entity], { signal }) as Promise<DetailOf<E>>,
    placeholderData: sameEntity(id),
  })

export const useCatalog = () => useQuery(catalogQuery())
export const useProfileList = (entity: Entity, search: string) => useQuery(profileListQuery(entity, search))
export const useProfile = (entity: Entity, id: string, asOf: string | null) => useQuery(profileQuery(entity, id, asOf))
export const useDetail = <E extends Entity>(entity: E, id: string, asOf: string | null) => useQuery(detailQuery(entity, id, asOf))
