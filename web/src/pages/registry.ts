import type { MessageKey } from '../i18n'

/** The pages of the shell, in navigation order. Add a page here and in App's `PAGE_COMPONENTS`. */
export const PAGES = [
  { id: 'overview', path: '/' },
  { id: 'stores', path: '/stores' },
  { id: 'consumers', path: '/consumers' },
  { id: 'segments', path: '/segments' },
  { id: 'experiments', path: '/experiments' },
  { id: 'flows', path: '/flows' },
  { id: 'data', path: '/data' },
] as const

export type PageId = (typeof PAGES)[number]['id']

export function pageForPath(path: string): PageId | undefined {
  return PAGES.find((p) => p.path === path)?.id
}

export const navLabel = (id: PageId): MessageKey => `nav.${id}`
