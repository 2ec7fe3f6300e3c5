import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type ReactNode } from 'react'
import { PageHeader, Panel } from '../../components/Panel'
import { Segmented } from '../../components/Segmented'
import { ErrorNotice } from '../../components/States'
import { useI18n } from '../../i18n'
import { Link, navigate } from '../../router'
import { createExperiment, expKeys, launchExperiment, metricsQuery, policiesQuery, segmentsQuery } from './api'
import { tr } from './parts'
import { PowerPanel } from './PowerPanel'

interface ArmDraft {
  name: string
  policy_id: string
  weight: number
}

const localToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000) + 1
/** Store ids typed or pasted: separated by commas, spaces or new lines. */
const parseIds = (text: string) => [...new Set(text.split(/[\s,，;；]+/).map((s) => s.trim()).filter(Boolean))]

function Field({ label, children, wide }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <label className={wide ? 'exp-field exp-field-wide' : 'exp-field'}>
      <span>{label}</span>
      {children}
    </label>
  )
}

/** The launch wizard: audience, arms with policies and weights, metrics, dates and statistics, with the power calculator alongside. */
export function Wizard() {
  const i18n = useI18n()
  const { t } = i18n
  const qc = useQueryClient()
  const policies = useQuery(policiesQuery())
  const metrics = useQuery(metricsQuery())
  const segments = useQuery(segmentsQuery())
  const [name, setName] = useState('')
  const [hypothesis, setHypothesis] = useState('')
  const [mode, setMode] = useState<'segment' | 'stores'>('stores')
  const [segmentId, setSegmentId] = useState('')
  const [idsText, setIdsText] = useState('')
  const [arms, setArms] = useState<ArmDraft[]>([{ name: 'control', policy_id: '', weight: 1 }, { name: 'treatment', policy_id: '', weight: 1 }])
  const [primary, setPrimary] = useState('opened_bottles')
  const [secondary, setSecondary] = useState<string[]>(['distinct_consumers'])
  const [guardrail, setGuardrail] = useState<string[]>(['reward_per_open'])
  const [start, setStart] = useState(addDays(localToday(), 1))
  const [end, setEnd] = useState(addDays(localToday(), 28))
  const [preDays, setPreDays] = useState(28)
  const [alpha, setAlpha] = useState(0.05)
  const [sequential, setSequential] = useState(false)
  const [correction, setCorrection] = useState<'none' | 'holm' | 'bh'>('holm')
  const [stratify, setStratify] = useState(true)
  const [cluster, setCluster] = useState(false)

  const list = policies.data?.policies ?? []
  // An arm without a chosen policy takes one by position, so a fresh form is complete.
  const armsOut = arms.map((a, i) => ({ ...a, policy_id: a.policy_id || list[Math.min(i, list.length - 1)]?.id || '' }))
  const ids = parseIds(idsText)
  const audience = mode === 'segment' ? (segmentId ? { segment_id: segmentId } : null) : ids.length >= 2 ? { store_ids: ids } : null
  const body = {
    name, hypothesis, audience, arms: armsOut, start, end, primary_metric: primary,
    secondary_metrics: secondary.filter((m) => m !== primary), guardrail_metrics: guardrail.filter((m) => m !== primary && !secondary.includes(m)),
    pre_days: preDays, alpha, sequential, sequential_tau: null, correction, stratify, cluster_by_distributor: cluster,
  }
  const save = useMutation({
    mutationFn: async (launch: boolean) => {
      const saved = await createExperiment(body)
      if (launch) await launchExperiment(saved.id)
      return saved.id
    },
    onSuccess: async (id) => {
      await qc.invalidateQueries({ queryKey: expKeys.all() })
      navigate(`/experiments/${encodeURIComponent(id)}`)
    },
  })
  const setArm = (i: number, patch: Partial<ArmDraft>) => setArms((a) => a.map((x, j) => (j === i ? { ...x, ...patch } : x)))
  const toggle = (chosen: string[], set: (v: string[]) => void, id: string) => set(chosen.includes(id) ? chosen.filter((x) => x !== id) : [...chosen, id])
  const catalog = metrics.data?.metrics ?? []
  const ready = name.trim() !== '' && audience !== null && armsOut.every((a) => a.policy_id && a.name.trim()) && end >= start

  return (
    <div className="page" data-testid="exp-wizard">
      <PageHeader title={t('exp.wizard.title')} lead={t('exp.wizard.lead')} actions={<Link to="/experiments" className="link">← {t('exp.back')}</Link>} />
      <div className="exp-wizard-grid">
        <div className="exp-wizard-main">
          <Panel title={t('exp.wizard.basics')}>
            <div className="exp-fields">
              <Field label={t('exp.field.name')} wide>
                <input className="exp-input" data-testid="exp-name" value={name} onChange={(e) => setName(e.target.value)} />
              </Field>
              <Field label={t('exp.field.hypothesis')} wide>
                <textarea className="exp-input" rows={2} data-testid="exp-hypothesis" value={hypothesis} onChange={(e) => setHypothesis(e.target.value)} />
              </Field>
            </div>
          </Panel>
          <Panel title={t('exp.wizard.audience')} description={t('exp.wizard.audienceLead')}
            actions={<Segmented label={t('exp.wizard.audience')} value={mode} onChange={setMode} testId="exp-audience-mode"
              options={[{ value: 'stores', label: t('exp.audience.stores') }, { value: 'segment', label: t('exp.audience.segment') }]} />}>
            {mode === 'segment' ? (
              <select className="exp-input" data-testid="exp-segment" value={segmentId} onChange={(e) => setSegmentId(e.target.value)} aria-label={t('exp.audience.segment')}>
                <option value="">{t('exp.audience.pick')}</option>
                {(segments.data?.segments ?? []).filter((s) => s.entity === 'store').map((s) => (
                  <option key={s.id} value={s.id}>{s.name}{s.size !== null ? ` (${s.size})` : ''}</option>
                ))}
              </select>
            ) : (
              <>
                <textarea className="exp-input exp-ids" rows={3} data-testid="exp-store-ids" placeholder={t('exp.audience.idsHint')} aria-label={t('exp.audience.stores')}
                  value={idsText} onChange={(e) => setIdsText(e.target.value)} />
                <p className="muted">{t('exp.audience.count', { n: ids.length })}</p>
              </>
            )}
          </Panel>
          <Panel title={t('exp.wizard.arms')} description={t('exp.wizard.armsLead')}>
            <table className="table exp-arms" data-testid="exp-arms">
              <thead>
                <tr><th>{t('exp.arm.name')}</th><th>{t('exp.arm.policy')}</th><th className="num">{t('exp.arm.weight')}</th><th /></tr>
              </thead>
              <tbody>
                {arms.map((a, i) => (
                  <tr key={i}>
                    <td>
                      <input className="exp-input" data-testid={`exp-arm-name-${i}`} value={a.name} onChange={(e) => setArm(i, { name: e.target.value })} aria-label={t('exp.arm.name')} />
                      {i === 0 ? <span className="chip exp-chip">{t('exp.arm.control')}</span> : null}
                    </td>
                    <td>
                      <select className="exp-input" data-testid={`exp-arm-policy-${i}`} value={armsOut[i].policy_id} onChange={(e) => setArm(i, { policy_id: e.target.value })} aria-label={t('exp.arm.policy')}>
                        {list.length === 0 ? <option value="">{t('exp.arm.noPolicy')}</option> : null}
                        {list.map((p) => <option key={p.id} value={p.id}>{p.name} (v{p.version})</option>)}
                      </select>
                    </td>
                    <td className="num">
                      <input className="exp-input exp-num" type="number" min={0.1} step={0.1} data-testid={`exp-arm-weight-${i}`} value={a.weight}
                        onChange={(e) => setArm(i, { weight: Math.max(0.1, Number(e.target.value) || 1) })} aria-label={t('exp.arm.weight')} />
                    </td>
                    <td>
                      {i >= 2 ? <button type="button" className="btn-link" onClick={() => setArms((x) => x.filter((_, j) => j !== i))}>{t('exp.arm.remove')}</button> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {arms.length < 6 ? (
              <button type="button" className="btn btn-small" data-testid="exp-arm-add" onClick={() => setArms((x) => [...x, { name: `arm_${x.length}`, policy_id: '', weight: 1 }])}>
                {t('exp.arm.add')}
              </button>
            ) : null}
          </Panel>
          <Panel title={t('exp.wizard.metrics')} description={t('exp.wizard.metricsLead')}>
            <table className="table exp-metric-pick" data-testid="exp-metrics">
              <thead>
                <tr><th>{t('exp.metric')}</th><th>{t('exp.role.primary')}</th><th>{t('exp.role.secondary')}</th><th>{t('exp.role.guardrail')}</th></tr>
              </thead>
              <tbody>
                {catalog.map((m) => (
                  <tr key={m.id}>
                    <th>{tr(i18n, m.label)}</th>
                    <td><input type="radio" name="primary" data-testid={`exp-primary-${m.id}`} checked={primary === m.id} onChange={() => setPrimary(m.id)} aria-label={`${t('exp.role.primary')}: ${tr(i18n, m.label)}`} /></td>
                    <td><input type="checkbox" disabled={primary === m.id} checked={primary !== m.id && secondary.includes(m.id)} onChange={() => toggle(secondary, setSecondary, m.id)} aria-label={`${t('exp.role.secondary')}: ${tr(i18n, m.label)}`} /></td>
                    <td><input type="checkbox" disabled={primary === m.id} checked={primary !== m.id && guardrail.includes(m.id)} onChange={() => toggle(guardrail, setGuardrail, m.id)} aria-label={`${t('exp.role.guardrail')}: ${tr(i18n, m.label)}`} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Panel>
          <Panel title={t('exp.wizard.design')}>
            <div className="exp-fields">
              <Field label={t('exp.field.start')}><input className="exp-input" type="date" data-testid="exp-start" value={start} onChange={(e) => setStart(e.target.value)} /></Field>
              <Field label={t('exp.field.end')}><input className="exp-input" type="date" data-testid="exp-end" value={end} onChange={(e) => setEnd(e.target.value)} /></Field>
              <Field label={t('exp.field.preDays')}><input className="exp-input exp-num" type="number" min={0} max={365} data-testid="exp-pre-days" value={preDays} onChange={(e) => setPreDays(Math.max(0, Math.min(365, Math.round(Number(e.target.value)) || 0)))} /></Field>
              <Field label={t('exp.field.alpha')}>
                <select className="exp-input" data-testid="exp-alpha" value={alpha} onChange={(e) => setAlpha(Number(e.target.value))}>
                  {[0.01, 0.05, 0.1].map((a) => <option key={a} value={a}>{a}</option>)}
                </select>
              </Field>
              <Field label={t('exp.field.correction')}>
                <select className="exp-input" data-testid="exp-correction" value={correction} onChange={(e) => setCorrection(e.target.value as typeof correction)}>
                  <option value="holm">Holm</option><option value="bh">Benjamini–Hochberg</option><option value="none">{t('exp.correction.none')}</option>
                </select>
              </Field>
            </div>
            <div className="exp-checks">
              <label><input type="checkbox" data-testid="exp-sequential" checked={sequential} onChange={(e) => setSequential(e.target.checked)} /> {t('exp.field.sequential')}</label>
              <label><input type="checkbox" data-testid="exp-stratify" checked={stratify} onChange={(e) => setStratify(e.target.checked)} /> {t('exp.field.stratify')}</label>
              <label><input type="checkbox" data-testid="exp-cluster" checked={cluster} onChange={(e) => setCluster(e.target.checked)} /> {t('exp.field.cluster')}</label>
            </div>
          </Panel>
          {save.isError ? <ErrorNotice what={t('exp.wizard.title')} error={save.error} /> : null}
          <div className="exp-actions">
            <button type="button" className="btn" data-testid="exp-save-draft" disabled={!ready || save.isPending} onClick={() => save.mutate(false)}>{t('exp.saveDraft')}</button>
            <button type="button" className="btn exp-btn-primary" data-testid="exp-launch" disabled={!ready || save.isPending} onClick={() => save.mutate(true)}>{t('exp.saveLaunch')}</button>
          </div>
        </div>
        <aside className="exp-wizard-side">
          <PowerPanel input={{ audience, metric: primary, weights: armsOut.map((a) => a.weight), alpha, sequentialTau: sequential ? Math.max(2, ids.length || 1000) : null, preDays, days: daysBetween(start, end), asOf: start < localToday() ? start : localToday() }} />
        </aside>
      </div>
    </div>
  )
}
