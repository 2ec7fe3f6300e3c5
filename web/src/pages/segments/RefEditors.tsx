import { useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import type { ListCreated } from '../../../../segments/api'
import { isApiError } from '../../api/errors'
import { queryKeys } from '../../api/queryKeys'
import { useI18n } from '../../i18n'
import { uploadList, useLists, useSegmentList } from './api'
import { useBuilder, useLeafEditor } from './hooks'
import type { Leaf, LeafNode } from './model'

/** "Is (not) a member of segment …": saved segments over the same entity, this one excluded. */
export function SegmentRefEditor({ node }: { node: LeafNode & { leaf: Extract<Leaf, { kind: 'segment' }> } }) {
  const { t } = useI18n()
  const { entity, selfId, errors } = useBuilder()
  const set = useLeafEditor(node.id, 'segment')
  const segments = (useSegmentList().data?.segments ?? []).filter((s) => s.entity === entity && s.id !== selfId)
  const bad = (errors.get(node.id) ?? []).length > 0
  return (
    <div className="seg-cond-fields">
      <span className="seg-kind-tag">{t('seg.kind.segment')}</span>
      <select className="input" aria-label={t('seg.ref.member')} data-testid="seg-ref-member" value={node.leaf.member ? 'yes' : 'no'} onChange={(e) => set(() => ({ member: e.target.value === 'yes' }))}>
        <option value="yes">{t('seg.ref.in')}</option>
        <option value="no">{t('seg.ref.notIn')}</option>
      </select>
      <select className={`input${bad ? ' is-invalid' : ''}`} aria-label={t('seg.kind.segment')} data-testid="seg-ref-segment" value={node.leaf.segment} onChange={(e) => set(() => ({ segment: e.target.value }))}>
        <option value="">{t('seg.ref.pickSegment')}</option>
        {node.leaf.segment && !segments.some((s) => s.id === node.leaf.segment) ? <option value={node.leaf.segment}>{node.leaf.segment}</option> : null}
        {segments.map((s) => (
          <option key={s.id} value={s.id}>{s.name}</option>
        ))}
      </select>
    </div>
  )
}

/** Uploads a CSV of ids inline (a header row with an `id` column), then hands back the new list's id. */
function UploadForm({ onDone, onCancel }: { onDone: (created: ListCreated) => void; onCancel: () => void }) {
  const { t } = useI18n()
  const { entity } = useBuilder()
  const client = useQueryClient()
  const [name, setName] = useState('')
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!text.trim()) return
    setBusy(true)
    setError(null)
    try {
      const created = await uploadList(text, name.trim() || t('seg.upload.defaultName'), entity)
      await client.invalidateQueries({ queryKey: queryKeys.segments.lists() })
      onDone(created)
    } catch (err) {
      setError(isApiError(err) ? (err.detail ?? err.title) : String(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <form className="seg-upload" onSubmit={submit} data-testid="seg-list-upload">
      <input className="input" placeholder={t('seg.upload.name')} aria-label={t('seg.upload.name')} value={name} onChange={(e) => setName(e.target.value)} />
      <input
        type="file"
        accept=".csv,text/csv,text/plain"
        aria-label={t('seg.upload.file')}
        onChange={async (e) => {
          const f = e.target.files?.[0]
          if (f) {
            setText(await f.text())
            if (!name) setName(f.name.replace(/\.[^.]+$/, ''))
          }
        }}
      />
      <textarea className="input seg-upload-text" rows={3} placeholder={t('seg.upload.paste')} aria-label={t('seg.upload.paste')} value={text} onChange={(e) => setText(e.target.value)} />
      <div className="seg-upload-actions">
        <button type="submit" className="btn btn-small" disabled={busy || !text.trim()}>{t('seg.upload.submit')}</button>
        <button type="button" className="btn-link" onClick={onCancel}>{t('seg.cancel')}</button>
        {error ? <span className="text-bad" role="alert">{error}</span> : null}
      </div>
    </form>
  )
}

/** "Is in uploaded list …", with an inline CSV upload that picks the new list. */
export function ListEditor({ node }: { node: LeafNode & { leaf: Extract<Leaf, { kind: 'list' }> } }) {
  const i18n = useI18n()
  const { t } = i18n
  const { entity, errors } = useBuilder()
  const set = useLeafEditor(node.id, 'list')
  const lists = (useLists().data?.lists ?? []).filter((l) => l.entity === entity)
  const [uploading, setUploading] = useState(false)
  const [result, setResult] = useState<ListCreated | null>(null)
  const bad = (errors.get(node.id) ?? []).length > 0
  return (
    <div className="seg-cond-fields">
      <span className="seg-kind-tag">{t('seg.kind.list')}</span>
      <select className={`input${bad ? ' is-invalid' : ''}`} aria-label={t('seg.kind.list')} data-testid="seg-ref-list" value={node.leaf.list} onChange={(e) => set(() => ({ list: e.target.value }))}>
        <option value="">{t('seg.upload.pick')}</option>
        {node.leaf.list && !lists.some((l) => l.id === node.leaf.list) ? <option value={node.leaf.list}>{node.leaf.list}</option> : null}
        {lists.map((l) => (
          <option key={l.id} value={l.id}>{t('seg.upload.option', { name: l.name, n: i18n.number(l.size) })}</option>
        ))}
      </select>
      {uploading ? null : (
        <button type="button" className="btn btn-small" onClick={() => setUploading(true)} data-testid="seg-list-upload-open">
          {t('seg.upload.open')}
        </button>
      )}
      {result ? (
        <span className="muted">{t('seg.upload.result', { n: i18n.number(result.size), dup: i18n.number(result.duplicates), bad: i18n.number(result.rejected.length) })}</span>
      ) : null}
      {uploading ? (
        <UploadForm
          onCancel={() => setUploading(false)}
          onDone={(created) => {
            setUploading(false)
            setResult(created)
            set(() => ({ list: created.id }))
          }}
        />
      ) : null}
    </div>
  )
}
