import type { Scalar } from '../../../../segments/rule'
import { useI18n } from '../../i18n'
import { AttrPicker } from './AttrPicker'
import { EventEditor } from './EventEditor'
import { useBuilder, useLeafEditor } from './hooks'
import type { AttrOp, Leaf, LeafNode } from './model'
import { ListEditor, SegmentRefEditor } from './RefEditors'
import { attrOf, defaultOp, OP_SYMBOL, opLabel, opsFor } from './units'
import { AttrValue } from './ValueInputs'

type AttrLeaf = Extract<Leaf, { kind: 'attr' }>

/** Reshapes a value for a new operator: a pair for between, a list for in/not_in, one value otherwise. */
export function reshapeValue(value: AttrLeaf['value'], op: AttrOp): AttrLeaf['value'] {
  if (op === 'is_null' || op === 'not_null') return undefined
  const first = Array.isArray(value) ? (value.find((v) => v !== null) ?? null) : (value ?? null)
  if (op === 'between') return Array.isArray(value) && value.length === 2 && typeof value[0] !== 'string' ? value : [first, null]
  if (op === 'in' || op === 'not_in') return Array.isArray(value) ? value.filter((v): v is Scalar => v !== null) : first === null ? [] : [first]
  return first
}

function AttrEditor({ node }: { node: LeafNode & { leaf: AttrLeaf } }) {
  const i18n = useI18n()
  const { t } = i18n
  const { entity, errors } = useBuilder()
  const set = useLeafEditor(node.id, 'attr')
  const leaf = node.leaf
  const a = attrOf(entity, leaf.attr)
  const errs = errors.get(node.id) ?? []
  const bad = (f: string) => errs.some((e) => e.field === f)
  const ops = opsFor(a)
  return (
    <div className="seg-cond-fields">
      <AttrPicker
        entity={entity}
        value={leaf.attr}
        invalid={bad('attr')}
        onChange={(name) =>
          set((l) => {
            const next = attrOf(entity, name)
            const prev = attrOf(entity, l.attr)
            if (!next) return { attr: name }
            const op = opsFor(next).includes(l.op) ? l.op : defaultOp(next)
            // A value of another type or unit means nothing for the new attribute.
            const keep = prev && prev.type === next.type && prev.unit === next.unit
            return { attr: name, op, value: keep ? reshapeValue(l.value, op) : reshapeValue(undefined, op) }
          })
        }
      />
      {a ? (
        <>
          <select className={`input seg-op${OP_SYMBOL[leaf.op] ? ' seg-op-short' : ''}${bad('op') ? ' is-invalid' : ''}`} data-testid="seg-op" aria-label={t('seg.op.label')} value={leaf.op} onChange={(e) => set((l) => ({ op: e.target.value as AttrOp, value: reshapeValue(l.value, e.target.value as AttrOp) }))}>
            {ops.map((op) => (
              <option key={op} value={op}>{opLabel(i18n, op)}</option>
            ))}
          </select>
          <AttrValueSlot node={node} />
        </>
      ) : null}
    </div>
  )
}

function AttrValueSlot({ node }: { node: LeafNode & { leaf: AttrLeaf } }) {
  const { entity, errors } = useBuilder()
  const set = useLeafEditor(node.id, 'attr')
  const a = attrOf(entity, node.leaf.attr)
  const errs = errors.get(node.id) ?? []
  if (!a) return null
  return (
    <AttrValue
      entity={entity}
      a={a}
      op={node.leaf.op}
      value={node.leaf.value}
      onChange={(value) => set(() => ({ value }))}
      invalidField={(f) => errs.some((e) => e.field === f || (f === 'value' && e.field.startsWith('value')))}
    />
  )
}

/** The editor of one leaf condition, by kind. */
export function LeafEditor({ node }: { node: LeafNode }) {
  switch (node.leaf.kind) {
    case 'attr':
      return <AttrEditor node={node as LeafNode & { leaf: AttrLeaf }} />
    case 'event':
      return <EventEditor node={node as LeafNode & { leaf: Extract<Leaf, { kind: 'event' }> }} />
    case 'segment':
      return <SegmentRefEditor node={node as LeafNode & { leaf: Extract<Leaf, { kind: 'segment' }> }} />
    case 'list':
      return <ListEditor node={node as LeafNode & { leaf: Extract<Leaf, { kind: 'list' }> }} />
  }
}
