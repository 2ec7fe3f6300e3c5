/**
 * Deterministic, stratified (block) assignment of stores to arms, optionally clustered by
 * distributor. Pure: the same experiment id, units and arms always give the same assignment,
 * whatever the order the units arrive in.
 *
 * Design (a randomised block design; Imbens & Rubin 2015, *Causal Inference*, ch. 9):
 *  - the randomisation units are stores, or distributors when clustered (all of a distributor's
 *    stores share its arm, so a distributor cannot carry the treatment to control stores);
 *  - units are grouped into strata city × tercile of pre-period sell-through (opened bottles);
 *  - each stratum of n units gives arm k ⌊n·w_k⌋ units; the r remaining slots go to r distinct
 *    arms drawn with probabilities equal to the fractional parts n·w_k − ⌊n·w_k⌋ (Madow's
 *    systematic sampling, so each arm's expected count is exactly n·w_k and no arm is off by
 *    more than one);
 *  - units take the slots in the order of a seeded hash of (experiment id, unit id): a uniform
 *    random permutation that only the experiment id seeds.
 */

/** One store to assign. */
export interface AssignUnit {
  id: string
  city: string
  /** Pre-period sell-through (opened bottles), the stratification variable. */
  pre: number
  /** Distributor id ('' when unknown: the store is then its own cluster). */
  distributor: string
}

export interface AssignOptions {
  experimentId: string
  arms: { name: string; weight: number }[]
  stratify: boolean
  clusterByDistributor: boolean
}

export interface Assignment {
  unit_id: string
  arm: string
  stratum: string
  cluster_id: string
  pre_value: number
}

/** 32-bit FNV-1a of a string's UTF-16 code units. */
function fnv1a32(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h >>> 0
}

/**
 * A uniform number in [0, 1) from a seed and a key: FNV-1a applied twice, as GrowthBook's
 * hash version 2 does, so that keys differing in one character spread over the whole range.
 * @example seededHash('exp_1', 'S0001') // the same number on every machine
 */
export function seededHash(seed: string, key: string): number {
  return fnv1a32(String(fnv1a32(`${seed}:${key}`))) / 2 ** 32
}

/** Slot counts per arm for a stratum of n units (⌊n·w⌋ each, remainders by systematic sampling). */
export function blockCounts(n: number, weights: number[], u: number, order: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0)
  const quota = weights.map((w) => (n * w) / total)
  const counts = quota.map(Math.floor)
  const r = n - counts.reduce((a, b) => a + b, 0)
  if (r === 0) return counts
  const frac = quota.map((q, k) => Math.max(0, q - counts[k]))
  const fracTotal = frac.reduce((a, b) => a + b, 0)
  // Points u, u+1, …, u+r−1 on the cumulative fractional parts (scaled to sum exactly r):
  // an arm is chosen when a point falls in its interval; each interval is shorter than 1.
  let cum = 0
  let next = u
  let given = 0
  for (const k of order) {
    cum += (frac[k] * r) / fracTotal
    if (next < cum - 1e-12 && given < r) {
      counts[k]++
      given++
      next++
    }
  }
  // Floating-point slack can leave the last point unplaced: give it to the last arm with a fraction.
  for (let i = order.length - 1; given < r && i >= 0; i--) {
    const k = order[i]
    if (frac[k] > 0 && counts[k] === Math.floor(quota[k])) {
      counts[k]++
      given++
    }
  }
  return counts
}

interface Block {
  key: string
  city: string
  pre: number
  members: AssignUnit[]
}

/** Terciles of pre-period sell-through over the blocks (rank-based; ties broken by the seeded hash). */
function terciles(blocks: Block[], seed: string): Map<string, number> {
  const ranked = [...blocks].sort((a, b) => a.pre - b.pre || seededHash(seed, `t:${a.key}`) - seededHash(seed, `t:${b.key}`) || (a.key < b.key ? -1 : 1))
  return new Map(ranked.map((b, i) => [b.key, Math.floor((3 * i) / ranked.length)]))
}

function mode(values: string[]): string {
  const counts = new Map<string, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0]
}

/**
 * Assigns every unit to an arm. Throws when a unit id repeats.
 * @example assign([{ id: 'S1', city: '潍坊市', pre: 12, distributor: 'D1' }, …],
 *   { experimentId: 'exp_1', arms: [{ name: 'control', weight: 1 }, { name: 'b', weight: 1 }], stratify: true, clusterByDistributor: false })
 */
export function assign(units: AssignUnit[], o: AssignOptions): Assignment[] {
  const seed = o.experimentId
  const seen = new Set<string>()
  for (const u of units) {
    if (seen.has(u.id)) throw new Error(`unit ${u.id} is listed twice`)
    seen.add(u.id)
  }
  // Randomisation units: stores, or distributors (a store without one is its own cluster).
  const byKey = new Map<string, AssignUnit[]>()
  for (const u of units) {
    const key = o.clusterByDistributor && u.distributor ? `d:${u.distributor}` : `s:${u.id}`
    const list = byKey.get(key) ?? []
    list.push(u)
    byKey.set(key, list)
  }
  const blocks: Block[] = [...byKey].map(([key, members]) => ({
    key,
    members,
    city: mode(members.map((m) => m.city)),
    pre: members.reduce((t, m) => t + m.pre, 0) / members.length,
  }))
  const tercile = terciles(blocks, seed)
  const strata = new Map<string, Block[]>()
  for (const b of blocks) {
    const s = o.stratify ? `${b.city || '?'}|t${(tercile.get(b.key) ?? 0) + 1}` : 'all'
    const list = strata.get(s) ?? []
    list.push(b)
    strata.set(s, list)
  }
  const weights = o.arms.map((a) => a.weight)
  const out: Assignment[] = []
  for (const [stratum, list] of strata) {
    const key = (b: Block) => seededHash(seed, b.key)
    list.sort((a, b) => key(a) - key(b) || (a.key < b.key ? -1 : 1))
    const order = o.arms.map((_, k) => k).sort((a, b) => seededHash(seed, `${stratum}#${a}`) - seededHash(seed, `${stratum}#${b}`))
    const counts = blockCounts(list.length, weights, seededHash(seed, `u:${stratum}`), order)
    let k = 0
    let used = 0
    for (const b of list) {
      while (used >= counts[k]) {
        k++
        used = 0
      }
      used++
      const cluster = b.key.slice(2)
      for (const m of b.members) out.push({ unit_id: m.id, arm: o.arms[k].name, stratum, cluster_id: cluster, pre_value: m.pre })
    }
  }
  return out.sort((a, b) => (a.unit_id < b.unit_id ? -1 : a.unit_id > b.unit_id ? 1 : 0))
}
