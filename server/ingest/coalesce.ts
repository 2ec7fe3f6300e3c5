/**
 * Coalesces concurrent inserts into one table: rows queued while an insert runs go into the
 * next one, so four concurrent requests cost one small insert instead of four (the embedded
 * engine runs one statement at a time, and each insert writes a part to merge later). Each
 * caller still resolves only once its rows are written.
 */
import type { Db } from '../db/gateway.js'

interface Waiting {
  rows: readonly object[]
  resolve: () => void
  reject: (e: unknown) => void
}

export class CoalescingInsert {
  private queue: Waiting[] = []
  private running: Promise<void> | undefined

  constructor(
    private readonly db: Db,
    private readonly table: string,
    private readonly tag: string,
  ) {}

  /** Inserts the rows, together with any queued meanwhile; resolves once they are written. */
  insert(rows: readonly object[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve()
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject })
      this.running ??= this.drain()
    })
  }

  /** Resolves once every row queued so far is written (or its insert has failed). */
  async settled(): Promise<void> {
    await this.running
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length) {
        const group = this.queue
        this.queue = []
        try {
          await this.db.insert(this.table, group.flatMap((w) => w.rows), this.tag)
          for (const w of group) w.resolve()
        } catch (e) {
          for (const w of group) w.reject(e)
        }
      }
    } finally {
      this.running = undefined
    }
  }
}
