/** The scans crash.test.ts sends: `count` opens (ids from `from`) over 40 days, as one NDJSON body. */
export function crashScans(count: number, from = 0): Buffer {
  const lines: string[] = []
  for (let i = from; i < from + count; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0')
    const month = i % 40 < 28 ? '10' : '11'
    lines.push(
      JSON.stringify({
        event_id: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        ts: `2026-${month}-${day}T10:00:00+08:00`,
        type: 'open',
        code: `C${i}`,
        sku_id: 'K1',
        bottles: 1,
        store_id: `S${i % 50}`,
        consumer_id: `c${i % 300}`,
      }),
    )
  }
  return Buffer.from(lines.join('\n'), 'utf8')
}
