import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { AgentResult } from '../../src/contract/report.js';
import { addDays, endOfMonth } from '../../src/shared/dates.js';
import { financeAgent } from '../../src/agents/finance/index.js';
import {
  annualByCustomer,
  annualCents,
  cohortRetention,
  mrrCentsOf,
  mrrMovements,
  roundDiv,
  MOVEMENT_KINDS,
  type SubscriptionLike,
} from '../../src/agents/finance-mrr.js';

const BASE = '2025-06-01';
const sumValues = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

/** One subscription row: starts on a day after BASE, maybe ends some days later. */
const row = (customers: number) =>
  fc
    .record({
      customer: fc.integer({ min: 1, max: customers }),
      interval: fc.constantFrom('month', 'quarter', 'year', 'year'),
      // Amounts that do and do not divide evenly into months (annual 100000 is 8333.33 a
      // month, so two of them round differently together than apart), and zero.
      amount: fc.oneof(
        fc.integer({ min: 0, max: 250_000 }),
        fc.constantFrom(0, 1, 5, 7, 9_900, 100_000, 299_000, 1_705_080),
      ),
      status: fc.constantFrom('active', 'active', 'past_due', 'trialing', 'canceled'),
      startDay: fc.integer({ min: 0, max: 420 }),
      length: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
    })
    .map((r): SubscriptionLike => {
      const canceled = r.length === undefined ? undefined : addDays(BASE, r.startDay + r.length);
      return {
        customer_id: `C${r.customer}`,
        interval: r.interval as SubscriptionLike['interval'],
        amount_cents: r.amount,
        status: (r.status === 'canceled' && !canceled
          ? 'active'
          : r.status) as SubscriptionLike['status'],
        started_on: addDays(BASE, r.startDay),
        canceled_on: canceled,
      };
    });

const histories = fc.integer({ min: 1, max: 8 }).chain((n) => fc.array(row(n), { maxLength: 30 }));
/**
 * A period: from the 1st of a month of 2025-06 .. 2026-09 to the end of that month or of
 * one of the next five (movements over several months, where a customer can start, leave
 * and come back inside one period), or to some day of the last month (month to date).
 */
const periods = fc
  .record({
    month: fc.integer({ min: 0, max: 15 }),
    months: fc.integer({ min: 0, max: 5 }),
    toDay: fc.option(fc.integer({ min: 1, max: 28 })),
  })
  .map(({ month, months, toDay }) => {
    const first = new Date(Date.UTC(2025, 5 + month, 1)).toISOString().slice(0, 7);
    const last = new Date(Date.UTC(2025, 5 + month + months, 1)).toISOString().slice(0, 7);
    return {
      from: `${first}-01`,
      to: toDay ? `${last}-${String(toDay).padStart(2, '0')}` : endOfMonth(last),
    };
  });

describe('MRR movements reconcile (property)', () => {
  it('start MRR + net new MRR = end MRR, every movement >= 0, for generated histories', () => {
    fc.assert(
      fc.property(histories, periods, (rows, { from, to }) => {
        const m = mrrMovements(rows, from, to);
        // Start and end are exactly the MRR of those days.
        expect(m.startMrrCents).toBe(
          mrrCentsOf(sumValues(annualByCustomer(rows, addDays(from, -1)))),
        );
        expect(m.endMrrCents).toBe(mrrCentsOf(sumValues(annualByCustomer(rows, to))));
        // The identity, to the cent.
        expect(m.startMrrCents + m.netNewCents).toBe(m.endMrrCents);
        const { new: n, expansion, reactivation, contraction, churn } = m.cents;
        expect(n + expansion + reactivation - contraction - churn).toBe(m.netNewCents);
        for (const kind of MOVEMENT_KINDS) {
          expect(m.cents[kind]).toBeGreaterThanOrEqual(0);
          expect(m.annual[kind]).toBeGreaterThanOrEqual(0);
          // Cumulative rounding moves a movement by at most one cent from rounding it alone.
          expect(Math.abs(m.cents[kind] - mrrCentsOf(m.annual[kind]))).toBeLessThanOrEqual(1);
        }
        // In exact annual cents the identity holds with no rounding at all.
        const a = m.annual;
        expect(a.start + a.new + a.expansion + a.reactivation - a.contraction - a.churn).toBe(
          a.end,
        );
        // Each event is classified by the definitions: a return to paying is a
        // reactivation exactly when the customer paid on some earlier day.
        for (const e of m.events) {
          const paidBefore = rows.some(
            (r) =>
              r.customer_id === e.customerId &&
              r.status !== 'trialing' &&
              annualCents(r) > 0 &&
              r.started_on < e.date,
          );
          if (e.before === 0) expect(e.kind).toBe(paidBefore ? 'reactivation' : 'new');
          else if (e.after === 0) expect(e.kind).toBe('churn');
          else expect(e.kind).toBe(e.after > e.before ? 'expansion' : 'contraction');
          expect(e.annualCents).toBe(Math.abs(e.after - e.before));
        }
        // Events add up to the totals.
        for (const kind of MOVEMENT_KINDS) {
          const sum = m.events
            .filter((e) => e.kind === kind)
            .reduce((s, e) => s + e.annualCents, 0);
          expect(sum).toBe(a[kind]);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('retention of the start cohort: 0 <= GRR <= 100% and GRR <= NRR', () => {
    fc.assert(
      fc.property(histories, periods, (rows, { from, to }) => {
        const c = cohortRetention(rows, from, to);
        expect(c.retainedAnnual).toBeGreaterThanOrEqual(0);
        expect(c.retainedAnnual).toBeLessThanOrEqual(c.startAnnual);
        expect(c.retainedAnnual).toBeLessThanOrEqual(c.endAnnual);
        expect(c.lostCustomers).toBeLessThanOrEqual(c.startCustomers);
      }),
      { numRuns: 200 },
    );
  });

  it('the finance agent reports the same reconciliation in currency units', () => {
    fc.assert(
      fc.property(histories, (rows) => {
        const subscriptions = rows.map((r, i) => ({
          id: `s${i}`,
          customer_id: r.customer_id,
          customer_name: r.customer_id,
          plan: 'Plan',
          interval: r.interval,
          amount_cents: String(r.amount_cents),
          status: r.status,
          started_on: r.started_on,
          canceled_on: r.canceled_on,
        }));
        const input = financeAgent.input.parse({ subscriptions, cashflow: [] });
        const ctx = { asOf: new Date('2026-11-26T12:00:00Z'), today: '2026-11-26', history: [] };
        const { metrics } = AgentResult.parse(financeAgent.compute(input, ctx));
        const c = (k: string) => Math.round(metrics[k]! * 100);
        expect(c('mrrStart') + c('netNewMrr')).toBe(c('mrr'));
        expect(
          c('mrrNew') +
            c('mrrExpansion') +
            c('mrrReactivation') -
            c('mrrContraction') -
            c('mrrChurn'),
        ).toBe(c('netNewMrr'));
        expect(c('mrrStartLastMonth') + c('netNewMrrLastMonth')).toBe(c('mrrStart'));
        for (const v of Object.values(metrics))
          if (v !== null) expect(Number.isFinite(v)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('MRR movements: edge cases', () => {
  const s = (
    customer: string,
    amount: number,
    started: string,
    canceled?: string,
    interval: SubscriptionLike['interval'] = 'month',
  ): SubscriptionLike => ({
    customer_id: customer,
    interval,
    amount_cents: amount,
    status: canceled ? 'canceled' : 'active',
    started_on: started,
    canceled_on: canceled,
  });

  it('a customer who churns and reactivates within one period shows both movements', () => {
    const m = mrrMovements(
      [s('A', 5000, '2026-01-01', '2026-11-04'), s('A', 5000, '2026-11-20')],
      '2026-11-01',
      '2026-11-30',
    );
    expect(m.cents).toEqual({
      new: 0,
      expansion: 0,
      reactivation: 5000,
      contraction: 0,
      churn: 5000,
    });
    expect(m.netNewCents).toBe(0);
    expect(m.customers.churn).toBe(1);
    expect(m.customers.reactivation).toBe(1);
    // ... and is not lost for the cohort: it pays at the end of the period.
    expect(
      cohortRetention(
        [s('A', 5000, '2026-01-01', '2026-11-04'), s('A', 5000, '2026-11-20')],
        '2026-11-01',
        '2026-11-30',
      ),
    ).toMatchObject({
      startCustomers: 1,
      lostCustomers: 0,
    });
  });

  it('new, churn and reactivation of one customer inside one period', () => {
    const m = mrrMovements(
      [s('A', 1000, '2026-11-02', '2026-11-10'), s('A', 1000, '2026-11-20')],
      '2026-11-01',
      '2026-11-30',
    );
    expect(m.events.map((e) => [e.date, e.kind])).toEqual([
      ['2026-11-02', 'new'],
      ['2026-11-10', 'churn'],
      ['2026-11-20', 'reactivation'],
    ]);
    expect(m.startMrrCents + m.netNewCents).toBe(m.endMrrCents); // 0 + 1000 = 1000
  });

  it('a brand-new customer who leaves in the same period: new and churn', () => {
    const m = mrrMovements([s('A', 7000, '2026-11-05', '2026-11-25')], '2026-11-01', '2026-11-30');
    expect(m.cents).toMatchObject({ new: 7000, churn: 7000 });
    expect(m.startMrrCents).toBe(0);
    expect(m.endMrrCents).toBe(0);
  });

  it('a decrease that leaves the customer paying is contraction; to zero is churn', () => {
    const rows = [
      s('A', 10000, '2026-01-01', '2026-11-10'),
      s('A', 4000, '2026-01-01'), // add-on kept
      s('B', 3000, '2026-01-01', '2026-11-12'),
    ];
    const m = mrrMovements(rows, '2026-11-01', '2026-11-30');
    expect(m.cents).toMatchObject({ contraction: 10000, churn: 3000 });
  });

  it('a row ending on the first day of the period counts in the period, not before', () => {
    const m = mrrMovements([s('A', 1000, '2026-01-01', '2026-11-01')], '2026-11-01', '2026-11-30');
    expect(m.startMrrCents).toBe(1000);
    expect(m.cents.churn).toBe(1000);
  });

  it('no rows: everything zero', () => {
    const m = mrrMovements([], '2026-11-01', '2026-11-30');
    expect(m.startMrrCents + m.endMrrCents + m.netNewCents).toBe(0);
    expect(m.events).toEqual([]);
  });

  it('divides half up exactly', () => {
    expect(roundDiv(6, 12)).toBe(1); // 0.5 -> 1
    expect(roundDiv(5, 12)).toBe(0);
    expect(roundDiv(100000, 12)).toBe(8333); // 8333.33
    expect(roundDiv(200000, 12)).toBe(16667); // 16666.67
  });
});
