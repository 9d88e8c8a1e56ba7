/**
 * Marketing: monthly spend and funnel per campaign; leads, MQLs, new customers and
 * CAC for the last complete month, compared with the month before.
 * Formulas, units and thresholds: docs/metrics.md#marketing.
 */
import { z } from 'zod';
import { defineAgent } from './agent.js';
import type { Alert, TaskInput } from './contract.js';
import {
  addMonths,
  cents,
  centsToUnits,
  checkThreshold,
  endOfMonth,
  formatMoney,
  healthFromAlerts,
  integer,
  isoMonth,
  monthOf,
  percent,
  rowsUniqueBy,
  settingsFile,
  slug,
  sumBy,
  text,
} from './fields.js';

export const MARKETING_THRESHOLDS = {
  /** CAC up by more than this many percent on the previous month: warning. */
  cac_increase_warning_pct: 20,
  /** CAC up by more than this many percent: critical. */
  cac_increase_critical_pct: 50,
  /** Leads changed by less than this percent (a drop) on the previous month: warning. */
  leads_change_warning_pct: -25,
  /** A channel whose CAC exceeds the blended CAC by more than this percent gets a review task. */
  channel_cac_premium_pct: 50,
};

const CampaignMonth = z.object({
  id: text(),
  month: isoMonth(),
  channel: text(),
  campaign: text(),
  spend_cents: cents(),
  leads: integer({ min: 0 }),
  mqls: integer({ min: 0 }),
  /** New paying customers attributed to the campaign in that month. */
  new_customers: integer({ min: 0 }),
});
type CampaignMonth = z.output<typeof CampaignMonth>;

export const MarketingInput = z.object({
  campaigns: rowsUniqueBy(CampaignMonth, 'id'),
  settings: settingsFile(MARKETING_THRESHOLDS),
});
export type MarketingInput = z.output<typeof MarketingInput>;

interface Funnel {
  spendCents: number;
  leads: number;
  mqls: number;
  newCustomers: number;
  /** Spend / new customers in cents (rounded once), null without new customers. */
  cacCents: number | null;
}

function funnel(rows: readonly CampaignMonth[]): Funnel {
  const spendCents = sumBy(rows, (r) => r.spend_cents);
  const newCustomers = sumBy(rows, (r) => r.new_customers);
  return {
    spendCents,
    leads: sumBy(rows, (r) => r.leads),
    mqls: sumBy(rows, (r) => r.mqls),
    newCustomers,
    cacCents: newCustomers > 0 ? Math.round(spendCents / newCustomers) : null,
  };
}

/** Percent change from `prev` to `cur`, 1 decimal; null when either is missing or prev is 0. */
function change(cur: number | null, prev: number | null): number | null {
  if (cur === null || prev === null || prev === 0) return null;
  return percent(cur - prev, prev);
}

export const marketingAgent = defineAgent({
  name: 'marketing',
  title: 'Marketing',
  datasets: {
    campaigns: { file: 'campaigns.csv', format: 'csv' },
    settings: { file: 'marketing.yaml', format: 'yaml', optional: true },
  },
  input: MarketingInput,
  compute(input, ctx) {
    const t = input.settings.thresholds;
    // The period is the last complete month; the current month is still filling up.
    const thisMonth = monthOf(ctx.today);
    const period = addMonths(thisMonth, -1);
    const previous = addMonths(thisMonth, -2);
    const rows = input.campaigns.filter((r) => r.month === period);
    const cur = funnel(rows);
    const prev = funnel(input.campaigns.filter((r) => r.month === previous));

    const metrics = {
      spend: centsToUnits(cur.spendCents),
      leads: cur.leads,
      mqls: cur.mqls,
      mqlRate: percent(cur.mqls, cur.leads),
      newCustomers: cur.newCustomers,
      cac: cur.cacCents === null ? null : centsToUnits(cur.cacCents),
      cacPrevious: prev.cacCents === null ? null : centsToUnits(prev.cacCents),
      cacChangePct: change(cur.cacCents, prev.cacCents),
      leadsChangePct: change(cur.leads, prev.leads),
    };

    const alerts: Alert[] = [
      ...checkThreshold({
        id: 'marketing.cac-rising',
        metric: 'cacChangePct',
        value: metrics.cacChangePct,
        op: '>',
        warning: t.cac_increase_warning_pct,
        critical: t.cac_increase_critical_pct,
        message: (v, th) =>
          `CAC rose ${v}% in ${period} to ${formatMoney(cur.cacCents ?? 0)} (from ${formatMoney(prev.cacCents ?? 0)}), above +${th}%`,
      }),
      ...checkThreshold({
        id: 'marketing.leads-dropping',
        metric: 'leadsChangePct',
        value: metrics.leadsChangePct,
        op: '<',
        warning: t.leads_change_warning_pct,
        message: (v, th) =>
          `Leads changed ${v}% in ${period} (${prev.leads} -> ${cur.leads}), below ${th}%`,
      }),
    ];

    // The channel with the worst CAC in the period (spend without any customer = worst),
    // when it is more than channel_cac_premium_pct above the blended CAC.
    const recommendations: TaskInput[] = [];
    const channels = [...new Set(rows.map((r) => r.channel))].map((channel) => {
      const f = funnel(rows.filter((r) => r.channel === channel));
      return { channel, ...f, cac: f.newCustomers > 0 ? f.spendCents / f.newCustomers : Infinity };
    });
    const worst = channels
      .filter((c) => c.spendCents > 0)
      .sort((a, b) => b.cac - a.cac || b.spendCents - a.spendCents)[0];
    if (
      worst &&
      cur.cacCents !== null &&
      worst.cac > cur.cacCents * (1 + t.channel_cac_premium_pct / 100)
    ) {
      const cacText =
        worst.cacCents === null ? 'no new customers' : `CAC ${formatMoney(worst.cacCents)}`;
      recommendations.push({
        id: `marketing.review-channel-${slug(worst.channel)}`,
        title: `Review ${worst.channel} spend (${cacText} vs ${formatMoney(cur.cacCents)} blended)`,
        source: 'marketing',
        reason: `${worst.channel} spent ${formatMoney(worst.spendCents)} in ${period} for ${worst.newCustomers} new customers; cut or fix it before next month's budget.`,
        moneyAtStakeCents: worst.spendCents * 12,
        deadline: endOfMonth(thisMonth),
        energyDemand: 'medium',
        tags: ['growth', 'efficiency'],
      });
    }

    const { health, healthReason } = healthFromAlerts(
      alerts,
      `Marketing steady in ${period}: ${cur.leads} leads, CAC ${cur.cacCents === null ? '-' : formatMoney(cur.cacCents)}`,
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
