/**
 * The parts of Stripe's API objects the connector reads (API version pinned in
 * client.ts), validated with zod. Only the fields used are checked; extra fields are
 * fine. A field missing or of another type fails with SourceSchemaError naming the
 * object (type and id) and the field.
 */
import { z } from 'zod';

const id = z.string().min(1);
/** Unix seconds. */
const ts = z.number().int();
const amount = z.number().int();

export const Coupon = z.object({
  id,
  object: z.literal('coupon'),
  amount_off: amount.nonnegative().nullable(),
  percent_off: z.number().min(0).max(100).nullable(),
  currency: z.string().nullable().optional(),
  currency_options: z.record(z.string(), z.object({ amount_off: amount.nonnegative() })).optional(),
  duration: z.string(),
  applies_to: z.object({ products: z.array(z.string()) }).optional(),
});
export type Coupon = z.output<typeof Coupon>;

export const Discount = z.object({
  id,
  object: z.literal('discount'),
  source: z.object({
    type: z.string(),
    coupon: z.union([id, Coupon]).nullable(),
  }),
  start: ts,
  end: ts.nullable(),
});
export type Discount = z.output<typeof Discount>;

const Tier = z.object({
  up_to: z.number().int().positive().nullable(),
  unit_amount: amount.nullable(),
  unit_amount_decimal: z.unknown().optional(),
  flat_amount: amount.nullable(),
});
export type Tier = z.output<typeof Tier>;

export const Price = z.object({
  id,
  object: z.literal('price'),
  currency: z.string().length(3),
  product: z.union([id, z.object({ id })]),
  nickname: z.string().nullable().optional(),
  billing_scheme: z.string(),
  unit_amount: amount.nonnegative().nullable(),
  /** A decimal string (or the client's Decimal object): read only when unit_amount is null. */
  unit_amount_decimal: z.unknown().optional(),
  recurring: z
    .object({
      interval: z.enum(['day', 'week', 'month', 'year']),
      interval_count: z.number().int().positive(),
      usage_type: z.string(),
    })
    .nullable(),
  /** Amounts in the subscription's currency when it is not the price's own. */
  currency_options: z
    .record(
      z.string(),
      z.object({
        unit_amount: amount.nonnegative().nullable().optional(),
        unit_amount_decimal: z.unknown().optional(),
        tiers: z.array(Tier).optional(),
      }),
    )
    .optional(),
  tiers_mode: z.string().nullable().optional(),
  tiers: z.array(Tier).optional(),
  transform_quantity: z
    .object({ divide_by: z.number().int().positive(), round: z.enum(['up', 'down']) })
    .nullable()
    .optional(),
});
export type Price = z.output<typeof Price>;

export const SubscriptionItem = z.object({
  id,
  object: z.literal('subscription_item'),
  created: ts,
  price: Price,
  /** Absent on metered items. */
  quantity: z.number().int().nonnegative().optional(),
  discounts: z.array(z.union([id, Discount])).default([]),
  current_period_start: ts,
});
export type SubscriptionItem = z.output<typeof SubscriptionItem>;

export const Customer = z.union([
  z.object({
    id,
    object: z.literal('customer'),
    deleted: z.literal(true),
  }),
  z.object({
    id,
    object: z.literal('customer'),
    name: z.string().nullable().optional(),
    email: z.string().nullable().optional(),
    metadata: z.record(z.string(), z.string()).default({}),
  }),
]);
export type Customer = z.output<typeof Customer>;

export const SUBSCRIPTION_STATUSES = [
  'active',
  'past_due',
  'trialing',
  'canceled',
  'unpaid',
  'incomplete',
  'incomplete_expired',
  'paused',
] as const;

export const Subscription = z.object({
  id,
  object: z.literal('subscription'),
  customer: z.union([id, Customer]),
  status: z.enum(SUBSCRIPTION_STATUSES),
  currency: z.string().length(3),
  created: ts,
  start_date: ts,
  ended_at: ts.nullable(),
  canceled_at: ts.nullable(),
  cancel_at: ts.nullable(),
  trial_start: ts.nullable(),
  trial_end: ts.nullable(),
  items: z.object({
    object: z.literal('list'),
    data: z.array(SubscriptionItem),
    has_more: z.boolean(),
  }),
  discounts: z.array(z.union([id, Discount])),
  status_details: z
    .object({ paused: z.object({ transitioned_at: ts }).nullable().optional() })
    .nullable()
    .optional(),
});
export type Subscription = z.output<typeof Subscription>;

/**
 * A subscription inside an event: rendered in the API version of the event's creation
 * (possibly older than ours), so only what every recent version has is required.
 */
const EventItem = z.object({
  id,
  created: ts,
  price: Price,
  quantity: z.number().int().nonnegative().optional(),
  discounts: z.array(z.union([id, Discount])).optional(),
});
export type EventItem = z.output<typeof EventItem>;

export const EventSubscription = z.object({
  id,
  object: z.literal('subscription'),
  status: z.string(),
  items: z.object({ data: z.array(EventItem) }),
  discounts: z.array(z.union([id, Discount])).optional(),
});
export type EventSubscription = z.output<typeof EventSubscription>;

export const PreviousAttributes = z.object({
  status: z.string().optional(),
  items: z.object({ data: z.array(EventItem) }).optional(),
  discounts: z.array(z.union([id, Discount])).optional(),
});

export const Event = z.object({
  id,
  object: z.literal('event'),
  type: z.string(),
  created: ts,
  api_version: z.string().nullable().optional(),
  data: z.object({
    object: z.record(z.string(), z.unknown()),
    previous_attributes: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type Event = z.output<typeof Event>;

export const Product = z.object({ id, object: z.literal('product'), name: z.string() });
export type Product = z.output<typeof Product>;

export const BalanceTransaction = z.object({
  id,
  object: z.literal('balance_transaction'),
  amount,
  fee: amount,
  currency: z.string().length(3),
  type: z.string(),
  created: ts,
});
export type BalanceTransaction = z.output<typeof BalanceTransaction>;

const BalanceAmount = z.object({ amount, currency: z.string().length(3) });
export const Balance = z.object({
  object: z.literal('balance'),
  livemode: z.boolean(),
  available: z.array(BalanceAmount),
  pending: z.array(BalanceAmount),
});
export type Balance = z.output<typeof Balance>;

/** The envelope of every list endpoint. */
export const ListPage = z.object({
  object: z.literal('list'),
  data: z.array(z.unknown()),
  has_more: z.boolean(),
});
