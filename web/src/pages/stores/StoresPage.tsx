import { matchPath, usePath } from '../../router'
import { ProfileListPage, type ListConfig } from '../profiles/ProfileListPage'
import { StorePage } from './StorePage'

const LIST: ListConfig = {
  entity: 'store',
  title: 'stores.list.title',
  lead: 'stores.list.lead',
  searchPlaceholder: 'stores.list.search',
  columns: [
    'kind', 'city', 'district', 'opened_bottles_30d', 'opened_bottles_90d', 'stocked_bottles_90d', 'open_rate_90d',
    'weekly_opened_mean_12w', 'weekly_opened_cv_12w', 'distinct_consumers_90d', 'days_since_last_open',
  ],
  chipColumns: ['kind', 'city', 'district'],
  testId: 'stores',
  href: (id) => `/stores/${encodeURIComponent(id)}`,
}

/** `/stores` lists the stores; `/stores/:id` is one store's page. */
export default function StoresPage() {
  const path = usePath()
  const m = matchPath('/stores/:id', path)
  return m ? <StorePage key={m.id} id={m.id} /> : <ProfileListPage config={LIST} />
}
