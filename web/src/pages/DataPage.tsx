import { useMemo, useState } from 'react'
import { useDataSummary, useHealth, type TableRows } from '../api/data'
import { CHART_PALETTE, useCategoryChart, type ChartSeries } from '../charts/category'
import { Chart } from '../charts/Chart'
import { PageHeader, Panel } from '../components/Panel'
import { Segmented } from '../components/Segmented'
import { EmptyState, ErrorNotice, LoadingBlock } from '../components/States'
import { isMessageKey, useI18n, type I18n } from '../i18n'
import { useSearchParam } from '../router'
import { RejectsTable } from './data/RejectsTable'
import { EVENT_COLORS, eventsByDay, isEventType, type EventMeasure } from './data/eventsSeries'

const DAY_CHOICES = [30, 90, 365] as const
type Days = (typeof DAY_CHOICES)[number]
const DEFAULT_DAYS: Days = 90

const parseDays = (v: string | null): Days => DAY_CHOICES.find((d) => String(d) === v) ?? DEFAULT_DAYS

function eventLabel(t: I18n['t'], type: string): string {
  const key = `event.${type}`
  return isMessageKey(key) ? t(key) : type
}

function tableLabel(t: I18n['t'], table: string): string | undefined {
  const key = `table.${table}`
  return isMessageKey(key) ? t(key) : undefined
}

function HealthStrip() {
  const { t } = useI18n()
  const health = useHealth()
  if (health.isPending) return <div className="health"><LoadingBlock lines={1} /></div>
  if (health.isError) {
    return (
      <div className="health health-down">
        <span className="dot dot-bad" aria-hidden="true" />
        <span className="health-label">{t('data.health')}</span>
        <span data-testid="health-engine">{t('data.health.down')}</span>
        <ErrorNotice what={t('data.health.what')} error={health.error} onRetry={health.refetch} />
      </div>
    )
  }
  const h = health.data
  return (
    <div className="health">
      <span className="dot dot-ok" aria-hidden="true" />
      <span className="health-label">{t('data.health')}</span>
      <strong data-testid="health-engine" data-engine={h.engine}>
        {t(h.engine === 'embedded' ? 'data.health.embedded' : 'data.health.server')}
      </strong>
      <span className="sep" aria-hidden="true">·</span>
      <span data-testid="health-version" className="tabular">{t('data.health.version', { version: h.clickhouse_version })}</span>
      <span className="sep" aria-hidden="true">·</span>
      <span className="text-ok">{t('data.health.ok')}</span>
    </div>
  )
}

function TablesTable({ tables }: { tables: readonly TableRows[] }) {
  const { t, number } = useI18n()
  const sorted = [...tables].sort((a, b) => b.rows - a.rows || a.table.localeCompare(b.table))
  const max = Math.max(1, ...sorted.map((r) => r.rows))
  return (
    <table className="table table-rows">
      <thead>
        <tr>
          <th scope="col">{t('data.tables.table')}</th>
          <th scope="col" className="num">{t('data.tables.rows')}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((r) => {
          const label = tableLabel(t, r.table)
          return (
            <tr key={r.table} data-table={r.table}>
              <th scope="row">
                <span className="table-name">{label ?? r.table}</span>
                {label ? <code className="table-id">{r.table}</code> : null}
              </th>
              <td className="num tabular">
                <span className="bar-cell">
                  {r.rows / max >= 0.01 ? (
                    <span className="bar" style={{ width: `${(r.rows / max) * 100}%` }} aria-hidden="true" />
                  ) : null}
                  <span className="bar-value">{number(r.rows)}</span>
                </span>
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

export default function DataPage() {
  const { t, number, day } = useI18n()
  const [daysParam, setDaysParam] = useSearchParam('days')
  const days = parseDays(daysParam)
  const [measure, setMeasure] = useState<EventMeasure>('events')
  const summary = useDataSummary(days)

  const pivot = useMemo(() => eventsByDay(summary.data?.events_per_day ?? [], measure), [summary.data, measure])
  const series = useMemo<ChartSeries[]>(
    () =>
      pivot.types.map((type, i) => ({
        name: eventLabel(t, type),
        data: pivot.values[type],
        color: isEventType(type) ? EVENT_COLORS[type] : CHART_PALETTE[(i + 4) % CHART_PALETTE.length],
      })),
    [pivot, t],
  )
  const formatDay = useMemo(() => (d: string) => day(d), [day])
  const formatCount = useMemo(() => (n: number) => number(n), [number])
  const chart = useCategoryChart({
    kind: 'bar',
    stacked: true,
    categories: pivot.days,
    series,
    categoryLabel: t('data.events.day'),
    formatCategory: formatDay,
    formatValue: formatCount,
  })

  const daySelector = (
    <Segmented
      label={t('common.period')}
      value={days}
      onChange={(d) => setDaysParam(d === DEFAULT_DAYS ? null : String(d))}
      options={DAY_CHOICES.map((d) => ({ value: d, label: t('common.days', { n: d }) }))}
      testId="days"
    />
  )
  const measureLabel = t(measure === 'events' ? 'data.events.events' : 'data.events.bottles')

  return (
    <div className="page" data-testid="page-data">
      <PageHeader title={t('data.title')} lead={t('data.subtitle')} actions={daySelector} />
      <HealthStrip />

      {summary.isError && !summary.data ? (
        // Nothing to draw: one notice says why, instead of three empty panels.
        <ErrorNotice what={t('data.summary.what')} error={summary.error} onRetry={summary.refetch} />
      ) : (
        <>
          <div className="grid-2-1">
            <Panel
              title={t('data.events.title')}
              description={t('common.days', { n: days })}
              testId="data-events-chart"
            >
              {pivot.types.length > 0 ? (
                <ul className="totals" aria-label={`${measureLabel} · ${t('common.days', { n: days })}`}>
                  {pivot.types.map((type, i) => (
                    <li key={type} className="total">
                      <span className="total-label">
                        <span className="swatch" style={{ background: series[i]?.color }} aria-hidden="true" />
                        {eventLabel(t, type)}
                      </span>
                      <span className="total-value tabular">{number(pivot.totals[type])}</span>
                    </li>
                  ))}
                </ul>
              ) : null}
              <Chart
                title={`${t('data.events.title')} ${measureLabel} ${days}d`}
                {...chart}
                loading={summary.isPending || summary.isPlaceholderData}
                emptyText={t('data.events.empty')}
                height={320}
                actions={
                  <Segmented
                    label={t('data.events.metric')}
                    value={measure}
                    onChange={setMeasure}
                    options={[
                      { value: 'events', label: t('data.events.events') },
                      { value: 'bottles', label: t('data.events.bottles') },
                    ]}
                    testId="measure"
                  />
                }
              />
            </Panel>

            <Panel title={t('data.tables.title')} testId="data-table-rows">
              {summary.isPending ? (
                <LoadingBlock lines={5} />
              ) : !summary.data || summary.data.tables.length === 0 ? (
                <EmptyState>{t('data.tables.empty')}</EmptyState>
              ) : (
                <TablesTable tables={summary.data.tables} />
              )}
            </Panel>
          </div>

          <Panel
            title={t('data.rejects.title')}
            description={t('data.rejects.lead')}
            testId="data-rejects"
            actions={
              summary.data && summary.data.rejects.length > 0 ? (
                <span className="muted">{t('data.rejects.count', { n: number(summary.data.rejects.length) })}</span>
              ) : null
            }
          >
            {summary.isPending ? (
              <LoadingBlock lines={3} />
            ) : !summary.data || summary.data.rejects.length === 0 ? (
              <EmptyState>{t('data.rejects.empty')}</EmptyState>
            ) : (
              <RejectsTable rejects={summary.data.rejects} />
            )}
          </Panel>
        </>
      )}
    </div>
  )
}
