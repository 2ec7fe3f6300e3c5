import { useQuery } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import type { Entity } from '../../../../segments/catalog'
import { ErrorNotice, LoadingBlock } from '../../components/States'
import { useI18n, type I18n } from '../../i18n'
import { Link } from '../../router'
import { codeLabel } from '../profiles/format'
import { labelOf } from './AttrPicker'
import { explainQuery } from './api'
import { attrOf, entityHref, formatRuleValue, formatValue, MEASURE_KEYS, opLabel } from './units'

/** One node of an explanation as the server sends it (segments/evaluate.ts). */
interface ExplainNode {
  path: string
  kind: 'and' | 'or' | 'not' | 'attr' | 'event' | 'segment' | 'list'
  pass: boolean
  children?: ExplainNode[]
  actual?: unknown
  attr?: string
  op?: string
  value?: unknown
  event?: string
  measure?: string
  segment?: string
  name?: string
  member?: boolean
  list?: string
}

/** What a node tests, in words: "Open rate, 90 d ≥ 35%", "Open · bottles ≥ 6", "member of Dormant". */
function describe(i18n: I18n, entity: Entity, n: ExplainNode): string {
  const { t } = i18n
  switch (n.kind) {
    case 'and':
      return t('seg.explain.all')
    case 'or':
      return t('seg.explain.any')
    case 'not':
      return t('seg.explain.not')
    case 'attr': {
      const a = attrOf(entity, n.attr ?? '')
      const name = a ? labelOf(i18n, a) : (n.attr ?? '')
      return n.value === undefined ? `${name} ${opLabel(i18n, n.op ?? '')}` : `${name} ${opLabel(i18n, n.op ?? '')} ${formatRuleValue(i18n, a, n.value)}`
    }
    case 'event':
      return `${codeLabel(i18n, 'event', n.event)} · ${t(MEASURE_KEYS[(n.measure ?? 'count') as keyof typeof MEASURE_KEYS])} ${opLabel(i18n, n.op ?? '')} ${i18n.number(Number(n.value))}`
    case 'segment':
      return t(n.member === false ? 'seg.explain.notMemberOf' : 'seg.explain.memberOf', { name: n.name ?? n.segment ?? '' })
    case 'list':
      return t('seg.explain.inList', { id: n.list ?? '' })
  }
}

function actualText(i18n: I18n, entity: Entity, n: ExplainNode): string | null {
  if (n.kind === 'attr') return formatValue(i18n, attrOf(entity, n.attr ?? ''), n.actual)
  if (n.kind === 'event') return i18n.number(Number(n.actual ?? 0))
  return null
}

function Tree({ node, entity }: { node: ExplainNode; entity: Entity }) {
  const i18n = useI18n()
  const actual = actualText(i18n, entity, node)
  return (
    <li className={`seg-x-node ${node.pass ? 'is-pass' : 'is-fail'}`} data-path={node.path} data-pass={node.pass}>
      <div className="seg-x-row">
        <span className="seg-x-mark" aria-label={node.pass ? i18n.t('seg.explain.pass') : i18n.t('seg.explain.fail')}>
          {node.pass ? '✓' : '✗'}
        </span>
        <span className="seg-x-text">{describe(i18n, entity, node)}</span>
        {actual !== null ? <span className="seg-x-actual">{i18n.t('seg.explain.actual', { value: actual })}</span> : null}
      </div>
      {node.children?.length ? (
        <ul className="seg-x-children">
          {node.children.map((c) => (
            <Tree key={c.path} node={c} entity={entity} />
          ))}
        </ul>
      ) : null}
    </li>
  )
}

/**
 * A side drawer explaining why an entity is in the saved segment or not: each condition of the
 * saved version with the entity's value and ✓/✗, as a tree.
 */
export function ExplainDrawer({ segmentId, entity, entityId, onClose }: { segmentId: string; entity: Entity; entityId: string; onClose: () => void }) {
  const i18n = useI18n()
  const { t } = i18n
  const [text, setText] = useState(entityId)
  const [asked, setAsked] = useState(entityId)
  const [seen, setSeen] = useState(entityId)
  if (seen !== entityId) {
    // A click on another sample row asks about that one.
    setSeen(entityId)
    setText(entityId)
    setAsked(entityId)
  }
  const q = useQuery(explainQuery(segmentId, asked))
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setAsked(text.trim())
  }
  const x = q.data
  return (
    <aside className="seg-drawer" role="dialog" aria-label={t('seg.explain.title')} data-testid="seg-explain">
      <header className="seg-drawer-head">
        <h2 className="panel-title">{t('seg.explain.title')}</h2>
        <button type="button" className="seg-icon" aria-label={t('seg.close')} onClick={onClose} data-testid="seg-explain-close">
          ×
        </button>
      </header>
      <form className="seg-drawer-form" onSubmit={submit}>
        <input className="input" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('seg.explain.idPlaceholder')} aria-label={t('seg.explain.idPlaceholder')} data-testid="seg-explain-id" />
        <button type="submit" className="btn btn-small" data-testid="seg-explain-run" disabled={!text.trim()}>
          {t('seg.explain.run')}
        </button>
      </form>
      {asked === '' ? <p className="muted">{t('seg.explain.lead')}</p> : null}
      {q.isLoading ? <LoadingBlock lines={4} /> : null}
      {q.isError ? <ErrorNotice what={t('seg.explain.what', { id: asked })} error={q.error} /> : null}
      {x ? (
        <div className="seg-drawer-body">
          <p className="seg-x-verdict" data-testid="seg-explain-member" data-member={x.member}>
            <Link to={entityHref(entity, x.entity_id)} className="link">{x.entity_id}</Link>{' '}
            <strong className={x.member ? 'text-ok' : 'text-bad'}>{x.member ? t('seg.explain.isMember') : t('seg.explain.notMember')}</strong>
          </p>
          <p className="muted">{t('seg.explain.version', { version: x.version, date: i18n.day(x.as_of, 'long') })}</p>
          <ul className="seg-x-tree">
            <Tree node={x.tree as ExplainNode} entity={entity} />
          </ul>
        </div>
      ) : null}
    </aside>
  )
}
