/**
 * Marketing alert rules: CAC rising, leads dropping, and a channel that spent without
 * winning a customer. Pure.
 */
import { subjectKey, type Alert } from '../../contract/report.js';
import { centsToUnits, formatMoney, type CurrencyCode } from '../../shared/money.js';
import { checkThreshold } from '../thresholds.js';
import type { ChannelFunnel, MarketingFigures } from './metrics.js';
import type { MarketingThresholds } from './settings.js';

/** Channels that spent more than channel_no_customers_min_spend and won no customer. */
export function idleChannels(f: MarketingFigures, t: MarketingThresholds): ChannelFunnel[] {
  const minSpendCents = Math.round(t.channel_no_customers_min_spend * 100);
  return f.channels.filter((c) => c.newCustomers === 0 && c.spendCents > minSpendCents);
}

/** Amounts in messages are written in `currency` (@default 'USD'). */
export function marketingAlerts(
  f: MarketingFigures,
  t: MarketingThresholds,
  currency?: CurrencyCode,
): Alert[] {
  const money = (c: number) => formatMoney(c, currency);
  const { cur, prev, period } = f;
  return [
    ...checkThreshold({
      id: 'marketing.cac-rising',
      metric: 'cacChangePct',
      value: f.metrics.cacChangePct ?? null,
      op: '>',
      warning: t.cac_increase_warning_pct,
      critical: t.cac_increase_critical_pct,
      message: (v, th) =>
        `CAC rose ${v}% in ${period} to ${money(cur.cacCents ?? 0)} (from ${money(prev.cacCents ?? 0)}), above +${th}%`,
    }),
    ...checkThreshold({
      id: 'marketing.leads-dropping',
      metric: 'leadsChangePct',
      value: f.metrics.leadsChangePct ?? null,
      op: '<',
      warning: t.leads_change_warning_pct,
      critical: t.leads_change_critical_pct,
      message: (v, th) =>
        `Leads changed ${v}% in ${period} (${prev.leads} -> ${cur.leads}), below ${th}%`,
    }),
    ...idleChannels(f, t).map((c): Alert => ({
      id: 'marketing.channel-no-customers',
      severity: 'warning',
      message: `${c.name} spent ${money(c.spendCents)} in ${period} (${c.leads} leads, ${c.mqls} MQLs) and won no customer`,
      metric: `spend.${c.name}`,
      subject: subjectKey('channel', c.name),
      value: centsToUnits(c.spendCents),
      threshold: t.channel_no_customers_min_spend,
    })),
  ];
}
