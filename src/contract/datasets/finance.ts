/**
 * The finance datasets: the subscription history (subscriptions.csv, or the Stripe
 * connector), read by finance and customer success, and the monthly cash flow
 * (cashflow.csv, or a bank/Stripe overlay).
 */
import { z } from 'zod';
import { cents, isoDate, isoMonth, oneOf, rowsUniqueBy, text } from '../fields.js';

export const SUBSCRIPTION_STATUSES = ['active', 'past_due', 'trialing', 'canceled'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export const BILLING_INTERVALS = ['month', 'quarter', 'year'] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

/**
 * One subscription at one price, counting from `started_on` up to the day BEFORE
 * `canceled_on`. A plan change is the old row ending on the day the new row starts.
 */
export const Subscription = z
  .object({
    id: text(),
    customer_id: text(),
    customer_name: text(),
    plan: text(),
    interval: oneOf(BILLING_INTERVALS),
    /** Amount invoiced per billing interval, integer cents, after discounts. */
    amount_cents: cents(),
    status: oneOf(SUBSCRIPTION_STATUSES),
    started_on: isoDate(),
    /** First day the row no longer counts (cancellation or plan change takes effect). */
    canceled_on: isoDate().optional(),
  })
  .superRefine((s, ctx) => {
    if (s.status === 'canceled' && s.canceled_on === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['canceled_on'],
        message: 'required when status is canceled: the date the cancellation took effect',
      });
    }
    if (s.canceled_on !== undefined && s.canceled_on <= s.started_on) {
      ctx.addIssue({
        code: 'custom',
        path: ['canceled_on'],
        message: `must be after started_on (${s.started_on}), got "${s.canceled_on}"`,
      });
    }
  });
export type Subscription = z.output<typeof Subscription>;

/** subscriptions.csv: one row per subscription, `id` unique. */
export const SubscriptionRows = rowsUniqueBy(Subscription, 'id');

/** One calendar month of cash flow (cashflow.csv). */
export const CashflowMonth = z.object({
  month: isoMonth(),
  /** Money received in the month, before refunds. */
  cash_in_cents: cents(),
  /** Money paid back to customers in the month. */
  refunds_cents: cents().optional(),
  /** Money paid out in the month (every expense, including cost of revenue). */
  cash_out_cents: cents(),
  /** Recognised revenue of the month (the P&L's), before refunds. */
  revenue_cents: cents().optional(),
  /** Cost of revenue (hosting, support, payment fees) of the month. */
  cost_of_revenue_cents: cents().optional(),
  closing_balance_cents: cents(),
});
export type CashflowMonth = z.output<typeof CashflowMonth>;

/** cashflow.csv: one row per month, `month` unique. */
export const CashflowRows = rowsUniqueBy(CashflowMonth, 'month');
