/**
 * What the embedded engine's single writer knows about accepted ids, per kind and local day:
 * a 31-bit hash of every id accepted on the days it has touched. A batch's ids are checked here
 * first; only ids whose hash is present (re-sent rows, and about one new id in 25,000 on a busy
 * day) are looked up in `ingest_ids`. A day is loaded from `ingest_ids` when first touched and
 * the least recently used days are dropped beyond a bound, so memory stays flat (4M hashes,
 * ~100 MB). Only valid while this process is the only writer: the embedded engine guarantees
 * that (one process per data directory); over HTTP every id is looked up instead.
 */
export class RecentIds {
  private readonly days = new Map<string, Set<number>>()
  private entries = 0

  constructor(private readonly maxEntries = 4_000_000) {}

  /** The hashes of a loaded day (marked as recently used), or undefined when not loaded. */
  day(kind: string, day: number): Set<number> | undefined {
    const key = `${kind}|${day}`
    const set = this.days.get(key)
    if (set) {
      this.days.delete(key)
      this.days.set(key, set)
    }
    return set
  }

  /** Loads a day's accepted ids (from `ingest_ids`); returns its hash set. */
  load(kind: string, day: number, ids: Iterable<string>): Set<number> {
    const key = `${kind}|${day}`
    const old = this.days.get(key)
    if (old) this.entries -= old.size
    const set = new Set<number>()
    for (const id of ids) set.add(hash31(id))
    this.days.set(key, set)
    this.entries += set.size
    this.evict()
    return set
  }

  /** Records a newly accepted id by its hash (nothing to do when its day is not loaded: it loads from the table). */
  add(kind: string, day: number, hash: number): void {
    const set = this.days.get(`${kind}|${day}`)
    if (!set) return
    const n = set.size
    set.add(hash)
    this.entries += set.size - n
  }

  /** Drops days whose state is uncertain (e.g. after a failed insert): they reload when next touched. */
  forget(kind: string, days: Iterable<number>): void {
    for (const d of days) {
      const key = `${kind}|${d}`
      const set = this.days.get(key)
      if (!set) continue
      this.entries -= set.size
      this.days.delete(key)
    }
  }

  /** Hashes held. */
  get size(): number {
    return this.entries
  }

  private evict(): void {
    for (const [key, set] of this.days) {
      if (this.entries <= this.maxEntries || this.days.size <= 1) break
      this.entries -= set.size
      this.days.delete(key)
    }
  }
}

/** FNV-1a over the UTF-16 code units, folded to 31 bits (a small integer for V8). */
export function hash31(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return (h ^ (h >>> 31)) & 0x7fffffff
}
