import { useI18n } from '../i18n'
import { Link } from '../router'
import { PageHeader } from './Panel'

export type ComingSoonPage = 'overview' | 'stores' | 'consumers' | 'segments' | 'experiments' | 'flows'

/**
 * The honest placeholder of a page that is not built yet: what it will do, and no figures.
 * Replace the page file's body with the real page when it exists.
 */
export function ComingSoon({ page }: { page: ComingSoonPage }) {
  const { t } = useI18n()
  return (
    <div className="page" data-testid={`page-${page}`}>
      <PageHeader title={t(`nav.${page}`)} />
      <section className="panel soon">
        <span className="badge">{t('soon.badge')}</span>
        <h2 className="soon-title">{t(`soon.${page}.title`)}</h2>
        <p className="soon-body">{t(`soon.${page}.body`)}</p>
        <p className="soon-note">{t('soon.lead')}</p>
        <p className="soon-note">
          {t('soon.meanwhile')}{' '}
          <Link to="/data" className="link">
            {t('soon.toData')} →
          </Link>
        </p>
      </section>
    </div>
  )
}
