import { createContext, useContext, useEffect, useState, type RefObject } from 'react'
import type { Entity } from '../../../../segments/catalog'
import { updateNode, type GroupNode, type Leaf, type NodeError } from './model'

/**
 * `value`, once it has stopped changing for `ms` (the live count waits for a pause in typing).
 * @example const rule = useDebounced(JSON.stringify(draft), 400)
 */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(t)
  }, [value, ms])
  return settled
}

/** What every part of the rule editor needs: the entity, the tree's editor, errors by node, the drag in progress. */
export interface BuilderContextValue {
  entity: Entity
  /** The saved segment being edited (it cannot reference itself). */
  selfId: string | null
  root: GroupNode
  edit: (fn: (root: GroupNode) => GroupNode) => void
  errors: ReadonlyMap<string, readonly NodeError[]>
  incomplete: ReadonlySet<string>
  /** Id of the node being dragged (HTML5 drag data cannot be read during dragover). */
  draggingRef: RefObject<string | null>
}

export const BuilderContext = createContext<BuilderContextValue | null>(null)

/** The rule editor's context; only rendered inside {@link BuilderContext}. */
export function useBuilder(): BuilderContextValue {
  const ctx = useContext(BuilderContext)
  if (!ctx) throw new Error('useBuilder outside a rule editor')
  return ctx
}

/** Applies `patch` to leaf `id` (when it is still a leaf of that kind). */
export function useLeafEditor<K extends Leaf['kind']>(id: string, kind: K) {
  const { edit } = useBuilder()
  return (patch: (leaf: Extract<Leaf, { kind: K }>) => Partial<Extract<Leaf, { kind: K }>>) =>
    edit((root) =>
      updateNode(root, id, (n) => (n.type === 'leaf' && n.leaf.kind === kind ? { ...n, leaf: { ...n.leaf, ...patch(n.leaf as Extract<Leaf, { kind: K }>) } as Leaf } : n)),
    )
}
