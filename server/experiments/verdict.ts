/**
 * Plain-language verdicts (zh/en) for a comparison and for an experiment. They say what the
 * interval says, never more: "no detectable difference" comes with the range of effects the
 * data cannot rule out, because an insignificant result is not evidence of no effect.
 */
import type { Comparison } from '../stats/index.js'

export interface Text {
  en: string
  zh: string
}

export interface VerdictInput {
  arm: string
  control: string
  label: Text
  higherIsBetter: boolean
  role: 'primary' | 'secondary' | 'guardrail'
  /** The relative-lift comparison. */
  lift: Comparison
  /** p-value the decision uses (adjusted when corrected). */
  p: number
  alpha: number
}

/** Outcome of one comparison: better, worse (in the metric's good direction), or inconclusive. */
export type Outcome = 'better' | 'worse' | 'inconclusive' | 'error'

const pct = (x: number | null) => (x === null ? '∞' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`)
const range = (ci: [number | null, number | null]) => `${ci[0] === null ? '−∞' : pct(ci[0])} … ${pct(ci[1])}`

/** The outcome of a comparison at level α. */
export function outcome(v: Pick<VerdictInput, 'lift' | 'p' | 'alpha' | 'higherIsBetter'>): Outcome {
  if (v.lift.error) return 'error'
  if (!(v.p < v.alpha)) return 'inconclusive'
  return v.lift.estimate > 0 === v.higherIsBetter ? 'better' : 'worse'
}

/**
 * One sentence per language for a treatment-vs-control comparison.
 * @example verdict({ arm: 'b', control: 'control', label: { en: 'Opened bottles', zh: '开瓶数' }, higherIsBetter: true, role: 'primary', lift, p: 0.01, alpha: 0.05 })
 *   // { en: 'b raises Opened bottles by +12.0% (95% CI +4.1% … +19.9%) over control.', zh: … }
 */
export function verdict(v: VerdictInput): Text {
  const level = `${Math.round((1 - v.alpha) * 1000) / 10}%`
  const est = pct(v.lift.estimate)
  const ci = range(v.lift.ci)
  const o = outcome(v)
  const up = v.lift.estimate > 0
  switch (o) {
    case 'error':
      return { en: `${v.arm} cannot be compared with ${v.control} on ${v.label.en}: ${v.lift.error}.`, zh: `${v.arm} 与 ${v.control} 的「${v.label.zh}」无法比较：${v.lift.error}。` }
    case 'inconclusive':
      return {
        en: `No detectable difference in ${v.label.en} between ${v.arm} and ${v.control} yet: the lift could be anywhere in ${ci} (${level} CI).`,
        zh: `${v.arm} 与 ${v.control} 的「${v.label.zh}」暂无可检测的差异：提升可能在 ${ci} 之间（${level} 置信区间）。`,
      }
    case 'better':
      return {
        en: `${v.arm} ${up ? 'raises' : 'lowers'} ${v.label.en} by ${est} (${level} CI ${ci}) compared with ${v.control}: an improvement.`,
        zh: `与 ${v.control} 相比，${v.arm} 使「${v.label.zh}」${up ? '提高' : '降低'} ${est}（${level} 置信区间 ${ci}），是改善。`,
      }
    case 'worse':
      if (v.role === 'guardrail')
        return {
          en: `Guardrail breached: ${v.arm} worsens ${v.label.en} by ${est} (${level} CI ${ci}) compared with ${v.control}.`,
          zh: `护栏指标被突破：与 ${v.control} 相比，${v.arm} 使「${v.label.zh}」变差 ${est}（${level} 置信区间 ${ci}）。`,
        }
      return {
        en: `${v.arm} ${up ? 'raises' : 'lowers'} ${v.label.en} by ${est} (${level} CI ${ci}) compared with ${v.control}: worse than control.`,
        zh: `与 ${v.control} 相比，${v.arm} 使「${v.label.zh}」${up ? '提高' : '降低'} ${est}（${level} 置信区间 ${ci}），比对照组差。`,
      }
  }
}

/** The experiment in one sentence: SRM first (nothing else can be trusted), then the primary metric and guardrails. */
export function overallVerdict(o: {
  srmP: number
  primary: Text
  results: { arm: string; outcome: Outcome; role: VerdictInput['role'] }[]
  hasData: boolean
}): Text {
  if (!o.hasData) return { en: 'No data in the analysis window yet.', zh: '分析窗口内还没有数据。' }
  if (o.srmP < 0.001)
    return {
      en: `Sample ratio mismatch (p = ${o.srmP.toExponential(1)}): the arms' sizes do not match their weights, so the assignment or the data is broken. Do not act on these results until this is explained.`,
      zh: `样本比例失衡（p = ${o.srmP.toExponential(1)}）：各组规模与设定权重不符，分组或数据有问题。查明原因前请勿依据这些结果决策。`,
    }
  const breached = [...new Set(o.results.filter((r) => r.role === 'guardrail' && r.outcome === 'worse').map((r) => r.arm))]
  const winners = o.results.filter((r) => r.role === 'primary' && r.outcome === 'better').map((r) => r.arm).filter((a) => !breached.includes(a))
  const losers = o.results.filter((r) => r.role === 'primary' && r.outcome === 'worse').map((r) => r.arm)
  const guard = breached.length ? { en: ` Guardrails breached by ${breached.join(', ')}.`, zh: ` ${breached.join('、')} 突破了护栏指标。` } : { en: '', zh: '' }
  if (winners.length)
    return { en: `${winners.join(', ')} beats the control on ${o.primary.en}.${guard.en}`, zh: `${winners.join('、')} 在「${o.primary.zh}」上优于对照组。${guard.zh}` }
  if (losers.length)
    return { en: `${losers.join(', ')} does worse than the control on ${o.primary.en}.${guard.en}`, zh: `${losers.join('、')} 在「${o.primary.zh}」上不如对照组。${guard.zh}` }
  return {
    en: `No arm differs detectably from the control on ${o.primary.en} yet.${guard.en}`,
    zh: `目前没有任何实验组在「${o.primary.zh}」上与对照组有可检测的差异。${guard.zh}`,
  }
}
