import type { MessageKey } from '../i18n'

/** The pages of the shell, in navigation order. Add a page here and in App's `PAGE_COMPONENTS`. */
export const PAGES = [
  { id: 'overview', path: '/' },
  { id: 'geography', path: '/geography' },
  { id: 'diversion', path: '/diversion' },
  { id: 'incentives', path: '/incentives' },
  { id: 'cohorts', path: '/cohorts' },
  { id: 'stores', path: '/stores' },
  { id: 'consumers', path: '/consumers' },
  { id: 'distributors', path: '/distributors' },
  { id: 'segments', path: '/segments' },
  { id: 'experiments', path: '/experiments' },
  { id: 'flows', path: '/flows' },
  { id: 'data', path: '/data' },
] as const

export type PageId = (typeof PAGES)[number]['id']

// Pages that also own the paths below them (`/stores/:id`): the page routes those itself.
const NESTED: ReadonlySet<PageId> = new Set<PageId>(['stores', 'consumers', 'distributors', 'segments', 'experiments'])

export function pageForPath(path: string): PageId | undefined {
  return PAGES.find((p) => p.path === path || (NESTED.has(p.id) && path.startsWith(`${p.path}/`)))?.id
}

export const navLabel = (id: PageId): MessageKey => `nav.${id}`
