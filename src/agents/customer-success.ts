/**
 * Customer success: account health (usage, contact, tickets, NPS), at-risk ARR and
 * upcoming renewals. Formulas, units and thresholds: docs/metrics.md#customer-success.
 */
import { z } from 'zod';
import { defineAgent } from './agent.js';
import type { Alert, TaskInput } from './contract.js';
import {
  addDays,
  cents,
  centsToUnits,
  checkThreshold,
  daysBetween,
  formatMoney,
  formatMoneyShort,
  healthFromAlerts,
  integer,
  isoDate,
  percent,
  round,
  rowsUniqueBy,
  settingsFile,
  slug,
  sumBy,
  text,
} from './fields.js';

export const CUSTOMER_SUCCESS_THRESHOLDS = {
  /** NPS below this: warning. */
  nps_warning: 30,
  /** NPS below this: critical. */
  nps_critical: 0,
  /** At-risk ARR above this percent of tracked ARR: warning. */
  at_risk_arr_pct_warning: 10,
  /** ... above this percent: critical. */
  at_risk_arr_pct_critical: 25,
  /** An account using fewer than this percent of its seats is at risk. */
  seat_usage_min_pct: 40,
  /** An account not contacted for more than this many days is at risk. */
  no_contact_days: 45,
  /** An account with at least this many open tickets is at risk. */
  open_tickets_at_risk: 5,
  /** NPS and detractor checks use responses from the last this-many days. */
  nps_window_days: 90,
  /** Renewals within this many days count as upcoming. */
  renewal_window_days: 90,
};

/** At most this many "save account" recommendations (largest ARR first). */
export const MAX_ACCOUNT_TASKS = 5;

const Account = z.object({
  customer_id: text(),
  name: text(),
  csm: text(),
  arr_cents: cents(),
  renewal_date: isoDate(),
  last_contact_on: isoDate(),
  licensed_seats: integer({ min: 0 }),
  active_users: integer({ min: 0 }),
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

export const customerSuccessAgent = defineAgent({
  name: 'customer-success',
  title: 'Customer success',
  datasets: {
    accounts: { file: 'accounts.csv', format: 'csv' },
    nps: { file: 'nps.csv', format: 'csv', optional: true },
    settings: { file: 'customer-success.yaml', format: 'yaml', optional: true },
  },
  input: CustomerSuccessInput,
  compute(input, ctx) {
    const t = input.settings.thresholds;
    const today = ctx.today;

    const recent = input.nps.filter(
      (r) => r.responded_on <= today && daysBetween(r.responded_on, today) < t.nps_window_days,
    );
    // The latest recent response per customer decides "detractor".
    const latest = new Map<string, NpsResponse>();
    for (const r of recent) {
      const seen = latest.get(r.customer_id);
      if (!seen || r.responded_on > seen.responded_on) latest.set(r.customer_id, r);
    }

    const riskReasons = (a: Account): string[] => {
      const reasons: string[] = [];
      const usage = percent(a.active_users, a.licensed_seats);
      if (usage !== null && usage < t.seat_usage_min_pct)
        reasons.push(`uses ${usage}% of ${a.licensed_seats} seats`);
      const silent = daysBetween(a.last_contact_on, today);
      if (silent > t.no_contact_days) reasons.push(`no contact for ${silent} days`);
      if (a.open_tickets >= t.open_tickets_at_risk) reasons.push(`${a.open_tickets} open tickets`);
      const last = latest.get(a.customer_id);
      if (last && last.score <= 6)
        reasons.push(`NPS detractor (${last.score}) on ${last.responded_on}`);
      return reasons;
    };
    const atRisk = input.accounts
      .map((a) => ({ a, reasons: riskReasons(a) }))
      .filter((x) => x.reasons.length > 0);

    const trackedArrCents = sumBy(input.accounts, (a) => a.arr_cents);
    const atRiskArrCents = sumBy(atRisk, (x) => x.a.arr_cents);
    const renewing = input.accounts.filter((a) => {
      const d = daysBetween(today, a.renewal_date);
      return d >= 0 && d <= t.renewal_window_days;
    });
    const nps = netPromoterScore(recent.map((r) => r.score));

    const metrics = {
      accounts: input.accounts.length,
      trackedArr: centsToUnits(trackedArrCents),
      nps,
      npsResponses: recent.length,
      atRiskAccounts: atRisk.length,
      atRiskArr: centsToUnits(atRiskArrCents),
      atRiskArrPct: percent(atRiskArrCents, trackedArrCents),
      renewalsNext90Days: renewing.length,
      renewalArrNext90Days: centsToUnits(sumBy(renewing, (a) => a.arr_cents)),
    };

    const alerts: Alert[] = [
      ...checkThreshold({
        id: 'customer-success.nps-low',
        metric: 'nps',
        value: nps,
        op: '<',
        warning: t.nps_warning,
        critical: t.nps_critical,
        message: (v, th) => `NPS is ${v} over ${recent.length} responses, below ${th}`,
      }),
      ...checkThreshold({
        id: 'customer-success.at-risk-arr',
        metric: 'atRiskArrPct',
        value: metrics.atRiskArrPct,
        op: '>',
        warning: t.at_risk_arr_pct_warning,
        critical: t.at_risk_arr_pct_critical,
        message: (v, th) =>
          `${formatMoney(atRiskArrCents)} ARR (${v}%) sits in ${atRisk.length} at-risk accounts, above ${th}%`,
      }),
    ];

    const recommendations: TaskInput[] = [...atRisk]
      .sort(
        (x, y) => y.a.arr_cents - x.a.arr_cents || x.a.customer_id.localeCompare(y.a.customer_id),
      )
      .slice(0, MAX_ACCOUNT_TASKS)
      .map(({ a, reasons }) => {
        const toRenewal = daysBetween(today, a.renewal_date);
        const renewalSoon = toRenewal >= 0 && toRenewal <= t.renewal_window_days;
        return {
          id: `customer-success.save-account-${slug(a.customer_id)}`,
          title: `Save ${a.name} (${formatMoneyShort(a.arr_cents)} ARR${renewalSoon ? `, renews ${a.renewal_date}` : ''})`,
          source: 'customer-success' as const,
          reason: `${a.name}: ${reasons.join(', ')}; CSM ${a.csm}.`,
          moneyAtStakeCents: a.arr_cents,
          deadline: renewalSoon ? a.renewal_date : addDays(today, 14),
          energyDemand: renewalSoon && toRenewal <= 30 ? ('high' as const) : ('medium' as const),
          tags: ['retention'],
        };
      });

    const { health, healthReason } = healthFromAlerts(
      alerts,
      `Customers healthy: NPS ${nps ?? '-'}, ${atRisk.length} at-risk accounts`,
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
