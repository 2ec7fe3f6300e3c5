import { useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { ErrorNotice } from '../../components/States'
import { useI18n } from '../../i18n'
import { powerQuery } from './api'
import { signedPct } from './parts'

export interface PowerInput {
  audience: unknown | null
  metric: string
  weights: number[]
  alpha: number
  sequentialTau: number | null
  preDays: number
  days: number
  /** The baseline ends the day before this (the start, or today if the start is later). */
  asOf: string
}

// Beyond doubling, the figure only says "far too small an audience": show it as such.
const mdeText = (mde: number | null) => (mde === null ? '—' : mde >= 1 ? '≥ +100%' : signedPct(mde))

/**
 * The power calculator: the audience's size, the smallest relative lift the test would detect
 * with 80% power, and the same with CUPED (the expected variance reduction ρ² from the
 * audience's own history). Recomputed 400 ms after the design stops changing.
 */
export function PowerPanel({ input }: { input: PowerInput }) {
  const i18n = useI18n()
  const { t, number, percent, day } = i18n
  const body = input.audience
    ? JSON.stringify({
        audience: input.audience, metric: input.metric, weights: input.weights, alpha: input.alpha,
        sequential_tau: input.sequentialTau, pre_days: input.preDays, days: Math.max(1, Math.min(365, input.days)), as_of: input.asOf,
      })
    : ''
  const [settled, setSettled] = useState(body)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(body), 400)
    return () => clearTimeout(timer)
  }, [body])
  const q = useQuery(powerQuery(settled, settled !== ''))
  const p = q.data
  return (
    <section className="exp-power" data-testid="exp-power" aria-live="polite" data-state={q.isFetching ? 'loading' : p ? 'ready' : 'idle'}>
      <h3 className="exp-power-title">{t('exp.power.title')}</h3>
      {!body ? (
        <p className="muted">{t('exp.power.needAudience')}</p>
      ) : q.isError ? (
        <ErrorNotice what={t('exp.power.title')} error={q.error} />
      ) : !p ? (
        <p className="muted">{t('common.loading')}</p>
      ) : (
        <>
          <dl className="exp-power-figures">
            <div>
              <dt>{t('exp.power.stores')}</dt>
              <dd data-testid="exp-power-n">{number(p.n_total)}</dd>
            </div>
            <div>
              <dt>{t('exp.power.mde')}</dt>
              <dd data-testid="exp-power-mde" data-value={p.mde ?? ''}>{mdeText(p.mde)}</dd>
            </div>
            <div>
              <dt>{t('exp.power.mdeCuped')}</dt>
              <dd data-testid="exp-power-mde-cuped" data-value={p.mde_cuped ?? ''}>{mdeText(p.mde_cuped)}</dd>
            </div>
            <div>
              <dt>{t('exp.power.reduction')}</dt>
              <dd data-testid="exp-power-r2">{percent(p.cuped_r2, 0)}</dd>
            </div>
          </dl>
          <p className="muted exp-power-note">
            {p.note
              ? p.note
              : t('exp.power.explain', { n: number(Math.round(p.n_per_arm)), mean: number(p.mean, { maximumFractionDigits: 2 }), from: p.baseline ? day(p.baseline.from) : '—', to: p.baseline ? day(p.baseline.to) : '—' })}
          </p>
        </>
      )}
    </section>
  )
}
