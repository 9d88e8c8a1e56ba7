/**
 * Builders of Stripe API objects with the real field names and nesting of API version
 * 2026-10-28.endive (the version stripe-node 23 pins), after the published API
 * reference: every top-level field of each object is present, references are ids
 * (the fake server expands them on `expand[]`).
 */
export type Obj = Record<string, unknown>;

/** ISO instant -> Unix seconds. */
export const at = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** A deterministic, realistic-looking Stripe id: `sub_1Q` + 22 base-62 characters. */
export function stripeId(prefix: string, seed: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const text = `${prefix}:${seed}`;
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  let out = '';
  while (out.length < 22) {
    h ^= h << 13;
    h ^= h >>> 17;
    h ^= h << 5;
    h >>>= 0;
    out += alphabet[h % 62];
  }
  return `${prefix}_1Q${out}`;
}

export function product(id: string, name: string, created: number): Obj {
  return {
    id,
    object: 'product',
    active: true,
    created,
    default_price: null,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    type: 'service',
    unit_label: null,
    updated: created,
    url: null,
  };
}

export function price(p: {
  id: string;
  product: string;
  nickname: string;
  unitAmount: number | null;
  interval: 'day' | 'week' | 'month' | 'year';
  intervalCount?: number;
  currency?: string;
  usageType?: 'licensed' | 'metered';
  created: number;
  billingScheme?: 'per_unit' | 'tiered';
  tiersMode?: 'graduated' | 'volume' | null;
}): Obj {
  return {
    id: p.id,
    object: 'price',
    active: true,
    billing_scheme: p.billingScheme ?? 'per_unit',
    created: p.created,
    currency: p.currency ?? 'usd',
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: p.nickname,
    product: p.product,
    recurring: {
      interval: p.interval,
      interval_count: p.intervalCount ?? 1,
      meter: p.usageType === 'metered' ? 'mtr_test_61Q' + p.id.slice(-10) : null,
      trial_period_days: null,
      usage_type: p.usageType ?? 'licensed',
    },
    tax_behavior: 'unspecified',
    tiers_mode: p.tiersMode ?? null,
    transform_quantity: null,
    type: 'recurring',
    unit_amount: p.unitAmount,
    unit_amount_decimal: p.unitAmount === null ? null : String(p.unitAmount),
  };
}

/** The legacy `plan` every subscription item still carries, mirroring its price. */
function planOf(pr: Obj): Obj {
  const recurring = pr.recurring as Obj;
  return {
    id: pr.id,
    object: 'plan',
    active: pr.active,
    amount: pr.unit_amount,
    amount_decimal: pr.unit_amount_decimal,
    billing_scheme: pr.billing_scheme,
    created: pr.created,
    currency: pr.currency,
    interval: recurring.interval,
    interval_count: recurring.interval_count,
    livemode: false,
    metadata: {},
    meter: recurring.meter,
    nickname: pr.nickname,
    product: pr.product,
    tiers_mode: pr.tiers_mode,
    transform_usage: null,
    trial_period_days: null,
    usage_type: recurring.usage_type,
  };
}

export function subscriptionItem(i: {
  id: string;
  subscription: string;
  price: Obj;
  quantity?: number;
  created: number;
  periodStart: number;
  periodEnd: number;
  discounts?: string[];
}): Obj {
  const metered = (i.price.recurring as Obj).usage_type === 'metered';
  return {
    id: i.id,
    object: 'subscription_item',
    billing_thresholds: null,
    created: i.created,
    current_period_end: i.periodEnd,
    current_period_start: i.periodStart,
    discounts: i.discounts ?? [],
    metadata: {},
    plan: planOf(i.price),
    price: i.price,
    ...(metered ? {} : { quantity: i.quantity ?? 1 }),
    subscription: i.subscription,
    tax_rates: [],
  };
}

export function customer(c: {
  id: string;
  name: string;
  email: string;
  created: number;
  currency?: string;
  metadata?: Record<string, string>;
}): Obj {
  return {
    id: c.id,
    object: 'customer',
    address: null,
    balance: 0,
    created: c.created,
    currency: c.currency ?? 'usd',
    default_source: null,
    delinquent: false,
    description: null,
    email: c.email,
    invoice_prefix: c.id.slice(-8).toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: false,
    metadata: c.metadata ?? {},
    name: c.name,
    next_invoice_sequence: 2,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

export function coupon(c: {
  id: string;
  name: string;
  percentOff?: number;
  amountOff?: number;
  currency?: string;
  duration: 'once' | 'repeating' | 'forever';
  durationInMonths?: number;
  created: number;
  appliesTo?: string[];
}): Obj {
  return {
    id: c.id,
    object: 'coupon',
    amount_off: c.amountOff ?? null,
    ...(c.appliesTo ? { applies_to: { products: c.appliesTo } } : {}),
    created: c.created,
    currency: c.amountOff !== undefined ? (c.currency ?? 'usd') : null,
    duration: c.duration,
    duration_in_months: c.durationInMonths ?? null,
    livemode: false,
    max_redemptions: null,
    metadata: {},
    name: c.name,
    percent_off: c.percentOff ?? null,
    redeem_by: null,
    times_redeemed: 1,
    valid: true,
  };
}

export function discount(d: {
  id: string;
  coupon: string;
  customer: string;
  subscription: string;
  subscriptionItem?: string;
  start: number;
  end?: number;
}): Obj {
  return {
    id: d.id,
    object: 'discount',
    checkout_session: null,
    customer: d.customer,
    customer_account: null,
    end: d.end ?? null,
    invoice: null,
    invoice_item: null,
    promotion_code: null,
    source: { coupon: d.coupon, type: 'coupon' },
    start: d.start,
    subscription: d.subscription,
    subscription_item: d.subscriptionItem ?? null,
  };
}

export function subscription(s: {
  id: string;
  customer: string;
  status: string;
  currency?: string;
  created: number;
  startDate?: number;
  items: Obj[];
  discounts?: string[];
  cancelAt?: number | null;
  canceledAt?: number | null;
  endedAt?: number | null;
  trialStart?: number | null;
  trialEnd?: number | null;
  billingCycleAnchor?: number;
}): Obj {
  const start = s.startDate ?? s.created;
  return {
    id: s.id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: s.billingCycleAnchor ?? s.trialEnd ?? start,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: s.cancelAt ?? null,
    cancel_at_period_end: false,
    canceled_at: s.canceledAt ?? (s.cancelAt ? s.created : null),
    cancellation_details: {
      comment: null,
      feedback: null,
      reason: s.canceledAt ? 'cancellation_requested' : null,
    },
    collection_method: 'charge_automatically',
    created: s.created,
    currency: s.currency ?? 'usd',
    customer: s.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: stripeId('pm', s.id),
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: s.discounts ?? [],
    ended_at: s.endedAt ?? null,
    invoice_settings: { account_tax_ids: null, issuer: { type: 'self' } },
    items: {
      object: 'list',
      data: s.items,
      has_more: false,
      total_count: s.items.length,
      url: `/v1/subscription_items?subscription=${s.id}`,
    },
    latest_invoice: stripeId('in', s.id),
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: 'off',
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: start,
    status: s.status,
    test_clock: null,
    transfer_data: null,
    trial_end: s.trialEnd ?? null,
    trial_settings: { end_behavior: { missing_payment_method: 'create_invoice' } },
    trial_start: s.trialStart ?? null,
  };
}

export function event(e: {
  id: string;
  type: string;
  created: number;
  object: Obj;
  previousAttributes?: Obj;
}): Obj {
  return {
    id: e.id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created: e.created,
    data: {
      object: e.object,
      ...(e.previousAttributes ? { previous_attributes: e.previousAttributes } : {}),
    },
    livemode: false,
    pending_webhooks: 0,
    request: { id: stripeId('req', e.id), idempotency_key: `boardroom-fixture-${e.id.slice(-8)}` },
    type: e.type,
  };
}

const REPORTING_CATEGORY: Record<string, string> = {
  charge: 'charge',
  payment: 'charge',
  refund: 'refund',
  payment_refund: 'refund',
  payout: 'payout',
  stripe_fee: 'fee',
};

export function balanceTransaction(t: {
  id: string;
  type: string;
  amount: number;
  fee?: number;
  currency?: string;
  created: number;
  description?: string;
}): Obj {
  const fee = t.fee ?? 0;
  const currency = t.currency ?? 'usd';
  return {
    id: t.id,
    object: 'balance_transaction',
    amount: t.amount,
    available_on: t.created + 2 * 86_400,
    balance_type: 'payments',
    created: t.created,
    currency,
    description: t.description ?? null,
    exchange_rate: null,
    fee,
    fee_details: fee
      ? [
          {
            amount: fee,
            application: null,
            currency,
            description: 'Stripe processing fees',
            type: 'stripe_fee',
          },
        ]
      : [],
    net: t.amount - fee,
    reporting_category: REPORTING_CATEGORY[t.type] ?? 'other_adjustment',
    source: t.type === 'payout' ? stripeId('po', t.id) : stripeId('ch', t.id),
    status: 'available',
    type: t.type,
  };
}

export function balance(b: {
  available: { amount: number; currency: string }[];
  pending: { amount: number; currency: string }[];
  livemode?: boolean;
}): Obj {
  const part = (p: { amount: number; currency: string }) => ({
    amount: p.amount,
    currency: p.currency,
    source_types: { card: p.amount },
  });
  return {
    object: 'balance',
    available: b.available.map(part),
    livemode: b.livemode ?? false,
    pending: b.pending.map(part),
    refund_and_dispute_prefunding: {
      available: [{ amount: 0, currency: 'usd' }],
      pending: [{ amount: 0, currency: 'usd' }],
    },
  };
}
