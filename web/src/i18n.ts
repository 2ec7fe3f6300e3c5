import { useSyncExternalStore } from 'react'

/**
 * UI language and formatting. Two locales, one typed dictionary: `en` defines the keys,
 * `zh` must have exactly the same keys (a missing or extra key is a compile error).
 *
 * @example
 * const { t, number, dateTime } = useI18n()
 * t('data.rows.count', { n: number(1234) })
 */
export type Locale = 'zh-CN' | 'en'
export const LOCALES: readonly Locale[] = ['zh-CN', 'en']

/** Every instant the UI shows is in China Standard Time, whatever the browser's zone. */
export const DISPLAY_TIME_ZONE = 'Asia/Shanghai'

const en = {
  'app.name': 'Negentropy 负熵',
  'app.tagline': 'Channel analytics',
  'app.skip': 'Skip to content',
  'app.navLabel': 'Main',
  'app.loadingPage': 'Loading page…',
  'app.pageError': 'This page could not be loaded.',
  'app.reload': 'Reload',
  'lang.switch': 'Language: English. Switch to Chinese',
  'lang.current': 'EN',
  'lang.other': '中文',

  'nav.overview': 'Overview',
  'nav.stores': 'Stores',
  'nav.consumers': 'Consumers',
  'nav.segments': 'Segments',
  'nav.experiments': 'Experiments',
  'nav.flows': 'Flows',
  'nav.data': 'Data',

  'soon.badge': 'Not built yet',
  'soon.lead': 'This page is not built yet. Nothing here is a real figure.',
  'soon.meanwhile': 'Meanwhile, the Data page shows what has been loaded so far.',
  'soon.toData': 'Open the Data page',
  'soon.overview.title': 'Dashboards of the channel',
  'soon.overview.body':
    'Stock-ins, opened bottles and scan rates over time, by region, product series and distributor, with drill-down to a single store.',
  'soon.stores.title': 'Store profiles',
  'soon.stores.body':
    'Each store as of any date: bottles stocked and opened (30/90/365 days), open rate, stability of weekly sell-through, local and outside-city opens, rewards per opened bottle.',
  'soon.consumers.title': 'Consumer profiles',
  'soon.consumers.body':
    'Consumers known from cap scans: bottles opened, stores and cities, red envelopes received, and signs of bonus hunting.',
  'soon.segments.title': 'Segment builder',
  'soon.segments.body':
    'Build groups of stores, consumers or distributors from attributes and scan events, preview their size, and follow who entered or left over time.',
  'soon.experiments.title': 'Policy experiments',
  'soon.experiments.body':
    'Test incentive policies on randomized arms of a segment: power calculator before launch, lift with confidence intervals, CUPED and sample-ratio checks after.',
  'soon.flows.title': 'Campaign flows',
  'soon.flows.body':
    'Scheduled or entry-triggered journeys with waits, branches and splits; actions (rewards, WeChat messages, sales-rep tasks) delivered exactly once, with a dry run first.',
  'notFound.title': 'Page not found',
  'notFound.body': 'There is no page at {path}.',
  'notFound.back': 'Go to the overview',

  'common.loading': 'Loading…',
  'common.retry': 'Retry',
  'common.errorTitle': 'Could not load {what}',
  'common.networkError': 'The server did not answer. Is it running?',
  'common.badResponse': 'The server sent a response the app does not understand.',
  'common.days': 'Last {n} days',
  'common.daysShort': '{n} d',
  'common.period': 'Period',
  'common.showMore': 'Show all',
  'common.showLess': 'Show less',
  'common.none': '—',
  'common.total': 'Total',

  'chart.exportCsv': 'CSV',
  'chart.exportCsvLabel': 'Export the chart data as CSV',
  'chart.exportPng': 'PNG',
  'chart.exportPngLabel': 'Export the chart as a PNG image',
  'chart.empty': 'No data',
  'chart.loadFailed': 'The chart library could not be loaded.',

  'data.title': 'Data',
  'data.subtitle': 'What has been loaded into the engine, and what was rejected.',
  'data.health': 'Engine',
  'data.health.embedded': 'Embedded (chDB)',
  'data.health.server': 'ClickHouse server',
  'data.health.version': 'ClickHouse {version}',
  'data.health.ok': 'Healthy',
  'data.health.down': 'Unavailable',
  'data.health.what': 'the engine status',
  'data.summary.what': 'the data summary',
  'data.tables.title': 'Rows by table',
  'data.tables.table': 'Table',
  'data.tables.rows': 'Rows',
  'data.tables.empty': 'No tables yet: run the migrations (npm run migrate).',
  'data.events.title': 'Scan events per day',
  'data.events.metric': 'Measure',
  'data.events.events': 'Events',
  'data.events.bottles': 'Bottles',
  'data.events.day': 'Day',
  'data.events.empty': 'No events yet: load data with npm run import or the simulator.',
  'data.rejects.title': 'Latest rejected records',
  'data.rejects.lead': 'Records that failed validation at ingest are kept here with their reasons, not loaded.',
  'data.rejects.receivedAt': 'Received (CST)',
  'data.rejects.kind': 'Kind',
  'data.rejects.line': 'Line',
  'data.rejects.reasons': 'Reasons',
  'data.rejects.raw': 'Raw record',
  'data.rejects.empty': 'No rejected records.',
  'data.rejects.count': '{n} shown',

  'event.ship': 'Ship',
  'event.stock_in': 'Stock-in',
  'event.open': 'Open',
  'event.verify': 'Verify',

  'table.scan_events': 'Scan events',
  'table.orders': 'Orders',
  'table.rewards': 'Rewards',
  'table.products': 'Products',
  'table.distributors': 'Distributors',
  'table.stores': 'Stores',
  'table.sales_reps': 'Sales reps',
  'table.consumers': 'Consumers',
  'table.rejects': 'Rejected records',
  'table.store_daily': 'Store daily rollup',
  'table.consumer_daily': 'Consumer daily rollup',
  'table.distributor_daily': 'Distributor daily rollup',
} as const

export type MessageKey = keyof typeof en
type Messages = Record<MessageKey, string>

const zh: Messages = {
  'app.name': 'Negentropy 负熵',
  'app.tagline': '渠道数据分析',
  'app.skip': '跳到正文',
  'app.navLabel': '主导航',
  'app.loadingPage': '页面加载中…',
  'app.pageError': '页面加载失败。',
  'app.reload': '重新加载',
  'lang.switch': '语言：中文。切换到英文',
  'lang.current': '中文',
  'lang.other': 'EN',

  'nav.overview': '总览',
  'nav.stores': '门店',
  'nav.consumers': '消费者',
  'nav.segments': '人群',
  'nav.experiments': '实验',
  'nav.flows': '流程',
  'nav.data': '数据',

  'soon.badge': '尚未上线',
  'soon.lead': '此页面尚未开发，这里没有任何真实数据。',
  'soon.meanwhile': '在此之前，可在“数据”页查看已导入的数据。',
  'soon.toData': '打开数据页',
  'soon.overview.title': '渠道看板',
  'soon.overview.body': '按时间、区域、产品系列和经销商查看入库、开瓶与扫码率，并可下钻到单个门店。',
  'soon.stores.title': '门店画像',
  'soon.stores.body':
    '任意日期的门店画像：近 30/90/365 天入库与开瓶瓶数、开瓶率、周动销稳定性、本地与外地开瓶占比、每开瓶奖励。',
  'soon.consumers.title': '消费者画像',
  'soon.consumers.body': '来自瓶盖扫码的消费者：开瓶数、涉及门店与城市、所得红包，以及职业羊毛党的迹象。',
  'soon.segments.title': '人群圈选',
  'soon.segments.body': '按属性和扫码行为圈选门店、消费者或经销商，预估人数，并追踪成员的进出变化。',
  'soon.experiments.title': '政策实验',
  'soon.experiments.body': '在人群的随机分组上测试激励政策：上线前计算样本量，上线后给出带置信区间的提升、CUPED 与样本比例检验。',
  'soon.flows.title': '营销流程',
  'soon.flows.body': '定时或按入群触发的旅程：等待、分支、分流；奖励、微信消息、业务员任务等动作恰好执行一次，上线前可试运行。',
  'notFound.title': '页面不存在',
  'notFound.body': '{path} 没有对应的页面。',
  'notFound.back': '返回总览',

  'common.loading': '加载中…',
  'common.retry': '重试',
  'common.errorTitle': '无法加载{what}',
  'common.networkError': '服务器没有响应，请确认服务已启动。',
  'common.badResponse': '服务器返回了无法识别的数据。',
  'common.days': '近 {n} 天',
  'common.daysShort': '{n} 天',
  'common.period': '时间范围',
  'common.showMore': '展开',
  'common.showLess': '收起',
  'common.none': '—',
  'common.total': '合计',

  'chart.exportCsv': 'CSV',
  'chart.exportCsvLabel': '导出图表数据为 CSV',
  'chart.exportPng': 'PNG',
  'chart.exportPngLabel': '导出图表为 PNG 图片',
  'chart.empty': '暂无数据',
  'chart.loadFailed': '图表组件加载失败。',

  'data.title': '数据',
  'data.subtitle': '已导入引擎的数据，以及被拒收的记录。',
  'data.health': '引擎',
  'data.health.embedded': '内嵌（chDB）',
  'data.health.server': 'ClickHouse 服务器',
  'data.health.version': 'ClickHouse {version}',
  'data.health.ok': '运行正常',
  'data.health.down': '不可用',
  'data.health.what': '引擎状态',
  'data.summary.what': '数据概况',
  'data.tables.title': '各表行数',
  'data.tables.table': '表',
  'data.tables.rows': '行数',
  'data.tables.empty': '还没有表：请先执行迁移（npm run migrate）。',
  'data.events.title': '每日扫码事件',
  'data.events.metric': '指标',
  'data.events.events': '事件数',
  'data.events.bottles': '瓶数',
  'data.events.day': '日期',
  'data.events.empty': '还没有事件：请用 npm run import 或模拟器导入数据。',
  'data.rejects.title': '最近拒收的记录',
  'data.rejects.lead': '导入时未通过校验的记录不会入库，连同原因保存在这里。',
  'data.rejects.receivedAt': '接收时间（北京时间）',
  'data.rejects.kind': '类型',
  'data.rejects.line': '行号',
  'data.rejects.reasons': '原因',
  'data.rejects.raw': '原始记录',
  'data.rejects.empty': '没有被拒收的记录。',
  'data.rejects.count': '显示 {n} 条',

  'event.ship': '发货',
  'event.stock_in': '入库',
  'event.open': '开瓶',
  'event.verify': '验真',

  'table.scan_events': '扫码事件',
  'table.orders': '订单',
  'table.rewards': '奖励',
  'table.products': '产品',
  'table.distributors': '经销商',
  'table.stores': '门店',
  'table.sales_reps': '业务员',
  'table.consumers': '消费者',
  'table.rejects': '拒收记录',
  'table.store_daily': '门店日汇总',
  'table.consumer_daily': '消费者日汇总',
  'table.distributor_daily': '经销商日汇总',
}

const MESSAGES: Record<Locale, Messages> = { 'zh-CN': zh, en }

/** True when `key` is a message key; lets callers map open-ended names (tables, event types) to labels. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key)
}

/** Replaces `{name}` placeholders; unknown placeholders are left visible so a mistake shows. */
export function interpolate(template: string, params?: Record<string, string | number>): string {
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  )
}

/** Picks the UI locale from the browser's preference list: the first zh* or en* wins. */
export function detectLocale(languages: readonly string[]): Locale {
  for (const lang of languages) {
    const l = lang.toLowerCase()
    if (l.startsWith('zh')) return 'zh-CN'
    if (l.startsWith('en')) return 'en'
  }
  return 'en'
}

const STORAGE_KEY = 'negentropy.locale'

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY)
    if (saved === 'zh-CN' || saved === 'en') return saved
  } catch {
    // Storage may be blocked (private mode, sandboxed frame); fall back to the browser.
  }
  const nav = globalThis.navigator
  return detectLocale(nav?.languages?.length ? nav.languages : nav?.language ? [nav.language] : [])
}

let current: Locale = initialLocale()
const listeners = new Set<() => void>()

function applyToDocument(locale: Locale) {
  if (typeof document !== 'undefined') document.documentElement.lang = locale
}
applyToDocument(current)

export function getLocale(): Locale {
  return current
}

/** Switches the UI language, remembers it in localStorage and updates `<html lang>`. */
export function setLocale(locale: Locale): void {
  if (locale === current) return
  current = locale
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale)
  } catch {
    // Not persisted; the switch still applies to this tab.
  }
  applyToDocument(locale)
  for (const l of listeners) l()
}

function subscribe(listener: () => void) {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export interface I18n {
  locale: Locale
  /** The message for `key`, with `{name}` placeholders filled from `params`. */
  t: (key: MessageKey, params?: Record<string, string | number>) => string
  /** Grouped number, e.g. 12,345 (`options` passed to Intl.NumberFormat). */
  number: (n: number, options?: Intl.NumberFormatOptions) => string
  /** Short number for axes, e.g. 1.2K / 1.2万. */
  compact: (n: number) => string
  /** A share 0..1 as a percentage. */
  percent: (share: number, fractionDigits?: number) => string
  /** A calendar day `YYYY-MM-DD` (already a local day; no time-zone shift). */
  day: (isoDay: string, style?: 'short' | 'long') => string
  /** An instant (ISO string or Date) in Asia/Shanghai, e.g. 2026-11-01 09:02:03. */
  dateTime: (instant: string | Date) => string
}

const cache = new Map<Locale, I18n>()

/** Builds (once per locale) the translator and Intl formatters. Usable outside React. */
export function i18nFor(locale: Locale): I18n {
  const hit = cache.get(locale)
  if (hit) return hit
  const messages = MESSAGES[locale]
  const numberFormats = new Map<string, Intl.NumberFormat>()
  const numberFormat = (options?: Intl.NumberFormatOptions) => {
    const key = JSON.stringify(options ?? {})
    let f = numberFormats.get(key)
    if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale, options)))
    return f
  }
  // Calendar days are formatted in UTC from a UTC midnight so no zone can move them.
  const dayShort = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' })
  const dayLong = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', weekday: 'short', timeZone: 'UTC' })
  const dateTime = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-CA', {
    year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
    hourCycle: 'h23', timeZone: DISPLAY_TIME_ZONE,
  })
  const i18n: I18n = {
    locale,
    t: (key, params) => interpolate(messages[key], params),
    number: (n, options) => numberFormat(options).format(n),
    compact: (n) => numberFormat({ notation: 'compact', maximumFractionDigits: 1 }).format(n),
    percent: (share, fractionDigits = 1) =>
      numberFormat({ style: 'percent', minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(share),
    day: (isoDay, style = 'short') => {
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDay)
      if (!m) return isoDay
      const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
      return (style === 'long' ? dayLong : dayShort).format(d)
    },
    dateTime: (instant) => {
      const d = instant instanceof Date ? instant : new Date(instant)
      if (Number.isNaN(d.getTime())) return String(instant)
      // Build from parts so both locales read YYYY-MM-DD HH:mm:ss, the usual form in Chinese BI tools.
      const p = Object.fromEntries(dateTime.formatToParts(d).map((x) => [x.type, x.value]))
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`
    },
  }
  cache.set(locale, i18n)
  return i18n
}

/** React hook: the current locale's translator and formatters; re-renders on a switch. */
export function useI18n(): I18n {
  const locale = useSyncExternalStore(subscribe, getLocale, getLocale)
  return i18nFor(locale)
}
