import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react'

/**
 * A tiny router over `window.history`: enough for a handful of flat pages, no dependency.
 * `pushState` fires no event, so navigations announce themselves with a custom one.
 *
 * @example
 * const path = usePath()
 * <Link to="/data">Data</Link>
 * const [days, setDays] = useSearchParam('days')
 */
const NAVIGATE_EVENT = 'negentropy:navigate'

function subscribe(listener: () => void) {
  window.addEventListener('popstate', listener)
  window.addEventListener(NAVIGATE_EVENT, listener)
  return () => {
    window.removeEventListener('popstate', listener)
    window.removeEventListener(NAVIGATE_EVENT, listener)
  }
}

/** `/stores/` and `/stores` are the same page. */
export function normalizePath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') || '/' : path
}

const getPath = () => normalizePath(window.location.pathname)
const getSearch = () => window.location.search

/** The current pathname, normalized; re-renders on navigation and back/forward. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, getPath, () => '/')
}

/** Goes to `to` (a path, optionally with `?query`), adding a history entry unless `replace`. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.href)
  if (url.href === window.location.href) return
  if (options.replace) window.history.replaceState(null, '', url)
  else window.history.pushState(null, '', url)
  // A new page starts at the top, as a full load would.
  if (!options.replace) window.scrollTo(0, 0)
  window.dispatchEvent(new Event(NAVIGATE_EVENT))
}

/**
 * One query-string parameter as state; setting it replaces the history entry, so
 * filters are shareable in the URL without filling the back button.
 */
export function useSearchParam(key: string): [string | null, (value: string | null) => void] {
  const search = useSyncExternalStore(subscribe, getSearch, () => '')
  const value = new URLSearchParams(search).get(key)
  const set = (next: string | null) => {
    const url = new URL(window.location.href)
    if (next === null) url.searchParams.delete(key)
    else url.searchParams.set(key, next)
    navigate(url.pathname + url.search + url.hash, { replace: true })
  }
  return [value, set]
}

/**
 * Matches `path` against a pattern with `:name` segments; returns the decoded params or null.
 *
 * @example matchPath('/stores/:id', '/stores/S%201') // { id: 'S 1' }
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/')
  const got = normalizePath(path).split('/')
  if (want.length !== got.length) return null
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) {
      if (!got[i]) return null
      try {
        params[want[i].slice(1)] = decodeURIComponent(got[i])
      } catch {
        return null // a malformed %-escape is no match rather than a crash
      }
    } else if (want[i] !== got[i]) return null
  }
  return params
}

/**
 * The whole query string as state, for pages whose state is many parameters (filters, sort,
 * paging). `update` edits a copy and replaces the history entry, like `useSearchParam`.
 *
 * @example
 * const [search, update] = useSearch()
 * update((p) => { p.set('sort', 'name'); p.delete('offset') })
 */
export function useSearch(): [URLSearchParams, typeof updateSearch] {
  const search = useSyncExternalStore(subscribe, getSearch, () => '')
  return [new URLSearchParams(search), updateSearch]
}

/** Edits a copy of the query string and replaces the history entry (a stable function). */
export function updateSearch(edit: (params: URLSearchParams) => void): void {
  const url = new URL(window.location.href)
  const next = new URLSearchParams(url.search)
  edit(next)
  url.search = next.toString()
  navigate(url.pathname + url.search + url.hash, { replace: true })
}

export interface LinkProps extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: string
}

/** An `<a>` that navigates client-side on a plain left click and behaves normally otherwise. */
export function Link({ to, onClick, target, ...rest }: LinkProps) {
  const handleClick = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e)
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
    if (target && target !== '_self') return
    e.preventDefault()
    navigate(to)
  }
  return <a href={to} target={target} onClick={handleClick} {...rest} />
}
