/**
 * Stripe subscriptions -> `subscriptions.csv` rows (docs/workspace.md#finance), pure.
 *
 * A row is one subscription item at one amount over a date range. Stripe's current
 * subscription objects show only today's items, so the history is rebuilt from:
 *  - the subscription's own dates: `start_date`, the trial (`trial_start`..`trial_end`,
 *    a `trialing` row that never counts, then the paid rows from `trial_end`), the end
 *    (`ended_at` when canceled, `cancel_at` when a cancellation is scheduled);
 *  - each item's `created` (an add-on added after the subscription was created starts
 *    that day), each discount's `start` and `end` (a coupon added later, a repeating
 *    coupon running out: a contraction, or an expansion on a future date);
 *  - the `customer.subscription.updated` events of the last `history_days` (at most 30,
 *    Stripe's retention): `data.object` is the subscription after each change and
 *    `data.previous_attributes` holds the items (price, quantity), discounts and status
 *    before it, so every plan, seat or discount change in that window is an old row
 *    ending the day the new one starts.
 * Limits: a price or quantity change older than the event window is not visible (the
 * current items are taken back to their start); a discount removed inside the window
 * whose coupon is no longer known is left out of the earlier rows.
 *
 * Statuses: `active` and `past_due` count (past_due marks a payment failure);
 * `trialing` never counts; `incomplete` and `incomplete_expired` (the first payment
 * never succeeded) give no row; `unpaid` and `paused` stop counting on the day the
 * subscription entered that status (the event, `status_details.paused.transitioned_at`,
 * else the start of the item's current period) and are written as `canceled` rows.
 *
 * Amounts: unit amount (or tiers) x quantity (after `transform_quantity`), minus the
 * item's discounts, then the subscription's discounts (percent off, rounded half up;
 * amount off shared across the eligible items in proportion to their amounts, honouring
 * `applies_to.products`); `once` coupons only touch the first invoice and are left out.
 * Metered (usage-based) items have no recurring amount and give no row. Intervals:
 * month, 3 months (quarter) and year stay; others become yearly amounts (n months x
 * 12/n, weeks x 52, days x 365). Then converted to the reporting currency.
 */
import { SourceRequestError, SourceSchemaError } from '../../../shared/errors.js';
import { parseObject } from './client.js';
import { dateIn } from './dates.js';
import { divRound, parseDecimal, type Converter } from './money.js';
import {
  EventSubscription,
  PreviousAttributes,
  type Coupon,
  type Discount,
  type Event,
  type Price,
  type Subscription,
  type Tier,
} from './schemas.js';

export interface SubscriptionRow {
  id: string;
  customer_id: string;
  customer_name: string;
  plan: string;
  interval: 'month' | 'quarter' | 'year';
  amount_cents: number;
  status: 'active' | 'past_due' | 'trialing' | 'canceled';
  started_on: string;
  canceled_on?: string;
}

export interface RowsInput {
  subscriptions: readonly Subscription[];
  /** `customer.subscription.updated` events, any order. */
  events: readonly Event[];
  /** Coupons by id (expanded ones and the coupons list). */
  coupons: ReadonlyMap<string, Coupon>;
  productNames: ReadonlyMap<string, string>;
  /** Tiers of tiered prices, by price id (when the embedded price has none). */
  tiers: ReadonlyMap<string, Tier[]>;
  today: string;
  timezone: string;
  convert: Converter;
  customerIdMetadata?: string;
}

type DiscountRef = string | Discount;

interface SnapItem {
  id: string;
  created: number;
  price: Price;
  quantity: number | undefined;
  discounts: DiscountRef[];
}

interface Snapshot {
  items: SnapItem[];
  discounts: DiscountRef[];
  status: string;
}

interface TimelineEntry {
  /** First date this snapshot holds; null = from the beginning. */
  from: string | null;
  snap: Snapshot;
}

export function subscriptionRows(input: RowsInput): SubscriptionRow[] {
  const dateOf = dateIn(input.timezone);
  const discounts = new Map<string, Discount>();
  const remember = (refs: readonly DiscountRef[] | undefined) => {
    for (const d of refs ?? []) if (typeof d !== 'string') discounts.set(d.id, d);
  };
  for (const s of input.subscriptions) {
    remember(s.discounts);
    for (const item of s.items.data) remember(item.discounts);
  }

  const eventsBySub = new Map<string, { event: Event; after: Snapshot; before: Snapshot }[]>();
  // The list comes newest first: reverse, then a stable sort keeps same-second order.
  const chronological = [...input.events]
    .reverse()
    .filter((e) => e.type === 'customer.subscription.updated')
    .sort((a, b) => a.created - b.created);
  for (const event of chronological) {
    const after = parseObject(
      EventSubscription,
      event.data.object,
      `event ${event.id} subscription`,
    );
    const prev = parseObject(
      PreviousAttributes,
      event.data.previous_attributes ?? {},
      `event ${event.id} previous_attributes`,
    );
    const afterSnap: Snapshot = {
      items: after.items.data.map(snapItem),
      discounts: after.discounts ?? [],
      status: after.status,
    };
    remember(afterSnap.discounts);
    for (const item of afterSnap.items) remember(item.discounts);
    const beforeSnap: Snapshot = {
      items: prev.items ? prev.items.data.map(snapItem) : afterSnap.items,
      discounts: prev.discounts ?? afterSnap.discounts,
      status: prev.status ?? afterSnap.status,
    };
    remember(beforeSnap.discounts);
    for (const item of beforeSnap.items) remember(item.discounts);
    const list = eventsBySub.get(after.id) ?? [];
    list.push({ event, after: afterSnap, before: beforeSnap });
    eventsBySub.set(after.id, list);
  }

  const ctx: SubContext = { input, dateOf, discounts };
  const rows: SubscriptionRow[] = [];
  for (const s of input.subscriptions) {
    rows.push(...rowsOf(s, eventsBySub.get(s.id) ?? [], ctx));
  }
  return rows;
}

interface SubContext {
  input: RowsInput;
  dateOf: (ts: number) => string;
  discounts: Map<string, Discount>;
}

function snapItem(item: {
  id: string;
  created: number;
  price: Price;
  quantity?: number;
  discounts?: DiscountRef[];
}): SnapItem {
  return {
    id: item.id,
    created: item.created,
    price: item.price,
    quantity: item.quantity,
    discounts: item.discounts ?? [],
  };
}

function rowsOf(
  s: Subscription,
  events: readonly { event: Event; after: Snapshot; before: Snapshot }[],
  ctx: SubContext,
): SubscriptionRow[] {
  if (s.status === 'incomplete' || s.status === 'incomplete_expired') return [];
  const { input, dateOf } = ctx;
  const customer = customerOf(s, input.customerIdMetadata);
  const current: Snapshot = {
    items: s.items.data.map(snapItem),
    discounts: s.discounts,
    status: s.status,
  };
  const timeline: TimelineEntry[] =
    events.length === 0
      ? [{ from: null, snap: current }]
      : [
          { from: null, snap: events[0]!.before },
          ...events.map((e, i) => ({
            from: dateOf(e.event.created),
            snap: i === events.length - 1 ? current : e.after,
          })),
        ];
  const stateAt = (date: string): Snapshot => {
    let snap = timeline[0]!.snap;
    for (const entry of timeline) if (entry.from === null || entry.from <= date) snap = entry.snap;
    return snap;
  };

  const subCreated = dateOf(s.created);
  const itemStart = (item: SnapItem): string | null => {
    const d = dateOf(item.created);
    return d > subCreated ? d : null;
  };

  // When the subscription stops counting (undefined: not scheduled).
  let end: string | undefined;
  if (s.status === 'canceled') {
    const at = s.ended_at ?? s.canceled_at ?? s.cancel_at;
    if (at === null) {
      throw new SourceSchemaError(
        `stripe: subscription ${s.id} is canceled but has no "ended_at" (nor canceled_at, cancel_at)`,
        { object: 'subscription', id: s.id, field: 'ended_at' },
      );
    }
    end = dateOf(at);
  } else if (s.status === 'unpaid' || s.status === 'paused') {
    const entered = events.find((e) => e.after.status === s.status && e.before.status !== s.status);
    const pausedAt = s.status === 'paused' ? s.status_details?.paused?.transitioned_at : undefined;
    const periodStarts = s.items.data.map((i) => i.current_period_start);
    end = entered
      ? dateOf(entered.event.created)
      : pausedAt !== undefined
        ? dateOf(pausedAt)
        : periodStarts.length > 0
          ? dateOf(Math.min(...periodStarts))
          : dateOf(s.created);
  } else if (s.cancel_at !== null) {
    end = dateOf(s.cancel_at);
  }

  const rows: SubscriptionRow[] = [];
  const start = dateOf(s.start_date);
  const trialStart = s.trial_start !== null ? dateOf(s.trial_start) : start;
  const trialEnd = s.trial_end !== null ? dateOf(s.trial_end) : undefined;
  const hadTrial = trialEnd !== undefined && trialEnd > trialStart;
  const trialing = s.status === 'trialing';

  if (hadTrial || trialing) {
    const amounts = amountsAt(s, stateAt(trialStart), trialStart, ctx, false);
    const first = amounts[0];
    if (first) {
      const stop = trialing ? end : minDate(trialEnd, end);
      rows.push({
        id: `${s.id}#trial`,
        ...customer,
        plan: first.plan,
        interval: first.interval,
        amount_cents: amounts.reduce((acc, a) => acc + a.amount, 0),
        status: 'trialing',
        started_on: trialStart,
        ...(stop !== undefined && stop > trialStart ? { canceled_on: stop } : {}),
      });
    }
  }
  if (trialing) return rows;

  const paidStart = hadTrial ? trialEnd! : start;
  if (end !== undefined && end <= paidStart) return rows;

  // Every date the amounts may change: snapshots, items added, discounts starting or ending.
  const inside = (d: string) => d > paidStart && (end === undefined || d < end);
  const boundaries = new Set<string>([paidStart]);
  const discountDates = (refs: readonly DiscountRef[]) => {
    for (const ref of refs) {
      const d = typeof ref === 'string' ? ctx.discounts.get(ref) : ref;
      if (!d) continue;
      boundaries.add(dateOf(d.start));
      if (d.end !== null) boundaries.add(dateOf(d.end));
    }
  };
  for (const entry of timeline) {
    if (entry.from !== null) boundaries.add(entry.from);
    discountDates(entry.snap.discounts);
    for (const item of entry.snap.items) {
      const st = itemStart(item);
      if (st !== null) boundaries.add(st);
      discountDates(item.discounts);
    }
  }
  const dates = [...boundaries].filter((d) => d === paidStart || inside(d)).sort();

  interface Open {
    key: string;
    row: SubscriptionRow;
  }
  const open = new Map<string, Open>();
  const closed: { itemId: string; row: SubscriptionRow }[] = [];
  const close = (itemId: string, at: string | undefined) => {
    const o = open.get(itemId);
    if (!o) return;
    if (at !== undefined) o.row.canceled_on = at;
    closed.push({ itemId, row: o.row });
    open.delete(itemId);
  };
  for (const date of dates) {
    const snap = stateAt(date);
    const present = {
      ...snap,
      items: snap.items.filter((i) => {
        const st = itemStart(i);
        return st === null || st <= date;
      }),
    };
    const amounts = amountsAt(s, present, date, ctx, true);
    const seen = new Set<string>();
    for (const a of amounts) {
      seen.add(a.itemId);
      const key = `${a.priceId}|${a.interval}|${a.amount}|${a.plan}`;
      const o = open.get(a.itemId);
      if (o && o.key === key) continue;
      close(a.itemId, date);
      open.set(a.itemId, {
        key,
        row: {
          id: '',
          ...customer,
          plan: a.plan,
          interval: a.interval,
          amount_cents: a.amount,
          status: 'active',
          started_on: date,
        },
      });
    }
    for (const itemId of [...open.keys()]) if (!seen.has(itemId)) close(itemId, date);
  }
  for (const itemId of [...open.keys()]) close(itemId, end);

  const itemIds = new Set(closed.map((c) => c.itemId));
  for (const itemId of itemIds) {
    const base = itemIds.size === 1 ? s.id : `${s.id}/${itemId}`;
    const mine = closed.filter((c) => c.itemId === itemId).map((c) => c.row);
    mine.sort((a, b) => a.started_on.localeCompare(b.started_on));
    mine.forEach((row, i) => {
      row.id = i === mine.length - 1 ? base : `${base}@${row.started_on}`;
      row.status =
        row.canceled_on !== undefined && row.canceled_on <= input.today
          ? 'canceled'
          : s.status === 'past_due'
            ? 'past_due'
            : 'active';
      rows.push(row);
    });
  }
  return rows;
}

function minDate(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}

function customerOf(
  s: Subscription,
  metadataKey: string | undefined,
): { customer_id: string; customer_name: string } {
  const c = s.customer;
  if (typeof c === 'string') return { customer_id: c, customer_name: c };
  if ('deleted' in c) return { customer_id: c.id, customer_name: c.id };
  const mapped = metadataKey ? c.metadata[metadataKey]?.trim() : undefined;
  return {
    customer_id: mapped || c.id,
    customer_name: c.name?.trim() || c.email?.trim() || c.id,
  };
}

interface ItemAmount {
  itemId: string;
  priceId: string;
  plan: string;
  interval: SubscriptionRow['interval'];
  /** Minor units of the reporting currency per interval. */
  amount: number;
}

/**
 * The recurring amount of each licensed item on `date`, discounts applied (only those
 * running on `date` when `dated`), in the reporting currency.
 */
function amountsAt(
  s: Subscription,
  snap: Snapshot,
  date: string,
  ctx: SubContext,
  dated: boolean,
): ItemAmount[] {
  const { input, dateOf } = ctx;
  const running = (refs: readonly DiscountRef[], where: string): Coupon[] => {
    const out: Coupon[] = [];
    for (const ref of refs) {
      const d = typeof ref === 'string' ? ctx.discounts.get(ref) : ref;
      if (!d) continue; // removed since, coupon unknown: see the module note
      if (dated && (dateOf(d.start) > date || (d.end !== null && dateOf(d.end) <= date))) continue;
      const coupon = couponOf(d, input.coupons, where);
      if (coupon && coupon.duration !== 'once') out.push(coupon);
    }
    return out;
  };
  const items = snap.items.filter(
    (i) => i.price.recurring !== null && i.price.recurring.usage_type !== 'metered',
  );
  const productOf = (p: Price) => (typeof p.product === 'string' ? p.product : p.product.id);

  // Item amounts in the subscription's currency, item-level discounts applied.
  const amounts = items.map((item) => {
    let a = priceAmount(item.price, item.quantity ?? 1, s.currency, input.tiers, s.id);
    for (const coupon of running(item.discounts, `subscription item ${item.id}`)) {
      if (!appliesTo(coupon, productOf(item.price))) continue;
      a = a - couponOff(coupon, a, s.currency, s.id);
    }
    return a;
  });
  // Subscription-level discounts, in order.
  for (const coupon of running(snap.discounts, `subscription ${s.id}`)) {
    const eligible = items.map((i) => appliesTo(coupon, productOf(i.price)));
    if (coupon.percent_off !== null) {
      amounts.forEach((a, i) => {
        if (eligible[i]) amounts[i] = a - percentOff(coupon.percent_off!, a);
      });
    } else {
      const total = amounts.reduce((acc, a, i) => acc + (eligible[i] ? a : 0), 0);
      const off = Math.min(amountOff(coupon, s.currency, s.id), total);
      const shares = share(
        off,
        amounts.map((a, i) => (eligible[i] ? a : 0)),
      );
      amounts.forEach((a, i) => (amounts[i] = a - shares[i]!));
    }
  }
  return items.map((item, i) => {
    const { interval, amount } = normalise(item.price, amounts[i]!);
    return {
      itemId: item.id,
      priceId: item.price.id,
      plan:
        input.productNames.get(productOf(item.price)) ??
        item.price.nickname ??
        productOf(item.price),
      interval,
      amount: input.convert.convert(amount, s.currency, `subscription ${s.id}`),
    };
  });
}

function couponOf(
  d: Discount,
  coupons: ReadonlyMap<string, Coupon>,
  where: string,
): Coupon | undefined {
  const c = d.source.coupon;
  if (c === null) return undefined; // not a coupon discount
  if (typeof c !== 'string') return c;
  const found = coupons.get(c);
  if (!found) {
    throw new SourceRequestError(
      `stripe: discount ${d.id} on ${where} uses coupon ${c}, which the coupons list does not return (deleted?): the connector cannot tell its amount`,
      { discount: d.id, coupon: c },
    );
  }
  return found;
}

function appliesTo(coupon: Coupon, productId: string): boolean {
  return !coupon.applies_to || coupon.applies_to.products.includes(productId);
}

/** Percent off an amount, rounded half up, exact (12.5% of 999 = 124.875 -> 125). */
function percentOff(percent: number, amount: number): number {
  const { num, den } = parseDecimal(percent.toFixed(6));
  return Number(divRound(BigInt(amount) * num, den * 100n));
}

function amountOff(coupon: Coupon, currency: string, subId: string): number {
  const c = currency.toLowerCase();
  if (coupon.currency?.toLowerCase() === c && coupon.amount_off !== null) return coupon.amount_off;
  const option = coupon.currency_options?.[c];
  if (option) return option.amount_off;
  throw new SourceSchemaError(
    `stripe: coupon ${coupon.id} on subscription ${subId} takes an amount off in ${coupon.currency ?? 'no currency'} but the subscription is in ${c}`,
    { object: 'coupon', id: coupon.id, field: 'currency' },
  );
}

function couponOff(coupon: Coupon, amount: number, currency: string, subId: string): number {
  if (coupon.percent_off !== null) return percentOff(coupon.percent_off, amount);
  return Math.min(amount, amountOff(coupon, currency, subId));
}

/** Splits `total` over `weights` in proportion, exactly (largest remainders). */
export function share(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0 || total === 0) return weights.map(() => 0);
  const exact = weights.map((w) => ({ q: Math.floor((total * w) / sum), r: (total * w) % sum }));
  let left = total - exact.reduce((acc, e) => acc + e.q, 0);
  const order = exact.map((e, i) => ({ r: e.r, i })).sort((a, b) => b.r - a.r || a.i - b.i);
  const out = exact.map((e) => e.q);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i]!++;
    left--;
  }
  return out;
}

function decimalAmount(value: unknown): { num: bigint; den: bigint } | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value);
  return /^\d+(\.\d+)?$/.test(text) ? parseDecimal(text) : undefined;
}

/** unit x quantity (or tiers) in the subscription's currency, before discounts. */
function priceAmount(
  price: Price,
  quantity: number,
  currency: string,
  tiersById: ReadonlyMap<string, Tier[]>,
  subId: string,
): number {
  const option =
    price.currency.toLowerCase() === currency.toLowerCase()
      ? undefined
      : price.currency_options?.[currency.toLowerCase()];
  if (price.currency.toLowerCase() !== currency.toLowerCase() && !option) {
    throw new SourceSchemaError(
      `stripe: price ${price.id} is in ${price.currency} and has no currency_options.${currency.toLowerCase()} for subscription ${subId}`,
      { object: 'price', id: price.id, field: `currency_options.${currency.toLowerCase()}` },
    );
  }
  let q = quantity;
  if (price.transform_quantity) {
    const { divide_by, round } = price.transform_quantity;
    q = round === 'up' ? Math.ceil(q / divide_by) : Math.floor(q / divide_by);
  }
  const unitTimes = (unit: number | null | undefined, decimal: unknown, n: number): number => {
    if (unit !== null && unit !== undefined) return unit * n;
    const d = decimalAmount(decimal);
    if (!d) return 0;
    return Number(divRound(BigInt(n) * d.num, d.den));
  };
  if (price.billing_scheme !== 'tiered') {
    const unit = option ? option.unit_amount : price.unit_amount;
    const decimal = option ? option.unit_amount_decimal : price.unit_amount_decimal;
    if ((unit === null || unit === undefined) && !decimalAmount(decimal)) {
      throw new SourceSchemaError(
        `stripe: price ${price.id}: field "unit_amount" is null and there is no unit_amount_decimal`,
        { object: 'price', id: price.id, field: 'unit_amount' },
      );
    }
    return unitTimes(unit, decimal, q);
  }
  const tiers = (option ? option.tiers : undefined) ?? price.tiers ?? tiersById.get(price.id);
  if (!tiers || tiers.length === 0) {
    throw new SourceSchemaError(`stripe: tiered price ${price.id}: field "tiers" is missing`, {
      object: 'price',
      id: price.id,
      field: 'tiers',
    });
  }
  if (price.tiers_mode === 'volume') {
    const tier = tiers.find((t) => t.up_to === null || q <= t.up_to) ?? tiers.at(-1)!;
    return unitTimes(tier.unit_amount, tier.unit_amount_decimal, q) + (tier.flat_amount ?? 0);
  }
  // Graduated: each tier prices the units that fall in it.
  let total = 0;
  let below = 0;
  for (const tier of tiers) {
    if (q <= below) break;
    const top = tier.up_to ?? Number.POSITIVE_INFINITY;
    const n = Math.min(q, top) - below;
    total += unitTimes(tier.unit_amount, tier.unit_amount_decimal, n) + (tier.flat_amount ?? 0);
    below = top;
  }
  return total;
}

/** Stripe's interval -> the workspace's month / quarter / year, the amount per that interval. */
export function normalise(
  price: Price,
  amount: number,
): { interval: SubscriptionRow['interval']; amount: number } {
  const { interval, interval_count: n } = price.recurring!;
  const a = BigInt(amount);
  const N = BigInt(n);
  switch (interval) {
    case 'month':
      if (n === 1) return { interval: 'month', amount };
      if (n === 3) return { interval: 'quarter', amount };
      return { interval: 'year', amount: Number(divRound(a * 12n, N)) };
    case 'year':
      return { interval: 'year', amount: n === 1 ? amount : Number(divRound(a, N)) };
    case 'week':
      return { interval: 'year', amount: Number(divRound(a * 52n, N)) };
    case 'day':
      return { interval: 'year', amount: Number(divRound(a * 365n, N)) };
  }
}
