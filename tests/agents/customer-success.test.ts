import { describe, it, expect } from 'vitest';
import { AgentResult } from '../../src/agents/contract.js';
import { customerSuccessAgent, netPromoterScore } from '../../src/agents/customer-success.js';

const ctx = { asOf: new Date('2026-11-26T12:00:00Z'), today: '2026-11-26', history: [] };

const account = (
  id: string,
  arr: string,
  renewal: string,
  lastContact: string,
  seats: string,
  users: string,
  tickets: string,
) => ({
  customer_id: id,
  name: `Account ${id}`,
  csm: 'Daniel Kim',
  arr_cents: arr,
  renewal_date: renewal,
  last_contact_on: lastContact,
  licensed_seats: seats,
  active_users: users,
  open_tickets: tickets,
});
const accounts = [
  account('C1', '1000000', '2026-12-10', '2026-11-20', '10', '3', '0'), // 30% of seats
  account('C2', '500000', '2027-06-01', '2026-10-01', '10', '8', '0'), // 56 days silent, detractor
  account('C3', '2000000', '2027-02-01', '2026-11-25', '20', '18', '5'), // 5 tickets
  account('C4', '1500000', '2027-03-01', '2026-11-25', '20', '18', '1'),
  account('C5', '5000000', '2027-01-20', '2026-11-25', '50', '45', '0'),
];
const response = (id: string, customer: string, on: string, score: string) => ({
  id,
  customer_id: customer,
  responded_on: on,
  score,
  comment: undefined,
});
const nps = [
  response('N1', 'C5', '2026-11-01', '10'),
  response('N2', 'C4', '2026-10-20', '9'),
  response('N3', 'C1', '2026-10-05', '7'),
  response('N4', 'C2', '2026-10-15', '3'),
  response('N5', 'C3', '2026-09-10', '8'),
  response('N6', 'C5', '2026-07-01', '2'), // older than 90 days: ignored
  response('N7', 'C4', '2026-12-01', '0'), // after today: ignored
];

function run(extra: Record<string, unknown> = {}) {
  const input = customerSuccessAgent.input.parse({ accounts, nps, ...extra });
  return AgentResult.parse(customerSuccessAgent.compute(input, ctx));
}

describe('customer-success agent', () => {
  it('computes NPS over the last 90 days and the at-risk ARR', () => {
    expect(run().metrics).toEqual({
      accounts: 5,
      trackedArr: 100000,
      nps: 20, // 2 promoters, 1 detractor, 5 responses
      npsResponses: 5,
      atRiskAccounts: 3,
      atRiskArr: 35000,
      atRiskArrPct: 35,
      renewalsNext90Days: 3,
      renewalArrNext90Days: 80000,
    });
  });

  it('fires nps-low as a warning and at-risk-arr as critical', () => {
    const r = run();
    expect(r.alerts.map((a) => [a.id, a.severity, a.value, a.threshold])).toEqual([
      ['customer-success.nps-low', 'warning', 20, 30],
      ['customer-success.at-risk-arr', 'critical', 35, 25],
    ]);
    expect(r.health).toBe(40);
  });

  it('does not fire with healthy accounts and no survey', () => {
    const input = customerSuccessAgent.input.parse({ accounts: accounts.slice(3), nps: [] });
    const r = AgentResult.parse(customerSuccessAgent.compute(input, ctx));
    expect(r.metrics.nps).toBeNull();
    expect(r.metrics.atRiskAccounts).toBe(0);
    expect(r.alerts).toEqual([]);
    expect(r.health).toBe(100);
    expect(r.healthReason).toBe('Customers healthy: NPS -, 0 at-risk accounts');
  });

  it('recommends saving at-risk accounts, largest ARR first', () => {
    const r = run();
    expect(r.recommendations.map((t) => [t.id, t.deadline, t.energyDemand])).toEqual([
      ['customer-success.save-account-c3', '2027-02-01', 'medium'],
      ['customer-success.save-account-c1', '2026-12-10', 'high'],
      ['customer-success.save-account-c2', '2026-12-10', 'medium'],
    ]);
    expect(r.recommendations[1]).toEqual({
      id: 'customer-success.save-account-c1',
      title: 'Save Account C1 ($10K ARR, renews 2026-12-10)',
      source: 'customer-success',
      reason: 'Account C1: uses 30% of 10 seats; CSM Daniel Kim.',
      moneyAtStakeCents: 1000000,
      deadline: '2026-12-10',
      energyDemand: 'high',
      tags: ['retention'],
    });
    expect(r.recommendations[2]?.reason).toBe(
      'Account C2: no contact for 56 days, NPS detractor (3) on 2026-10-15; CSM Daniel Kim.',
    );
  });

  it('scores NPS as % promoters minus % detractors', () => {
    expect(netPromoterScore([9, 10, 6, 7])).toBe(25);
    expect(netPromoterScore([0, 6, 8])).toBe(-66.7);
    expect(netPromoterScore([])).toBeNull();
  });
});
