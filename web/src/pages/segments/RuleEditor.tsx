import { useState, type DragEvent, type ReactNode } from 'react'
import { useI18n } from '../../i18n'
import { LeafEditor } from './Condition'
import { useBuilder } from './hooks'
import { insertNode, isWithin, moveBy, moveNode, newGroup, newLeaf, removeNode, updateNode, type GroupNode, type Leaf, type UiNode } from './model'

/** Where a dragged node would land relative to the node under the pointer. */
type Drop = 'before' | 'after' | null

function useDropTarget(parent: GroupNode, index: number) {
  const { root, edit, draggingRef } = useBuilder()
  const [drop, setDrop] = useState<Drop>(null)
  const accepts = () => {
    const id = draggingRef.current
    return id !== null && !isWithin(root, id, parent.id)
  }
  return {
    drop,
    handlers: {
      onDragOver: (e: DragEvent<HTMLElement>) => {
        if (!accepts()) return
        e.preventDefault()
        e.stopPropagation()
        e.dataTransfer.dropEffect = 'move'
        const r = e.currentTarget.getBoundingClientRect()
        setDrop(e.clientY < r.top + r.height / 2 ? 'before' : 'after')
      },
      onDragLeave: (e: DragEvent<HTMLElement>) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDrop(null)
      },
      onDrop: (e: DragEvent<HTMLElement>) => {
        const id = draggingRef.current
        setDrop(null)
        if (!id || !accepts()) return
        e.preventDefault()
        e.stopPropagation()
        edit((r) => moveNode(r, id, parent.id, drop === 'after' ? index + 1 : index))
      },
    },
  }
}

/** NOT on one node: a toggle button, pressed when the node is negated. */
function NotToggle({ node }: { node: UiNode }) {
  const { t } = useI18n()
  const { edit } = useBuilder()
  return (
    <button
      type="button"
      className="seg-not"
      data-testid="seg-not"
      aria-pressed={node.not}
      title={t('seg.not.help')}
      onClick={() => edit((r) => updateNode(r, node.id, (n) => ({ ...n, not: !n.not })))}
    >
      {t('seg.not')}
    </button>
  )
}

/**
 * One child of a group: drag handle (the whole row drags once the handle is pressed, so inputs
 * stay selectable), move up/down buttons for keyboards, remove, and the server's errors for it.
 */
function NodeFrame({ node, parent, index, children }: { node: UiNode; parent: GroupNode; index: number; children: ReactNode }) {
  const { t } = useI18n()
  const { edit, errors, incomplete, draggingRef, root } = useBuilder()
  const [armed, setArmed] = useState(false)
  const { drop, handlers } = useDropTarget(parent, index)
  const errs = errors.get(node.id) ?? []
  // Past the ends of a nested group a move leaves it; past the ends of the root there is nowhere to go.
  const atTop = index === 0 && parent.id === root.id
  const atBottom = index === parent.children.length - 1 && parent.id === root.id
  return (
    <li
      className={`seg-node seg-node-${node.type}${drop ? ` drop-${drop}` : ''}${errs.length ? ' has-error' : ''}`}
      data-testid={node.type === 'group' ? undefined : 'seg-condition'}
      data-node-id={node.id}
      draggable={armed}
      onDragStart={(e) => {
        e.stopPropagation()
        draggingRef.current = node.id
        e.dataTransfer.effectAllowed = 'move'
        e.dataTransfer.setData('text/plain', node.id)
      }}
      onDragEnd={() => {
        draggingRef.current = null
        setArmed(false)
      }}
      {...handlers}
    >
      {index > 0 ? <span className="seg-joiner">{parent.op === 'and' ? t('seg.and') : t('seg.or')}</span> : null}
      <div className="seg-node-row">
        <span
          className="seg-handle"
          title={t('seg.drag')}
          aria-hidden="true"
          onMouseDown={() => setArmed(true)}
          onMouseUp={() => setArmed(false)}
        >
          ⠿
        </span>
        {node.type === 'leaf' ? <NotToggle node={node} /> : null}
        <div className="seg-node-body">{children}</div>
        <div className="seg-node-tools">
          <button type="button" className="seg-icon" aria-label={t('seg.moveUp')} title={t('seg.moveUp')} data-testid="seg-move-up" disabled={atTop} onClick={() => edit((r) => moveBy(r, node.id, -1))}>
            ↑
          </button>
          <button type="button" className="seg-icon" aria-label={t('seg.moveDown')} title={t('seg.moveDown')} data-testid="seg-move-down" onClick={() => edit((r) => moveBy(r, node.id, 1))} disabled={atBottom}>
            ↓
          </button>
          <button type="button" className="seg-icon seg-remove" aria-label={t('seg.remove')} title={t('seg.remove')} data-testid="seg-remove" onClick={() => edit((r) => removeNode(r, node.id))}>
            ×
          </button>
        </div>
      </div>
      {node.type === 'leaf' && incomplete.has(node.id) ? <p className="seg-hint">{t('seg.incomplete')}</p> : null}
      {errs.length ? (
        <ul className="seg-errors" role="alert" data-testid="seg-error">
          {errs.map((e, i) => (
            <li key={i}>{e.message}</li>
          ))}
        </ul>
      ) : null}
    </li>
  )
}

/** An AND/OR group: its toggle and NOT, its children (droppable), and buttons to add to it. */
export function GroupView({ group, depth = 0 }: { group: GroupNode; depth?: number }) {
  const { t } = useI18n()
  const { edit, draggingRef, root } = useBuilder()
  const [emptyDrop, setEmptyDrop] = useState(false)
  const add = (node: UiNode) => edit((r) => insertNode(r, group.id, Number.MAX_SAFE_INTEGER, node))
  const addLeaf = (kind: Leaf['kind']) => add(newLeaf(kind))
  return (
    <div className={`seg-group seg-depth-${depth % 3}`} data-testid="seg-group" data-op={group.op} data-not={group.not} data-node-id={group.id}>
      <div className="seg-group-head">
        <NotToggle node={group} />
        <button
          type="button"
          className="seg-toggle"
          data-testid="seg-group-toggle"
          data-op={group.op}
          title={t('seg.toggle.help')}
          onClick={() => edit((r) => updateNode(r, group.id, (n) => (n.type === 'group' ? { ...n, op: n.op === 'and' ? 'or' : 'and' } : n)))}
        >
          <span className={group.op === 'and' ? 'is-on' : ''}>{t('seg.and')}</span>
          <span className={group.op === 'or' ? 'is-on' : ''}>{t('seg.or')}</span>
        </button>
        <span className="muted">{group.op === 'and' ? t('seg.group.all') : t('seg.group.any')}</span>
      </div>
      <ol className="seg-children">
        {group.children.map((c, i) => (
          <NodeFrame key={c.id} node={c} parent={group} index={i}>
            {c.type === 'group' ? <GroupView group={c} depth={depth + 1} /> : <LeafEditor node={c} />}
          </NodeFrame>
        ))}
        {group.children.length === 0 ? (
          <li
            className={`seg-empty${emptyDrop ? ' drop-before' : ''}`}
            onDragOver={(e) => {
              const id = draggingRef.current
              if (!id || isWithin(root, id, group.id)) return
              e.preventDefault()
              e.stopPropagation()
              setEmptyDrop(true)
            }}
            onDragLeave={() => setEmptyDrop(false)}
            onDrop={(e) => {
              const id = draggingRef.current
              setEmptyDrop(false)
              if (!id || isWithin(root, id, group.id)) return
              e.preventDefault()
              e.stopPropagation()
              edit((r) => moveNode(r, id, group.id, 0))
            }}
          >
            {depth === 0 ? t('seg.group.emptyRoot') : t('seg.group.empty')}
          </li>
        ) : null}
      </ol>
      <div className="seg-group-foot">
        <button type="button" className="btn btn-small" data-testid="seg-group-add-condition" onClick={() => addLeaf('attr')}>
          + {t('seg.add.condition')}
        </button>
        <button type="button" className="btn btn-small" data-testid="seg-group-add-event" onClick={() => addLeaf('event')}>
          + {t('seg.add.event')}
        </button>
        <button type="button" className="btn btn-small" data-testid="seg-group-add-segment" onClick={() => addLeaf('segment')}>
          + {t('seg.add.segment')}
        </button>
        <button type="button" className="btn btn-small" data-testid="seg-group-add-list" onClick={() => addLeaf('list')}>
          + {t('seg.add.list')}
        </button>
        <button type="button" className="btn btn-small" data-testid="seg-group-add-group" onClick={() => add(newGroup(group.op === 'and' ? 'or' : 'and'))}>
          + {t('seg.add.group')}
        </button>
      </div>
    </div>
  )
}
