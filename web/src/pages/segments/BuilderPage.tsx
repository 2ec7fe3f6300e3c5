import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useMemo, useRef, useState, type FormEvent } from 'react'
import type { SegmentDetail, SegmentTemplate } from '../../../../segments/api'
import type { Entity } from '../../../../segments/catalog'
import { isApiError } from '../../api/errors'
import { queryKeys } from '../../api/queryKeys'
import { Panel } from '../../components/Panel'
import { Segmented } from '../../components/Segmented'
import { ErrorNotice, LoadingBlock } from '../../components/States'
import { useI18n, type MessageKey } from '../../i18n'
import { Link, navigate, useSearchParam } from '../../router'
import { exportHref, previewQuery, saveSegment, segmentQuery, templatesQuery } from './api'
import { ExplainDrawer } from './ExplainDrawer'
import { HistoryChart, VersionsPanel } from './HistoryPanel'
import { BuilderContext, useDebounced, type BuilderContextValue } from './hooks'
import { CountCard, SampleTable } from './LivePreview'
import { fromRule, placeErrors, toRule, type GroupNode, type NodeError } from './model'
import { GroupView } from './RuleEditor'

const ENTITY_LABEL: Record<Entity, MessageKey> = { store: 'seg.entity.store', consumer: 'seg.entity.consumer', distributor: 'seg.entity.distributor' }
const ENTITY_OPTIONS: Entity[] = ['store', 'consumer', 'distributor']
const PREVIEW_DEBOUNCE_MS = 400

interface Draft {
  name: string
  entity: Entity
  root: GroupNode
}

type Problem = { path: string; message: string }
const problemErrors = (e: unknown): Problem[] => {
  const errs = isApiError(e) && e.status === 400 ? e.problem?.errors : undefined
  return Array.isArray(errs) ? (errs as Problem[]) : []
}

/**
 * The rule builder with its live count and sample; for a saved segment also its history,
 * versions, explanation and export. `saved` is null for a new segment (maybe from a template).
 */
function Builder({ saved, initial }: { saved: SegmentDetail | null; initial: Draft }) {
  const i18n = useI18n()
  const { t } = i18n
  const client = useQueryClient()
  const [draft, setDraft] = useState<Draft>(initial)
  const [note, setNote] = useState('')
  const [saving, setSaving] = useState(false)
  const [saveError, setSaveError] = useState<unknown>(null)
  const [savedMsg, setSavedMsg] = useState<string | null>(null)
  const [explainId, setExplainId] = useState<string | null>(null)
  const draggingRef = useRef<string | null>(null)

  const ser = useMemo(() => toRule(draft.root), [draft.root])
  const json = JSON.stringify(ser.rule)
  // The paths travel with the rule they describe, so a late answer's errors land on the right nodes.
  const current = useMemo(() => ({ entity: draft.entity, json, paths: ser.paths }), [draft.entity, json, ser.paths])
  const settled = useDebounced(current, PREVIEW_DEBOUNCE_MS)
  const preview = useQuery({ ...previewQuery(settled.entity, settled.json), retry: false })
  const loading = settled !== current || preview.isFetching

  const errors = useMemo(() => {
    const placed = new Map<string, NodeError[]>()
    const add = (problems: Problem[], paths: Map<string, string>) => {
      for (const [id, errs] of placeErrors(problems, paths)) placed.set(id, [...(placed.get(id) ?? []), ...errs])
    }
    add(problemErrors(preview.error), settled.paths)
    add(problemErrors(saveError), ser.paths)
    return placed
  }, [preview.error, saveError, settled.paths, ser.paths])
  const general = errors.get('') ?? []

  const ctx = useMemo<BuilderContextValue>(
    () => ({
      entity: draft.entity,
      selfId: saved?.id ?? null,
      root: draft.root,
      edit: (fn) => {
        setSavedMsg(null)
        setDraft((d) => ({ ...d, root: fn(d.root) }))
      },
      errors,
      incomplete: new Set(ser.incomplete),
      draggingRef,
    }),
    [draft.entity, draft.root, saved?.id, errors, ser.incomplete],
  )

  // The saved rule goes through the same normalisation as the draft, so an untouched rule compares equal.
  const savedJson = useMemo(() => (saved ? JSON.stringify(toRule(fromRule(saved.rule)).rule) : null), [saved])
  const unchanged = saved !== null && saved.name === draft.name.trim() && savedJson === json
  const save = async (e: FormEvent) => {
    e.preventDefault()
    setSaveError(null)
    setSaving(true)
    try {
      const r = await saveSegment(saved?.id ?? null, { name: draft.name.trim(), entity: draft.entity, rule: ser.rule, note: note.trim() || undefined })
      await client.invalidateQueries({ queryKey: queryKeys.segments.all() })
      setNote('')
      setSavedMsg(t('seg.save.done', { version: r.version }))
      if (!saved) navigate(`/segments/${encodeURIComponent(r.id)}`)
    } catch (err) {
      setSaveError(err)
    } finally {
      setSaving(false)
    }
  }
  const canSave = draft.name.trim() !== '' && ser.incomplete.length === 0 && !saving && !unchanged

  return (
    <BuilderContext.Provider value={ctx}>
      <div className="page seg-page" data-testid="seg-builder" data-dirty={!unchanged}>
        <header className="page-head detail-head">
          <div>
            <Link to="/segments" className="link back-link">‹ {t('seg.list.title')}</Link>
            <h1 className="page-title">{saved ? saved.name : t('seg.builder.newTitle')}</h1>
            <p className="page-lead">
              {saved ? t('seg.builder.savedLead', { version: saved.version, entity: t(ENTITY_LABEL[saved.entity]) }) : t('seg.builder.lead')}
            </p>
          </div>
          {saved ? (
            <div className="page-actions">
              <button type="button" className="btn" data-testid="seg-explain-open" onClick={() => setExplainId('')}>
                {t('seg.explain.title')}
              </button>
              <a className="btn" href={exportHref(saved.id)} download data-testid="seg-export">
                {t('seg.export')}
              </a>
            </div>
          ) : null}
        </header>

        <div className="seg-layout">
          <div className="seg-main">
            <Panel
              title={t('seg.rule.title')}
              description={t('seg.rule.lead')}
              actions={
                saved ? (
                  <span className="seg-tag">{t(ENTITY_LABEL[draft.entity])}</span>
                ) : (
                  <Segmented
                    label={t('seg.entity.label')}
                    value={draft.entity}
                    testId="seg-entity"
                    options={ENTITY_OPTIONS.map((e) => ({ value: e, label: t(ENTITY_LABEL[e]) }))}
                    onChange={(entity) => setDraft((d) => (d.entity === entity ? d : { ...d, entity, root: fromRule({ and: [] }) }))}
                  />
                )
              }
            >
              {general.length ? (
                <ul className="seg-errors" role="alert">
                  {general.map((e, i) => (
                    <li key={i}>{e.field ? `${e.field}: ` : ''}{e.message}</li>
                  ))}
                </ul>
              ) : null}
              <GroupView group={draft.root} />
            </Panel>

            <SampleTable entity={draft.entity} data={preview.data} loading={loading} onExplain={saved ? setExplainId : undefined} />
            {saved ? <HistoryChart id={saved.id} /> : null}
            {saved ? <VersionsPanel id={saved.id} current={saved.version} onLoad={(rule) => setDraft((d) => ({ ...d, root: fromRule(rule) }))} /> : null}
          </div>

          <div className="seg-side">
            <CountCard entity={draft.entity} data={preview.data} loading={loading} error={preview.error} incomplete={ser.incomplete.length} />
            <form className="panel seg-save" onSubmit={save}>
              <label className="seg-field">
                <span>{t('seg.save.name')}</span>
                <input className="input" data-testid="seg-name" value={draft.name} onChange={(e) => setDraft((d) => ({ ...d, name: e.target.value }))} placeholder={t('seg.save.namePlaceholder')} />
              </label>
              <label className="seg-field">
                <span>{t('seg.save.note')}</span>
                <textarea className="input seg-note" rows={2} data-testid="seg-note" value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('seg.save.notePlaceholder')} maxLength={4000} />
              </label>
              <button type="submit" className="btn seg-save-button" data-testid="seg-save" disabled={!canSave}>
                {saving ? t('seg.save.saving') : saved ? t('seg.save.newVersion') : t('seg.save.create')}
              </button>
              {ser.incomplete.length ? <p className="seg-hint">{t('seg.save.incomplete', { n: ser.incomplete.length })}</p> : null}
              {savedMsg ? <p className="text-ok" data-testid="seg-saved">{savedMsg}</p> : null}
              {saveError && problemErrors(saveError).length === 0 ? <ErrorNotice what={t('seg.save.what')} error={saveError} /> : null}
            </form>
          </div>
        </div>
        {saved && explainId !== null ? <ExplainDrawer segmentId={saved.id} entity={saved.entity} entityId={explainId} onClose={() => setExplainId(null)} /> : null}
      </div>
    </BuilderContext.Provider>
  )
}

/** `/segments/new`: an empty rule, or a template's (`?template=id`) as an editable copy. */
export function NewSegmentPage() {
  const i18n = useI18n()
  const [templateId] = useSearchParam('template')
  const templates = useQuery({ ...templatesQuery(), enabled: templateId !== null })
  if (templateId && templates.isLoading) return <LoadingBlock lines={6} />
  if (templateId && templates.isError) return <ErrorNotice what={i18n.t('seg.templates.title')} error={templates.error} onRetry={templates.refetch} />
  const tpl: SegmentTemplate | undefined = templates.data?.templates.find((x) => x.id === templateId)
  const initial: Draft = tpl
    ? { name: i18n.locale === 'zh-CN' ? tpl.name.zh : tpl.name.en, entity: tpl.entity, root: fromRule(tpl.rule) }
    : { name: '', entity: 'store', root: fromRule({ and: [] }) }
  return <Builder key={tpl?.id ?? 'blank'} saved={null} initial={initial} />
}

/** `/segments/:id`: a saved segment, its latest version in the builder. */
export function SegmentPage({ id }: { id: string }) {
  const { t } = useI18n()
  const q = useQuery(segmentQuery(id))
  if (q.isLoading) return <LoadingBlock lines={6} />
  if (q.isError || !q.data) return <ErrorNotice what={t('seg.page.what', { id })} error={q.error} onRetry={q.refetch} />
  const s = q.data
  return <Builder key={s.id} saved={s} initial={{ name: s.name, entity: s.entity, root: fromRule(s.rule) }} />
}
