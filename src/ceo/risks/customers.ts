/**
 * Customer risks: churn against new-logo hunting, satisfaction against support load,
 * revenue concentration in renewals at risk. docs/risks.md documents each rule.
 */
import { defineRisk, notEvaluable, type RiskRule } from '../risk-engine.js';
import { actBy, addDays, changePct, count, endOfThisMonth, money, num, toCents } from './format.js';

/**
 * Churn rising (this month so far against last month, or at-risk ARR against
 * ~`lookback_days` ago) while sales works an open pipeline. The month so far is
 * partial, so churn that already exceeds last month's can only grow: no false alarm.
 * The open pipeline stands for new logos (deals.csv does not mark upgrades apart).
 */
export const churnRisingWhileChasingNewLogos = defineRisk({
  id: 'churn-rising-while-chasing-new-logos',
  title: 'Churn rising while sales chases new logos',
  severity: 'warning',
  needs: [
    'finance.grossMrrChurnPct',
    'finance.grossMrrChurnPctLastMonth',
    'sales.openDeals',
    'sales.weightedPipeline',
  ],
  thresholds: { churn_rise_pts: 0.5, at_risk_rise_pct: 10, lookback_days: 30 },
  evaluate(m, t, ctx) {
    const churn = m('finance.grossMrrChurnPct');
    const churnBefore = m('finance.grossMrrChurnPctLastMonth');
    const deals = m('sales.openDeals');
    if (deals <= 0) return null;
    const atRisk = m.optional('customer-success.atRiskArr');
    const atRiskPct = m.optional('customer-success.atRiskArrPct');
    const atRiskBefore =
      atRisk === null ? null : m.past('customer-success.atRiskArr', t.lookback_days);
    const churnRising = churn - churnBefore >= t.churn_rise_pts;
    const atRiskChange =
      atRisk === null || atRiskBefore === null
        ? null
        : atRiskBefore > 0
          ? changePct(atRisk, atRiskBefore)
          : atRisk > 0
            ? Infinity
            : null;
    const atRiskRising = atRiskChange !== null && atRiskChange >= t.at_risk_rise_pct;
    // Written so an unknown churn (NaN) does not rule the risk out.
    if (churn - churnBefore < t.churn_rise_pts && !atRiskRising) return null;
    const parts: string[] = [];
    if (churnRising) {
      parts.push(
        `gross MRR churn is ${num(churn, 2)}% this month so far, up from ${num(churnBefore, 2)}% last month`,
      );
    }
    const share = atRiskPct !== null ? ` (${num(atRiskPct, 2)}% of ARR)` : '';
    if (atRiskRising && atRisk !== null && atRiskBefore !== null) {
      const by = Number.isFinite(atRiskChange) ? ` ${num(atRiskChange)}%` : '';
      parts.push(
        `at-risk ARR rose${by} to ${money(atRisk, ctx.currency)}${share} from ${money(atRiskBefore, ctx.currency)} ${t.lookback_days} days ago`,
      );
    } else if (atRisk !== null && atRisk > 0) {
      parts.push(`${money(atRisk, ctx.currency)} ARR${share} sits in at-risk accounts`);
    }
    const text = parts.join(', and ');
    return {
      message:
        `${text.charAt(0).toUpperCase()}${text.slice(1)}, while sales works ${count(deals, 'open deal')} ` +
        `(${money(m('sales.weightedPipeline'), ctx.currency)} weighted): retention is losing ground to new logos`,
      action: {
        title:
          atRisk !== null && atRisk > 0
            ? `Put retention first: save the ${money(atRisk, ctx.currency)} at-risk ARR`
            : 'Put retention first: find why churn rose',
        ...(atRisk !== null && atRisk > 0 ? { moneyAtStakeCents: toCents(atRisk) } : {}),
        deadline: actBy(ctx.today, 'warning'),
        energyDemand: 'medium',
        tags: ['retention', 'revenue'],
      },
    };
  },
});

/** NPS down (last 90 days against the 90 before) while ticket-heavy accounts increase. */
export const npsFallingTicketsRising = defineRisk({
  id: 'nps-falling-tickets-rising',
  title: 'NPS falling while support tickets rise',
  severity: 'warning',
  needs: [
    'customer-success.npsChange',
    'customer-success.nps',
    'customer-success.npsPrevious',
    'customer-success.highTicketAccounts',
  ],
  thresholds: { nps_drop_pts: 10, ticket_accounts_rise: 1, lookback_days: 30 },
  evaluate(m, t, ctx) {
    const change = m('customer-success.npsChange');
    if (change > -t.nps_drop_pts) return null;
    const tickets = m('customer-success.highTicketAccounts');
    const before = m.past('customer-success.highTicketAccounts', t.lookback_days);
    if (before === null) {
      return notEvaluable(
        `no customer-success.highTicketAccounts from ~${t.lookback_days} days ago in the history yet, so whether tickets rose while NPS fell ${num(-change)} points cannot be told`,
      );
    }
    if (tickets - before < t.ticket_accounts_rise) return null;
    return {
      message:
        `NPS fell ${num(-change)} points to ${num(m('customer-success.nps'))} (from ` +
        `${num(m('customer-success.npsPrevious'))}) while accounts with many open tickets rose from ` +
        `${before} to ${tickets} in ${t.lookback_days} days: customers are less happy and need more help`,
      action: {
        title: 'Find what drives the support tickets behind the NPS drop',
        deadline: actBy(ctx.today, 'warning'),
        energyDemand: 'medium',
        tags: ['retention'],
      },
    };
  },
});

/**
 * Revenue concentration meeting a renewal at risk: the at-risk accounts renewing within
 * 30 days (customer success's `renewal_at_risk_days`), when one of them is at least
 * `customer_share_pct` of MRR. The agents report the renewals' total ARR and count, not
 * each account's, so the largest account's share is taken at its lower bound, the
 * average (`ARR / count`): exact with one renewal, never an overstatement with several.
 * A customer's share of ARR equals its share of MRR (ARR = MRR x 12).
 */
export const concentrationRenewalAtRisk = defineRisk({
  id: 'concentration-renewal-at-risk',
  title: 'Large customer renewal at risk',
  severity: 'warning',
  needs: [
    'customer-success.atRiskRenewalsNext30Days',
    'customer-success.atRiskRenewalArrNext30Days',
    'customer-success.trackedArr',
  ],
  thresholds: { customer_share_pct: 5, critical_customer_share_pct: 15 },
  evaluate(m, t, ctx) {
    const renewals = m('customer-success.atRiskRenewalsNext30Days');
    const arr = m('customer-success.atRiskRenewalArrNext30Days');
    const total = m('customer-success.trackedArr');
    if (renewals <= 0 || total <= 0 || arr <= 0) return null;
    const largest = arr / renewals;
    const share = (largest / total) * 100;
    if (share < t.customer_share_pct) return null;
    const inDays = m.optional('customer-success.nextAtRiskRenewalDays');
    const first = inDays !== null ? ` (the first in ${inDays} days)` : '';
    const severity = share >= t.critical_customer_share_pct ? 'critical' : 'warning';
    const threshold = `(at or above ${t.customer_share_pct}%)`;
    return {
      severity,
      message:
        renewals === 1
          ? `An at-risk account worth ${money(arr, ctx.currency)} ARR renews within 30 days${inDays !== null ? ` (in ${inDays} days)` : ''}: ` +
            `${num(share, 2)}% of MRR rides on one renewal ${threshold}`
          : `${renewals} at-risk accounts renew within 30 days${first} with ${money(arr, ctx.currency)} ARR, ` +
            `${num((arr / total) * 100, 2)}% of MRR; the ${renewals === 2 ? 'larger' : 'largest'} alone is ` +
            `at least ${money(largest, ctx.currency)}, ${num(share, 2)}% of MRR ${threshold}`,
      action: {
        title: `Secure the at-risk renewals (${money(arr, ctx.currency)} ARR within 30 days)`,
        moneyAtStakeCents: toCents(arr),
        deadline: inDays !== null ? addDays(ctx.today, inDays) : actBy(ctx.today, severity),
        energyDemand: 'high',
        tags: ['retention', 'revenue'],
      },
    };
  },
});

/** Net revenue retention below 100% while acquisition spend goes up: a leaky bucket. */
export const nrrBelow100WhileSpendGrows = defineRisk({
  id: 'nrr-below-100-while-spend-grows',
  title: 'Leaky bucket: retention below 100% while acquisition spend grows',
  severity: 'warning',
  needs: [
    'customer-success.nrrPctLastMonth',
    'marketing.spendChangePct',
    'marketing.spend',
    'marketing.spendPrevious',
  ],
  thresholds: { nrr_pct: 100, spend_increase_pct: 10 },
  evaluate(m, t, ctx) {
    const nrr = m('customer-success.nrrPctLastMonth');
    const spendChange = m('marketing.spendChangePct');
    if (nrr >= t.nrr_pct || spendChange < t.spend_increase_pct) return null;
    return {
      message:
        `Net revenue retention was ${num(nrr, 2)}% last month (below ${t.nrr_pct}%) while marketing ` +
        `spend rose ${num(spendChange)}% to ${money(m('marketing.spend'), ctx.currency)} (from ` +
        `${money(m('marketing.spendPrevious'), ctx.currency)}): new customers refill a leaking base`,
      action: {
        title: 'Fix retention before scaling acquisition spend',
        deadline: endOfThisMonth(ctx.today),
        energyDemand: 'medium',
        tags: ['retention', 'growth'],
      },
    };
  },
});

/** Many ticket-heavy accounts while the delivery team (which also does support) is full. */
export const supportLoadOnFullTeam = defineRisk({
  id: 'support-load-on-full-team',
  title: 'Support load on a fully booked team',
  severity: 'warning',
  needs: ['customer-success.highTicketAccounts', 'operations.utilization'],
  thresholds: { ticket_accounts: 3, utilization_pct: 95 },
  evaluate(m, t, ctx) {
    const accounts = m('customer-success.highTicketAccounts');
    const util = m('operations.utilization');
    if (accounts < t.ticket_accounts || util < t.utilization_pct) return null;
    return {
      message:
        `${count(accounts, 'account has', 'accounts have')} many open tickets (at or above ${t.ticket_accounts}) ` +
        `while the team is ${num(util)}% booked this week (at or above ${t.utilization_pct}%): support will wait`,
      action: {
        title: `Make room for support: ${count(accounts, 'account')} with many open tickets`,
        deadline: addDays(ctx.today, 7),
        energyDemand: 'medium',
        tags: ['retention', 'delivery'],
      },
    };
  },
});

export const CUSTOMER_RULES: RiskRule[] = [
  churnRisingWhileChasingNewLogos,
  npsFallingTicketsRising,
  concentrationRenewalAtRisk,
  nrrBelow100WhileSpendGrows,
  supportLoadOnFullTeam,
];
