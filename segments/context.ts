/** What a rule is checked, compiled and evaluated against: its entity, its date, and the saved things it may reference. */
import type { Entity } from './catalog.js'
import type { Rule } from './rule.js'

export interface SavedSegment {
  id: string
  entity: Entity
  rule: Rule
  name?: string
}

export interface SavedList {
  id: string
  entity: Entity
  name?: string
}

export interface RuleContext {
  entity: Entity
  /** Local date (Asia/Shanghai) the rule is evaluated as of; windows end before it. */
  asOf: string
  /** The latest rule of a saved segment, or undefined when there is none. */
  segment?: (id: string) => SavedSegment | undefined
  list?: (id: string) => SavedList | undefined
  /** The id of the segment this rule belongs to (when saving it), so a reference back to it is a cycle. */
  self?: string
}
