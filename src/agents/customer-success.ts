/**
 * Customer success: NPS and its trend, customer churn and revenue retention (from the
 * subscription history shared with finance), a churn-risk score per paying account
 * from documented signals, at-risk ARR, inactive customers and at-risk renewals.
 * Formulas, units, periods and thresholds: docs/metrics/customer-success.md.
 */
import { z } from 'zod';
import { defineAgent } from '../contract/agent.js';
import type { Alert, TaskInput } from '../contract/report.js';
import { annualByCustomer, cohortRetention, countsOn } from './finance-mrr.js';
import { Subscription } from '../contract/datasets/finance.js';
import { addDays, addMonths, daysBetween, endOfMonth, monthOf } from '../shared/dates.js';
import { centsToUnits, formatMoney, formatMoneyShort } from '../shared/money.js';
import { checkThreshold, healthFromAlerts } from './thresholds.js';
import { integer, isoDate, rowsUniqueBy, settingsFile, text } from '../contract/fields.js';
import { percent, round, sumBy } from '../shared/numbers.js';
import { slug } from '../shared/text.js';

export const CUSTOMER_SUCCESS_THRESHOLDS = {
  /** NPS below this: warning. */
  nps_warning: 30,
  /** NPS below this: critical. */
  nps_critical: 0,
  /** NPS down at least this many points on the previous window: warning. */
  nps_drop_warning_pts: 10,
  /** ... at least this many points: critical. */
  nps_drop_critical_pts: 25,
  /** NPS uses responses of the last this-many days; the trend compares the window before. */
  nps_window_days: 90,
  /** At-risk ARR above this percent of tracked ARR: warning. */
  at_risk_arr_pct_warning: 10,
  /** ... above this percent: critical. */
  at_risk_arr_pct_critical: 25,
  /** An account whose risk score reaches this is at risk (0..100). */
  risk_score_at_risk: 40,
  /** Signal "usage drop": active users down at least this % on the previous 30 days. */
  usage_drop_pct: 30,
  /** Signal "low seat usage": fewer than this % of licensed seats active. */
  seat_usage_min_pct: 40,
  /** Signal "inactive": no product activity for more than this many days. */
  inactive_days: 30,
  /** Signal "no contact": no conversation for more than this many days. */
  no_contact_days: 45,
  /** Signal "support tickets": at least this many open tickets. */
  open_tickets_at_risk: 5,
  /** Signal "renewal near": renewal within this many days. */
  renewal_near_days: 60,
  /** `renewalsNext90Days` and the renewal deadline of save tasks use this window. */
  renewal_window_days: 90,
  /** An at-risk account renewing within this many days: warning. */
  renewal_at_risk_days: 30,
  /** ... within this many days: critical. */
  renewal_at_risk_critical_days: 7,
  /** Risk points per signal (the score is their sum, clamped to 0..100). */
  weight_usage_drop: 25,
  weight_inactive: 30,
  weight_payment_failure: 25,
  weight_nps_detractor: 20,
  weight_support_tickets: 15,
  weight_renewal_near: 15,
  weight_low_seat_usage: 10,
  weight_no_contact: 10,
};
type Thresholds = typeof CUSTOMER_SUCCESS_THRESHOLDS;

/** At most this many "save account" recommendations (riskiest first). */
export const MAX_ACCOUNT_TASKS = 5;

const Account = z.object({
  customer_id: text(),
  name: text(),
  csm: text(),
  renewal_date: isoDate(),
  last_contact_on: isoDate(),
  licensed_seats: integer({ min: 0 }),
  /** Users active in the last 30 days. */
  active_users: integer({ min: 0 }),
  /** Users active in the 30 days before that (for the usage-drop signal). */
  active_users_prev: integer({ min: 0 }).optional(),
  /** Last product activity by anyone at the account. */
  last_active_on: isoDate().optional(),
  open_tickets: integer({ min: 0 }),
});
export type Account = z.output<typeof Account>;

const NpsResponse = z.object({
  id: text(),
  customer_id: text(),
  responded_on: isoDate(),
  score: integer({ min: 0, max: 10 }),
  comment: text().optional(),
});
export type NpsResponse = z.output<typeof NpsResponse>;

export const CustomerSuccessInput = z.object({
  accounts: rowsUniqueBy(Account, 'customer_id'),
  nps: rowsUniqueBy(NpsResponse, 'id'),
  subscriptions: rowsUniqueBy(Subscription, 'id'),
  settings: settingsFile(CUSTOMER_SUCCESS_THRESHOLDS),
});
export type CustomerSuccessInput = z.output<typeof CustomerSuccessInput>;

/** NPS = % promoters (9-10) - % detractors (0-6), 1 decimal; null without responses. */
export function netPromoterScore(scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  const promoters = scores.filter((s) => s >= 9).length;
  const detractors = scores.filter((s) => s <= 6).length;
  return round((100 * (promoters - detractors)) / scores.length, 1);
}

export const RISK_SIGNALS = [
  'usage_drop',
  'inactive',
  'payment_failure',
  'nps_detractor',
  'support_tickets',
  'renewal_near',
  'low_seat_usage',
  'no_contact',
] as const;
export type RiskSignal = (typeof RISK_SIGNALS)[number];

export interface AccountRisk {
  customerId: string;
  name: string;
  csm: string | undefined;
  arrCents: number;
  renewalDate: string | undefined;
  daysToRenewal: number | undefined;
  score: number;
  signals: RiskSignal[];
  reasons: string[];
}

/**
 * The churn-risk score of one paying account: the sum of the weights of the signals it
 * shows, clamped to 0..100. Without an accounts.csv row only payment failure and NPS count.
 */
export function scoreAccount(
  args: {
    customerId: string;
    name: string;
    arrCents: number;
    account: Account | undefined;
    latestNps: NpsResponse | undefined;
    pastDue: readonly string[];
  },
  t: Thresholds,
  today: string,
): AccountRisk {
  const { account: a, latestNps, pastDue } = args;
  const found: [RiskSignal, string][] = [];
  if (a) {
    const prev = a.active_users_prev;
    if (prev !== undefined && prev > 0) {
      const drop = percent(prev - a.active_users, prev);
      if (drop !== null && drop >= t.usage_drop_pct)
        found.push(['usage_drop', `active users down ${drop}% (${prev} to ${a.active_users})`]);
    }
    const idle = a.last_active_on === undefined ? undefined : daysBetween(a.last_active_on, today);
    if (idle !== undefined && idle > t.inactive_days)
      found.push(['inactive', `no product activity for ${idle} days`]);
    else if (a.active_users === 0) found.push(['inactive', 'no active users in 30 days']);
  }
  if (pastDue.length > 0)
    found.push(['payment_failure', `payment past due (${pastDue.join(', ')})`]);
  if (latestNps && latestNps.score <= 6)
    found.push([
      'nps_detractor',
      `NPS detractor (${latestNps.score}) on ${latestNps.responded_on}`,
    ]);
  let daysToRenewal: number | undefined;
  if (a) {
    if (a.open_tickets >= t.open_tickets_at_risk)
      found.push(['support_tickets', `${a.open_tickets} open tickets`]);
    daysToRenewal = daysBetween(today, a.renewal_date);
    if (daysToRenewal >= 0 && daysToRenewal <= t.renewal_near_days)
      found.push(['renewal_near', `renews in ${daysToRenewal} days (${a.renewal_date})`]);
    const usage = percent(a.active_users, a.licensed_seats);
    if (usage !== null && usage < t.seat_usage_min_pct)
      found.push(['low_seat_usage', `uses ${usage}% of ${a.licensed_seats} seats`]);
    const silent = daysBetween(a.last_contact_on, today);
    if (silent > t.no_contact_days) found.push(['no_contact', `no contact for ${silent} days`]);
  }
  const weight: Record<RiskSignal, number> = {
    usage_drop: t.weight_usage_drop,
    inactive: t.weight_inactive,
    payment_failure: t.weight_payment_failure,
    nps_detractor: t.weight_nps_detractor,
    support_tickets: t.weight_support_tickets,
    renewal_near: t.weight_renewal_near,
    low_seat_usage: t.weight_low_seat_usage,
    no_contact: t.weight_no_contact,
  };
  const points = sumBy(found, ([s]) => weight[s]);
  return {
    customerId: args.customerId,
    name: a?.name ?? args.name,
    csm: a?.csm,
    arrCents: args.arrCents,
    renewalDate: a?.renewal_date,
    daysToRenewal,
    score: Math.max(0, Math.min(100, points)),
    signals: found.map(([s]) => s),
    reasons: found.map(([, r]) => r),
  };
}

export const customerSuccessAgent = defineAgent({
  name: 'customer-success',
  title: 'Customer success',
  datasets: {
    accounts: { file: 'accounts.csv', format: 'csv' },
    nps: { file: 'nps.csv', format: 'csv', optional: true },
    subscriptions: { file: 'subscriptions.csv', format: 'csv' },
    settings: { file: 'customer-success.yaml', format: 'yaml', optional: true },
  },
  input: CustomerSuccessInput,
  compute(input, ctx) {
    const t = input.settings.thresholds;
    const today = ctx.today;
    const subs = input.subscriptions;

    // --- NPS and its trend: the last window vs the window before (dated responses) ---
    const age = (r: NpsResponse) => daysBetween(r.responded_on, today);
    const answered = input.nps.filter((r) => r.responded_on <= today);
    const recent = answered.filter((r) => age(r) < t.nps_window_days);
    const earlier = answered.filter(
      (r) => age(r) >= t.nps_window_days && age(r) < 2 * t.nps_window_days,
    );
    const nps = netPromoterScore(recent.map((r) => r.score));
    const npsPrevious = netPromoterScore(earlier.map((r) => r.score));
    const npsChange = nps !== null && npsPrevious !== null ? round(nps - npsPrevious, 1) : null;
    // The latest recent response per customer decides "detractor".
    const latestNps = new Map<string, NpsResponse>();
    for (const r of recent) {
      const seen = latestNps.get(r.customer_id);
      if (
        !seen ||
        r.responded_on > seen.responded_on ||
        (r.responded_on === seen.responded_on && r.id > seen.id)
      )
        latestNps.set(r.customer_id, r);
    }

    // --- Retention: the start cohort of the month to date, and of the last month ---
    const thisMonth = monthOf(today);
    const lastMonth = addMonths(thisMonth, -1);
    const mtd = cohortRetention(subs, `${thisMonth}-01`, today);
    const prev = cohortRetention(subs, `${lastMonth}-01`, endOfMonth(lastMonth));

    // --- Risk per paying account -----------------------------------------------------
    const arrByCustomer = annualByCustomer(subs, today);
    const accounts = new Map(input.accounts.map((a) => [a.customer_id, a]));
    // One pass over the rows: each customer's latest name and its past-due rows today.
    const names = new Map<string, { name: string; since: string }>();
    const pastDue = new Map<string, string[]>();
    for (const s of subs) {
      const seen = names.get(s.customer_id);
      if (!seen || s.started_on > seen.since)
        names.set(s.customer_id, { name: s.customer_name, since: s.started_on });
      if (s.status === 'past_due' && countsOn(s, today))
        pastDue.set(s.customer_id, [...(pastDue.get(s.customer_id) ?? []), s.id]);
    }
    const risks = [...arrByCustomer.keys()].sort().map((id) =>
      scoreAccount(
        {
          customerId: id,
          name: names.get(id)?.name ?? id,
          arrCents: arrByCustomer.get(id)!,
          account: accounts.get(id),
          latestNps: latestNps.get(id),
          pastDue: pastDue.get(id) ?? [],
        },
        t,
        today,
      ),
    );
    const atRisk = risks
      .filter((r) => r.score >= t.risk_score_at_risk)
      .sort(
        (x, y) =>
          y.score - x.score || y.arrCents - x.arrCents || x.customerId.localeCompare(y.customerId),
      );
    const withSignal = (s: RiskSignal) => risks.filter((r) => r.signals.includes(s)).length;
    const renewingWithin = (list: readonly AccountRisk[], days: number) =>
      list.filter(
        (r) => r.daysToRenewal !== undefined && r.daysToRenewal >= 0 && r.daysToRenewal <= days,
      );

    const trackedArrCents = sumBy(risks, (r) => r.arrCents);
    const atRiskArrCents = sumBy(atRisk, (r) => r.arrCents);
    const renewing = renewingWithin(risks, t.renewal_window_days);
    const atRiskRenewing = renewingWithin(atRisk, t.renewal_at_risk_days).sort(
      (x, y) => x.daysToRenewal! - y.daysToRenewal! || y.arrCents - x.arrCents,
    );
    const atRiskInWindow = renewingWithin(atRisk, t.renewal_window_days);
    const nextAtRiskRenewalDays =
      atRiskInWindow.length > 0 ? Math.min(...atRiskInWindow.map((r) => r.daysToRenewal!)) : null;

    const metrics: Record<string, number | null> = {
      accounts: risks.length,
      trackedArr: centsToUnits(trackedArrCents),
      accountsWithoutCsData: risks.filter((r) => !accounts.has(r.customerId)).length,
      nps,
      npsResponses: recent.length,
      npsPrevious,
      npsChange,
      customersLost: mtd.lostCustomers,
      customerChurnRatePct: percent(mtd.lostCustomers, mtd.startCustomers, 2),
      grrPct: percent(mtd.retainedAnnual, mtd.startAnnual, 2),
      nrrPct: percent(mtd.endAnnual, mtd.startAnnual, 2),
      customerChurnRatePctLastMonth: percent(prev.lostCustomers, prev.startCustomers, 2),
      grrPctLastMonth: percent(prev.retainedAnnual, prev.startAnnual, 2),
      nrrPctLastMonth: percent(prev.endAnnual, prev.startAnnual, 2),
      atRiskAccounts: atRisk.length,
      atRiskArr: centsToUnits(atRiskArrCents),
      atRiskArrPct: percent(atRiskArrCents, trackedArrCents, 2),
      highestRiskScore: risks.length > 0 ? Math.max(...risks.map((r) => r.score)) : null,
      usageDropAccounts: withSignal('usage_drop'),
      inactiveCustomers: withSignal('inactive'),
      paymentFailureAccounts: withSignal('payment_failure'),
      npsDetractorAccounts: withSignal('nps_detractor'),
      highTicketAccounts: withSignal('support_tickets'),
      renewalNearAccounts: withSignal('renewal_near'),
      lowSeatUsageAccounts: withSignal('low_seat_usage'),
      noContactAccounts: withSignal('no_contact'),
      renewalsNext90Days: renewing.length,
      renewalArrNext90Days: centsToUnits(sumBy(renewing, (r) => r.arrCents)),
      atRiskRenewalsNext30Days: atRiskRenewing.length,
      atRiskRenewalArrNext30Days: centsToUnits(sumBy(atRiskRenewing, (r) => r.arrCents)),
      nextAtRiskRenewalDays,
    };

    const describe = (r: AccountRisk) =>
      `${r.name} (${r.renewalDate}, ${formatMoney(r.arrCents)} ARR, risk ${r.score})`;
    const alerts: Alert[] = [
      ...checkThreshold({
        id: 'customer-success.at-risk-arr',
        metric: 'atRiskArrPct',
        value: metrics.atRiskArrPct ?? null,
        op: '>',
        warning: t.at_risk_arr_pct_warning,
        critical: t.at_risk_arr_pct_critical,
        message: (v, th) =>
          `${formatMoney(atRiskArrCents)} ARR (${v}%) sits in ${atRisk.length} at-risk accounts, above ${th}%`,
      }),
      ...checkThreshold({
        id: 'customer-success.renewal-at-risk',
        metric: 'nextAtRiskRenewalDays',
        value: nextAtRiskRenewalDays,
        op: '<=',
        warning: t.renewal_at_risk_days,
        critical: t.renewal_at_risk_critical_days,
        message: (v, th) =>
          `${atRiskRenewing.length} at-risk account${atRiskRenewing.length === 1 ? '' : 's'} renew${atRiskRenewing.length === 1 ? 's' : ''} within ${t.renewal_at_risk_days} days, the first in ${v} days (<= ${th}): ${atRiskRenewing.map(describe).join('; ')}`,
      }),
      ...checkThreshold({
        id: 'customer-success.nps-drop',
        metric: 'npsChange',
        value: npsChange,
        op: '<=',
        warning: -t.nps_drop_warning_pts,
        critical: -t.nps_drop_critical_pts,
        message: (v, th) =>
          `NPS fell ${-v} points to ${nps} (${recent.length} responses) from ${npsPrevious} in the previous ${t.nps_window_days} days (${earlier.length} responses); alert at ${-th} points`,
      }),
      ...checkThreshold({
        id: 'customer-success.nps-low',
        metric: 'nps',
        value: nps,
        op: '<',
        warning: t.nps_warning,
        critical: t.nps_critical,
        message: (v, th) => `NPS is ${v} over ${recent.length} responses, below ${th}`,
      }),
    ];

    const recommendations: TaskInput[] = atRisk.slice(0, MAX_ACCOUNT_TASKS).map((r) => {
      const renewalSoon =
        r.daysToRenewal !== undefined &&
        r.daysToRenewal >= 0 &&
        r.daysToRenewal <= t.renewal_window_days;
      return {
        id: `customer-success.save-account-${slug(r.customerId)}`,
        title: `Save ${r.name} (risk ${r.score}, ${formatMoneyShort(r.arrCents)} ARR${renewalSoon ? `, renews ${r.renewalDate}` : ''})`,
        source: 'customer-success' as const,
        reason: `${r.name}: risk ${r.score}/100 from ${r.reasons.join(', ')}${r.csm ? `; CSM ${r.csm}` : ''}.`,
        moneyAtStakeCents: r.arrCents,
        deadline: renewalSoon ? r.renewalDate! : addDays(today, 14),
        energyDemand:
          renewalSoon && r.daysToRenewal! <= t.renewal_at_risk_days
            ? ('high' as const)
            : ('medium' as const),
        tags: ['retention'],
      };
    });

    const { health, healthReason } = healthFromAlerts(
      alerts,
      `Customers healthy: NPS ${nps ?? '-'}, ${atRisk.length} at-risk account${atRisk.length === 1 ? '' : 's'}, GRR ${metrics.grrPct ?? '-'}% this month`,
    );
    return {
      dataAsOf: ctx.asOf.toISOString(),
      metrics,
      alerts,
      recommendations,
      health,
      healthReason,
    };
  },
});
