/**
 * Record formatting: QR codes, event UUIDs and master-data lines. Event lines are built
 * as strings directly in events.ts (no per-event objects); master data is small and goes
 * through JSON.stringify.
 */
import { CITIES, DISTRICTS, PROVINCE } from './geo'
import { PRODUCTS, STORE_KINDS } from './catalog'
import { fmix32, hashString, type Rng } from './prng'
import { isoOf } from './calendar'
import type { World } from './world'

export type MasterKind = 'products' | 'distributors' | 'reps' | 'stores'
export type EventKind = 'scans' | 'orders' | 'rewards'
export type Kind = MasterKind | EventKind
export const MASTER_KINDS: readonly MasterKind[] = ['products', 'distributors', 'reps', 'stores']
export const EVENT_KINDS: readonly EventKind[] = ['scans', 'orders', 'rewards']
export const ALL_KINDS: readonly Kind[] = [...MASTER_KINDS, ...EVENT_KINDS]

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
const hex8 = (x: number): string => HEX[x >>> 24] + HEX[(x >>> 16) & 255] + HEX[(x >>> 8) & 255] + HEX[x & 255]

/** A random (version 4, RFC 4122 variant) UUID from four words of a seeded stream. */
export function uuidFrom(r: Rng): string {
  const a = r.next()
  const b = r.next()
  const c = r.next()
  const d = r.next()
  return (
    `${hex8(a)}-${HEX[b >>> 24]}${HEX[(b >>> 16) & 255]}-4${HEX[(b >>> 8) & 15][1]}${HEX[b & 255]}-` +
    `${HEX[0x80 | ((c >>> 24) & 0x3f)]}${HEX[(c >>> 16) & 255]}-${HEX[(c >>> 8) & 255]}${HEX[c & 255]}${hex8(d)}`
  )
}

const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ' // Crockford: no I, L, O, U
const P24 = 16777216

/**
 * Codes are serial numbers pushed through a keyed 4-round Feistel permutation of 48 bits
 * (so they look random, never collide, and change with the seed), then written as 10
 * Crockford base-32 characters behind a level prefix (`C` case, `B` bottle cap).
 */
export class CodeBook {
  private readonly keys: number[]
  constructor(seedKey: string) {
    this.keys = [0, 1, 2, 3].map((i) => hashString(`${seedKey}/codes/${i}`))
  }

  private perm(x: number): string {
    let l = Math.floor(x / P24)
    let r = x % P24
    for (const k of this.keys) {
      const t = l ^ (fmix32(r ^ k) & 0xffffff)
      l = r
      r = t
    }
    return enc24(l) + enc24(r)
  }

  caseCode(caseSerial: number): string {
    return `C${this.perm(caseSerial)}`
  }

  bottleCode(caseSerial: number, bottle: number): string {
    return `B${this.perm(caseSerial * 8 + bottle)}`
  }
}

function enc24(x: number): string {
  return B32[(x >>> 20) & 31] + B32[(x >>> 15) & 31] + B32[(x >>> 10) & 31] + B32[(x >>> 5) & 31] + B32[x & 31]
}

/** Rounds a coordinate to 5 decimals (~1 m) for output. */
export function coord(x: number): number {
  return Math.round(x * 1e5) / 1e5
}

/** Master data as NDJSON lines (each ending in a newline), in contract field order. */
export function masterLines(w: World, kind: MasterKind): string[] {
  switch (kind) {
    case 'products':
      return PRODUCTS.map((p) => `${JSON.stringify(p)}\n`)
    case 'distributors':
      return w.dists.map((d) => `${JSON.stringify({
        distributor_id: d.id, name: d.name, province: PROVINCE, city: CITIES[d.city].name,
        territory_cities: d.territory.map((c) => CITIES[c].name),
      })}\n`)
    case 'reps':
      return w.reps.map((r) => `${JSON.stringify({ rep_id: r.id, name: r.name, city: CITIES[r.city].name })}\n`)
    case 'stores': {
      const out: string[] = new Array(w.nStores)
      for (let s = 0; s < w.nStores; s++) {
        const rec: Record<string, unknown> = {
          store_id: w.storeId[s], name: w.storeName[s], kind: STORE_KINDS[w.kind[s]],
          distributor_id: w.dists[w.dist[s]].id, province: PROVINCE, city: CITIES[w.city[s]].name,
          district: DISTRICTS[w.district[s]].name, lat: coord(w.lat[s]), lon: coord(w.lon[s]),
        }
        if (w.rep[s] >= 0) rec.rep_id = w.reps[w.rep[s]].id
        rec.joined_on = isoOf(w.joinDay[s])
        out[s] = `${JSON.stringify(rec)}\n`
      }
      return out
    }
  }
}

/**
 * NDJSON lines encoded one by one into a growable byte buffer. (Building one big string
 * by concatenation keeps millions of rope nodes alive until the flush, which made garbage
 * collection the largest cost of a run; grouping a few hundred lines was slower too.)
 */
export class LineBuffer {
  private buf = Buffer.allocUnsafe(1 << 22)
  private pos = 0
  rows = 0

  push(line: string): void {
    if (this.pos + line.length * 3 > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + line.length * 3))
      this.buf.copy(next, 0, 0, this.pos)
      this.buf = next
    }
    this.pos += (this.buf as unknown as Utf8Writable).utf8Write(line, this.pos)
    this.rows++
  }

  /** The buffered bytes; valid until clear(). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos)
  }

  clear(): void {
    this.pos = 0
    this.rows = 0
  }
}

/** Node's unchecked UTF-8 writer behind Buffer#write (skips argument normalisation). */
type Utf8Writable = { utf8Write(s: string, offset: number): number }
