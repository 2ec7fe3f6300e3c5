import type { ReactNode } from 'react'
import { isApiError } from '../api/errors'
import { useI18n } from '../i18n'

/** Nothing to show yet, said plainly (with what to do about it). */
export function EmptyState({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="empty" data-testid={testId}>
      <svg className="empty-icon" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M4 7h16M4 12h10M4 17h6" />
      </svg>
      <p>{children}</p>
    </div>
  )
}

/** A few grey bars while a block loads. */
export function LoadingBlock({ lines = 3 }: { lines?: number }) {
  const { t } = useI18n()
  return (
    <div className="loading-block" aria-busy="true" aria-live="polite">
      <span className="visually-hidden">{t('common.loading')}</span>
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="skeleton" style={{ width: `${90 - i * 15}%` }} />
      ))}
    </div>
  )
}

/**
 * A failed request: the problem's title and detail from the server (ApiError), a
 * plain sentence when nothing answered, and a retry button.
 *
 * @example
 * if (q.isError) return <ErrorNotice what={t('data.summary.what')} error={q.error} onRetry={q.refetch} />
 */
export function ErrorNotice({ what, error, onRetry }: { what: string; error: unknown; onRetry?: () => void }) {
  const { t } = useI18n()
  let detail: string | undefined
  if (isApiError(error)) {
    if (error.kind === 'network') detail = t('common.networkError')
    else if (error.kind === 'parse') detail = `${t('common.badResponse')} ${error.detail ?? ''}`.trim()
    else detail = [error.title, error.detail].filter(Boolean).join(' — ')
  } else if (error instanceof Error) detail = error.message
  return (
    <div className="notice notice-error" role="alert">
      <div>
        <strong>{t('common.errorTitle', { what })}</strong>
        {detail ? <p className="notice-detail">{detail}</p> : null}
      </div>
      {onRetry ? (
        <button type="button" className="btn btn-small" onClick={() => onRetry()}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  )
}
