import type { Kpi, Overview } from '../../api/dashboards'
import { useI18n, type I18n } from '../../i18n'
import { KPI_LABELS, signedPercent, yuan } from './format'

type KpiKey = keyof Overview['kpis']

/** How a KPI is written, and whether a rise is good news (coloured) or just a change (grey). */
const KIND: Record<KpiKey, { unit: 'count' | 'ratio' | 'fen'; tone: 'up-good' | 'neutral' }> = {
  stocked_bottles: { unit: 'count', tone: 'up-good' },
  opened_bottles: { unit: 'count', tone: 'up-good' },
  open_rate: { unit: 'ratio', tone: 'up-good' },
  active_stores: { unit: 'count', tone: 'up-good' },
  new_active_stores: { unit: 'count', tone: 'up-good' },
  consumers: { unit: 'count', tone: 'up-good' },
  reward_fen: { unit: 'fen', tone: 'neutral' },
  reward_per_opened_fen: { unit: 'fen', tone: 'neutral' },
}

function formatValue(i18n: I18n, key: KpiKey, v: number | null): string {
  if (v === null) return '—'
  const u = KIND[key].unit
  if (u === 'ratio') return i18n.percent(v)
  if (u === 'fen') return yuan(i18n, key === 'reward_fen' ? Math.round(v) : v, key === 'reward_fen')
  return i18n.number(v)
}

/** The change line: relative for counts and money, percentage points for the open rate. */
function Change({ k, kpi }: { k: KpiKey; kpi: Kpi }) {
  const i18n = useI18n()
  const { t } = i18n
  let text: string
  let dir = 0
  if (KIND[k].unit === 'ratio') {
    if (kpi.value === null || kpi.previous === null) text = '—'
    else {
      const pp = (kpi.value - kpi.previous) * 100
      dir = Math.sign(Math.round(pp * 10))
      text = t('dash.kpi.pp', { n: `${pp > 0 ? '+' : pp < 0 ? '−' : ''}${i18n.number(Math.abs(pp), { maximumFractionDigits: 1, minimumFractionDigits: 1 })}` })
    }
  } else {
    text = signedPercent(i18n, kpi.change)
    dir = kpi.change === null ? 0 : Math.sign(Math.round(kpi.change * 1000))
  }
  const tone = dir === 0 || KIND[k].tone === 'neutral' ? 'flat' : dir > 0 ? 'up' : 'down'
  return (
    <span className={`kpi-change kpi-${tone}`}>
      <span aria-hidden="true">{dir > 0 ? '▲' : dir < 0 ? '▼' : '•'}</span> {text}
    </span>
  )
}

/**
 * The eight KPI tiles with their change against the previous period of the same length. Each
 * tile carries its raw value in `data-value` (tests compare it with the API).
 */
export function KpiTiles({ data, loading }: { data: Overview | undefined; loading: boolean }) {
  const i18n = useI18n()
  const { t } = i18n
  return (
    <ul className="kpis" aria-busy={loading} data-testid="dash-kpis">
      {KPI_LABELS.map(([key, msg]) => {
        const k = key as KpiKey
        const kpi = data?.kpis[k]
        return (
          <li key={k} className="kpi" data-testid={`kpi-${k}`} data-value={kpi?.value ?? ''}>
            <span className="kpi-label">{t(msg)}</span>
            <span className="kpi-value tabular">{kpi ? formatValue(i18n, k, kpi.value) : '…'}</span>
            {kpi ? (
              <span className="kpi-foot">
                <Change k={k} kpi={kpi} />
                <span className="kpi-prev muted">{t('dash.kpi.previous', { v: formatValue(i18n, k, kpi.previous) })}</span>
              </span>
            ) : (
              <span className="kpi-foot muted">{t('common.loading')}</span>
            )}
          </li>
        )
      })}
    </ul>
  )
}
