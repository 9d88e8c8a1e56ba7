/**
 * The customer-success figures: NPS and its trend, customer churn and revenue retention
 * of the month's start cohort (from the subscription history shared with finance), and
 * the accounts at risk, their ARR and their renewals. Pure: `today` comes in.
 */
import type { Account, NpsResponse } from '../../contract/datasets/customer-success.js';
import type { Subscription } from '../../contract/datasets/finance.js';
import type { AgentContext } from '../../contract/report.js';
import { addMonths, endOfMonth, monthOf } from '../../shared/dates.js';
import { centsToUnits } from '../../shared/money.js';
import { percent, sumBy } from '../../shared/numbers.js';
import { cohortRetention } from '../finance-mrr.js';
import { npsFigures, type NpsFigures } from './nps.js';
import { accountRisks, type AccountRisk, type RiskSignal } from './risk.js';
import type { CustomerSuccessThresholds } from './settings.js';

/** The datasets customer success reads (its input without the settings). */
export interface CustomerSuccessData {
  accounts: readonly Account[];
  nps: readonly NpsResponse[];
  subscriptions: readonly Subscription[];
}

export interface RiskFigures {
  /** Every paying account, by customer id. */
  risks: AccountRisk[];
  /** The accounts at risk, riskiest first (then larger ARR, then id). */
  atRisk: AccountRisk[];
  trackedArrCents: number;
  atRiskArrCents: number;
  /** Every paying account renewing within renewal_window_days. */
  renewing: AccountRisk[];
  /** At-risk accounts renewing within renewal_at_risk_days, soonest first. */
  atRiskRenewing: AccountRisk[];
  nextAtRiskRenewalDays: number | null;
}

export interface CustomerSuccessFigures extends RiskFigures {
  metrics: Record<string, number | null>;
  nps: NpsFigures;
}

/** Accounts renewing from today up to `days` days ahead. */
function renewingWithin(list: readonly AccountRisk[], days: number): AccountRisk[] {
  return list.filter(
    (r) => r.daysToRenewal !== undefined && r.daysToRenewal >= 0 && r.daysToRenewal <= days,
  );
}

/** Which accounts are at risk, how much ARR they carry and when they renew. */
export function riskFigures(risks: AccountRisk[], t: CustomerSuccessThresholds): RiskFigures {
  const atRisk = risks
    .filter((r) => r.score >= t.risk_score_at_risk)
    .sort(
      (x, y) =>
        y.score - x.score || y.arrCents - x.arrCents || x.customerId.localeCompare(y.customerId),
    );
  const atRiskInWindow = renewingWithin(atRisk, t.renewal_window_days);
  return {
    risks,
    atRisk,
    trackedArrCents: sumBy(risks, (r) => r.arrCents),
    atRiskArrCents: sumBy(atRisk, (r) => r.arrCents),
    renewing: renewingWithin(risks, t.renewal_window_days),
    atRiskRenewing: renewingWithin(atRisk, t.renewal_at_risk_days).sort(
      (x, y) => x.daysToRenewal! - y.daysToRenewal! || y.arrCents - x.arrCents,
    ),
    nextAtRiskRenewalDays:
      atRiskInWindow.length > 0 ? Math.min(...atRiskInWindow.map((r) => r.daysToRenewal!)) : null,
  };
}

/** Churn and retention of the start cohort of the month to date, and of the last month. */
export function retentionMetrics(
  subs: readonly Subscription[],
  today: string,
): Record<string, number | null> {
  const thisMonth = monthOf(today);
  const lastMonth = addMonths(thisMonth, -1);
  const mtd = cohortRetention(subs, `${thisMonth}-01`, today);
  const prev = cohortRetention(subs, `${lastMonth}-01`, endOfMonth(lastMonth));
  return {
    customersLost: mtd.lostCustomers,
    customerChurnRatePct: percent(mtd.lostCustomers, mtd.startCustomers, 2),
    grrPct: percent(mtd.retainedAnnual, mtd.startAnnual, 2),
    nrrPct: percent(mtd.endAnnual, mtd.startAnnual, 2),
    customerChurnRatePctLastMonth: percent(prev.lostCustomers, prev.startCustomers, 2),
    grrPctLastMonth: percent(prev.retainedAnnual, prev.startAnnual, 2),
    nrrPctLastMonth: percent(prev.endAnnual, prev.startAnnual, 2),
  };
}

/** Every customer-success metric, and the figures the alerts, tasks and health read. */
export function customerSuccessMetrics(
  input: CustomerSuccessData,
  t: CustomerSuccessThresholds,
  ctx: Pick<AgentContext, 'today'>,
): CustomerSuccessFigures {
  const nps = npsFigures(input.nps, t.nps_window_days, ctx.today);
  const risks = accountRisks({ ...input, latestNps: nps.latestByCustomer }, t, ctx.today);
  const r = riskFigures(risks, t);
  const withCsData = new Set(input.accounts.map((a) => a.customer_id));
  const withSignal = (s: RiskSignal) => risks.filter((x) => x.signals.includes(s)).length;
  const arrOf = (list: readonly AccountRisk[]) => centsToUnits(sumBy(list, (x) => x.arrCents));
  const metrics: Record<string, number | null> = {
    accounts: risks.length,
    trackedArr: centsToUnits(r.trackedArrCents),
    accountsWithoutCsData: risks.filter((x) => !withCsData.has(x.customerId)).length,
    nps: nps.nps,
    npsResponses: nps.recent.length,
    npsPrevious: nps.npsPrevious,
    npsChange: nps.npsChange,
    ...retentionMetrics(input.subscriptions, ctx.today),
    atRiskAccounts: r.atRisk.length,
    atRiskArr: centsToUnits(r.atRiskArrCents),
    atRiskArrPct: percent(r.atRiskArrCents, r.trackedArrCents, 2),
    highestRiskScore: risks.length > 0 ? Math.max(...risks.map((x) => x.score)) : null,
    usageDropAccounts: withSignal('usage_drop'),
    inactiveCustomers: withSignal('inactive'),
    paymentFailureAccounts: withSignal('payment_failure'),
    npsDetractorAccounts: withSignal('nps_detractor'),
    highTicketAccounts: withSignal('support_tickets'),
    renewalNearAccounts: withSignal('renewal_near'),
    lowSeatUsageAccounts: withSignal('low_seat_usage'),
    noContactAccounts: withSignal('no_contact'),
    renewalsNext90Days: r.renewing.length,
    renewalArrNext90Days: arrOf(r.renewing),
    atRiskRenewalsNext30Days: r.atRiskRenewing.length,
    atRiskRenewalArrNext30Days: arrOf(r.atRiskRenewing),
    nextAtRiskRenewalDays: r.nextAtRiskRenewalDays,
  };
  return { ...r, metrics, nps };
}
