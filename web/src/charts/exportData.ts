/** Data behind a category chart: one x category per index, one value per series per index. */
export interface ChartSeries {
  name: string
  data: readonly (number | null)[]
  /** Overrides the chart's `kind` for this series (a line over bars, say). */
  kind?: 'line' | 'bar'
  /** CSS colour; defaults to the chart palette. */
  color?: string
}

function csvField(value: string): string {
  // Quote when needed; a leading = + - @ is prefixed so spreadsheets do not run it as a formula.
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/**
 * CSV of a category chart: a header row (`categoryLabel`, series names) then one row per
 * category. Raw values, not formatted ones, so the file sums correctly in a spreadsheet.
 */
export function toCsv(categoryLabel: string, categories: readonly string[], series: readonly ChartSeries[]): string {
  const rows = [[categoryLabel, ...series.map((s) => s.name)].map(csvField).join(',')]
  categories.forEach((c, i) => {
    rows.push([c, ...series.map((s) => (s.data[i] == null ? '' : String(s.data[i])))].map(csvField).join(','))
  })
  return rows.join('\r\n') + '\r\n'
}

/** Offers `blob` (or a data URL) as a download named `fileName`. */
export function download(fileName: string, content: Blob | string): void {
  const url = typeof content === 'string' ? content : URL.createObjectURL(content)
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  if (typeof content !== 'string') setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** A file-name-safe stem: keeps letters (CJK included), digits, `-` and `_`. */
export function fileStem(name: string): string {
  return name.trim().replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '') || 'chart'
}
