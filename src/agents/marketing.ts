/**
 * Marketing: the funnel per channel (spend, leads, MQLs, new customers, attributed new
 * ARR), CAC and ROI overall and by channel, and content performance, for the last
 * complete month compared with the month before (both from the monthly data).
 * Formulas, units and thresholds: docs/metrics.md#marketing.
 */
import { channelKey } from '../contract/datasets/marketing.js';
import { z } from 'zod';
import { defineAgent } from '../contract/agent.js';
import type { Alert, TaskInput } from '../contract/report.js';
import { addDays, addMonths, endOfMonth, monthOf } from '../shared/dates.js';
import {
  cents,
  integer,
  isoDate,
  isoMonth,
  rowsUniqueBy,
  settingsFile,
  text,
} from '../contract/fields.js';
import { centsToUnits, formatMoney } from '../shared/money.js';
import { checkThreshold, healthFromAlerts } from './thresholds.js';
import { percent, round, sumBy } from '../shared/numbers.js';
import { slug } from '../shared/text.js';

export const MARKETING_THRESHOLDS = {
  /** CAC up by more than this many percent on the previous month: warning. */
  cac_increase_warning_pct: 20,
  /** CAC up by more than this many percent: critical. */
  cac_increase_critical_pct: 50,
  /** Leads changed by less than this percent (a drop) on the previous month: warning. */
  leads_change_warning_pct: -25,
  /** Leads changed by less than this percent: critical. */
  leads_change_critical_pct: -50,
  /** A channel that spent more than this (currency units) in the month and won no customer: warning. */
  channel_no_customers_min_spend: 0,
  /** A channel whose CAC exceeds the blended CAC by more than this percent gets a review task. */
  channel_cac_premium_pct: 50,
  /** The best channel gets a "scale" task when its ROI is at least this percent. */
  scale_channel_roi_pct: 200,
};

const channel = () =>
  text().transform((raw, ctx) => {
    const key = channelKey(raw);
    if (key === '') {
      ctx.addIssue({
        code: 'custom',
        message: `expected a channel name with letters or digits, got ${JSON.stringify(raw)}`,
      });
      return z.NEVER;
    }
    return key;
  });

const CampaignMonth = z.object({
  id: text(),
  month: isoMonth(),
  channel: channel(),
  campaign: text(),
  spend_cents: cents(),
  leads: integer({ min: 0 }),
  mqls: integer({ min: 0 }),
  /** New paying customers attributed to the campaign in that month. */
  new_customers: integer({ min: 0 }),
  /** ARR (annual contract value) of those customers, in cents; empty = not tracked. */
  new_arr_cents: cents().optional(),
});
type CampaignMonth = z.output<typeof CampaignMonth>;

/** One content piece's traffic in one month (content.csv). */
const ContentMonth = z.object({
  piece_id: text(),
  month: isoMonth(),
  title: text(),
  type: text(),
  published_on: isoDate(),
  views: integer({ min: 0 }),
  leads: integer({ min: 0 }),
});
type ContentMonth = z.output<typeof ContentMonth>;

/** content.csv rows, one per piece and month: (piece_id, month) is unique. */
const ContentRows = z.array(ContentMonth).superRefine((rows, ctx) => {
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const key = `${r.piece_id}\u0000${r.month}`;
    const first = seen.get(key);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [i, 'month'],
        message: `duplicate month ${r.month} for piece ${JSON.stringify(r.piece_id)} (also on data row ${first + 1})`,
      });
    } else {
      seen.set(key, i);
    }
  });
});

export const MarketingInput = z.object({
  campaigns: rowsUniqueBy(CampaignMonth, 'id'),
  content: ContentRows.default([]),
  settings: settingsFile(MARKETING_THRESHOLDS),
});
export type MarketingInput = z.output<typeof MarketingInput>;

export interface Funnel {
  spendCents: number;
  leads: number;
  mqls: number;
  newCustomers: number;
  /** Attributed new ARR in cents; null when no row of the set carries `new_arr_cents`. */
  newArrCents: number | null;
  /** Spend / new customers in cents (rounded once), null without new customers. */
  cacCents: number | null;
}

export function funnel(rows: readonly CampaignMonth[]): Funnel {
  const spendCents = sumBy(rows, (r) => r.spend_cents);
  const newCustomers = sumBy(rows, (r) => r.new_customers);
  const tracked = rows.filter((r) => r.new_arr_cents !== undefined);
  return {
    spendCents,
    leads: sumBy(rows, (r) => r.leads),
    mqls: sumBy(rows, (r) => r.mqls),
    newCustomers,
    newArrCents: tracked.length === 0 ? null : sumBy(tracked, (r) => r.new_arr_cents ?? 0),
    cacCents: newCustomers > 0 ? Math.round(spendCents / newCustomers) : null,
  };
}

/** Percent change from `prev` to `cur`, 1 decimal; null when either is missing or prev is 0. */
function change(cur: number | null, prev: number | null): number | null {
  if (cur === null || prev === null || prev === 0) return null;
  return percent(cur - prev, prev);
}

/** (new ARR - spend) / spend in percent; null without spend or without tracked ARR. */
function roiPct(f: Funnel): number | null {
  return f.newArrCents === null ? null : percent(f.newArrCents - f.spendCents, f.spendCents);
}

const units = (c: number | null) => (c === null ? null : centsToUnits(c));

export const marketingAgent = defineAgent({
  name: 'marketing',
  title: 'Marketing',
  datasets: {
    campaigns: { file: 'campaigns.csv', format: 'csv' },
    content: { file: 'content.csv', format: 'csv', optional: true },
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

    const channels = [...new Set(rows.map((r) => r.channel))]
      .sort()
      .map((name) => ({ name, ...funnel(rows.filter((r) => r.channel === name)) }));
    const perChannel = Object.fromEntries(
      channels.flatMap((c) => [
        [`spend.${c.name}`, centsToUnits(c.spendCents)],
        [`leads.${c.name}`, c.leads],
        [`mqls.${c.name}`, c.mqls],
        [`newCustomers.${c.name}`, c.newCustomers],
        [`newArr.${c.name}`, units(c.newArrCents)],
        [`leadToMqlPct.${c.name}`, percent(c.mqls, c.leads)],
        [`cac.${c.name}`, units(c.cacCents)],
        [`roiPct.${c.name}`, roiPct(c)],
      ]),
    );

    // Content: the pieces with traffic in the period.
    const pieces = input.content.filter((r) => r.month === period);
    const piecesBefore = input.content.filter((r) => r.month === previous);
    const views = sumBy(pieces, (r) => r.views);
    const contentLeads = sumBy(pieces, (r) => r.leads);
    const perPiece = Object.fromEntries(
      [...pieces]
        .sort((a, b) => a.piece_id.localeCompare(b.piece_id))
        .flatMap((p) => [
          [`contentViews.${slug(p.piece_id)}`, p.views],
          [`contentLeads.${slug(p.piece_id)}`, p.leads],
        ]),
    );

    const metrics = {
      spend: centsToUnits(cur.spendCents),
      leads: cur.leads,
      mqls: cur.mqls,
      newCustomers: cur.newCustomers,
      newArr: units(cur.newArrCents),
      leadToMqlPct: percent(cur.mqls, cur.leads),
      mqlToCustomerPct: percent(cur.newCustomers, cur.mqls),
      leadToCustomerPct: percent(cur.newCustomers, cur.leads),
      cac: units(cur.cacCents),
      roiPct: roiPct(cur),
      spendPrevious: centsToUnits(prev.spendCents),
      leadsPrevious: prev.leads,
      mqlsPrevious: prev.mqls,
      newCustomersPrevious: prev.newCustomers,
      cacPrevious: units(prev.cacCents),
      spendChangePct: change(cur.spendCents, prev.spendCents),
      leadsChangePct: change(cur.leads, prev.leads),
      mqlsChangePct: change(cur.mqls, prev.mqls),
      newCustomersChangePct: change(cur.newCustomers, prev.newCustomers),
      cacChangePct: change(cur.cacCents, prev.cacCents),
      ...perChannel,
      contentPieces: pieces.length,
      newContentPieces: pieces.filter((p) => monthOf(p.published_on) === period).length,
      contentViews: views,
      contentLeads,
      viewsPerPiece: pieces.length === 0 ? null : round(views / pieces.length, 1),
      leadsPerPiece: pieces.length === 0 ? null : round(contentLeads / pieces.length, 2),
      contentLeadRatePct: percent(contentLeads, views, 2),
      contentViewsChangePct: change(
        views,
        sumBy(piecesBefore, (r) => r.views),
      ),
      contentLeadsChangePct: change(
        contentLeads,
        sumBy(piecesBefore, (r) => r.leads),
      ),
      ...perPiece,
    };

    const minSpendCents = Math.round(t.channel_no_customers_min_spend * 100);
    const idle = channels.filter((c) => c.newCustomers === 0 && c.spendCents > minSpendCents);
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
        critical: t.leads_change_critical_pct,
        message: (v, th) =>
          `Leads changed ${v}% in ${period} (${prev.leads} -> ${cur.leads}), below ${th}%`,
      }),
      ...idle.map((c): Alert => ({
        id: 'marketing.channel-no-customers',
        severity: 'warning',
        message: `${c.name} spent ${formatMoney(c.spendCents)} in ${period} (${c.leads} leads, ${c.mqls} MQLs) and won no customer`,
        metric: `spend.${c.name}`,
        value: centsToUnits(c.spendCents),
        threshold: t.channel_no_customers_min_spend,
      })),
    ];

    // Review: every channel with spend and no customer, and every channel whose CAC is
    // more than channel_cac_premium_pct above the blended CAC; biggest spend first.
    const expensive = channels.filter(
      (c) =>
        c.cacCents !== null &&
        cur.cacCents !== null &&
        c.cacCents > cur.cacCents * (1 + t.channel_cac_premium_pct / 100),
    );
    const review = [...idle, ...expensive].sort(
      (a, b) => b.spendCents - a.spendCents || a.name.localeCompare(b.name),
    );
    const blended =
      cur.cacCents === null ? 'no blended CAC' : `${formatMoney(cur.cacCents)} blended`;
    const recommendations: TaskInput[] = review.map((c) => ({
      id: `marketing.review-channel-${slug(c.name)}`,
      title: `Review ${c.name} spend (${c.cacCents === null ? 'no new customers' : `CAC ${formatMoney(c.cacCents)}`} vs ${blended})`,
      source: 'marketing',
      reason: `${c.name} spent ${formatMoney(c.spendCents)} in ${period} for ${c.newCustomers} new customer${c.newCustomers === 1 ? '' : 's'} (${c.leads} leads, ${c.mqls} MQLs); cut or fix it before next month's budget.`,
      // Spend is cost, not revenue: no money at stake (docs/metrics.md, Recommendations).
      deadline: endOfMonth(thisMonth),
      energyDemand: 'medium',
      tags: ['growth', 'efficiency'],
    }));

    const best = channels
      .filter((c) => c.newCustomers > 0 && c.spendCents > 0 && c.newArrCents !== null)
      .map((c) => ({ ...c, roi: roiPct(c)! }))
      .sort((a, b) => b.roi - a.roi || a.name.localeCompare(b.name))[0];
    if (best && best.roi >= t.scale_channel_roi_pct) {
      recommendations.push({
        id: `marketing.scale-channel-${slug(best.name)}`,
        title: `Put more budget into ${best.name} (ROI ${best.roi}%, CAC ${formatMoney(best.cacCents ?? 0)})`,
        source: 'marketing',
        reason: `${best.name} brought ${formatMoney(best.newArrCents ?? 0)} new ARR from ${formatMoney(best.spendCents)} in ${period} (${best.newCustomers} customer${best.newCustomers === 1 ? '' : 's'}), the best return of any channel.`,
        moneyAtStakeCents: best.newArrCents ?? 0,
        deadline: endOfMonth(thisMonth),
        energyDemand: 'medium',
        tags: ['growth', 'revenue'],
      });
    }

    if (alerts.some((a) => a.id === 'marketing.leads-dropping')) {
      // The new ARR the missing leads would have brought at last month's ARR per lead.
      const atStake =
        prev.newArrCents === null || prev.leads === 0
          ? undefined
          : Math.round(((prev.leads - cur.leads) * prev.newArrCents) / prev.leads);
      recommendations.push({
        id: 'marketing.recover-lead-flow',
        title: `Find out why leads fell ${-(metrics.leadsChangePct ?? 0)}% in ${period}`,
        source: 'marketing',
        reason: `${cur.leads} leads in ${period} against ${prev.leads} in ${previous}; ${channels
          .map((c) => `${c.name} ${c.leads}`)
          .join(', ')}.`,
        ...(atStake !== undefined && atStake > 0 ? { moneyAtStakeCents: atStake } : {}),
        deadline: addDays(ctx.today, 14),
        energyDemand: 'high',
        tags: ['growth', 'pipeline'],
      });
    }

    const { health, healthReason } = healthFromAlerts(
      alerts,
      `Marketing steady in ${period}: ${cur.leads} leads, ${cur.newCustomers} new customers, CAC ${cur.cacCents === null ? '-' : formatMoney(cur.cacCents)}`,
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
