/**
 * The marketing datasets: campaigns and content by month and channel (campaigns.csv,
 * content.csv, or a CRM connector).
 */
import { z } from 'zod';
import { cents, integer, isoDate, isoMonth, rowsUniqueBy, text } from '../fields.js';

/**
 * A channel name as it appears in metric keys (`leads.paid_search`): lower case, every
 * run of other characters than a-z and 0-9 turned into `_` ("Paid Search" -> paid_search).
 */
export function channelKey(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** A channel cell, read as its key ("Paid Search" -> paid_search); needs a letter or digit. */
export function channel() {
  return text().transform((raw, ctx) => {
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
}

/** One campaign's funnel in one month (campaigns.csv). */
export const CampaignMonth = z.object({
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
export type CampaignMonth = z.output<typeof CampaignMonth>;

/** campaigns.csv: one row per campaign and month, `id` unique. */
export const CampaignRows = rowsUniqueBy(CampaignMonth, 'id');

/** One content piece's traffic in one month (content.csv). */
export const ContentMonth = z.object({
  piece_id: text(),
  month: isoMonth(),
  title: text(),
  type: text(),
  published_on: isoDate(),
  views: integer({ min: 0 }),
  leads: integer({ min: 0 }),
});
export type ContentMonth = z.output<typeof ContentMonth>;

/** content.csv: one row per piece and month, (piece_id, month) unique. */
export const ContentRows = z.array(ContentMonth).superRefine((rows, ctx) => {
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
