import type { I18n, MessageKey } from '../../i18n'
import type { Comparison, Status, Text } from './api'

/** The server's zh/en text in the UI language. */
export const tr = (i18n: I18n, text: Text) => (i18n.locale === 'zh-CN' ? text.zh : text.en)

/** A signed percentage: +12.3% / −4.0%; an unbounded side is ∞. */
export function signedPct(x: number | null, digits = 1): string {
  if (x === null) return '∞'
  const s = `${Math.abs(x * 100).toFixed(digits)}%`
  return x > 0 ? `+${s}` : x < 0 ? `−${s}` : s
}

/** A p-value as people read it: < 0.001 below that, three decimals otherwise. */
export const pValue = (p: number) => (p < 0.001 ? '< 0.001' : p.toFixed(3))

const STATUS_KEY: Record<Status, MessageKey> = { draft: 'exp.status.draft', running: 'exp.status.running', stopped: 'exp.status.stopped', decided: 'exp.status.decided' }

export function StatusBadge({ status, i18n }: { status: Status; i18n: I18n }) {
  return (
    <span className={`badge exp-status exp-status-${status}`} data-testid="exp-status">
      {i18n.t(STATUS_KEY[status])}
    </span>
  )
}

const COLOR = { better: 'var(--ok)', worse: 'var(--bad)', inconclusive: '#8a94a3', error: '#8a94a3' }

/**
 * The lift's interval as a horizontal bar against a zero line, on a scale shared by the
 * comparisons of one metric (`domain`), with the point estimate as a dot. Green when the arm is
 * significantly better, red when significantly worse, grey otherwise; an unbounded side runs to
 * the edge.
 */
export function LiftBar({ c, domain, testId }: { c: Comparison; domain: [number, number]; testId?: string }) {
  const W = 220
  const H = 22
  const pad = 6
  const x = (v: number) => pad + ((v - domain[0]) / (domain[1] - domain[0])) * (W - 2 * pad)
  const lo = c.lift.ci[0] === null ? domain[0] : Math.max(domain[0], c.lift.ci[0])
  const hi = c.lift.ci[1] === null ? domain[1] : Math.min(domain[1], c.lift.ci[1])
  const color = COLOR[c.outcome]
  return (
    <svg className="exp-liftbar" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${signedPct(c.lift.ci[0])} … ${signedPct(c.lift.ci[1])}`} data-testid={testId} data-outcome={c.outcome}>
      <line x1={pad} x2={W - pad} y1={H / 2} y2={H / 2} stroke="#e2e6eb" />
      <line x1={x(0)} x2={x(0)} y1={2} y2={H - 2} stroke="#6b7785" strokeDasharray="2 2" />
      {c.error ? null : (
        <>
          <rect x={x(lo)} y={H / 2 - 4} width={Math.max(2, x(hi) - x(lo))} height={8} rx={3} fill={color} opacity={0.35} />
          <circle cx={x(c.lift.estimate)} cy={H / 2} r={4} fill={color} />
        </>
      )}
    </svg>
  )
}

/** A shared scale for the lift bars of one metric: covers every interval and zero, with a margin. */
export function liftDomain(comparisons: Comparison[]): [number, number] {
  let lo = 0
  let hi = 0
  for (const c of comparisons) {
    if (c.error) continue
    lo = Math.min(lo, c.lift.ci[0] ?? c.lift.estimate - 3 * c.lift.se, c.lift.estimate)
    hi = Math.max(hi, c.lift.ci[1] ?? c.lift.estimate + 3 * c.lift.se, c.lift.estimate)
  }
  if (hi - lo < 0.02) return [lo - 0.01, hi + 0.01]
  const m = (hi - lo) * 0.08
  return [lo - m, hi + m]
}
