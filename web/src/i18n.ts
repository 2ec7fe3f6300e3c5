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
  'nav.distributors': 'Distributors',
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

  // Profile pages (stores, consumers, distributors): lists, one entity's page, shared units and labels.
  'stores.list.title': 'Stores',
  'stores.list.lead': 'Every store with its profile: search, filter and sort on any attribute, then open one.',
  'stores.list.search': 'Search by name or store id',
  'stores.list.freshness': 'Profiles as of {asOf}, refreshed {ago}',
  'stores.list.notRefreshed': 'No profiles yet: they appear after the first refresh.',
  'stores.list.noMatch': 'Nothing matches the search and filters.',
  'stores.list.id': 'Id',
  'stores.list.range': '{from}–{to} of {total}',
  'stores.list.prev': 'Previous',
  'stores.list.next': 'Next',
  'stores.ago.now': 'just now',
  'stores.ago.min': '{n} min ago',
  'stores.ago.hours': '{n} h ago',
  'stores.ago.days': '{n} d ago',
  'stores.filter.add': 'Filter',
  'stores.filter.apply': 'Add',
  'stores.filter.cancel': 'Cancel',
  'stores.filter.clear': 'Clear filters',
  'stores.filter.remove': 'Remove this filter',
  'stores.filter.attribute': 'Attribute',
  'stores.filter.operator': 'Operator',
  'stores.filter.value': 'Value',
  'stores.filter.pick': 'Pick an attribute…',
  'stores.filter.byValue': 'Filter by this value',
  'stores.op.contains': 'contains',
  'stores.op.in': 'is one of',
  'stores.op.is_null': 'is empty',
  'stores.op.not_null': 'is not empty',
  'stores.unit.bottles': 'bottles',
  'stores.unit.bottlesHeader': 'Bottles',
  'stores.unit.days': 'days',
  'stores.unit.weeks': 'weeks',
  'stores.unit.consumers': 'consumers',
  'stores.unit.stores': 'stores',
  'stores.unit.skus': 'SKUs',
  'stores.unit.opens': 'opens',
  'stores.unit.perBottle': '/ bottle',
  'stores.unitName.bottles': 'bottles',
  'stores.unitName.share': 'share 0–1',
  'stores.unitName.ratio': 'ratio',
  'stores.unitName.fen': 'fen',
  'stores.unitName.fen_per_bottle': 'fen per bottle',
  'stores.unitName.days': 'days',
  'stores.unitName.weeks': 'weeks',
  'stores.unitName.consumers': 'consumers',
  'stores.unitName.stores': 'stores',
  'stores.unitName.skus': 'SKUs',
  'stores.unitName.opens': 'opens',
  'stores.kind.tobacco_liquor': 'Tobacco & liquor',
  'stores.kind.restaurant': 'Restaurant',
  'stores.kind.supermarket': 'Supermarket',
  'stores.kind.convenience': 'Convenience',
  'stores.kind.other': 'Other',
  'stores.tier.mass': 'Mass',
  'stores.tier.sub_premium': 'Sub-premium',
  'stores.tier.premium': 'Premium',
  'stores.tier.unknown': 'Unknown product',
  'stores.reward.stock_in': 'Stock-in',
  'stores.reward.sell_through': 'Sell-through',
  'stores.reward.red_envelope': 'Red envelope',
  'stores.reward.distributor_bonus': 'Distributor bonus',
  'stores.reward.campaign': 'Campaign',
  'stores.asOf.label': 'As of',
  'stores.asOf.help': 'Figures count the scans before this date (Asia/Shanghai). The default is tomorrow, so today counts.',
  'stores.asOf.reset': 'Today',
  'stores.page.what': 'the store',
  'stores.page.notFound': 'No store "{id}": it is neither in master data nor in any scan before this date.',
  'stores.header.name': 'Name',
  'stores.header.kind': 'Kind',
  'stores.header.place': 'Location',
  'stores.header.distributor': 'Distributor',
  'stores.header.rep': 'Sales rep',
  'stores.header.location': 'Coordinates',
  'stores.header.unknown': 'Not in master data',
  'stores.week.partial': '{week} (so far)',
  'stores.weekly.title': 'Weekly sell-through',
  'stores.weekly.opened': 'Opened',
  'stores.weekly.stocked': 'Stocked',
  'stores.weekly.mean': '12-week mean opened',
  'stores.weekly.week': 'Week',
  'stores.weekly.stats': 'Bottles per ISO week. Last 12 complete weeks: mean {mean} opened, CV {cv}, {active} of 12 weeks active.',
  'stores.weekly.empty': 'No scans in these weeks.',
  'stores.mix.title': 'Tier mix of opened bottles, {days} d',
  'stores.mix.total': '{n} opened bottles',
  'stores.mix.empty': 'No opened bottles in the window.',
  'stores.mix.sku': 'Product',
  'stores.mix.tier': 'Tier',
  'stores.mix.share': 'Share',
  'stores.map.title': 'Where its bottles were opened, {days} d',
  'stores.map.lead': '{n} opened bottles with a location · within 5 km: {local} · outside its city: {outside}.',
  'stores.map.merged': 'Nearby points are merged ({places} decimal places).',
  'stores.map.empty': 'No opens with a location in the window.',
  'stores.map.store': 'Store',
  'stores.map.within': 'Within {km} km',
  'stores.map.beyond': 'Beyond {km} km',
  'stores.map.ring': '{km} km ring',
  'stores.map.bottles': 'Bottles',
  'stores.map.distance': 'From the store',
  'stores.map.view': 'View',
  'stores.map.viewAll': 'All opens',
  'stores.map.viewNear': 'Within {km} km',
  'stores.map.outsideView': '+{n} bottles beyond {km} km',
  'stores.rewards.title': 'Rewards by week',
  'stores.rewards.total': '{amount} over these {weeks} weeks, by kind.',
  'stores.rewards.empty': 'No rewards in these weeks.',
  'stores.events.title': 'Latest scans',
  'stores.events.lead': 'The 50 most recent scans of the store before the as-of date; times in China Standard Time.',
  'stores.events.time': 'Time (CST)',
  'stores.events.type': 'Type',
  'stores.events.product': 'Product',
  'stores.events.consumer': 'Consumer',
  'stores.events.place': 'Scanned at',
  'stores.events.code': 'Code',
  'stores.events.empty': 'No scans before this date.',

  'consumers.list.title': 'Consumers',
  'consumers.list.lead': 'Consumers known from cap scans, with their profiles.',
  'consumers.list.search': 'Search by consumer id (prefix)',
  'consumers.page.title': 'Consumer {id}',
  'consumers.page.facts': 'Home city: {city} · preferred tier: {tier}',
  'consumers.page.what': 'the consumer',
  'consumers.page.notFound': 'No consumer "{id}" with a scan before this date.',
  'consumers.timeline.title': 'Opened bottles by week',
  'consumers.timeline.opened': 'Opened',
  'consumers.cities.title': 'Cities of opens, 365 d',
  'consumers.cities.lead': 'The city the code platform resolved for each open.',
  'consumers.cities.city': 'City',
  'consumers.cities.opens': 'Opens',
  'consumers.cities.unknown': 'Unknown',
  'consumers.stores.title': 'Stores visited, 365 d',
  'consumers.stores.lead': 'Stores whose bottles the consumer opened.',
  'consumers.stores.store': 'Store',
  'consumers.stores.last': 'Last open',
  'consumers.stores.empty': 'No store is known for these opens.',
  'consumers.recent.title': 'Latest activity',
  'consumers.recent.lead': 'Scans grouped by day, store, product and city; newest first.',
  'consumers.recent.last': 'Last scan (CST)',

  'distributors.list.title': 'Distributors',
  'distributors.list.lead': 'Distributors with the stores they serve and where their goods are opened.',
  'distributors.list.search': 'Search by name or distributor id',
  'distributors.page.what': 'the distributor',
  'distributors.page.notFound': 'No distributor "{id}": it is neither in master data nor in any scan before this date.',
  'distributors.header.territory': 'Territory',
  'distributors.weekly.title': 'Weekly stock-ins and opens of its goods',
  'distributors.cities.title': 'Opens by city, 90 d',
  'distributors.cities.lead': 'Opened bottles of its goods by scan city, inside or outside its territory.',
  'distributors.cities.inside': 'Inside territory',
  'distributors.cities.outside': 'Outside territory',
  'distributors.cities.empty': 'No opens with a city in the window.',
  'distributors.stores.title': 'Stores served, 90 d',
  'distributors.stores.lead': '{total} stores with its goods, {served} with a stock-in.',
  'distributors.stores.rate': 'Open rate',
  'distributors.stores.empty': 'No store scanned its goods in the window.',
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
  'nav.distributors': '经销商',
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

  // Profile pages (stores, consumers, distributors): lists, one entity's page, shared units and labels.
  'stores.list.title': '门店',
  'stores.list.lead': '所有门店及其画像：可按任意属性搜索、筛选、排序，点击查看单店。',
  'stores.list.search': '按门店名称或编号搜索',
  'stores.list.freshness': '画像截至 {asOf}，{ago}更新',
  'stores.list.notRefreshed': '还没有画像：首次刷新后显示。',
  'stores.list.noMatch': '没有符合搜索和筛选条件的结果。',
  'stores.list.id': '编号',
  'stores.list.range': '第 {from}–{to} 条，共 {total} 条',
  'stores.list.prev': '上一页',
  'stores.list.next': '下一页',
  'stores.ago.now': '刚刚',
  'stores.ago.min': '{n} 分钟前',
  'stores.ago.hours': '{n} 小时前',
  'stores.ago.days': '{n} 天前',
  'stores.filter.add': '筛选',
  'stores.filter.apply': '添加',
  'stores.filter.cancel': '取消',
  'stores.filter.clear': '清除筛选',
  'stores.filter.remove': '移除此筛选',
  'stores.filter.attribute': '属性',
  'stores.filter.operator': '条件',
  'stores.filter.value': '值',
  'stores.filter.pick': '选择属性…',
  'stores.filter.byValue': '按此值筛选',
  'stores.op.contains': '包含',
  'stores.op.in': '属于',
  'stores.op.is_null': '为空',
  'stores.op.not_null': '不为空',
  'stores.unit.bottles': '瓶',
  'stores.unit.bottlesHeader': '瓶数',
  'stores.unit.days': '天',
  'stores.unit.weeks': '周',
  'stores.unit.consumers': '人',
  'stores.unit.stores': '家',
  'stores.unit.skus': '个',
  'stores.unit.opens': '次',
  'stores.unit.perBottle': '/ 瓶',
  'stores.unitName.bottles': '瓶',
  'stores.unitName.share': '占比 0–1',
  'stores.unitName.ratio': '比值',
  'stores.unitName.fen': '分',
  'stores.unitName.fen_per_bottle': '分/瓶',
  'stores.unitName.days': '天',
  'stores.unitName.weeks': '周',
  'stores.unitName.consumers': '人',
  'stores.unitName.stores': '家',
  'stores.unitName.skus': '个',
  'stores.unitName.opens': '次',
  'stores.kind.tobacco_liquor': '烟酒店',
  'stores.kind.restaurant': '餐饮',
  'stores.kind.supermarket': '商超',
  'stores.kind.convenience': '便利店',
  'stores.kind.other': '其他',
  'stores.tier.mass': '大众',
  'stores.tier.sub_premium': '次高端',
  'stores.tier.premium': '高端',
  'stores.tier.unknown': '未知产品',
  'stores.reward.stock_in': '入库奖励',
  'stores.reward.sell_through': '动销奖励',
  'stores.reward.red_envelope': '红包',
  'stores.reward.distributor_bonus': '经销商奖励',
  'stores.reward.campaign': '活动奖励',
  'stores.asOf.label': '截至',
  'stores.asOf.help': '统计该日期（北京时间）之前的扫码。默认为明天，即包含今天。',
  'stores.asOf.reset': '今天',
  'stores.page.what': '门店',
  'stores.page.notFound': '没有门店“{id}”：主数据中没有，该日期前也没有它的扫码。',
  'stores.header.name': '名称',
  'stores.header.kind': '类型',
  'stores.header.place': '所在地',
  'stores.header.distributor': '经销商',
  'stores.header.rep': '业务员',
  'stores.header.location': '坐标',
  'stores.header.unknown': '不在主数据中',
  'stores.week.partial': '{week}（进行中）',
  'stores.weekly.title': '每周动销',
  'stores.weekly.opened': '开瓶',
  'stores.weekly.stocked': '入库',
  'stores.weekly.mean': '近12周周均开瓶',
  'stores.weekly.week': '周',
  'stores.weekly.stats': '按自然周统计瓶数。最近 12 个完整周：周均开瓶 {mean}，变异系数 {cv}，活跃 {active}/12 周。',
  'stores.weekly.empty': '这些周内没有扫码。',
  'stores.mix.title': '开瓶档位结构（近 {days} 天）',
  'stores.mix.total': '开瓶 {n} 瓶',
  'stores.mix.empty': '窗口内没有开瓶。',
  'stores.mix.sku': '产品',
  'stores.mix.tier': '档位',
  'stores.mix.share': '占比',
  'stores.map.title': '开瓶位置（近 {days} 天）',
  'stores.map.lead': '有位置的开瓶 {n} 瓶 · 5 公里内 {local} · 异地 {outside}。',
  'stores.map.merged': '相邻位置已合并（保留 {places} 位小数）。',
  'stores.map.empty': '窗口内没有带位置的开瓶。',
  'stores.map.store': '门店',
  'stores.map.within': '{km} 公里内',
  'stores.map.beyond': '{km} 公里外',
  'stores.map.ring': '{km} 公里范围',
  'stores.map.bottles': '瓶数',
  'stores.map.distance': '距门店',
  'stores.map.view': '视图',
  'stores.map.viewAll': '全部开瓶',
  'stores.map.viewNear': '{km} 公里内',
  'stores.map.outsideView': '另有 {n} 瓶在 {km} 公里外',
  'stores.rewards.title': '每周奖励',
  'stores.rewards.total': '这 {weeks} 周共 {amount}，按类型。',
  'stores.rewards.empty': '这些周内没有奖励。',
  'stores.events.title': '最近扫码',
  'stores.events.lead': '截至日期前该门店最近 50 次扫码；时间为北京时间。',
  'stores.events.time': '时间（北京时间）',
  'stores.events.type': '类型',
  'stores.events.product': '产品',
  'stores.events.consumer': '消费者',
  'stores.events.place': '扫码地点',
  'stores.events.code': '码',
  'stores.events.empty': '该日期前没有扫码。',

  'consumers.list.title': '消费者',
  'consumers.list.lead': '通过瓶盖扫码识别的消费者及其画像。',
  'consumers.list.search': '按消费者编号（前缀）搜索',
  'consumers.page.title': '消费者 {id}',
  'consumers.page.facts': '常驻城市：{city} · 偏好档位：{tier}',
  'consumers.page.what': '消费者',
  'consumers.page.notFound': '该日期前没有消费者“{id}”的扫码。',
  'consumers.timeline.title': '每周开瓶',
  'consumers.timeline.opened': '开瓶',
  'consumers.cities.title': '开瓶城市（近 365 天）',
  'consumers.cities.lead': '码平台为每次开瓶解析出的城市。',
  'consumers.cities.city': '城市',
  'consumers.cities.opens': '开瓶次数',
  'consumers.cities.unknown': '未知',
  'consumers.stores.title': '涉及门店（近 365 天）',
  'consumers.stores.lead': '该消费者开过其货品的门店。',
  'consumers.stores.store': '门店',
  'consumers.stores.last': '最近开瓶',
  'consumers.stores.empty': '这些开瓶没有对应的门店。',
  'consumers.recent.title': '最近活动',
  'consumers.recent.lead': '按日期、门店、产品和城市汇总的扫码，最新在前。',
  'consumers.recent.last': '最近扫码（北京时间）',

  'distributors.list.title': '经销商',
  'distributors.list.lead': '经销商、其供货门店，以及其货品在哪里开瓶。',
  'distributors.list.search': '按名称或经销商编号搜索',
  'distributors.page.what': '经销商',
  'distributors.page.notFound': '没有经销商“{id}”：主数据中没有，该日期前也没有它的扫码。',
  'distributors.header.territory': '授权区域',
  'distributors.weekly.title': '其货品的每周入库与开瓶',
  'distributors.cities.title': '各城市开瓶（近 90 天）',
  'distributors.cities.lead': '其货品按扫码城市统计的开瓶瓶数，区分授权区域内外。',
  'distributors.cities.inside': '区域内',
  'distributors.cities.outside': '区域外',
  'distributors.cities.empty': '窗口内没有带城市的开瓶。',
  'distributors.stores.title': '供货门店（近 90 天）',
  'distributors.stores.lead': '{total} 家门店有其货品，其中 {served} 家有入库。',
  'distributors.stores.rate': '开瓶率',
  'distributors.stores.empty': '窗口内没有门店扫过其货品。',
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
