// The only module that imports ECharts. Chart.tsx reaches it through a dynamic import, so
// ECharts and zrender form their own chunk, fetched the first time a chart mounts (never in the
// first load). Register here whatever a new chart kind needs (and only that).
import { init, use, type ComposeOption, type EChartsType } from 'echarts/core'
import {
  BarChart,
  HeatmapChart,
  LineChart,
  PieChart,
  SankeyChart,
  ScatterChart,
  type BarSeriesOption,
  type HeatmapSeriesOption,
  type LineSeriesOption,
  type PieSeriesOption,
  type SankeySeriesOption,
  type ScatterSeriesOption,
} from 'echarts/charts'
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  type DataZoomComponentOption,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
  type VisualMapComponentOption,
} from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

// Pie and scatter serve the profile pages (tier mix, where bottles were opened) and the
// dashboards' store map; sankey (flows between cities), heatmap and visual map (cohorts) the dashboards.
use([
  LineChart, BarChart, PieChart, ScatterChart, SankeyChart, HeatmapChart,
  GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, VisualMapComponent, CanvasRenderer,
])

/** Any option a chart of the app builds. */
export type ChartOption = ComposeOption<
  | LineSeriesOption
  | BarSeriesOption
  | PieSeriesOption
  | ScatterSeriesOption
  | SankeySeriesOption
  | HeatmapSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | DataZoomComponentOption
  | VisualMapComponentOption
>

export { init }
export type { EChartsType }
