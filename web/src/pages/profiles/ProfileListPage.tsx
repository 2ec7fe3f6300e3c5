import { useEffect, useState } from 'react'
import { useCatalog, useProfileList, type Entity, type ProfileList } from '../../api/profiles'
import { PageHeader } from '../../components/Panel'
import { EmptyState, ErrorNotice, LoadingBlock } from '../../components/States'
import { useI18n, type MessageKey } from '../../i18n'
import { Link, navigate, useSearch } from '../../router'
import { FilterBar } from './FilterBar'
import { ago, attrDescription, attrLabel, findAttr, formatAttr } from './format'
import './profiles.css'

const PAGE_SIZE = 50
const SEARCH_DEBOUNCE_MS = 300

export interface ListConfig {
  entity: Entity
  title: MessageKey
  lead: MessageKey
  searchPlaceholder: MessageKey
  /** Attribute columns after the name/id column. */
  columns: readonly string[]
  /** Text columns whose cells add a filter chip `f.<attr>.eq=<value>` when clicked. */
  chipColumns: readonly string[]
  /** Prefix of the test ids: `${testId}-table`, `${testId}-search`. */
  testId: string
  /** Path of one entity's page. */
  href: (id: string) => string
}

function Freshness({ list }: { list: ProfileList | undefined }) {
  const i18n = useI18n()
  if (!list?.as_of || !list.refreshed_at) return <span className="muted">{i18n.t('stores.list.notRefreshed')}</span>
  return (
    <span className="muted" data-testid="profiles-freshness" title={i18n.t('stores.asOf.help')}>
      {i18n.t('stores.list.freshness', { asOf: i18n.day(list.as_of, 'long'), ago: ago(i18n, list.refreshed_at) })}
    </span>
  )
}

/**
 * A list of materialised profiles: search (debounced), filter chips, sortable columns, paging and
 * freshness, all kept in the URL so a view is a link. Stores, consumers and distributors share it.
 */
export function ProfileListPage({ config }: { config: ListConfig }) {
  const i18n = useI18n()
  const { t, number } = i18n
  const { entity } = config
  const [params, update] = useSearch()
  const catalog = useCatalog()
  const apiParams = new URLSearchParams(params)
  apiParams.set('limit', String(PAGE_SIZE))
  const list = useProfileList(entity, apiParams.toString())

  const q = params.get('q') ?? ''
  const [text, setText] = useState(q)
  // The URL can change under the box (back button, a link): follow it, during render as React advises.
  const [seenQ, setSeenQ] = useState(q)
  if (q !== seenQ) {
    setSeenQ(q)
    setText(q)
  }
  useEffect(() => {
    if (text === q) return
    const timer = setTimeout(() => update((p) => (text ? p.set('q', text) : p.delete('q'), p.delete('offset'))), SEARCH_DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [text, q, update])

  const sort = params.get('sort')
  const order = params.get('order') === 'desc' ? 'desc' : 'asc'
  const offset = Math.max(0, Number(params.get('offset')) || 0)
  const sortBy = (name: string) =>
    update((p) => {
      const a = findAttr(catalog.data, entity, name)
      // Figures start with the largest first; text starts at A.
      const first = a && a.type !== 'string' ? 'desc' : 'asc'
      const next = sort === name ? (order === 'asc' ? 'desc' : 'asc') : first
      p.set('sort', name)
      p.set('order', next)
      p.delete('offset')
    })
  const page = (to: number) => update((p) => (to > 0 ? p.set('offset', String(to)) : p.delete('offset')))
  const addChip = (attr: string, value: string) =>
    update((p) => {
      p.set(`f.${attr}.eq`, value)
      p.delete('offset')
    })
  // The whole row opens the page; the name is also a real link for keyboards and new tabs.
  const open = (id: string) => navigate(config.href(id))

  const hasName = entity !== 'consumer'
  const data = list.data
  const header = (name: string) => {
    const a = findAttr(catalog.data, entity, name)
    const active = sort === name
    return (
      <th key={name} scope="col" className={a && a.type !== 'string' ? 'num' : undefined} aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
        <button type="button" className="sort-button" onClick={() => sortBy(name)} title={a ? attrDescription(a, i18n) : undefined} data-sort={name}>
          {a ? attrLabel(a, i18n) : name}
          <span className="sort-mark" aria-hidden="true">{active ? (order === 'asc' ? '▲' : '▼') : '↕'}</span>
        </button>
      </th>
    )
  }

  return (
    <div className="page" data-testid={`page-${config.testId}`}>
      <PageHeader title={t(config.title)} lead={t(config.lead)} actions={<Freshness list={data} />} />
      <section className="panel">
        <div className="list-toolbar">
          <input
            className="input search-input"
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t(config.searchPlaceholder)}
            aria-label={t(config.searchPlaceholder)}
            data-testid={`${config.testId}-search`}
          />
          <FilterBar entity={entity} catalog={catalog.data} params={params} update={update} />
        </div>
        {list.isError && !data ? (
          <div className="panel-body">
            <ErrorNotice what={t(config.title)} error={list.error} onRetry={list.refetch} />
          </div>
        ) : !data ? (
          <div className="panel-body"><LoadingBlock lines={6} /></div>
        ) : data.rows.length === 0 ? (
          <EmptyState testId={`${config.testId}-empty`}>{t(data.as_of ? 'stores.list.noMatch' : 'stores.list.notRefreshed')}</EmptyState>
        ) : (
          <div className="table-wrap" aria-busy={list.isPlaceholderData}>
            <table className={list.isPlaceholderData ? 'table table-list is-stale' : 'table table-list'} data-testid={`${config.testId}-table`}>
              <thead>
                <tr>
                  {hasName ? header('name') : <th scope="col">{t('stores.list.id')}</th>}
                  {config.columns.map(header)}
                </tr>
              </thead>
              <tbody>
                {data.rows.map((r) => (
                  <tr key={r.id} className="row-link" data-id={r.id} onClick={() => open(r.id)}>
                    <th scope="row">
                      <Link to={config.href(r.id)} className="link" onClick={(e) => e.stopPropagation()}>
                        {hasName ? (r.attributes.name ?? r.id) : r.id}
                      </Link>
                      {hasName ? <code className="table-id">{r.id}</code> : null}
                    </th>
                    {config.columns.map((c) => {
                      const a = findAttr(catalog.data, entity, c)
                      const v = r.attributes[c]
                      // Figures only: the unit is in the column's label and tooltip.
                      const shown = formatAttr(i18n, a, v).value
                      const numeric = a && a.type !== 'string'
                      return (
                        <td key={c} className={numeric ? 'num tabular' : undefined} data-attr={c}>
                          {config.chipColumns.includes(c) && typeof v === 'string' ? (
                            <button type="button" className="cell-chip" title={t('stores.filter.byValue')} onClick={(e) => (e.stopPropagation(), addChip(c, v))}>
                              {shown}
                            </button>
                          ) : (
                            shown
                          )}
                        </td>
                      )
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {data && data.total > 0 ? (
          <div className="pager" data-testid={`${config.testId}-pager`}>
            <span className="muted tabular" data-testid={`${config.testId}-total`} data-total={data.total}>
              {t('stores.list.range', { from: number(Math.min(offset + 1, data.total)), to: number(Math.min(offset + PAGE_SIZE, data.total)), total: number(data.total) })}
            </span>
            <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => page(Math.max(0, offset - PAGE_SIZE))}>
              ‹ {t('stores.list.prev')}
            </button>
            <button type="button" className="btn btn-small" disabled={offset + PAGE_SIZE >= data.total} onClick={() => page(offset + PAGE_SIZE)}>
              {t('stores.list.next')} ›
            </button>
          </div>
        ) : null}
      </section>
    </div>
  )
}
