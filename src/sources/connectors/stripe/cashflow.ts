/**
 * Stripe's cash on the workspace's `cashflow.csv` rows (docs/workspace.md#finance), pure.
 * Stripe has no expenses, so the file keeps `cash_out_cents`, `revenue_cents` and
 * `cost_of_revenue_cents`; for each of the last `cash_months` calendar months (this one
 * included) Stripe supplies:
 *  - `cash_in_cents`: `charge` and `payment` balance transactions created in the month,
 *    net of their Stripe fees (`cash_in: gross` keeps the fees in);
 *  - `refunds_cents`: `refund`, `payment_refund` and `payment_failure_refund` balance
 *    transactions, as positive amounts;
 *  - the current month's `closing_balance_cents`: the Stripe balance (`available` +
 *    `pending`), or the file's bank balance plus it (`bank_plus_stripe`), or the file's
 *    alone (`file`).
 * Other balance transactions (payouts, transfers, Stripe's own fees, disputes,
 * adjustments) are not cash in or refunds. A month inside the window that the file does
 * not have is skipped (its expenses are unknown), except the current month, which is
 * added with `cash_out_cents` 0 (a partial month: burn uses complete months only).
 */
import { addMonths, monthOf } from '../../../shared/dates.js';

export const CASH_IN_TYPES = new Set(['charge', 'payment']);
export const REFUND_TYPES = new Set(['refund', 'payment_refund', 'payment_failure_refund']);

/** One balance transaction already in the reporting currency. */
export interface CashTransaction {
  type: string;
  /** YYYY-MM-DD in the company's time zone. */
  date: string;
  amount: number;
  fee: number;
}

export interface CashOverlayInput {
  fileRows: readonly unknown[];
  transactions: readonly CashTransaction[];
  /** Stripe balance (available + pending) in the reporting currency; undefined when not read. */
  balance: number | undefined;
  today: string;
  months: number;
  cashIn: 'net_of_fees' | 'gross';
  closingBalance: 'stripe' | 'bank_plus_stripe' | 'file';
}

export interface MonthCash {
  cashIn: number;
  refunds: number;
}

/** The first month (YYYY-MM) of the window. */
export function firstCashMonth(today: string, months: number): string {
  return addMonths(monthOf(today), -(months - 1));
}

export function cashByMonth(
  transactions: readonly CashTransaction[],
  cashIn: CashOverlayInput['cashIn'],
): Map<string, MonthCash> {
  const out = new Map<string, MonthCash>();
  for (const t of transactions) {
    const month = t.date.slice(0, 7);
    const m = out.get(month) ?? { cashIn: 0, refunds: 0 };
    if (CASH_IN_TYPES.has(t.type)) m.cashIn += t.amount - (cashIn === 'net_of_fees' ? t.fee : 0);
    else if (REFUND_TYPES.has(t.type)) m.refunds += -t.amount;
    else continue;
    out.set(month, m);
  }
  return out;
}

type Row = Record<string, unknown>;

export function overlayCashflow(input: CashOverlayInput): Row[] {
  const rows: Row[] = input.fileRows.map((r) => ({ ...(r as Row) }));
  if (input.months <= 0) return rows;
  const current = monthOf(input.today);
  const first = firstCashMonth(input.today, input.months);
  const cash = cashByMonth(input.transactions, input.cashIn);
  const monthKey = (r: Row) => String(r.month ?? '').trim();

  for (const row of rows) {
    const m = monthKey(row);
    if (m < first || m > current) continue;
    const c = cash.get(m) ?? { cashIn: 0, refunds: 0 };
    row.cash_in_cents = c.cashIn;
    row.refunds_cents = c.refunds;
  }

  let row = rows.find((r) => monthKey(r) === current);
  if (!row) {
    const c = cash.get(current) ?? { cashIn: 0, refunds: 0 };
    row = { month: current, cash_in_cents: c.cashIn, refunds_cents: c.refunds, cash_out_cents: 0 };
    rows.push(row);
  }
  // The bank balance the file gives for the current month, else its latest earlier month's
  // (undefined when the file's value is not whole cents: the agent then reports it).
  const cents = (v: unknown): number | undefined => {
    const n =
      typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
    return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
  };
  const given = (v: unknown) => v !== undefined && v !== null && v !== '';
  const bank = (): number | undefined => {
    if (given(row.closing_balance_cents)) return cents(row.closing_balance_cents);
    const earlier = rows
      .filter((r) => monthKey(r) < current && given(r.closing_balance_cents))
      .sort((a, b) => monthKey(b).localeCompare(monthKey(a)))[0];
    return earlier ? cents(earlier.closing_balance_cents) : 0;
  };
  if (input.closingBalance === 'stripe' && input.balance !== undefined) {
    row.closing_balance_cents = input.balance;
  } else if (input.closingBalance === 'bank_plus_stripe' && input.balance !== undefined) {
    const b = bank();
    if (b !== undefined) row.closing_balance_cents = b + input.balance;
  } else if (!given(row.closing_balance_cents)) {
    const b = bank();
    if (b !== undefined) row.closing_balance_cents = b;
  }
  return rows;
}
