import { useMemo } from 'react'
import { useDash, useDashOptions, type Diversion, type Flow } from '../../api/dashboards'
import { Chart, CsvButton, type ChartOption } from '../../charts/Chart'
import { PageHeader, Panel } from '../../components/Panel'
import { Segmented } from '../../components/Segmented'
import { EmptyState, ErrorNotice } from '../../components/States'
import { useI18n } from '../../i18n'
import { Link } from '../../router'
import { EvidencePanel, flowKey, parseFlow } from './EvidencePanel'
import { FilterBar } from './FilterBar'
import { COLORS, tooltip } from './format'
import { setParams, useDashFilters, type DashFilterState } from './useDashFilters'
import './dashboards.css'

const DEFAULT_ALERT = 20
/** The sankey draws at most this many flows, of at least two bottles each; the rest are counted below it. */
const MAX_DRAWN = 30
const DEFAULT_MIN = 10
const intParam = (v: string | null, def: number, min: number) => {
  const n = Number(v)
  return v !== null && Number.isInteger(n) && n >= min ? n : def
}

/** Room for the taller side: tiny flows still get a line each so their labels do not collide. */
const sankeyHeight = (flows: Flow[]) =>
  Math.max(320, Math.min(680, 160 + 26 * Math.max(new Set(flows.map((x) => x.from_city)).size, new Set(flows.map((x) => x.to_city)).size)))

function FlowChart({ d, loading, local, f }: { d: Diversion | undefined; loading: boolean; local: boolean; f: DashFilterState }) {
  const i18n = useI18n()
  const { t, number, percent } = i18n
  const candidates = useMemo(() => (d?.flows ?? []).filter((x) => local || x.from_city !== x.to_city), [d, local])
  const flows = useMemo(() => candidates.filter((x) => x.bottles >= 2).slice(0, MAX_DRAWN), [candidates])
  const hidden = candidates.length - flows.length
  const hiddenBottles = candidates.reduce((a, x) => a + x.bottles, 0) - flows.reduce((a, x) => a + x.bottles, 0)
  const title = t('dash.div.flows')
  const option = useMemo((): ChartOption => {
    const alert = new Set((d?.alerts ?? []).map(flowKey))
    const src = [...new Set(flows.map((x) => x.from_city))]
    const dst = [...new Set(flows.map((x) => x.to_city))]
    // Stocked-in and opened-in cities are separate nodes (left and right), so A→B and B→A do
    // not make a cycle, which a sankey cannot draw.
    const nodes = [...src.map((c) => ({ name: `s:${c}`, depth: 0 })), ...dst.map((c) => ({ name: `o:${c}`, depth: 1 }))]
    return {
      tooltip: {
        trigger: 'item',
        confine: true,
        formatter: (p: { dataType: string; name: string; data: { source?: string; target?: string; value: number; flow?: Flow }; value: number }) => {
          if (p.dataType === 'edge' && p.data.flow) {
            const x = p.data.flow
            return tooltip(`${x.from_city} → ${x.to_city}`, [
              [t('dash.opened'), t('dash.bottlesN', { n: number(x.bottles) })],
              [t('dash.div.shareOf', { city: x.from_city }), percent(x.share)],
              [t('dash.geo.stores'), number(x.stores)],
            ])
          }
          const side = p.name.startsWith('s:') ? t('dash.div.stockedIn') : t('dash.div.openedIn')
          return tooltip(p.name.slice(2), [[side, t('dash.bottlesN', { n: number(p.value) })]])
        },
      },
      series: [
        {
          type: 'sankey',
          left: 8, right: 90, top: 8, bottom: 8,
          nodeWidth: 12, nodeGap: 12, nodeAlign: 'justify', layoutIterations: 32,
          labelLayout: { hideOverlap: true },
          emphasis: { focus: 'adjacency' },
          label: { formatter: (p: { name: string }) => p.name.slice(2), color: '#1e2731', fontSize: 12 },
          itemStyle: { color: COLORS.local, borderWidth: 0 },
          lineStyle: { color: 'source', opacity: 0.35, curveness: 0.5 },
          data: nodes,
          links: flows.map((x) => ({
            source: `s:${x.from_city}`, target: `o:${x.to_city}`, value: x.bottles, flow: x,
            lineStyle: alert.has(flowKey(x)) ? { color: COLORS.outside, opacity: 0.6 } : x.from_city === x.to_city ? { color: '#c9d0d9', opacity: 0.4 } : undefined,
          })),
        },
      ],
    } as ChartOption
  }, [flows, d, t, number, percent])
  return (
    <>
      <Chart title={title} option={option} loading={loading} empty={flows.length === 0} emptyText={t('dash.div.noFlows')} height={sankeyHeight(flows)}
        testId="dash-sankey"
        csv={{ header: [t('dash.div.from'), t('dash.div.to'), t('dash.bottles'), t('dash.div.share'), t('dash.geo.stores')], rows: (d?.flows ?? []).map((x) => [x.from_city, x.to_city, x.bottles, x.share, x.stores]) }}
        onClick={(e) => {
          const flow = (e.data as { flow?: Flow } | undefined)?.flow
          if (e.dataType === 'edge' && flow) setParams({ flow: flowKey(flow) })
          else if (e.dataType === 'node' && e.name.startsWith('s:')) f.setFilter('city', e.name.slice(2))
        }}
        actions={<Segmented label={t('dash.div.show')} value={local ? 'all' : 'cross'} testId="dash-local" onChange={(v) => setParams({ local: v === 'all' ? '1' : null })}
          options={[{ value: 'cross', label: t('dash.div.crossOnly') }, { value: 'all', label: t('dash.div.withLocal') }]} />}
      />
      {hidden > 0 ? <p className="dash-note muted">{t('dash.div.hidden', { n: number(hidden), bottles: number(hiddenBottles) })}</p> : null}
    </>
  )
}

function AlertsTable({ d, selected }: { d: Diversion; selected: string | null }) {
  const { t, number, percent } = useI18n()
  if (d.alerts.length === 0) return <EmptyState>{t('dash.div.noAlerts', { n: d.alert_bottles })}</EmptyState>
  return (
    <div className="table-wrap">
      <table className="table" data-testid="dash-alerts">
        <thead>
          <tr>
            <th scope="col">{t('dash.div.from')}</th>
            <th scope="col">{t('dash.div.to')}</th>
            <th scope="col" className="num">{t('dash.bottles')}</th>
            <th scope="col" className="num">{t('dash.div.share')}</th>
            <th scope="col" className="num">{t('dash.geo.stores')}</th>
            <th scope="col"><span className="visually-hidden">{t('dash.div.evidence')}</span></th>
          </tr>
        </thead>
        <tbody>
          {d.alerts.map((x) => (
            <tr key={flowKey(x)} aria-selected={selected === flowKey(x)} className={selected === flowKey(x) ? 'dash-row-selected' : undefined}>
              <th scope="row"><span className="dash-alert-dot" aria-hidden="true" />{x.from_city}</th>
              <td>{x.to_city}</td>
              <td className="num tabular">{number(x.bottles)}</td>
              <td className="num tabular">{percent(x.share)}</td>
              <td className="num tabular">{number(x.stores)}</td>
              <td><button type="button" className="btn btn-small" onClick={() => setParams({ flow: flowKey(x) })}>{t('dash.div.evidence')}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function ShareTable({ kind, rows }: { kind: 'distributor' | 'store'; rows: { id: string; name: string; city?: string; located: number; outside: number; share: number }[] }) {
  const { t, number, percent } = useI18n()
  if (rows.length === 0) return <EmptyState>{t('dash.empty')}</EmptyState>
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t(kind === 'store' ? 'dash.store' : 'dash.filter.distributor')}</th>
            <th scope="col" className="num">{t('dash.div.outsideShare')}</th>
            <th scope="col" className="num">{t('dash.div.outside')}</th>
            <th scope="col" className="num">{t('dash.div.located')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <th scope="row">
                <Link to={`/${kind === 'store' ? 'stores' : 'distributors'}/${encodeURIComponent(r.id)}`} className="link">{r.name}</Link>
                {r.city ? <span className="muted"> · {r.city}</span> : null}
              </th>
              <td className="num tabular">
                <span className="bar-cell"><span className="bar bar-bad" style={{ width: `${r.share * 100}%` }} aria-hidden="true" /><span className="bar-value">{percent(r.share)}</span></span>
              </td>
              <td className="num tabular">{number(r.outside)}</td>
              <td className="num tabular">{number(r.located)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** Diversion (窜货): flows between cities, alerts over a threshold with evidence, top outside shares. */
export default function DiversionPage() {
  const { t } = useI18n()
  const f = useDashFilters()
  const options = useDashOptions()
  const alertAt = intParam(f.params.alert, DEFAULT_ALERT, 2)
  const minAt = intParam(f.params.min, DEFAULT_MIN, 1)
  const q = useDash('diversion', f.query({ alert_bottles: alertAt, min_bottles: minAt }))
  const d = q.data
  const selected = parseFlow(f.params.flow)
  const loading = q.isPending || q.isPlaceholderData || q.isFetching
  const distributors = (d?.distributors ?? []).map((x) => ({ id: x.distributor_id, name: x.name ?? x.distributor_id, located: x.located, outside: x.outside, share: x.share }))
  const stores = (d?.stores ?? []).map((x) => ({ id: x.store_id, name: x.name, city: x.city, located: x.located, outside: x.outside, share: x.share }))
  const shareCsv = (rows: { id: string; name: string; located: number; outside: number; share: number }[]) => ({ header: ['id', t('dash.name'), t('dash.div.located'), t('dash.div.outside'), t('dash.div.outsideShare')], rows: rows.map((r) => [r.id, r.name, r.located, r.outside, r.share]) })
  return (
    <div className="page" data-testid="page-diversion">
      <PageHeader title={t('nav.diversion')} lead={t('dash.div.pageLead')} />
      <FilterBar f={f} options={options.data} />
      <div className="dash-controls panel">
        <label className="dash-number">
          <span>{t('dash.div.threshold')}</span>
          <input type="number" min={2} step={1} value={alertAt} data-testid="dash-alert-threshold" onChange={(e) => setParams({ alert: Number(e.target.value) >= 2 ? e.target.value : null })} />
          <span className="muted">{t('dash.bottles')}</span>
        </label>
        <label className="dash-number">
          <span>{t('dash.div.minVolume')}</span>
          <input type="number" min={1} step={1} value={minAt} onChange={(e) => setParams({ min: Number(e.target.value) >= 1 ? e.target.value : null })} />
          <span className="muted">{t('dash.bottles')}</span>
        </label>
        <p className="muted dash-controls-note">{t('dash.div.rule')}</p>
      </div>
      {q.isError && !d ? (
        <ErrorNotice what={t('dash.div.what')} error={q.error} onRetry={q.refetch} />
      ) : (
        <>
          <Panel title={t('dash.div.flows')} description={t('dash.div.flowsLead')} testId="dash-flows">
            <FlowChart d={d} loading={loading} local={f.params.local === '1'} f={f} />
          </Panel>
          <Panel title={t('dash.div.alerts', { n: alertAt })} description={t('dash.div.alertsLead')} testId="dash-alerts-panel"
            actions={d ? <CsvButton title={t('dash.div.alerts', { n: alertAt })} csv={{ header: [t('dash.div.from'), t('dash.div.to'), t('dash.bottles'), t('dash.div.share')], rows: d.alerts.map((x) => [x.from_city, x.to_city, x.bottles, x.share]) }} /> : null}>
            {d ? <AlertsTable d={d} selected={selected ? flowKey(selected) : null} /> : <EmptyState>{t('common.loading')}</EmptyState>}
          </Panel>
          {selected ? <EvidencePanel f={f} flow={selected} /> : null}
          <div className="dash-grid-2">
            <Panel title={t('dash.div.topDistributors')} description={t('dash.div.topDistributorsLead', { n: minAt })} testId="dash-top-distributors"
              actions={<CsvButton title={t('dash.div.topDistributors')} csv={shareCsv(distributors)} />}>
              <ShareTable kind="distributor" rows={distributors} />
            </Panel>
            <Panel title={t('dash.div.topStores')} description={t('dash.div.topStoresLead', { n: minAt })} testId="dash-top-stores"
              actions={<CsvButton title={t('dash.div.topStores')} csv={shareCsv(stores)} />}>
              <ShareTable kind="store" rows={stores} />
            </Panel>
          </div>
        </>
      )}
    </div>
  )
}
