/**
 * Customer-success alert rules: at-risk ARR, an at-risk account renewing soon, an NPS
 * drop and a low NPS, each against its threshold. Pure.
 */
import type { Alert } from '../../contract/report.js';
import { formatMoney, type CurrencyCode } from '../../shared/money.js';
import { checkThreshold } from '../thresholds.js';
import type { CustomerSuccessFigures } from './metrics.js';
import type { AccountRisk } from './risk.js';
import type { CustomerSuccessThresholds } from './settings.js';

/** Amounts in messages are written in `currency` (@default 'USD'). */
export function customerSuccessAlerts(
  f: CustomerSuccessFigures,
  t: CustomerSuccessThresholds,
  currency?: CurrencyCode,
): Alert[] {
  const { atRisk, atRiskRenewing, nps } = f;
  const describe = (r: AccountRisk) =>
    `${r.name} (${r.renewalDate}, ${formatMoney(r.arrCents, currency)} ARR, risk ${r.score})`;
  const one = atRiskRenewing.length === 1;
  return [
    ...checkThreshold({
      id: 'customer-success.at-risk-arr',
      metric: 'atRiskArrPct',
      value: f.metrics.atRiskArrPct ?? null,
      op: '>',
      warning: t.at_risk_arr_pct_warning,
      critical: t.at_risk_arr_pct_critical,
      message: (v, th) =>
        `${formatMoney(f.atRiskArrCents, currency)} ARR (${v}%) sits in ${atRisk.length} at-risk accounts, above ${th}%`,
    }),
    ...checkThreshold({
      id: 'customer-success.renewal-at-risk',
      metric: 'nextAtRiskRenewalDays',
      value: f.nextAtRiskRenewalDays,
      op: '<=',
      warning: t.renewal_at_risk_days,
      critical: t.renewal_at_risk_critical_days,
      message: (v, th) =>
        `${atRiskRenewing.length} at-risk account${one ? '' : 's'} renew${one ? 's' : ''} within ${t.renewal_at_risk_days} days, the first in ${v} days (<= ${th}): ${atRiskRenewing.map(describe).join('; ')}`,
    }),
    ...checkThreshold({
      id: 'customer-success.nps-drop',
      metric: 'npsChange',
      value: nps.npsChange,
      op: '<=',
      warning: -t.nps_drop_warning_pts,
      critical: -t.nps_drop_critical_pts,
      message: (v, th) =>
        `NPS fell ${-v} points to ${nps.nps} (${nps.recent.length} responses) from ${nps.npsPrevious} in the previous ${t.nps_window_days} days (${nps.earlier.length} responses); alert at ${-th} points`,
    }),
    ...checkThreshold({
      id: 'customer-success.nps-low',
      metric: 'nps',
      value: nps.nps,
      op: '<',
      warning: t.nps_warning,
      critical: t.nps_critical,
      message: (v, th) => `NPS is ${v} over ${nps.recent.length} responses, below ${th}`,
    }),
  ];
}
