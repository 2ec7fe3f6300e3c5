import type { ReactNode } from 'react'

export interface PanelProps {
  title: ReactNode
  /** One line under the title. */
  description?: ReactNode
  /** Controls at the right of the header (selectors, counts). */
  actions?: ReactNode
  children: ReactNode
  testId?: string
  className?: string
}

/**
 * A titled card: the unit every page is built from.
 *
 * @example
 * <Panel title={t('data.tables.title')} actions={<Segmented … />}>…</Panel>
 */
export function Panel({ title, description, actions, children, testId, className }: PanelProps) {
  return (
    <section className={className ? `panel ${className}` : 'panel'} data-testid={testId}>
      <header className="panel-head">
        <div>
          <h2 className="panel-title">{title}</h2>
          {description ? <p className="panel-desc">{description}</p> : null}
        </div>
        {actions ? <div className="panel-actions">{actions}</div> : null}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  )
}

/** A page heading with an optional lead line and controls on the right. */
export function PageHeader({ title, lead, actions }: { title: ReactNode; lead?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-head">
      <div>
        <h1 className="page-title">{title}</h1>
        {lead ? <p className="page-lead">{lead}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  )
}
