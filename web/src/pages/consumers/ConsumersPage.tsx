import { matchPath, usePath } from '../../router'
import { ProfileListPage, type ListConfig } from '../profiles/ProfileListPage'
import { ConsumerPage } from './ConsumerPage'

const LIST: ListConfig = {
  entity: 'consumer',
  title: 'consumers.list.title',
  lead: 'consumers.list.lead',
  searchPlaceholder: 'consumers.list.search',
  columns: [
    'home_city', 'opened_bottles_90d', 'opened_bottles_365d', 'distinct_stores_365d', 'distinct_skus_365d',
    'preferred_tier_365d', 'red_envelope_fen_365d', 'max_opens_per_day_365d', 'last_open_at',
  ],
  chipColumns: ['home_city', 'preferred_tier_365d'],
  testId: 'consumers',
  href: (id) => `/consumers/${encodeURIComponent(id)}`,
}

/** `/consumers` lists the consumers; `/consumers/:id` is one consumer's page. */
export default function ConsumersPage() {
  const path = usePath()
  const m = matchPath('/consumers/:id', path)
  return m ? <ConsumerPage key={m.id} id={m.id} /> : <ProfileListPage config={LIST} />
}
