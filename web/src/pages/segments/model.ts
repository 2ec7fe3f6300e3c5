/**
 * The builder's editable form of a rule: a tree of groups and leaves with stable ids (React keys,
 * drag and drop) and a NOT flag on every node. Leaves may be incomplete while being edited; the
 * rule sent to the server leaves them (and groups left empty) out, and remembers which node each
 * path of the sent rule came from, so a 400's `rule.and.1.value` lands next to its condition.
 */
import type { CompareOp, EventCondition, EventType, Measure, Rule, Scalar } from '../../../../segments/rule'

export type AttrOp = 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte' | 'between' | 'in' | 'not_in' | 'is_null' | 'not_null'
export type GroupOp = 'and' | 'or'

export interface EventDraft {
  event: EventType
  window: { days: number } | { from: string; to: string }
  where: { sku_id?: string[]; tier?: string[]; city?: string[] }
  measure: Measure
  op: CompareOp
  value: number | null
}

export type Leaf =
  /** `value`: a scalar, `[lo, hi]` for between (either may be null while editing), an array for in/not_in. */
  | { kind: 'attr'; attr: string; op: AttrOp; value?: Scalar | (Scalar | null)[] | null }
  | { kind: 'event'; cond: EventDraft }
  | { kind: 'segment'; segment: string; member: boolean }
  | { kind: 'list'; list: string }

export interface GroupNode {
  type: 'group'
  id: string
  not: boolean
  op: GroupOp
  children: UiNode[]
}
export interface LeafNode {
  type: 'leaf'
  id: string
  not: boolean
  leaf: Leaf
}
export type UiNode = GroupNode | LeafNode

let seq = 0
/** A fresh node id (unique in this page). */
export const newId = () => `n${++seq}`

/** An empty group. */
export const newGroup = (op: GroupOp = 'and'): GroupNode => ({ type: 'group', id: newId(), not: false, op, children: [] })

/** A new leaf node of a kind, with sensible defaults (an event condition counts opens in 90 days). */
export function newLeaf(kind: Leaf['kind']): LeafNode {
  const leaf: Leaf =
    kind === 'attr' ? { kind, attr: '', op: 'gte' }
    : kind === 'event' ? { kind, cond: { event: 'open', window: { days: 90 }, where: {}, measure: 'bottles', op: 'gte', value: 1 } }
    : kind === 'segment' ? { kind, segment: '', member: true }
    : { kind, list: '' }
  return { type: 'leaf', id: newId(), not: false, leaf }
}

/**
 * The editable tree of a rule; the root is always a group (a lone condition is wrapped in an AND).
 * @example fromRule({ attr: 'city', op: 'eq', value: '潍坊市' }) // group and [leaf city = 潍坊市]
 */
export function fromRule(rule: Rule): GroupNode {
  const node = toNode(rule)
  return node.type === 'group' ? node : { ...newGroup('and'), children: [node] }
}

function toNode(rule: Rule): UiNode {
  if ('not' in rule) {
    const inner = toNode(rule.not)
    return { ...inner, not: !inner.not }
  }
  if ('and' in rule) return { type: 'group', id: newId(), not: false, op: 'and', children: rule.and.map(toNode) }
  if ('or' in rule) return { type: 'group', id: newId(), not: false, op: 'or', children: rule.or.map(toNode) }
  const base = { type: 'leaf' as const, id: newId(), not: false }
  if ('attr' in rule) return { ...base, leaf: { kind: 'attr', attr: rule.attr, op: rule.op, value: 'value' in rule ? (rule.value as Scalar | Scalar[]) : undefined } }
  if ('event' in rule) return { ...base, leaf: { kind: 'event', cond: { ...rule, where: { ...rule.where } } } }
  if ('segment' in rule) return { ...base, leaf: { kind: 'segment', segment: rule.segment, member: rule.member !== false } }
  return { ...base, leaf: { kind: 'list', list: rule.list } }
}

const filled = (v: unknown) => v !== undefined && v !== null && v !== '' && !(typeof v === 'number' && !Number.isFinite(v))

/** True when a leaf can be sent: every field it needs has a value. */
export function leafComplete(leaf: Leaf): boolean {
  switch (leaf.kind) {
    case 'attr':
      if (!leaf.attr) return false
      if (leaf.op === 'is_null' || leaf.op === 'not_null') return true
      if (leaf.op === 'between') return Array.isArray(leaf.value) && leaf.value.length === 2 && leaf.value.every(filled)
      if (leaf.op === 'in' || leaf.op === 'not_in') return Array.isArray(leaf.value) && leaf.value.length > 0
      return !Array.isArray(leaf.value) && filled(leaf.value)
    case 'event': {
      const w = leaf.cond.window
      return filled(leaf.cond.value) && ('days' in w ? filled(w.days) && w.days >= 1 : Boolean(w.from && w.to))
    }
    case 'segment':
      return leaf.segment !== ''
    case 'list':
      return leaf.list !== ''
  }
}

function leafRule(leaf: Leaf): Rule {
  switch (leaf.kind) {
    case 'attr':
      return leaf.op === 'is_null' || leaf.op === 'not_null' ? { attr: leaf.attr, op: leaf.op } : ({ attr: leaf.attr, op: leaf.op, value: leaf.value } as Rule)
    case 'event': {
      const c = leaf.cond
      const where = Object.fromEntries(Object.entries(c.where).filter(([, v]) => v && v.length > 0))
      const out: EventCondition = { event: c.event, window: c.window, measure: c.measure, op: c.op, value: c.value as number }
      return Object.keys(where).length ? { ...out, where } : out
    }
    case 'segment':
      return leaf.member ? { segment: leaf.segment } : { segment: leaf.segment, member: false }
    case 'list':
      return { list: leaf.list }
  }
}

export interface Serialized {
  rule: Rule
  /** Path in `rule` → id of the node it came from (both `p` and `p.not` for a negated node). */
  paths: Map<string, string>
  /** Ids of the leaves left out because they are not complete. */
  incomplete: string[]
}

/**
 * The rule to send: incomplete leaves and groups with nothing left in them are dropped.
 * @example toRule(fromRule({ and: [{ attr: 'city', op: 'in', value: [] }] })).rule // { and: [] }
 */
export function toRule(root: GroupNode): Serialized {
  const paths = new Map<string, string>()
  const incomplete: string[] = []
  const visit = (n: UiNode, path: string): Rule | null => {
    const inner = n.not ? `${path}.not` : path
    let body: Rule | null
    if (n.type === 'leaf') {
      if (!leafComplete(n.leaf)) {
        incomplete.push(n.id)
        return null
      }
      body = leafRule(n.leaf)
    } else {
      const kids: Rule[] = []
      for (const c of n.children) {
        const r = visit(c, `${inner}.${n.op}.${kids.length}`)
        if (r) kids.push(r)
      }
      if (kids.length === 0 && n !== root) return null
      body = n.op === 'and' ? { and: kids } : { or: kids }
    }
    paths.set(path, n.id)
    paths.set(inner, n.id)
    return n.not ? { not: body } : body
  }
  const rule = visit(root, 'rule') ?? { and: [] }
  return { rule, paths, incomplete }
}

export interface NodeError {
  /** What the message is about inside the node: '' (the node), 'value', 'value.1', 'window.from'… */
  field: string
  message: string
}

/**
 * Places server errors (`{path: 'rule.and.1.value', message}`) on nodes: each goes to the node of
 * the longest matching path. Errors that match no node come back under the key ''.
 */
export function placeErrors(errors: readonly { path: string; message: string }[], paths: Map<string, string>): Map<string, NodeError[]> {
  const out = new Map<string, NodeError[]>()
  for (const e of errors) {
    let best = ''
    for (const p of paths.keys()) if ((e.path === p || e.path.startsWith(`${p}.`)) && p.length > best.length) best = p
    const id = best ? paths.get(best)! : ''
    const field = best ? e.path.slice(best.length + 1) : e.path
    out.set(id, [...(out.get(id) ?? []), { field, message: e.message }])
  }
  return out
}

/** The node with `id` and its parent group (null for the root). */
export function findNode(root: GroupNode, id: string): { node: UiNode; parent: GroupNode | null; index: number } | null {
  if (root.id === id) return { node: root, parent: null, index: 0 }
  for (let i = 0; i < root.children.length; i++) {
    const c = root.children[i]
    if (c.id === id) return { node: c, parent: root, index: i }
    if (c.type === 'group') {
      const hit = findNode(c, id)
      if (hit) return hit
    }
  }
  return null
}

/** A copy of the tree with node `id` replaced by `fn(node)`. */
export function updateNode(root: GroupNode, id: string, fn: (n: UiNode) => UiNode): GroupNode {
  const go = (n: UiNode): UiNode => {
    if (n.id === id) return fn(n)
    if (n.type !== 'group') return n
    const children = n.children.map(go)
    return children.every((c, i) => c === n.children[i]) ? n : { ...n, children }
  }
  return go(root) as GroupNode
}

/** A copy of the tree without node `id` (the root cannot be removed). */
export function removeNode(root: GroupNode, id: string): GroupNode {
  const go = (g: GroupNode): GroupNode => ({ ...g, children: g.children.filter((c) => c.id !== id).map((c) => (c.type === 'group' ? go(c) : c)) })
  return root.id === id ? root : go(root)
}

/** A copy of the tree with `node` inserted into group `parentId` at `index` (appended when past the end). */
export function insertNode(root: GroupNode, parentId: string, index: number, node: UiNode): GroupNode {
  return updateNode(root, parentId, (g) => {
    if (g.type !== 'group') return g
    const children = [...g.children]
    children.splice(Math.max(0, Math.min(index, children.length)), 0, node)
    return { ...g, children }
  })
}

/** True when `id` is `ancestorId` or lies below it. */
export function isWithin(root: GroupNode, ancestorId: string, id: string): boolean {
  const a = findNode(root, ancestorId)
  return a !== null && (a.node.id === id || (a.node.type === 'group' && findNode(a.node, id) !== null))
}

/**
 * Moves node `id` into group `parentId` before the child now at `index` (drag and drop). A group
 * cannot move into itself or below itself; such a move returns the tree unchanged.
 */
export function moveNode(root: GroupNode, id: string, parentId: string, index: number): GroupNode {
  const from = findNode(root, id)
  if (!from?.parent || isWithin(root, id, parentId)) return root
  // Removing the node first shifts later siblings of the same group down by one.
  const at = from.parent.id === parentId && from.index < index ? index - 1 : index
  return insertNode(removeNode(root, id), parentId, at, from.node)
}

/**
 * Moves node `id` one place up (-1) or down (+1) in its group; past either end it leaves the
 * group for the enclosing one, just before or after it. Keyboard alternative to dragging.
 */
export function moveBy(root: GroupNode, id: string, delta: -1 | 1): GroupNode {
  const at = findNode(root, id)
  if (!at?.parent) return root
  const target = at.index + delta
  if (target >= 0 && target < at.parent.children.length) return moveNode(root, id, at.parent.id, delta < 0 ? target : target + 1)
  const outer = findNode(root, at.parent.id)
  if (!outer?.parent) return root
  return moveNode(root, id, outer.parent.id, delta < 0 ? outer.index : outer.index + 1)
}
