/** A chart's or a table's data for CSV export: a header, then rows of raw (unformatted) values. */
export interface CsvData {
  header: readonly string[]
  rows: readonly (readonly (string | number | null)[])[]
}

function csvField(value: string | number | null): string {
  const s = value === null ? '' : String(value)
  // Quote when needed; a leading = + - @ is prefixed so spreadsheets do not run it as a formula
  // (numbers stay numbers).
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/**
 * CSV text of a header and rows, CRLF line ends. Raw values, not formatted ones, so the file sums
 * correctly in a spreadsheet; null is an empty field.
 */
export function toCsv(csv: CsvData): string {
  return [csv.header, ...csv.rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n'
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

/** Offers rows as `<title>.csv` (UTF-8 with a BOM, so Excel reads Chinese labels). */
export function downloadCsv(title: string, csv: CsvData): void {
  download(`${fileStem(title)}.csv`, new Blob(['\uFEFF', toCsv(csv)], { type: 'text/csv;charset=utf-8' }))
}

/** A file-name-safe stem: keeps letters (CJK included), digits, `-` and `_`. */
export function fileStem(name: string): string {
  return name.trim().replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '') || 'chart'
}
