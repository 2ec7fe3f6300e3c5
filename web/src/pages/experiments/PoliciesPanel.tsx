import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { Panel } from '../../components/Panel'
import { EmptyState, ErrorNotice, LoadingBlock } from '../../components/States'
import { useI18n, type MessageKey } from '../../i18n'
import { expKeys, policiesQuery, savePolicy, type PolicyConfig } from './api'

const TIERS = ['mass', 'sub_premium', 'premium'] as const

/** The base incentive amounts in fen (DESIGN §11): the starting point of a new policy. */
export const BASE_CONFIG: PolicyConfig = {
  stock_in_fen_per_case: { mass: 200, sub_premium: 800, premium: 2000 },
  sell_through_fen_per_bottle: { mass: 100, sub_premium: 500, premium: 1500 },
  red_envelope_fen: { mass: [88, 888], sub_premium: [500, 3000], premium: [1000, 10000] },
  distributor_bonus_fen_per_open: { mass: 50, sub_premium: 200, premium: 500 },
}

type AmountField = 'stock_in_fen_per_case' | 'sell_through_fen_per_bottle' | 'distributor_bonus_fen_per_open'
const ROWS: { field: AmountField; label: MessageKey }[] = [
  { field: 'stock_in_fen_per_case', label: 'exp.policy.stockIn' },
  { field: 'sell_through_fen_per_bottle', label: 'exp.policy.sellThrough' },
  { field: 'distributor_bonus_fen_per_open', label: 'exp.policy.bonus' },
]

const yuan = (fen: number) => (fen / 100).toFixed(2)

/** Policies (versioned incentive configurations) and a form for a new one, amounts in yuan. */
export function PoliciesPanel() {
  const i18n = useI18n()
  const { t } = i18n
  const qc = useQueryClient()
  const policies = useQuery(policiesQuery())
  const [open, setOpen] = useState(false)
  const [name, setName] = useState('')
  const [config, setConfig] = useState<PolicyConfig>(BASE_CONFIG)
  const save = useMutation({
    mutationFn: () => savePolicy({ name, note: '', config }),
    onSuccess: () => {
      setOpen(false)
      setName('')
      setConfig(BASE_CONFIG)
      return qc.invalidateQueries({ queryKey: expKeys.policies() })
    },
  })
  const fen = (v: string) => Math.max(0, Math.round(Number(v) * 100) || 0)
  const setAmount = (field: AmountField, tier: (typeof TIERS)[number], v: string) => setConfig((c) => ({ ...c, [field]: { ...c[field], [tier]: fen(v) } }))
  const setEnvelope = (tier: (typeof TIERS)[number], k: 0 | 1, v: string) =>
    setConfig((c) => {
      const r: [number, number] = [...c.red_envelope_fen[tier]]
      r[k] = fen(v)
      return { ...c, red_envelope_fen: { ...c.red_envelope_fen, [tier]: r } }
    })
  return (
    <Panel
      title={t('exp.policies.title')}
      description={t('exp.policies.lead')}
      testId="exp-policies"
      actions={
        <button type="button" className="btn btn-small" data-testid="exp-policy-new" onClick={() => setOpen((o) => !o)}>
          {open ? t('exp.cancel') : t('exp.policies.new')}
        </button>
      }
    >
      {open ? (
        <form className="exp-policy-form" onSubmit={(e) => (e.preventDefault(), save.mutate())}>
          <label className="exp-field">
            <span>{t('exp.field.name')}</span>
            <input className="exp-input" data-testid="exp-policy-name" required value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <table className="table exp-amounts">
            <thead>
              <tr>
                <th>{t('exp.policy.yuan')}</th>
                {TIERS.map((tier) => <th key={tier} className="num">{t(`exp.tier.${tier}`)}</th>)}
              </tr>
            </thead>
            <tbody>
              {ROWS.map((r) => (
                <tr key={r.field}>
                  <th>{t(r.label)}</th>
                  {TIERS.map((tier) => (
                    <td key={tier} className="num">
                      <input className="exp-input exp-num" type="number" min={0} step="0.01" data-testid={`exp-policy-${r.field}-${tier}`}
                        aria-label={`${t(r.label)} ${t(`exp.tier.${tier}`)}`} value={yuan(config[r.field][tier])} onChange={(e) => setAmount(r.field, tier, e.target.value)} />
                    </td>
                  ))}
                </tr>
              ))}
              <tr>
                <th>{t('exp.policy.envelope')}</th>
                {TIERS.map((tier) => (
                  <td key={tier} className="num nowrap">
                    {([0, 1] as const).map((k) => (
                      <input key={k} className="exp-input exp-num exp-num-half" type="number" min={0} step="0.01" aria-label={`${t('exp.policy.envelope')} ${t(`exp.tier.${tier}`)} ${k ? 'max' : 'min'}`}
                        value={yuan(config.red_envelope_fen[tier][k])} onChange={(e) => setEnvelope(tier, k, e.target.value)} />
                    ))}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>
          {save.isError ? <ErrorNotice what={t('exp.policies.new')} error={save.error} /> : null}
          <button type="submit" className="btn exp-btn-primary" data-testid="exp-policy-save" disabled={!name.trim() || save.isPending}>
            {t('exp.save')}
          </button>
        </form>
      ) : null}
      {policies.isPending ? (
        <LoadingBlock lines={2} />
      ) : policies.isError ? (
        <ErrorNotice what={t('exp.policies.title')} error={policies.error} onRetry={policies.refetch} />
      ) : policies.data.policies.length === 0 ? (
        <EmptyState>{t('exp.policies.empty')}</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="exp-policy-table">
            <thead>
              <tr>
                <th>{t('exp.field.name')}</th>
                <th className="num">{t('exp.policy.version')}</th>
                <th className="num">{t('exp.policy.sellThrough')}</th>
                <th className="num">{t('exp.policy.stockIn')}</th>
                <th className="num">{t('exp.policy.envelope')}</th>
              </tr>
            </thead>
            <tbody>
              {policies.data.policies.map((p) => (
                <tr key={p.id}>
                  <th>{p.name}</th>
                  <td className="num tabular">v{p.version}</td>
                  <td className="num tabular">{TIERS.map((x) => yuan(p.config.sell_through_fen_per_bottle[x])).join(' / ')}</td>
                  <td className="num tabular">{TIERS.map((x) => yuan(p.config.stock_in_fen_per_case[x])).join(' / ')}</td>
                  <td className="num tabular">{TIERS.map((x) => p.config.red_envelope_fen[x].map(yuan).join('–')).join(' / ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  )
}
