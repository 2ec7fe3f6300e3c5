import { HashSet52 } from './hashset.js'

/**
 * What the embedded engine's single writer knows about accepted ids, per kind and local day:
 * a 52-bit hash of every id accepted on the days it has touched. A batch's ids are checked here
 * first; only ids whose hash is present (re-sent rows, and practically never a new id) are
 * looked up in `ingest_ids`. A day is loaded from `ingest_ids` when first touched and the least
 * recently used days are dropped beyond a bound (4M hashes, ~50 days at province scale, 64–128
 * MB), never the days of the body being checked (nor, see commit.ts, days with ids waiting).
 * Only valid while this process is the only writer: the embedded engine guarantees that (one
 * process per data directory); over HTTP every id is looked up instead.
 */
export class RecentIds {
  private readonly days = new Map<string, HashSet52>()
  private entries = 0

  constructor(
    private readonly hash: (id: string) => number = hash52,
    private readonly maxEntries = 4_000_000,
  ) {}

  /** The hashes of a loaded day (marked as recently used), or undefined when not loaded. */
  day(kind: string, day: number): HashSet52 | undefined {
    const key = `${kind}|${day}`
    const set = this.days.get(key)
    if (set) {
      this.days.delete(key)
      this.days.set(key, set)
    }
    return set
  }

  /** Loads a day's accepted ids (from `ingest_ids`); returns its hash set. Call {@link trim} after loading. */
  load(kind: string, day: number, ids: readonly string[]): HashSet52 {
    const key = `${kind}|${day}`
    const old = this.days.get(key)
    if (old) this.entries -= old.size
    const set = new HashSet52(ids.length)
    for (const id of ids) set.add(this.hash(id))
    this.days.set(key, set)
    this.entries += set.size
    return set
  }

  /**
   * Records newly accepted ids by their days and hashes (one day lookup per run of equal days).
   * Ids of a day not loaded are skipped: that day loads from the table when next touched.
   */
  addAll(kind: string, days: ArrayLike<number>, hashes: ArrayLike<number>): void {
    let day = NaN
    let set: HashSet52 | undefined
    for (let i = 0; i < days.length; i++) {
      if (days[i] !== day) {
        if (set) this.entries += set.size
        day = days[i]
        set = this.days.get(`${kind}|${day}`)
        if (set) this.entries -= set.size
      }
      set?.add(hashes[i])
    }
    if (set) this.entries += set.size
  }

  /** Hashes held. */
  get size(): number {
    return this.entries
  }

  /** Drops the least recently used days beyond the bound, except the given days of `kind`. */
  trim(kind: string, keep: Iterable<number> = []): void {
    const kept = new Set([...keep].map((d) => `${kind}|${d}`))
    for (const [key, set] of this.days) {
      if (this.entries <= this.maxEntries) break
      if (kept.has(key)) continue
      this.entries -= set.size
      this.days.delete(key)
    }
  }
}

/**
 * A 52-bit hash of a string (two FNV-1a passes with different seeds over the UTF-16 code units),
 * exact as a double: with ~100k ids a day, a new id matches an accepted one's hash about once in
 * 10^10 ids, so lookups are left for re-sent rows.
 */
export function hash52(s: string): number {
  let a = 0x811c9dc5
  let b = 0x050c5d1f
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15)
  }
  return (a >>> 0) * 0x100000 + (b >>> 12)
}

/**
 * {@link hash52} of an ASCII id given as bytes `[s, e)` of `buf` (in lower case when `lower`:
 * for UUIDs, whose characters OR 0x20 lower-case), without making it a string.
 */
export function hash52Bytes(buf: Uint8Array, s: number, e: number, lower: boolean): number {
  let a = 0x811c9dc5
  let b = 0x050c5d1f
  const m = lower ? 0x20 : 0
  for (let i = s; i < e; i++) {
    const c = buf[i] | m
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15)
  }
  return (a >>> 0) * 0x100000 + (b >>> 12)
}
