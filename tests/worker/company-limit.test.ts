/**
 * The per-company bound on a worker's activities (src/worker/company-limit.ts), on the
 * SDK's mock activity context: permits per company, the short wait and its hand-over,
 * the CompanyBusy refusal (retryable, named, with its retry delay), and the steps that are
 * never refused. The whole fleet with it is tests/workflows/fleet.test.ts.
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { COMPANY_BUSY, CompanyPermits, limitPerCompany } from '../../src/worker/company-limit.js';
import { capturingLogger } from '../helpers/stack.js';

const quiet = () => undefined;
/** A mock activity context whose SDK log (an expected failure is a warning) stays quiet. */
function mockEnv(): MockActivityEnvironment {
  return new MockActivityEnvironment(undefined, {
    logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
}

/** A promise and its resolve, to hold an activity running for as long as the test wants. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

/** Activities that run until their input's gate opens. */
function heldActivities(started: string[]) {
  return {
    async runAgentByRef(input: { companyId: string; agent: string; gate: Promise<void> }) {
      started.push(`${input.companyId}:${input.agent}`);
      await input.gate;
      return input.agent;
    },
    async composeBriefingByRef(input: { companyId: string }) {
      started.push(`${input.companyId}:compose`);
      return 'composed';
    },
    async deliverEmail(input: { companyId: string }) {
      started.push(`${input.companyId}:email`);
      throw new Error('smtp down');
    },
  };
}

describe('limitPerCompany', () => {
  it('runs up to max of a company at once; the next waits and gets the first permit freed; other companies pass', async () => {
    const started: string[] = [];
    const permits = new CompanyPermits(2);
    const a = limitPerCompany(heldActivities(started), { max: 2, waitMs: 30_000 }, permits);
    const g1 = gate();
    const g2 = gate();
    const g3 = gate();
    const run = (companyId: string, agent: string, g: { promise: Promise<void> }) =>
      mockEnv().run(a.runAgentByRef, { companyId, agent, gate: g.promise });
    const first = run('acme', 'finance', g1);
    const second = run('acme', 'sales', g2);
    const beats: unknown[] = [];
    const waitingEnv = mockEnv();
    waitingEnv.on('heartbeat', (d) => beats.push(d));
    const third = waitingEnv.run(a.runAgentByRef, {
      companyId: 'acme',
      agent: 'hr',
      gate: g3.promise,
    });
    const other = run('globex', 'finance', { promise: Promise.resolve() });
    await expect(other).resolves.toBe('finance');
    await expect.poll(() => permits.queued('acme')).toBe(1);
    expect(started).toEqual(['acme:finance', 'acme:sales', 'globex:finance']);
    expect(permits.inFlight('acme')).toBe(2);
    // The waiting one heartbeats (the agents' heartbeat timeout is seconds).
    expect(beats.length).toBeGreaterThanOrEqual(1);

    g1.open();
    await expect(first).resolves.toBe('finance');
    await expect.poll(() => started).toContain('acme:hr');
    expect(permits.inFlight('acme')).toBe(2);
    expect(permits.queued('acme')).toBe(0);
    g2.open();
    g3.open();
    await expect(second).resolves.toBe('sales');
    await expect(third).resolves.toBe('hr');
    expect(permits.inFlight('acme')).toBe(0);
    expect(permits.inFlight('globex')).toBe(0);
  });

  it('fails fast with a retryable CompanyBusy naming the company and the limit when no permit frees in time', async () => {
    const started: string[] = [];
    const { log, lines } = capturingLogger();
    const permits = new CompanyPermits(1);
    const a = limitPerCompany(
      heldActivities(started),
      { max: 1, waitMs: 20, retryAfterMs: 7_000, log },
      permits,
    );
    const held = gate();
    const holder = mockEnv().run(a.runAgentByRef, {
      companyId: 'stuck',
      agent: 'finance',
      gate: held.promise,
    });
    const err = await mockEnv()
      .run(a.runAgentByRef, { companyId: 'stuck', agent: 'sales', gate: Promise.resolve() })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    const failure = err as ApplicationFailure;
    expect(failure.type).toBe(COMPANY_BUSY);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.nextRetryDelay).toBe(7_000);
    expect(failure.message).toBe(
      'Company "stuck" already has 1 activities running on this worker (BOARDROOM_COMPANY_MAX_ACTIVITIES=1); ' +
        'runAgentByRef is retried in 7 s so the other companies keep their slots.',
    );
    expect(started).toEqual(['stuck:finance']);
    expect(lines.filter((l) => l.msg === 'company busy: activity refused on this worker')).toEqual([
      expect.objectContaining({ company_id: 'stuck', activity: 'runAgentByRef', max: 1 }),
    ]);
    held.open();
    await holder;
    expect(permits.inFlight('stuck')).toBe(0);
  });

  it('lets only maxWaiting wait: the next is refused at once, not after the wait', async () => {
    const permits = new CompanyPermits(1);
    const a = limitPerCompany(
      heldActivities([]),
      { max: 1, waitMs: 60_000, maxWaiting: 1 },
      permits,
    );
    const held = gate();
    const run = (agent: string, g: Promise<void>) =>
      mockEnv().run(a.runAgentByRef, { companyId: 'c', agent, gate: g });
    const holder = run('finance', held.promise);
    const waiter = run('sales', Promise.resolve());
    await expect.poll(() => permits.queued('c')).toBe(1);
    // A 60 s wait would outlast the test's timeout: this one must not wait at all.
    await expect(run('hr', Promise.resolve())).rejects.toMatchObject({ type: COMPANY_BUSY });
    held.open();
    await expect(holder).resolves.toBe('finance');
    await expect(waiter).resolves.toBe('sales');
  });

  it('never bounds the steps that only touch our own Postgres, and a failing activity gives its permit back', async () => {
    const started: string[] = [];
    const permits = new CompanyPermits(1);
    const a = limitPerCompany(heldActivities(started), { max: 1, waitMs: 10 }, permits);
    const held = gate();
    const holder = mockEnv().run(a.runAgentByRef, {
      companyId: 'c',
      agent: 'finance',
      gate: held.promise,
    });
    await expect.poll(() => permits.inFlight('c')).toBe(1);
    await expect(mockEnv().run(a.composeBriefingByRef, { companyId: 'c' })).resolves.toBe(
      'composed',
    );
    held.open();
    await holder;
    await expect(mockEnv().run(a.deliverEmail, { companyId: 'c' })).rejects.toThrow('smtp down');
    expect(permits.inFlight('c')).toBe(0);
  });

  it('a cancelled waiter leaves the queue with the cancellation', async () => {
    const permits = new CompanyPermits(1);
    const a = limitPerCompany(heldActivities([]), { max: 1, waitMs: 60_000 }, permits);
    const held = gate();
    const holder = mockEnv().run(a.runAgentByRef, {
      companyId: 'c',
      agent: 'finance',
      gate: held.promise,
    });
    const env = mockEnv();
    const waiting = env.run(a.runAgentByRef, {
      companyId: 'c',
      agent: 'sales',
      gate: Promise.resolve(),
    });
    await expect.poll(() => permits.queued('c')).toBe(1);
    env.cancel();
    await expect(waiting).rejects.toThrow();
    expect(permits.queued('c')).toBe(0);
    held.open();
    await holder;
    expect(permits.inFlight('c')).toBe(0);
  });

  it('BOARDROOM_COMPANY_MAX_ACTIVITIES: 6 by default, a whole number from 1', () => {
    expect(loadConfig({}).companyMaxActivities).toBe(6);
    expect(loadConfig({ BOARDROOM_COMPANY_MAX_ACTIVITIES: '12' }).companyMaxActivities).toBe(12);
    expect(() => loadConfig({ BOARDROOM_COMPANY_MAX_ACTIVITIES: '0' })).toThrow(
      /BOARDROOM_COMPANY_MAX_ACTIVITIES: .*\(got "0"\)/,
    );
    expect(() => loadConfig({ BOARDROOM_COMPANY_MAX_ACTIVITIES: 'lots' })).toThrow(
      /BOARDROOM_COMPANY_MAX_ACTIVITIES/,
    );
  });
});
