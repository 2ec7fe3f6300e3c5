import { lazy, Suspense, useEffect, useRef, type ComponentType, type LazyExoticComponent } from 'react'
import { ErrorBoundary } from './components/ErrorBoundary'
import { NavIcon } from './components/NavIcon'
import { PageHeader } from './components/Panel'
import { LoadingBlock } from './components/States'
import { setLocale, useI18n } from './i18n'
import { PAGES, navLabel, pageForPath, type PageId } from './pages/registry'
import { Link, usePath } from './router'

// Every page is its own chunk, fetched on first visit.
const PAGE_COMPONENTS: Record<PageId, LazyExoticComponent<ComponentType>> = {
  overview: lazy(() => import('./pages/dashboards/OverviewPage')),
  geography: lazy(() => import('./pages/dashboards/GeographyPage')),
  diversion: lazy(() => import('./pages/dashboards/DiversionPage')),
  incentives: lazy(() => import('./pages/dashboards/IncentivesPage')),
  cohorts: lazy(() => import('./pages/dashboards/CohortsPage')),
  stores: lazy(() => import('./pages/stores/StoresPage')),
  consumers: lazy(() => import('./pages/consumers/ConsumersPage')),
  distributors: lazy(() => import('./pages/distributors/DistributorsPage')),
  segments: lazy(() => import('./pages/segments/SegmentsPage')),
  experiments: lazy(() => import('./pages/experiments/ExperimentsPage')),
  flows: lazy(() => import('./pages/FlowsPage')),
  data: lazy(() => import('./pages/DataPage')),
}

function Brand() {
  const { t } = useI18n()
  return (
    <Link to="/" className="brand" aria-label={t('app.name')}>
      <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="7" />
        <path d="M9 22V10l14 12V10" />
      </svg>
      <span className="brand-name">{t('app.name')}</span>
      <span className="brand-tagline">{t('app.tagline')}</span>
    </Link>
  )
}

function LanguageSwitch() {
  const { t, locale } = useI18n()
  return (
    <button
      type="button"
      className="lang-switch"
      data-testid="lang-switch"
      aria-label={t('lang.switch')}
      title={t('lang.switch')}
      onClick={() => setLocale(locale === 'zh-CN' ? 'en' : 'zh-CN')}
    >
      <svg className="lang-icon" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM3 12h18M12 3c2.5 2.5 3.5 5.5 3.5 9s-1 6.5-3.5 9c-2.5-2.5-3.5-5.5-3.5-9s1-6.5 3.5-9z" />
      </svg>
      <span className={locale === 'zh-CN' ? 'lang-on' : 'lang-off'}>中文</span>
      <span className="lang-sep" aria-hidden="true">/</span>
      <span className={locale === 'en' ? 'lang-on' : 'lang-off'}>English</span>
    </button>
  )
}

function SideNav({ current }: { current: PageId | undefined }) {
  const { t } = useI18n()
  return (
    <nav className="sidenav" aria-label={t('app.navLabel')}>
      <ul>
        {PAGES.map((p) => (
          <li key={p.id}>
            <Link
              to={p.path}
              className="nav-link"
              data-testid={`nav-${p.id}`}
              aria-current={current === p.id ? 'page' : undefined}
            >
              <NavIcon page={p.id} />
              <span>{t(navLabel(p.id))}</span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  )
}

function NotFound({ path }: { path: string }) {
  const { t } = useI18n()
  return (
    <div className="page" data-testid="page-not-found">
      <PageHeader title={t('notFound.title')} lead={t('notFound.body', { path })} />
      <Link to="/" className="link">
        {t('notFound.back')} →
      </Link>
    </div>
  )
}

function PageError({ reset }: { error: unknown; reset: () => void }) {
  const { t } = useI18n()
  return (
    <div className="notice notice-error" role="alert">
      <strong>{t('app.pageError')}</strong>
      <button type="button" className="btn btn-small" onClick={() => (reset(), window.location.reload())}>
        {t('app.reload')}
      </button>
    </div>
  )
}

export function App() {
  const path = usePath()
  const { t } = useI18n()
  const pageId = pageForPath(path)
  const Page = pageId ? PAGE_COMPONENTS[pageId] : undefined
  const mainRef = useRef<HTMLElement>(null)
  const shownPath = useRef(path)

  useEffect(() => {
    document.title = `${pageId ? t(navLabel(pageId)) : t('notFound.title')} · ${t('app.name')}`
  }, [pageId, t])

  // After a client-side navigation, move focus to the content as a page load would.
  useEffect(() => {
    if (shownPath.current === path) return
    shownPath.current = path
    mainRef.current?.focus({ preventScroll: true })
  })

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <Brand />
        <div className="topbar-end">
          <LanguageSwitch />
        </div>
      </header>
      <SideNav current={pageId} />
      <main id="main" className="main" ref={mainRef} tabIndex={-1}>
        <ErrorBoundary resetKey={path} fallback={PageError}>
          <Suspense fallback={<LoadingBlock lines={4} />}>{Page ? <Page /> : <NotFound path={path} />}</Suspense>
        </ErrorBoundary>
      </main>
    </div>
  )
}
