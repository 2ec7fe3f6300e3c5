/**
 * Seeded randomness for the simulator: xoshiro128** (32-bit state words, so every
 * operation stays in V8's small-integer fast path) plus the distributions the channel
 * model needs. Streams are derived by hashing a key, so each store, the world builder,
 * the scan farms and the factory draw from their own sequence: changing one store's
 * behaviour (a policy experiment) leaves every other store's events byte-identical.
 */

/** MurmurHash3 finaliser: a cheap, well-mixed 32-bit bijection. */
export function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** FNV-1a over the UTF-16 code units of a string, finalised with fmix32. */
export function hashString(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return fmix32(h)
}

/** Hash of a key and any number of parts (strings or numbers). */
export function hashKey(...parts: (string | number)[]): number {
  let h = 0x811c9dc5
  for (const p of parts) h = hashString(typeof p === 'number' ? `#${p}` : p, h ^ 0x9e3779b9)
  return h
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k))

/**
 * xoshiro128** generator.
 * @example const r = Rng.from('seed-1', 'store', 42); r.float()
 */
export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number

  constructor(seed: number) {
    // splitmix32 expands one word into four non-zero state words
    let s = seed >>> 0
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) | 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1
  }

  /** A stream derived from a key and parts, e.g. `Rng.from(seed, 'store', i)`. */
  static from(...parts: (string | number)[]): Rng {
    return new Rng(hashKey(...parts))
  }

  /** Uniform 32-bit unsigned integer. */
  next(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0
    const t = this.b << 9
    this.c ^= this.a
    this.d ^= this.b
    this.b ^= this.c
    this.a ^= this.d
    this.c ^= t
    this.d = rotl(this.d, 11)
    return r
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n)
  }

  /** Uniform float in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.float()
  }

  /** Uniform integer in [lo, hi] (inclusive). */
  intIn(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1)
  }

  bool(p: number): boolean {
    return this.float() < p
  }

  /** Standard normal (Box–Muller, cosine branch only: no cached state). */
  normal(): number {
    const u = 1 - this.float()
    const v = this.float()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
  }

  /** exp(N(mu, sigma)). */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal())
  }

  /**
   * Poisson count. Sequential inversion (one uniform) for small means, a rounded normal
   * for large ones: the simulator's daily means are mostly below 30.
   */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0
    if (lambda < 30) {
      const u = this.float()
      let p = Math.exp(-lambda)
      let f = p
      let k = 0
      while (u > f && k < 200) {
        k++
        p *= lambda / k
        f += p
      }
      return k
    }
    const x = Math.round(lambda + Math.sqrt(lambda) * this.normal())
    return x < 0 ? 0 : x
  }

  pick<T>(arr: readonly T[]): T {
    return arr[this.int(arr.length)]
  }

  /** Index drawn from a cumulative weight array `cum[lo..hi)` (last entry = total). */
  weighted(cum: ArrayLike<number>, lo = 0, hi = cum.length): number {
    const total = cum[hi - 1]
    return searchCum(cum, lo, hi, this.float() * total)
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const t = arr[i]
      arr[i] = arr[j]
      arr[j] = t
    }
    return arr
  }
}

/** First index i in [lo, hi) with cum[i] > x (binary search); hi - 1 when none. */
export function searchCum(cum: ArrayLike<number>, lo: number, hi: number, x: number): number {
  let l = lo
  let h = hi - 1
  while (l < h) {
    const m = (l + h) >>> 1
    if (cum[m] > x) h = m
    else l = m + 1
  }
  return l
}
