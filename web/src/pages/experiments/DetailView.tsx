import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { PageHeader, Panel } from '../../components/Panel'
import { ErrorNotice, LoadingBlock } from '../../components/States'
import { useI18n } from '../../i18n'
import { Link, navigate } from '../../router'
import { assignmentsUrl, decideExperiment, deleteExperiment, experimentQuery, expKeys, launchExperiment, metricsQuery, policiesQuery, stopExperiment, type Experiment } from './api'
import { StatusBadge, tr } from './parts'
import { ResultsView } from './ResultsView'

/** Lifecycle buttons: launch a draft, stop a running test, decide a stopped one (the winning arm and a note). */
function Lifecycle({ exp }: { exp: Experiment }) {
  const { t } = useI18n()
  const qc = useQueryClient()
  const [arm, setArm] = useState(exp.arms[1]?.name ?? exp.arms[0].name)
  const [note, setNote] = useState('')
  const act = useMutation({
    mutationFn: async (what: 'launch' | 'stop' | 'decide' | 'delete') => {
      if (what === 'launch') await launchExperiment(exp.id)
      if (what === 'stop') await stopExperiment(exp.id)
      if (what === 'decide') await decideExperiment(exp.id, arm, note)
      if (what === 'delete') await deleteExperiment(exp.id)
      return what
    },
    onSuccess: async (what) => {
      await qc.invalidateQueries({ queryKey: expKeys.all() })
      if (what === 'delete') navigate('/experiments')
    },
  })
  return (
    <div className="exp-lifecycle" data-testid="exp-lifecycle">
      {exp.status === 'draft' ? (
        <>
          <button type="button" className="btn exp-btn-primary" data-testid="exp-do-launch" disabled={act.isPending} onClick={() => act.mutate('launch')}>{t('exp.action.launch')}</button>
          <button type="button" className="btn" data-testid="exp-do-delete" disabled={act.isPending} onClick={() => act.mutate('delete')}>{t('exp.action.delete')}</button>
        </>
      ) : null}
      {exp.status === 'running' ? (
        <button type="button" className="btn" data-testid="exp-do-stop" disabled={act.isPending} onClick={() => act.mutate('stop')}>{t('exp.action.stop')}</button>
      ) : null}
      {exp.status === 'stopped' ? (
        <>
          <select className="exp-input" data-testid="exp-decide-arm" value={arm} onChange={(e) => setArm(e.target.value)} aria-label={t('exp.decide.arm')}>
            {exp.arms.map((a) => <option key={a.name} value={a.name}>{a.name}</option>)}
          </select>
          <input className="exp-input" placeholder={t('exp.decide.note')} aria-label={t('exp.decide.note')} value={note} onChange={(e) => setNote(e.target.value)} />
          <button type="button" className="btn exp-btn-primary" data-testid="exp-do-decide" disabled={act.isPending} onClick={() => act.mutate('decide')}>{t('exp.action.decide')}</button>
        </>
      ) : null}
      {act.isError ? <ErrorNotice what={t('exp.title')} error={act.error} /> : null}
    </div>
  )
}

/** One experiment: its design, lifecycle, the frozen assignment's exports, and its results once launched. */
export function DetailView({ id }: { id: string }) {
  const i18n = useI18n()
  const { t, number, day, percent } = i18n
  const q = useQuery(experimentQuery(id))
  const metrics = useQuery(metricsQuery())
  const policies = useQuery(policiesQuery())
  if (q.isPending) return <div className="page"><LoadingBlock lines={4} /></div>
  if (q.isError) return <div className="page"><ErrorNotice what={t('exp.title')} error={q.error} onRetry={q.refetch} /></div>
  const exp = q.data
  const label = (m: string) => {
    const x = metrics.data?.metrics.find((y) => y.id === m)
    if (x) return tr(i18n, x.label)
    const ext = exp.external_metrics.find((y) => `ext:${y.name}` === m)
    return ext?.label || m.replace(/^ext:/, '')
  }
  const policyName = (pid: string) => policies.data?.policies.find((p) => p.id === pid)?.name ?? (pid || '—')
  const totalWeight = exp.arms.reduce((a, b) => a + b.weight, 0)
  const units = t(exp.unit === 'store' ? 'exp.list.stores' : 'exp.units')
  const adjustment = exp.unit === 'external' ? t('exp.cupedImported') : exp.pre_days ? t('exp.cupedDays', { n: exp.pre_days }) : t('exp.noCuped')
  return (
    <div className="page" data-testid="exp-detail">
      <PageHeader
        title={<span className="exp-title">{exp.name} <StatusBadge status={exp.status} i18n={i18n} /></span>}
        lead={exp.hypothesis || undefined}
        actions={<Link to="/experiments" className="link">← {t('exp.back')}</Link>}
      />
      <Panel title={t('exp.design')} actions={<Lifecycle exp={exp} />} testId="exp-design">
        <div className="exp-design-grid">
          <dl className="exp-facts">
            <div><dt>{t('exp.list.dates')}</dt><dd>{day(exp.start, 'long')} – {day(exp.end, 'long')}</dd></div>
            <div><dt>{units}</dt><dd data-testid="exp-audience-size">{exp.audience_size ? number(exp.audience_size) : '—'}</dd></div>
            <div><dt>{t('exp.field.primary')}</dt><dd>{label(exp.primary_metric)}</dd></div>
            {exp.secondary_metrics.length ? <div><dt>{t('exp.role.secondary')}</dt><dd>{exp.secondary_metrics.map(label).join('、')}</dd></div> : null}
            {exp.guardrail_metrics.length ? <div><dt>{t('exp.role.guardrail')}</dt><dd>{exp.guardrail_metrics.map(label).join('、')}</dd></div> : null}
            <div><dt>{t('exp.stats')}</dt><dd>α = {exp.alpha} · {exp.sequential ? t('exp.field.sequential') : t('exp.fixedHorizon')} · {adjustment}</dd></div>
            {exp.decision ? <div><dt>{t('exp.decision')}</dt><dd data-testid="exp-decision">{exp.decision.arm} · {policyName(exp.decision.policy_id)} v{exp.decision.policy_version}{exp.decision.note ? ` — ${exp.decision.note}` : ''}</dd></div> : null}
          </dl>
          <table className="table exp-arm-table" data-testid="exp-arm-table">
            <thead><tr><th>{t('exp.arm.name')}</th><th>{t('exp.arm.policy')}</th><th className="num">{t('exp.arm.weight')}</th><th className="num">{units}</th></tr></thead>
            <tbody>
              {exp.arms.map((a, i) => (
                <tr key={a.name}>
                  <th>{a.name}{i === 0 ? <span className="chip exp-chip">{t('exp.arm.control')}</span> : null}</th>
                  <td>{policyName(a.policy_id)}{a.policy_version ? ` v${a.policy_version}` : ''}</td>
                  <td className="num tabular">{percent(a.weight / totalWeight, 0)}</td>
                  <td className="num tabular">{exp.status === 'draft' ? '—' : number(a.units)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {exp.status !== 'draft' ? (
          <p className="exp-exports">
            {t('exp.export')}: <a className="link" href={assignmentsUrl(exp.id, 'csv')} data-testid="exp-export-csv">CSV</a> · <a className="link" href={assignmentsUrl(exp.id, 'ndjson')}>NDJSON</a>
          </p>
        ) : null}
      </Panel>
      {exp.status === 'draft' ? null : <ResultsView exp={exp} />}
    </div>
  )
}
