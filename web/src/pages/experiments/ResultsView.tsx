import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import { CHART_PALETTE } from '../../charts/category'
import { Chart, type ChartOption } from '../../charts/Chart'
import { Panel } from '../../components/Panel'
import { EmptyState, ErrorNotice, LoadingBlock } from '../../components/States'
import { useI18n, type I18n } from '../../i18n'
import { resultsQuery, type Experiment, type MetricResult, type Results } from './api'
import { LiftBar, liftDomain, pValue, signedPct, tr } from './parts'

const ROLE_KEY = { primary: 'exp.role.primary', secondary: 'exp.role.secondary', guardrail: 'exp.role.guardrail' } as const

function value(i18n: I18n, m: Pick<MetricResult, 'kind'>, v: number) {
  return m.kind === 'proportion' ? i18n.percent(v, 1) : i18n.number(v, { maximumFractionDigits: 2, minimumFractionDigits: 2 })
}

/** One metric: arm means, each treatment's lift with its interval as a bar against zero, p-value and verdict. */
function MetricCard({ m, alpha, units }: { m: MetricResult; alpha: number; units: string }) {
  const i18n = useI18n()
  const { t, number, percent } = i18n
  const domain = liftDomain(m.comparisons)
  const level = `${Math.round((1 - alpha) * 100)}%`
  return (
    <section className="exp-metric" data-testid={`exp-metric-${m.metric}`}>
      <header className="exp-metric-head">
        <h3>{tr(i18n, m.label)}</h3>
        <span className={`chip exp-chip exp-role-${m.role}`}>{t(ROLE_KEY[m.role])}</span>
        {m.cuped && m.variance_reduction !== null && m.variance_reduction > 0 ? (
          <span className="chip exp-chip" title={t('exp.cupedHelp')}>{t('exp.cupedReduction', { pct: percent(m.variance_reduction, 0) })}</span>
        ) : null}
      </header>
      <table className="table exp-result-table">
        <thead>
          <tr>
            <th>{t('exp.arm.name')}</th>
            <th className="num">{units}</th>
            <th className="num">{t('exp.mean')}{tr(i18n, m.unit) ? ` (${tr(i18n, m.unit)})` : ''}</th>
            <th className="num">{t('exp.lift')}</th>
            <th className="num">{t('exp.ci', { level })}</th>
            <th>{t('exp.interval')}</th>
            <th className="num">{t('exp.p')}</th>
          </tr>
        </thead>
        <tbody>
          {m.arms.map((a, i) => {
            const c = i === 0 ? null : m.comparisons[i - 1]
            return (
              <tr key={a.name} data-testid={c ? `exp-cmp-${m.metric}-${a.name}` : undefined}>
                <th>{a.name}{i === 0 ? <span className="chip exp-chip">{t('exp.arm.control')}</span> : null}</th>
                <td className="num tabular">{number(a.n)}</td>
                <td className="num tabular">{value(i18n, m, a.mean)}</td>
                <td className={`num tabular exp-lift-${c?.outcome ?? 'none'}`}>{c && !c.error ? signedPct(c.lift.estimate) : ''}</td>
                <td className="num tabular nowrap">{c && !c.error ? `${signedPct(c.lift.ci[0])} … ${signedPct(c.lift.ci[1])}` : ''}</td>
                <td>{c ? <LiftBar c={c} domain={domain} testId={`exp-liftbar-${m.metric}-${a.name}`} /> : null}</td>
                <td className="num tabular nowrap">
                  {c ? pValue(c.p_adjusted ?? c.p) : ''}
                  {c && c.p_adjusted !== null ? <span className="muted exp-adj"> {t('exp.adjusted')}</span> : null}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {m.comparisons.map((c) => (
        <p key={c.arm} className={`exp-verdict-line exp-verdict-${c.outcome}`} data-testid={`exp-verdict-${m.metric}-${c.arm}`}>
          {tr(i18n, c.verdict)}
        </p>
      ))}
    </section>
  )
}

function Balance({ r }: { r: Results }) {
  const i18n = useI18n()
  const { t } = i18n
  if (!r.balance.length) return null
  const arms = r.balance[0].arms.map((a) => a.name)
  return (
    <Panel title={t('exp.balance.title')} description={t('exp.balance.lead', { from: r.window.pre ? i18n.day(r.window.pre.from) : '', to: r.window.pre ? i18n.day(r.window.pre.to) : '' })} testId="exp-balance">
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th>{t('exp.metric')}</th>
              {arms.map((a) => <th key={a} className="num">{a}</th>)}
              {arms.slice(1).map((a) => <th key={`d-${a}`} className="num">{t('exp.balance.d', { arm: a })}</th>)}
            </tr>
          </thead>
          <tbody>
            {r.balance.map((b) => (
              <tr key={b.metric}>
                <th>{tr(i18n, b.label)}</th>
                {b.arms.map((a) => <td key={a.name} className="num tabular">{i18n.number(a.mean, { maximumFractionDigits: 2 })}</td>)}
                {b.std_diff.map((d) => (
                  <td key={d.arm} className={`num tabular ${d.d !== null && Math.abs(d.d) > 0.1 ? 'exp-imbalanced' : ''}`}>{d.d === null ? '—' : d.d.toFixed(3)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Panel>
  )
}

function Cumulative({ r }: { r: Results }) {
  const i18n = useI18n()
  const { t } = i18n
  const c = r.cumulative
  const arms = useMemo(() => c?.points[0]?.comparisons.map((x) => x.arm) ?? [], [c])
  const option = useMemo((): ChartOption => {
    const cats = (c?.points ?? []).map((p) => i18n.day(p.through))
    const pctFmt = (v: number) => signedPct(v, 0)
    const series: NonNullable<ChartOption['series']> = [{ type: 'line', name: '0', data: cats.map(() => 0), symbol: 'none', lineStyle: { color: '#6b7785', type: 'dashed', width: 1 }, silent: true, tooltip: { show: false } }]
    arms.forEach((arm, k) => {
      const color = CHART_PALETTE[(k + 1) % CHART_PALETTE.length]
      const get = (f: (x: { estimate: number; ci: [number | null, number | null] }) => number | null) => (c?.points ?? []).map((p) => { const x = p.comparisons.find((y) => y.arm === arm); return x ? f(x) : null })
      series.push({ type: 'line', name: arm, data: get((x) => x.estimate), color, symbolSize: 6 })
      for (const [side, i] of [['lo', 0], ['hi', 1]] as const)
        series.push({ type: 'line', name: `${arm} ${side}`, data: get((x) => x.ci[i]), color, symbol: 'none', lineStyle: { type: 'dashed', width: 1, opacity: 0.7 }, tooltip: { show: false } })
    })
    return {
      grid: { left: 56, right: 16, top: 30, bottom: 28 },
      legend: { data: arms, top: 0, left: 0 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? pctFmt(v) : String(v)) },
      xAxis: { type: 'category', data: cats },
      yAxis: { type: 'value', axisLabel: { formatter: pctFmt } },
      series,
    }
  }, [c, arms, i18n])
  if (!c || c.points.length === 0) return null
  return (
    <Panel title={t('exp.cumulative.title')} description={t(r.sequential ? 'exp.cumulative.sequential' : 'exp.cumulative.fixed')} testId="exp-cumulative">
      <Chart title={t('exp.cumulative.title')} option={option} empty={c.points.length === 0} height={260}
        csv={{ header: ['through', ...arms.flatMap((a) => [a, `${a} lo`, `${a} hi`])], rows: c.points.map((p) => [p.through, ...p.comparisons.flatMap((x) => [x.estimate, x.ci[0], x.ci[1]])]) }} />
    </Panel>
  )
}

/** The results of a launched experiment: SRM banner, verdict, metric cards, balance, cumulative lift, exposures. */
export function ResultsView({ exp }: { exp: Experiment }) {
  const i18n = useI18n()
  const { t, number, day } = i18n
  const q = useQuery(resultsQuery(exp.id, exp.status !== 'draft'))
  if (q.isPending) return <Panel title={t('exp.results')}><LoadingBlock lines={4} /></Panel>
  if (q.isError) return <ErrorNotice what={t('exp.results')} error={q.error} onRetry={q.refetch} />
  const r = q.data
  return (
    <div className="exp-results" data-testid="exp-results">
      {r.srm.warning ? (
        <div className="notice notice-error exp-srm" role="alert" data-testid="exp-srm-banner">
          <div>
            <strong>{t('exp.srm.title')}</strong>
            <p className="notice-detail">{t('exp.srm.body', { p: r.srm.p.toExponential(1), counts: r.srm.counts.map((n) => number(n)).join(' : ') })}</p>
          </div>
        </div>
      ) : null}
      <Panel title={t('exp.results')} description={t('exp.window', { from: day(r.window.from), to: day(r.window.to), days: r.window.days })} testId="exp-results-panel">
        <p className="exp-verdict" data-testid="exp-verdict">{tr(i18n, r.verdict)}</p>
        {r.metrics.length === 0 ? <EmptyState>{t('exp.noData')}</EmptyState> : r.metrics.map((m) => <MetricCard key={m.metric} m={m} alpha={r.alpha} units={t(r.unit === 'store' ? 'exp.list.stores' : r.unit === 'distributor' ? 'exp.distributors' : 'exp.units')} />)}
        <p className="muted exp-footnote">{t('exp.footnote', { srm: r.srm.p < 0.001 ? '< 0.001' : `= ${r.srm.p.toFixed(3)}`, correction: r.correction })}</p>
      </Panel>
      <Cumulative r={r} />
      <Balance r={r} />
      {r.exposures.some((e) => e.exposed > 0) ? (
        <Panel title={t('exp.exposures.title')} description={t('exp.exposures.lead')} testId="exp-exposures">
          <table className="table">
            <thead><tr><th>{t('exp.arm.name')}</th><th className="num">{t('exp.exposures.assigned')}</th><th className="num">{t('exp.exposures.exposed')}</th><th className="num">{t('exp.exposures.mismatched')}</th></tr></thead>
            <tbody>{r.exposures.map((e) => <tr key={e.arm}><th>{e.arm}</th><td className="num tabular">{number(e.assigned)}</td><td className="num tabular">{number(e.exposed)}</td><td className="num tabular">{number(e.mismatched)}</td></tr>)}</tbody>
          </table>
        </Panel>
      ) : null}
    </div>
  )
}
