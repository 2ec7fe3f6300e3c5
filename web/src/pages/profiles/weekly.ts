import { useMemo } from 'react'
import type { Week, WeeklyRewards } from '../../api/profiles'
import { CHART_PALETTE, type ChartSeries } from '../../charts/category'
import { useI18n, type I18n } from '../../i18n'
import { codeLabel, weekLabel } from './format'

/**
 * Week categories (their Mondays) and a formatter showing "W45 · Nov 3", the week in progress
 * marked as such, for the weekly charts of the profile pages.
 */
export function useWeekAxis(weeks: readonly Week[] | undefined) {
  const i18n = useI18n()
  return useMemo(() => {
    const byStart = new Map((weeks ?? []).map((w) => [w.start, w]))
    return {
      categories: (weeks ?? []).map((w) => w.start),
      format: (start: string) => {
        const w = byStart.get(start)
        return w ? `${weekLabel(i18n, w.iso, w.partial)} · ${i18n.day(start)}` : start
      },
    }
  }, [weeks, i18n])
}

/** Weekly reward series in yuan, one per reward kind. */
export function rewardSeries(i18n: I18n, rewards: WeeklyRewards | undefined): ChartSeries[] {
  return (rewards?.kinds ?? []).map((k, i) => ({ name: codeLabel(i18n, 'stores.reward', k.kind), data: k.fen.map((f) => f / 100), color: CHART_PALETTE[(i + 2) % CHART_PALETTE.length] }))
}
