import { useQuery } from '@tanstack/react-query'
import { useMemo } from 'react'
import type { OverlapResponse } from '../../../../segments/api'
import { useCategoryChart } from '../../charts/category'
import { Chart } from '../../charts/Chart'
import { Panel } from '../../components/Panel'
import { EmptyState, ErrorNotice } from '../../components/States'
import { useI18n, type I18n } from '../../i18n'
import { overlapQuery } from './api'

const LETTERS = ['A', 'B', 'C']

/** A Venn region in letters: "A only", "A ∩ B", "A ∩ B ∩ C" (members of exactly these). */
export function regionLabel(i18n: I18n, ids: readonly string[], order: readonly string[]): string {
  const letters = ids.map((id) => LETTERS[order.indexOf(id)]).sort()
  return letters.length === 1 ? i18n.t('seg.overlap.only', { a: letters[0] }) : letters.join(' ∩ ')
}

function Regions({ data }: { data: OverlapResponse }) {
  const i18n = useI18n()
  const { t, number } = i18n
  const order = data.segments.map((s) => s.id)
  const union = data.regions.reduce((s, r) => s + r.count, 0)
  const regions = useMemo(() => [...data.regions].sort((a, b) => a.in.length - b.in.length || a.in.join().localeCompare(b.in.join())), [data.regions])
  const labels = useMemo(() => regions.map((r) => regionLabel(i18n, r.in, order)), [regions, i18n, order])
  const series = useMemo(() => [{ name: t('seg.overlap.members'), data: regions.map((r) => r.count) }], [regions, t])
  const chart = useCategoryChart({ kind: 'bar', categories: labels, series, categoryLabel: t('seg.overlap.region') })
  return (
    <div className="seg-overlap-body">
      <ul className="seg-overlap-legend">
        {data.segments.map((s, i) => (
          <li key={s.id}>
            <span className="seg-letter">{LETTERS[i]}</span> {s.name} <span className="muted tabular">({number(s.size)})</span>
          </li>
        ))}
      </ul>
      <div className="seg-two">
        <table className="table table-compact seg-overlap-table" data-testid="seg-overlap-table">
          <thead>
            <tr>
              <th>{t('seg.overlap.region')}</th>
              <th className="num">{t('seg.overlap.members')}</th>
              <th className="num">{t('seg.overlap.ofUnion')}</th>
            </tr>
          </thead>
          <tbody>
            {regions.map((r, i) => (
              <tr key={r.in.join('+')} data-region={[...r.in].sort().join('+')} data-count={r.count}>
                <td>{labels[i]}</td>
                <td className="num tabular">{number(r.count)}</td>
                <td className="num tabular">{union ? i18n.percent(r.count / union) : t('common.none')}</td>
              </tr>
            ))}
            <tr className="seg-union">
              <td>{t('seg.overlap.union')}</td>
              <td className="num tabular">{number(union)}</td>
              <td />
            </tr>
          </tbody>
        </table>
        <Chart title={t('seg.overlap.title')} {...chart} height={220} />
      </div>
    </div>
  )
}

/**
 * How 2 or 3 saved segments overlap: members in exactly each combination (Venn regions), as a
 * table and bars. The segments are picked in the list above.
 */
export function OverlapPanel({ ids, names, onClear }: { ids: readonly string[]; names: ReadonlyMap<string, string>; onClear: () => void }) {
  const { t } = useI18n()
  const q = useQuery(overlapQuery(ids))
  const ready = ids.length >= 2
  return (
    <Panel
      title={t('seg.overlap.title')}
      description={ready ? ids.map((id) => names.get(id) ?? id).join(' · ') : t('seg.overlap.lead')}
      actions={ids.length ? <button type="button" className="btn btn-small" onClick={onClear}>{t('seg.overlap.clear')}</button> : null}
      testId="seg-overlap"
      className={q.isFetching ? 'is-stale' : undefined}
    >
      {!ready ? <EmptyState>{t('seg.overlap.pick')}</EmptyState> : null}
      {ready && q.isError ? <ErrorNotice what={t('seg.overlap.title')} error={q.error} onRetry={q.refetch} /> : null}
      {ready && q.data ? <Regions data={q.data} /> : null}
    </Panel>
  )
}
