/**
 * The customer-success datasets: one row per customer account (accounts.csv, or a
 * CRM/product-analytics connector) and NPS survey responses (nps.csv). Subscriptions
 * come from the finance datasets.
 */
import { z } from 'zod';
import { integer, isoDate, rowsUniqueBy, text } from '../fields.js';

export const Account = z.object({
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

/** accounts.csv: one row per customer, `customer_id` unique. */
export const AccountRows = rowsUniqueBy(Account, 'customer_id');

/** One answer to "how likely are you to recommend us" (0..10). */
export const NpsResponse = z.object({
  id: text(),
  customer_id: text(),
  responded_on: isoDate(),
  score: integer({ min: 0, max: 10 }),
  comment: text({ multiline: true }).optional(),
});
export type NpsResponse = z.output<typeof NpsResponse>;

/** nps.csv: one row per response, `id` unique. */
export const NpsRows = rowsUniqueBy(NpsResponse, 'id');
