/**
 * Sets keyed by the 52-bit id hashes of recent.ts, in typed arrays (open addressing, linear
 * probing): a `Set<number>` of such hashes stores every one as a heap number, and at ingest rates
 * that allocation and its garbage collection cost more than the lookups themselves.
 */

/** A set of non-negative integers below 2^53. */
export class HashSet52 {
  private slots: Float64Array
  private mask: number
  private count = 0

  constructor(expected = 16) {
    const cap = capacityFor(expected)
    this.slots = new Float64Array(cap).fill(-1)
    this.mask = cap - 1
  }

  get size(): number {
    return this.count
  }

  has(h: number): boolean {
    const slots = this.slots
    for (let i = slotOf(h, this.mask); ; i = (i + 1) & this.mask) {
      const v = slots[i]
      if (v === h) return true
      if (v === -1) return false
    }
  }

  add(h: number): this {
    if ((this.count + 1) * 2 > this.slots.length) this.grow()
    const slots = this.slots
    for (let i = slotOf(h, this.mask); ; i = (i + 1) & this.mask) {
      const v = slots[i]
      if (v === h) return this
      if (v === -1) {
        slots[i] = h
        this.count++
        return this
      }
    }
  }

  private grow(): void {
    const old = this.slots
    this.slots = new Float64Array(old.length * 2).fill(-1)
    this.mask = this.slots.length - 1
    this.count = 0
    for (const v of old) if (v !== -1) this.add(v)
  }
}

/**
 * Records keyed by their ids' hashes, exact: a record is found by its id's hash and confirmed by
 * the caller comparing the ids (`same`, called only when hashes are equal), so two ids sharing a
 * hash stay distinct, and ids need not exist as strings until two hashes meet.
 */
export class IdIndex {
  private hashes: Float64Array
  private refs: Int32Array
  private count = 0
  private mask: number

  constructor(expected = 16) {
    const cap = capacityFor(expected)
    this.hashes = new Float64Array(cap).fill(-1)
    this.refs = new Int32Array(cap)
    this.mask = cap - 1
  }

  get size(): number {
    return this.count
  }

  /** Adds record `ref` with id hash `h`; false when a record with the same id (`same(other)`) is there. */
  add(h: number, ref: number, same: (other: number) => boolean): boolean {
    if ((this.count + 1) * 2 > this.hashes.length) this.grow()
    for (let i = slotOf(h, this.mask); ; i = (i + 1) & this.mask) {
      const v = this.hashes[i]
      if (v === -1) {
        this.hashes[i] = h
        this.refs[i] = ref
        this.count++
        return true
      }
      if (v === h && same(this.refs[i])) return false
    }
  }

  private grow(): void {
    const hashes = this.hashes
    const refs = this.refs
    this.hashes = new Float64Array(hashes.length * 2).fill(-1)
    this.refs = new Int32Array(hashes.length * 2)
    this.mask = this.hashes.length - 1
    for (let i = 0; i < hashes.length; i++) {
      if (hashes[i] === -1) continue
      for (let j = slotOf(hashes[i], this.mask); ; j = (j + 1) & this.mask)
        if (this.hashes[j] === -1) {
          this.hashes[j] = hashes[i]
          this.refs[j] = refs[i]
          break
        }
    }
  }
}

function capacityFor(expected: number): number {
  let cap = 16
  while (cap < expected * 2) cap *= 2
  return cap
}

// The low 32 bits mixed with the high ones (a colliding test hash may vary only in either).
const slotOf = (h: number, mask: number) => ((h >>> 0) ^ Math.floor(h / 4294967296)) & mask
