/**
 * `boardroom status` without servers: from what was read to the report (its JSON) and
 * the text, with every line exact.
 */
import { describe, expect, it } from 'vitest';
import {
  needsAttention,
  renderStatus,
  statusReport,
  type StatusFacts,
} from '../../src/client/status-report.js';
import type { AgentExecutionRecord } from '../../src/store/repository.js';

const NOW = new Date('2025-03-10T12:00:00.000Z');

function execution(
  agent: AgentExecutionRecord['agent'],
  extra: Partial<AgentExecutionRecord> = {},
) {
  return {
    workflowId: 'briefing-acme-manual-1',
    companyId: 'acme',
    agent,
    attempt: 1,
    startedAt: new Date('2025-03-10T11:00:00.000Z'),
    durationMs: 42,
    success: true,
    metricsCount: 7,
    sourceCalls: 3,
    ...extra,
  } satisfies AgentExecutionRecord;
}

const healthy: StatusFacts = {
  companyId: 'acme',
  sources: [
    {
      source: 'workspace',
      agents: ['sales', 'hr'],
      ok: true,
      message: 'workspace files in /srv/acme',
    },
    { source: 'stripe', agents: ['finance'], ok: true, message: 'stripe: reachable as acct_1' },
  ],
  sourcesError: undefined,
  breakers: [
    {
      source: 'stripe',
      state: 'closed',
      consecutiveFailures: 0,
      openedAt: undefined,
      lastError: undefined,
    },
  ],
  cache: [{ agent: 'finance', source: 'stripe', fetchedAt: new Date('2025-03-10T11:35:00.000Z') }],
  lastRun: {
    id: 17,
    workflowId: 'briefing-acme-manual-1',
    companyId: 'acme',
    briefingDate: '2025-03-10',
    health: 81.6,
    createdAt: new Date('2025-03-10T11:00:05.000Z'),
    outcome: 'complete',
    staleAgents: [],
    failedAgents: [],
    durationMs: 4321,
    trigger: 'manual',
    completedAt: new Date('2025-03-10T11:00:05.000Z'),
  },
  agents: [execution('finance'), execution('sales', { attempt: 2, sourceCalls: 0 })],
  schedule: {
    kind: 'found',
    paused: false,
    note: undefined,
    nextRun: '2025-03-11T06:00:00.000Z',
    timeZone: 'Europe/Berlin',
  },
};

describe('status report', () => {
  it('renders a healthy company line by line, and says all good', () => {
    const report = statusReport(healthy, NOW);
    expect(report.attention).toEqual([]);
    expect(report.cache).toEqual([{ ...healthy.cache[0], ageMinutes: 25 }]);
    // The next run in the schedule's (the company's) time zone, not as a UTC instant.
    expect(report.schedule).toEqual({
      state: 'active',
      nextRun: '2025-03-11T06:00:00.000Z',
      nextRunLocal: '2025-03-11 07:00 (Europe/Berlin)',
      timeZone: 'Europe/Berlin',
    });
    expect(renderStatus(report, '/srv/acme')).toBe(
      [
        'Company acme (/srv/acme)',
        'Sources:',
        '  ✔ workspace (sales, hr): workspace files in /srv/acme',
        '  ✔ stripe (finance): reachable as acct_1',
        'Circuit breakers: stripe closed',
        'Cache: stripe/finance 25 min old',
        'Last run: #17 briefing-acme-manual-1 (manual) complete, health 82, 4.3s, finished 2025-03-10T11:00:05.000Z',
        'Agents (last execution):',
        '  ✔ finance          attempt 1, 42 ms, 3 source calls, 2025-03-10T11:00:00.000Z',
        '  ✔ sales            attempt 2, 42 ms, 0 source calls, 2025-03-10T11:00:00.000Z',
        'Schedule: active, next run 2025-03-11 07:00 (Europe/Berlin)',
        'All good.',
        '',
      ].join('\n'),
    );
  });

  it('lists what needs attention, in order: sources, breakers, the last run, agents, the schedule', () => {
    const facts: StatusFacts = {
      ...healthy,
      sources: [
        {
          source: 'stripe',
          agents: ['finance', 'customer-success'],
          ok: false,
          message: 'stripe: STRIPE_API_KEY is not set',
        },
      ],
      breakers: [
        {
          source: 'stripe',
          state: 'half_open',
          consecutiveFailures: 3,
          openedAt: new Date('2025-03-10T08:00:00.000Z'),
          lastError: 'Stripe timed out',
        },
      ],
      cache: [],
      lastRun: {
        ...healthy.lastRun!,
        outcome: 'degraded',
        staleAgents: ['sales'],
        failedAgents: ['hr'],
      },
      agents: [
        execution('finance'),
        execution('hr', {
          success: false,
          attempt: 3,
          error: 'people.csv: bad row',
          errorType: 'ValidationError',
        }),
      ],
      // Temporal still lists the next times of a paused schedule: status does not.
      schedule: {
        kind: 'found',
        paused: true,
        note: 'holiday',
        nextRun: '2025-03-11T06:00:00.000Z',
        timeZone: 'Europe/Berlin',
      },
    };
    const report = statusReport(facts, NOW);
    expect(report.schedule).toEqual({
      state: 'paused: holiday',
      nextRun: undefined,
      timeZone: 'Europe/Berlin',
    });
    expect(report.attention).toEqual([
      'stripe: stripe: STRIPE_API_KEY is not set',
      'stripe circuit breaker is half-open since 2025-03-10T08:00:00.000Z after 3 failed runs: Stripe timed out',
      'last run degraded: sales stale, hr failed',
      'hr: last attempt failed: people.csv: bad row',
      'the schedule is paused: holiday',
    ]);
    expect(renderStatus(report, '/srv/acme')).toBe(
      [
        'Company acme (/srv/acme)',
        'Sources:',
        '  ✘ stripe (finance, customer-success): STRIPE_API_KEY is not set',
        'Circuit breakers: stripe half-open (3 failed runs)',
        'Last run: #17 briefing-acme-manual-1 (manual) degraded, health 82, 4.3s, finished 2025-03-10T11:00:05.000Z',
        'Agents (last execution):',
        '  ✔ finance          attempt 1, 42 ms, 3 source calls, 2025-03-10T11:00:00.000Z',
        '  ✘ hr               attempt 3, 42 ms, 3 source calls, 2025-03-10T11:00:00.000Z: ValidationError: people.csv: bad row',
        'Schedule: paused: holiday',
        'Needs attention:',
        '  - stripe: stripe: STRIPE_API_KEY is not set',
        '  - stripe circuit breaker is half-open since 2025-03-10T08:00:00.000Z after 3 failed runs: Stripe timed out',
        '  - last run degraded: sales stale, hr failed',
        '  - hr: last attempt failed: people.csv: bad row',
        '  - the schedule is paused: holiday',
        '',
      ].join('\n'),
    );
  });

  it('a company with nothing yet: no run, no schedule, sources that could not be checked', () => {
    const facts: StatusFacts = {
      companyId: 'new',
      sources: [],
      sourcesError: 'sources.yaml, line 2, field "agents.finance": invalid',
      breakers: [],
      cache: [],
      lastRun: undefined,
      agents: [],
      schedule: { kind: 'missing' },
    };
    const report = statusReport(facts, NOW);
    expect(report.schedule).toBeUndefined();
    expect(renderStatus(report, '/srv/new')).toBe(
      [
        'Company new (/srv/new)',
        'Sources:',
        'Last run: none yet',
        'Agents (last execution):',
        'Schedule: unknown',
        'Needs attention:',
        '  - sources: sources.yaml, line 2, field "agents.finance": invalid',
        '  - no briefing yet: run `npx boardroom run` or `npm start`',
        '  - no daily schedule: create it with `npx boardroom schedule create`',
        '',
      ].join('\n'),
    );
  });

  it('a schedule that could not be read says why; the JSON keeps the keys status has always printed', () => {
    const facts: StatusFacts = {
      ...healthy,
      schedule: { kind: 'error', message: 'Cannot reach Temporal at 127.0.0.1:1' },
    };
    expect(needsAttention(facts)).toEqual(['Cannot reach Temporal at 127.0.0.1:1']);
    const json = JSON.parse(JSON.stringify(statusReport(facts, NOW)));
    expect(Object.keys(json)).toEqual([
      'companyId',
      'sources',
      'breakers',
      'cache',
      'lastRun',
      'agents',
      'deliveries',
      'attention',
    ]);
    expect(json.cache[0]).toEqual({
      agent: 'finance',
      source: 'stripe',
      fetchedAt: '2025-03-10T11:35:00.000Z',
      ageMinutes: 25,
    });
  });

  it('shows the last delivery per channel and needs attention when one failed', () => {
    const at = new Date('2026-11-26T12:00:05.000Z');
    const base = {
      id: 1,
      briefingId: 7,
      companyId: 'demo',
      workflowId: 'wf-7',
      deliveryKey: 'wf-7:x',
      kind: 'run' as const,
      messageId: undefined,
      error: undefined,
      errorType: undefined,
      updatedAt: at,
      sentAt: undefined,
    };
    const facts: StatusFacts = {
      ...healthy,
      deliveries: [
        {
          ...base,
          channel: 'email',
          target: 'founder@x.example',
          status: 'sent',
          attempts: 1,
          messageId: '<m@boardroom>',
          sentAt: at,
        },
        {
          ...base,
          channel: 'slack',
          target: '#exec',
          status: 'failed',
          attempts: 1,
          error: 'the bot is not in #exec: invite it with /invite @boardroom',
          errorType: 'DeliveryRejectedError',
        },
      ],
    };
    expect(needsAttention(facts)).toEqual([
      'slack delivery of briefing #7 failed: the bot is not in #exec: invite it with /invite @boardroom ' +
        '(`npx boardroom delivery test --channel slack`, then `npx boardroom briefing send 7 --channel slack`)',
    ]);
    const text = renderStatus(statusReport(facts, NOW), '/ws');
    expect(text).toContain(
      'Deliveries (last per channel):\n' +
        '  ✔ email    sent briefing #7 to founder@x.example, 1 attempt(s), 2026-11-26T12:00:05.000Z\n' +
        '  ✘ slack    failed briefing #7 to #exec, 1 attempt(s), 2026-11-26T12:00:05.000Z: DeliveryRejectedError: the bot is not in #exec: invite it with /invite @boardroom\n',
    );
  });
});
