// ECharts for the dashboards: the core chunk of ./echarts plus the chart kinds the dashboards
// draw (flows between cities, the cohort heatmap, the store map). Reached through a dynamic
// import (pages/dashboards/DashChart.tsx), so none of it is in the first load. Registering a
// kind twice is harmless, so this file lists everything it needs, whatever ./echarts has.
import { use, type ComposeOption } from 'echarts/core'
import {
  BarChart, HeatmapChart, LineChart, SankeyChart, ScatterChart,
  type BarSeriesOption, type HeatmapSeriesOption, type LineSeriesOption, type SankeySeriesOption, type ScatterSeriesOption,
} from 'echarts/charts'
import {
  DataZoomComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent,
  type DataZoomComponentOption, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption, type VisualMapComponentOption,
} from 'echarts/components'
import { init } from './echarts'

use([BarChart, LineChart, ScatterChart, SankeyChart, HeatmapChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, VisualMapComponent])

/** Any option the dashboards build. */
export type DashOption = ComposeOption<
  | BarSeriesOption | LineSeriesOption | ScatterSeriesOption | SankeySeriesOption | HeatmapSeriesOption
  | GridComponentOption | TooltipComponentOption | LegendComponentOption | DataZoomComponentOption | VisualMapComponentOption
>

export { init }
export type { EChartsType } from 'echarts/core'
