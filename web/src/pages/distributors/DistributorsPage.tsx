import { matchPath, usePath } from '../../router'
import { ProfileListPage, type ListConfig } from '../profiles/ProfileListPage'
import { DistributorPage } from './DistributorPage'

const LIST: ListConfig = {
  entity: 'distributor',
  title: 'distributors.list.title',
  lead: 'distributors.list.lead',
  searchPlaceholder: 'distributors.list.search',
  columns: [
    'city', 'stores_served_90d', 'stocked_bottles_90d', 'opened_bottles_90d', 'open_rate_90d',
    'outside_territory_open_share_90d', 'active_store_share_90d',
  ],
  chipColumns: ['city'],
  testId: 'distributors',
  href: (id) => `/distributors/${encodeURIComponent(id)}`,
}

/** `/distributors` lists the distributors; `/distributors/:id` is one distributor's page. */
export default function DistributorsPage() {
  const path = usePath()
  const m = matchPath('/distributors/:id', path)
  return m ? <DistributorPage key={m.id} id={m.id} /> : <ProfileListPage config={LIST} />
}
