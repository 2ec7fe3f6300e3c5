import type { PageId } from '../pages/registry'

// 24×24 stroke glyphs, drawn for this app (no icon dependency).
const PATHS: Record<PageId, string> = {
  overview: 'M4 4h7v7H4zM13 4h7v4h-7zM13 10h7v10h-7zM4 13h7v7H4z',
  geography: 'M12 21s-6-5.3-6-10a6 6 0 1 1 12 0c0 4.7-6 10-6 10zM12 13a2 2 0 1 0 0-4 2 2 0 0 0 0 4z',
  diversion: 'M4 7h13M14 4l3 3-3 3M20 17H7M10 14l-3 3 3 3',
  incentives: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM9 7l3 4 3-4M12 11v6M9 12h6M9 15h6',
  cohorts: 'M4 4h16v16H4zM4 9.3h16M4 14.6h16M9.3 4v16M14.6 4v16',
  stores: 'M4 10v10h16V10M3 10l2-6h14l2 6zM9 20v-5h6v5',
  consumers: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 20c0-3.3 3.6-6 8-6s8 2.7 8 6',
  distributors: 'M3 6h11v10H3zM14 9h4l3 3v4h-7M7 19a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM17 19a2 2 0 1 0 0-4 2 2 0 0 0 0 4z',
  segments: 'M4 5h16l-6 8v6l-4-2v-4z',
  experiments: 'M9 3h6M10 3v6l-5 10a1 1 0 0 0 1 1.5h12a1 1 0 0 0 1-1.5l-5-10V3M7.5 14h9',
  flows: 'M4 5h6v5H4zM14 14h6v5h-6zM7 10v4a2 2 0 0 0 2 2h5M14 7h6',
  data: 'M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zM4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3',
}

export function NavIcon({ page }: { page: PageId }) {
  return (
    <svg className="nav-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={PATHS[page]} />
    </svg>
  )
}
