/**
 * Recurring revenue from `subscriptions.csv`, shared by finance and customer success:
 * MRR on any date, and the MRR movements of a period (new, expansion, contraction,
 * churn, reactivation), reconstructed from the rows' dates. Pure: no clock, no I/O.
 *
 * A row is one subscription at one price, counting from `started_on` up to the day
 * BEFORE `canceled_on` (the day a cancellation or a plan change takes effect). A plan
 * change is written as the old row ending on the day the new row starts, so MRR on
 * every past date, and every change, can be rebuilt from the file.
 *
 * Everything is summed in ANNUAL cents (integers: monthly x 12, quarterly x 4, yearly x 1)
 * and divided by 12 once, at the end, rounding half up to the cent.
 */
import { addDays } from '../shared/dates.js';
import type { BillingInterval, Subscription } from '../contract/datasets/finance.js';

/** Billing periods per year, to turn one invoice into annual cents. */
export const PERIODS_PER_YEAR: Record<BillingInterval, number> = {
  month: 12,
  quarter: 4,
  year: 1,
};

/** The fields the MRR arithmetic needs (tests and property generators build these). */
export type SubscriptionLike = Pick<
  Subscription,
  'customer_id' | 'interval' | 'amount_cents' | 'status' | 'started_on' | 'canceled_on'
>;

/** One invoice per interval, as annual cents. */
export function annualCents(s: Pick<Subscription, 'interval' | 'amount_cents'>): number {
  return s.amount_cents * PERIODS_PER_YEAR[s.interval];
}

/** Does the row count towards MRR on `date`? Trials never do; the dates decide the rest. */
export function countsOn(s: SubscriptionLike, date: string): boolean {
  return (
    s.status !== 'trialing' &&
    s.started_on <= date &&
    (s.canceled_on === undefined || date < s.canceled_on)
  );
}

/** n / d rounded half up, for non-negative integers (exact: no float drift). */
export function roundDiv(n: number, d: number): number {
  const q = Math.floor(n / d);
  const r = n - q * d;
  return 2 * r >= d ? q + 1 : q;
}

/** Annual cents -> MRR cents: divide by 12 once, round half up. */
export function mrrCentsOf(annual: number): number {
  return roundDiv(annual, 12);
}

/** Annual cents per customer on `date` (customers paying nothing are left out). */
export function annualByCustomer(
  rows: readonly SubscriptionLike[],
  date: string,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of rows) {
    if (!countsOn(s, date)) continue;
    const a = annualCents(s);
    if (a > 0) out.set(s.customer_id, (out.get(s.customer_id) ?? 0) + a);
  }
  return out;
}

export const MOVEMENT_KINDS = ['new', 'expansion', 'reactivation', 'contraction', 'churn'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** One change of one customer's MRR on one date. `annualCents` is always >= 0. */
export interface MrrEvent {
  date: string;
  customerId: string;
  kind: MovementKind;
  annualCents: number;
  /** The customer's annual cents before and after the change. */
  before: number;
  after: number;
}

export interface MrrMovements {
  from: string;
  to: string;
  /** MRR cents at the end of the day before `from`, and at the end of `to`. */
  startMrrCents: number;
  endMrrCents: number;
  /** Each movement in MRR cents, >= 0; reconciled: start + netNew = end exactly. */
  cents: Record<MovementKind, number>;
  netNewCents: number;
  /** The same movements in exact annual cents (no rounding). */
  annual: Record<MovementKind | 'start' | 'end', number>;
  /** Distinct customers with at least one movement of each kind. */
  customers: Record<MovementKind, number>;
  /** Paying customers at the start and at the end. */
  startCustomers: number;
  endCustomers: number;
  events: MrrEvent[];
}

function classify(before: number, after: number, everPaid: boolean): MovementKind | undefined {
  if (before === after) return undefined;
  if (before === 0) return everPaid ? 'reactivation' : 'new';
  if (after === 0) return 'churn';
  return after > before ? 'expansion' : 'contraction';
}

/**
 * The MRR movements of the period `from`..`to` (dates inclusive). Each customer's MRR is
 * followed through every date one of their rows starts or ends; each change is:
 * new (0 -> paying, never paid before), reactivation (0 -> paying, paid before),
 * expansion (up, still paying), contraction (down, still paying), churn (paying -> 0).
 * Several rows changing on the same day are one change (a plan switch is an expansion
 * or a contraction, never a churn plus a new).
 *
 * Rounding: the movements are summed in annual cents, then converted by rounding the
 * running totals start, +new, +expansion, +reactivation, -contraction, -churn (= end),
 * each divided by 12, and taking the differences. Every movement is then >= 0, start
 * and end are exactly the MRR of those days, and start + net new = end to the cent; a
 * movement may differ by one cent from rounding it on its own.
 */
export function mrrMovements(
  rows: readonly SubscriptionLike[],
  from: string,
  to: string,
): MrrMovements {
  const annual = {
    start: 0,
    end: 0,
    new: 0,
    expansion: 0,
    reactivation: 0,
    contraction: 0,
    churn: 0,
  };
  const who = Object.fromEntries(MOVEMENT_KINDS.map((k) => [k, new Set<string>()])) as Record<
    MovementKind,
    Set<string>
  >;
  const events: MrrEvent[] = [];
  let startCustomers = 0;
  let endCustomers = 0;
  for (const [id, list] of rowsByCustomer(rows)) {
    const customer = followCustomer(id, list, from, to);
    for (const e of customer.events) {
      annual[e.kind] += e.annualCents;
      who[e.kind].add(id);
      events.push(e);
    }
    annual.start += customer.start;
    annual.end += customer.end;
    if (customer.start > 0) startCustomers++;
    if (customer.end > 0) endCustomers++;
  }
  const { steps, moved } = roundMovements(annual);
  events.sort((a, b) => a.date.localeCompare(b.date) || a.customerId.localeCompare(b.customerId));
  return {
    from,
    to,
    startMrrCents: steps[0],
    endMrrCents: steps[5],
    cents: moved,
    netNewCents: steps[5] - steps[0],
    annual,
    customers: Object.fromEntries(MOVEMENT_KINDS.map((k) => [k, who[k].size])) as Record<
      MovementKind,
      number
    >,
    startCustomers,
    endCustomers,
    events,
  };
}

/** The rows that can ever count (no trials), per customer, customers in id order. */
function rowsByCustomer(rows: readonly SubscriptionLike[]): [string, SubscriptionLike[]][] {
  const byCustomer = new Map<string, SubscriptionLike[]>();
  for (const s of rows) {
    if (s.status === 'trialing') continue;
    const list = byCustomer.get(s.customer_id) ?? [];
    list.push(s);
    byCustomer.set(s.customer_id, list);
  }
  return [...byCustomer.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * One customer's annual cents followed through every date one of their rows starts or
 * ends (up to `to`): the changes inside `from`..`to`, and the level at the end of the day
 * before `from` and at the end of `to`.
 */
function followCustomer(
  id: string,
  list: readonly SubscriptionLike[],
  from: string,
  to: string,
): { events: MrrEvent[]; start: number; end: number } {
  const level = (date: string) =>
    list.reduce((acc, s) => acc + (countsOn(s, date) ? annualCents(s) : 0), 0);
  const boundaries = [
    ...new Set(
      list.flatMap((s) => (s.canceled_on ? [s.started_on, s.canceled_on] : [s.started_on])),
    ),
  ]
    .filter((d) => d <= to)
    .sort();
  const events: MrrEvent[] = [];
  let before = 0;
  let everPaid = false;
  for (const date of boundaries) {
    const after = level(date);
    const kind = date >= from ? classify(before, after, everPaid) : undefined;
    if (kind) {
      const amount = Math.abs(after - before);
      events.push({ date, customerId: id, kind, annualCents: amount, before, after });
    }
    if (after > 0) everPaid = true;
    before = after;
  }
  return { events, start: level(addDays(from, -1)), end: level(to) };
}

/**
 * Annual-cent movements to MRR cents: the running totals start, +new, +expansion,
 * +reactivation, -contraction, -churn (= end) are each divided by 12 and rounded once,
 * and the movements are their differences (see mrrMovements).
 */
function roundMovements(annual: MrrMovements['annual']): {
  steps: [number, number, number, number, number, number];
  moved: Record<MovementKind, number>;
} {
  const steps = [
    annual.start,
    annual.start + annual.new,
    annual.start + annual.new + annual.expansion,
    annual.start + annual.new + annual.expansion + annual.reactivation,
    annual.start + annual.new + annual.expansion + annual.reactivation - annual.contraction,
    annual.end,
  ].map(mrrCentsOf) as [number, number, number, number, number, number];
  const moved: Record<MovementKind, number> = {
    new: steps[1] - steps[0],
    expansion: steps[2] - steps[1],
    reactivation: steps[3] - steps[2],
    contraction: steps[3] - steps[4],
    churn: steps[4] - steps[5],
  };
  return { steps, moved };
}

/**
 * Retention of the customers paying at the start of `from`..`to` (the start cohort),
 * from each one's annual cents at the start and at the end of the period:
 *   GRR = sum(min(start, end)) / sum(start)   (expansion left out: never above 100%)
 *   NRR = sum(end) / sum(start)                (design.md's (start + expansion - contraction - churn) / start, per customer over the period)
 *   lost = cohort customers paying nothing at the end.
 * New customers and customers returning from before the period are outside the cohort.
 * A cohort customer who churns and comes back inside the period counts at their end MRR.
 */
export function cohortRetention(
  rows: readonly SubscriptionLike[],
  from: string,
  to: string,
): {
  startCustomers: number;
  lostCustomers: number;
  startAnnual: number;
  retainedAnnual: number;
  endAnnual: number;
} {
  const start = annualByCustomer(rows, addDays(from, -1));
  const end = annualByCustomer(rows, to);
  let startAnnual = 0;
  let retainedAnnual = 0;
  let endAnnual = 0;
  let lostCustomers = 0;
  for (const [id, s] of start) {
    const e = end.get(id) ?? 0;
    startAnnual += s;
    retainedAnnual += Math.min(s, e);
    endAnnual += e;
    if (e === 0) lostCustomers++;
  }
  return { startCustomers: start.size, lostCustomers, startAnnual, retainedAnnual, endAnnual };
}
