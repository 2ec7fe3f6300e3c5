/** A one-line progress bar on stderr (redrawn in place on a terminal, every few seconds otherwise). */
export class Progress {
  private last = 0
  private readonly t0 = performance.now()
  constructor(
    private readonly label: string,
    private readonly total: number,
  ) {}

  private finished = false

  update(done: number, note = ''): void {
    if (this.finished) return
    this.finished = done >= this.total
    const now = performance.now()
    const tty = process.stderr.isTTY
    if (now - this.last < (tty ? 100 : 5000) && done < this.total) return
    this.last = now
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 0
    const width = 30
    const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░')
    const secs = ((now - this.t0) / 1000).toFixed(1)
    const line = `${this.label} ${bar} ${(frac * 100).toFixed(0).padStart(3)}% ${secs}s ${note}`
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`)
  }

  done(): void {
    if (process.stderr.isTTY) process.stderr.write('\n')
  }
}
