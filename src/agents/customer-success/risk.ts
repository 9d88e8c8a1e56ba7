/**
 * The churn-risk score of each paying account: the sum of the weights of the signals it
 * shows (docs/metrics.md#customer-success), clamped to 0..100.
 */
import type { Account, NpsResponse } from '../../contract/datasets/customer-success.js';
import type { Subscription } from '../../contract/datasets/finance.js';
import { daysBetween } from '../../shared/dates.js';
import { percent, sumBy } from '../../shared/numbers.js';
import { annualByCustomer, countsOn } from '../finance-mrr.js';
import type { CustomerSuccessThresholds } from './settings.js';

/** In this order in an account's signals and reasons. */
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

/** Signals found on one account, each with the reason people read. */
type Found = [RiskSignal, string][];
type T = CustomerSuccessThresholds;

/** usage_drop and inactive, from the account's product activity. */
function activitySignals(a: Account, t: T, today: string): Found {
  const found: Found = [];
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
  return found;
}

/** payment_failure and nps_detractor: known without an accounts.csv row too. */
function billingAndNpsSignals(pastDue: readonly string[], latestNps?: NpsResponse): Found {
  const found: Found = [];
  if (pastDue.length > 0)
    found.push(['payment_failure', `payment past due (${pastDue.join(', ')})`]);
  if (latestNps && latestNps.score <= 6)
    found.push([
      'nps_detractor',
      `NPS detractor (${latestNps.score}) on ${latestNps.responded_on}`,
    ]);
  return found;
}

/** support_tickets, renewal_near, low_seat_usage and no_contact, from the account row. */
function relationshipSignals(a: Account, daysToRenewal: number, t: T, today: string): Found {
  const found: Found = [];
  if (a.open_tickets >= t.open_tickets_at_risk)
    found.push(['support_tickets', `${a.open_tickets} open tickets`]);
  if (daysToRenewal >= 0 && daysToRenewal <= t.renewal_near_days)
    found.push(['renewal_near', `renews in ${daysToRenewal} days (${a.renewal_date})`]);
  const usage = percent(a.active_users, a.licensed_seats);
  if (usage !== null && usage < t.seat_usage_min_pct)
    found.push(['low_seat_usage', `uses ${usage}% of ${a.licensed_seats} seats`]);
  const silent = daysBetween(a.last_contact_on, today);
  if (silent > t.no_contact_days) found.push(['no_contact', `no contact for ${silent} days`]);
  return found;
}

/** Risk points per signal, from the thresholds' `weight_*` keys. */
export function signalWeights(t: T): Record<RiskSignal, number> {
  return {
    usage_drop: t.weight_usage_drop,
    inactive: t.weight_inactive,
    payment_failure: t.weight_payment_failure,
    nps_detractor: t.weight_nps_detractor,
    support_tickets: t.weight_support_tickets,
    renewal_near: t.weight_renewal_near,
    low_seat_usage: t.weight_low_seat_usage,
    no_contact: t.weight_no_contact,
  };
}

/**
 * The churn-risk score of one paying account. Without an accounts.csv row only payment
 * failure and NPS count.
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
  t: T,
  today: string,
): AccountRisk {
  const a = args.account;
  const daysToRenewal = a ? daysBetween(today, a.renewal_date) : undefined;
  const found: Found = [
    ...(a ? activitySignals(a, t, today) : []),
    ...billingAndNpsSignals(args.pastDue, args.latestNps),
    ...(a ? relationshipSignals(a, daysToRenewal!, t, today) : []),
  ];
  const weight = signalWeights(t);
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

/** The risk of every customer paying today, by customer id. */
export function accountRisks(
  data: {
    subscriptions: readonly Subscription[];
    accounts: readonly Account[];
    latestNps: ReadonlyMap<string, NpsResponse>;
  },
  t: T,
  today: string,
): AccountRisk[] {
  const arrByCustomer = annualByCustomer(data.subscriptions, today);
  const accounts = new Map(data.accounts.map((a) => [a.customer_id, a]));
  // One pass over the rows: each customer's latest name and its past-due rows today.
  const names = new Map<string, { name: string; since: string }>();
  const pastDue = new Map<string, string[]>();
  for (const s of data.subscriptions) {
    const seen = names.get(s.customer_id);
    if (!seen || s.started_on > seen.since)
      names.set(s.customer_id, { name: s.customer_name, since: s.started_on });
    if (s.status === 'past_due' && countsOn(s, today))
      pastDue.set(s.customer_id, [...(pastDue.get(s.customer_id) ?? []), s.id]);
  }
  return [...arrByCustomer.keys()].sort().map((id) =>
    scoreAccount(
      {
        customerId: id,
        name: names.get(id)?.name ?? id,
        arrCents: arrByCustomer.get(id)!,
        account: accounts.get(id),
        latestNps: data.latestNps.get(id),
        pastDue: pastDue.get(id) ?? [],
      },
      t,
      today,
    ),
  );
}
