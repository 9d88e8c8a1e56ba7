import { describe, it, expect } from 'vitest';
import { AGENT_NAMES, type AgentName, type AgentReport } from '../../src/contract/report.js';
import { report, task, type ReportInput } from '../helpers/reports.js';
import {
  composeBriefing,
  dataNote,
  formatAge,
  renderMarkdown,
  type ComposeInput,
} from '../../src/ceo/briefing.js';

function alert(id: string, severity: 'info' | 'warning' | 'critical') {
  return { id, severity, message: `alert ${id}`, metric: 'm', value: 1, threshold: 2 };
}

const HEALTH: Record<AgentName, number> = {
  finance: 90,
  sales: 75,
  operations: 60,
  marketing: 81,
  hr: 70,
  'customer-success': 85,
};

function reports(
  over: Partial<Record<AgentName, ReportInput>> = {},
): Record<AgentName, AgentReport> {
  return Object.fromEntries(
    AGENT_NAMES.map((a) => [a, report(a, { health: HEALTH[a], ...over[a] })]),
  ) as Record<AgentName, AgentReport>;
}

/** A report computed (and its data read) at `at`. */
function computedAt(at: string) {
  return { timestamp: at, dataAsOf: at };
}

const acme = task({
  id: 'founder-acme',
  title: 'Close Acme Corp deal ($50K ARR)',
  revenueImpact: 95,
  urgency: 80,
  energyAlignment: 70,
  strategicAlignment: 90,
});
const founderTasks = [
  acme,
  task({
    id: 'founder-board',
    revenueImpact: 40,
    urgency: 60,
    energyAlignment: 50,
    strategicAlignment: 70,
  }),
  task({
    id: 'founder-hire',
    revenueImpact: 30,
    urgency: 55,
    energyAlignment: 60,
    strategicAlignment: 75,
  }),
  task({
    id: 'founder-admin',
    revenueImpact: 5,
    urgency: 50,
    energyAlignment: 40,
    strategicAlignment: 10,
  }),
];

function compose(over: Partial<ComposeInput> = {}) {
  return composeBriefing({
    companyId: 'acme-test',
    companyName: 'Acme Test Co',
    workflowId: 'briefing-acme-test-2026-11-26',
    briefingDate: '2026-11-26',
    generatedAt: '2026-11-26T12:00:00.000Z',
    reports: reports(),
    founderTasks,
    goals: ['revenue'],
    energy: 'high',
    risks: { rules: [] },
    ...over,
  });
}

describe('composeBriefing', () => {
  it('carries the identity fields and all six reports', () => {
    const b = compose();
    expect(b).toMatchObject({
      schemaVersion: 1,
      companyId: 'acme-test',
      companyName: 'Acme Test Co',
      workflowId: 'briefing-acme-test-2026-11-26',
      briefingDate: '2026-11-26',
      generatedAt: '2026-11-26T12:00:00.000Z',
    });
    expect(Object.keys(b.agents).sort()).toEqual([...AGENT_NAMES].sort());
    expect(b.dataNotes).toEqual([]);
  });

  it('health is the rounded mean of the agents', () => {
    // (90 + 75 + 60 + 81 + 70 + 85) / 6 = 76.83
    expect(compose().health).toBe(77);
    // (90 + 75 + 60 + 82 + 70 + 76) / 6 = 75.5 -> 76
    expect(
      compose({
        reports: reports({ marketing: { health: 82 }, 'customer-success': { health: 76 } }),
      }).health,
    ).toBe(76);
  });

  it('leaves a failed agent out of the health mean', () => {
    const b = compose({ reports: reports({ marketing: { status: 'failed', health: 0 } }) });
    // (90 + 75 + 60 + 70 + 85) / 5 = 76
    expect(b.health).toBe(76);
  });

  it('counts a stale agent in the health mean', () => {
    const b = compose({
      reports: reports({ finance: { status: 'stale', staleHours: 24, health: 30 } }),
    });
    // (30 + 75 + 60 + 81 + 70 + 85) / 6 = 66.83
    expect(b.health).toBe(67);
  });

  it('is 0 when every agent failed', () => {
    const all = Object.fromEntries(AGENT_NAMES.map((a) => [a, { status: 'failed' as const }]));
    expect(compose({ reports: reports(all) }).health).toBe(0);
  });

  it('ranks founder tasks and agent recommendations; the top 3 are the priorities', () => {
    const b = compose({
      reports: reports({
        sales: {
          recommendations: [
            task({
              id: 'sales-globex',
              source: 'sales',
              revenueImpact: 80,
              urgency: 80,
              energyAlignment: 80,
              strategicAlignment: 80,
            }),
          ],
        },
      }),
    });
    expect(b.tasks.map((t) => [t.id, t.score, t.rank])).toEqual([
      ['founder-acme', 86.5, 1],
      ['sales-globex', 80, 2],
      ['founder-board', 52.5, 3],
      ['founder-hire', 49.75, 4],
      ['founder-admin', 22.5, 5],
    ]);
    expect(b.priorities).toEqual(b.tasks.slice(0, 3));
    expect(b.priorities.map((t) => t.id)).toEqual([
      'founder-acme',
      'sales-globex',
      'founder-board',
    ]);
  });

  it("keeps the founder's task over an agent's with the same title", () => {
    const b = compose({
      reports: reports({
        sales: {
          recommendations: [
            task({
              id: 'sales-acme',
              source: 'sales',
              title: '  close ACME corp   deal ($50K arr) ',
              revenueImpact: 10,
              urgency: 10,
              energyAlignment: 10,
              strategicAlignment: 10,
            }),
          ],
        },
      }),
    });
    expect(b.tasks.map((t) => t.id)).toEqual([
      'founder-acme',
      'founder-board',
      'founder-hire',
      'founder-admin',
    ]);
    expect(b.tasks[0]).toMatchObject({ source: 'founder', score: 86.5, revenueImpact: 95 });
  });

  it('derives revenue from the finance ARR, and without it when finance failed', () => {
    const deal = task({ id: 'sales-deal', source: 'sales', moneyAtStakeCents: 3_000_000 });
    const withArr = compose({
      founderTasks: [],
      reports: reports({
        finance: { metrics: { arr: 180000 } },
        sales: { recommendations: [deal] },
      }),
    });
    // $30,000 against a quarter of $180,000 ARR ($45,000).
    expect(withArr.tasks[0]).toMatchObject({ id: 'sales-deal', revenueImpact: 67 });
    expect(withArr.tasks[0]!.factorSources.revenueImpact).toBe(
      'money at stake $30,000 (a quarter of ARR = 100)',
    );
    const noArr = compose({
      founderTasks: [],
      reports: reports({
        finance: { status: 'failed', metrics: { arr: 180000 } },
        sales: { recommendations: [deal] },
      }),
    });
    expect(noArr.tasks[0]).toMatchObject({ id: 'sales-deal', revenueImpact: 30 });
    expect(noArr.tasks[0]!.factorSources.revenueImpact).toBe(
      'money at stake $30,000 ($100K = 100 (ARR unknown))',
    );
    // Finance ok with ARR 0: the same fallback scale, and the explanation says why.
    const zeroArr = compose({
      founderTasks: [],
      reports: reports({
        finance: { metrics: { arr: 0 } },
        sales: { recommendations: [deal] },
      }),
    });
    expect(zeroArr.tasks[0]).toMatchObject({ id: 'sales-deal', revenueImpact: 30 });
    expect(zeroArr.tasks[0]!.factorSources.revenueImpact).toBe(
      'money at stake $30,000 ($100K = 100 (ARR is $0))',
    );
  });

  it('sorts alerts critical, warning, info (then by id) and tags each with its agent', () => {
    const b = compose({
      reports: reports({
        finance: { alerts: [alert('finance.b', 'warning'), alert('finance.a', 'info')] },
        sales: { alerts: [alert('sales.z', 'critical')] },
        operations: { alerts: [alert('ops.a', 'info')] },
        hr: { alerts: [alert('hr.a', 'critical')] },
        'customer-success': { alerts: [alert('cs.a', 'warning')] },
      }),
    });
    expect(b.alerts.map((a) => [a.severity, a.id, a.agent])).toEqual([
      ['critical', 'hr.a', 'hr'],
      ['critical', 'sales.z', 'sales'],
      ['warning', 'cs.a', 'customer-success'],
      ['warning', 'finance.b', 'finance'],
      ['info', 'finance.a', 'finance'],
      ['info', 'ops.a', 'operations'],
    ]);
  });

  it('notes a stale agent with when its data is from, its age and error', () => {
    const b = compose({
      reports: reports({
        finance: {
          status: 'stale',
          ...computedAt('2026-11-25T12:00:00.000Z'),
          staleHours: 24,
          error: 'Stripe API timed out',
          metrics: { mrr: 15000 },
        },
      }),
    });
    expect(b.dataNotes).toEqual([
      'Finance data is stale, from 12:00 yesterday (24h old): Stripe API timed out',
    ]);
    // Data status and health are two named columns; a stale figure says so in the head.
    expect(b.markdown).toContain('| MRR (stale) | $15,000 | new | – |');
    expect(b.markdown).toContain('| Finance | stale (24h old) | 90 | finance is fine |');
    expect(b.markdown).toContain(
      '## Data notes\n\n- Finance data is stale, from 12:00 yesterday (24h old): Stripe API timed out\n',
    );
  });

  it('names two stale agents, each with its age', () => {
    const b = compose({
      reports: reports({
        finance: {
          status: 'stale',
          ...computedAt('2026-11-25T12:00:00.000Z'),
          staleHours: 24,
          error: 'Stripe API timed out',
        },
        sales: { status: 'stale', ...computedAt('2026-11-23T12:00:00.000Z'), staleHours: 72 },
      }),
    });
    expect(b.dataNotes).toEqual([
      'Finance data is stale, from 12:00 yesterday (24h old): Stripe API timed out',
      'Sales data is stale, from 12:00 on 2026-11-23 (3d old)',
    ]);
    expect(b.markdown).toContain('department data: 4 current, 2 stale');
  });

  it("ages data from its own time (dataAsOf), in the company's time zone (issue 11)", () => {
    // Finance answered from a Stripe cache filled at 14:02 UTC yesterday, 18h before the
    // 08:02 run; sales fell back to a report computed at 12:00 yesterday from a cached
    // answer fetched at 14:02 the day before: its data is 24h + 21h58m old.
    const b = compose({
      timeZone: 'Europe/Berlin',
      reports: reports({
        finance: {
          ...computedAt('2026-11-26T08:02:00.000Z'),
          dataAsOf: '2026-11-25T14:02:00.000Z',
          source: 'stripe',
          cacheAgeMs: 18 * 3_600_000,
        },
        sales: {
          status: 'stale',
          timestamp: '2026-11-25T12:00:00.000Z',
          dataAsOf: '2026-11-24T14:02:00.000Z',
          staleHours: 20,
          source: 'hubspot',
          error: 'HubSpot is down',
        },
      }),
    });
    expect(b.dataNotes).toEqual([
      'Finance data is from 15:02 yesterday (stripe cache, 18h old)',
      'Sales data is stale, from 15:02 on 2026-11-24 (42h old): HubSpot is down',
    ]);
    expect(b.markdown).toContain(
      '- Finance data is from 15:02 yesterday (stripe cache, 18h old)\n',
    );
    // Without a time zone: UTC.
    const utc = compose({
      reports: reports({
        finance: {
          dataAsOf: '2026-11-25T14:02:00.000Z',
          source: 'stripe',
          cacheAgeMs: 18 * 3_600_000,
        },
      }),
    });
    expect(utc.dataNotes).toEqual(['Finance data is from 14:02 yesterday (stripe cache, 18h old)']);
  });

  it('refuses a time zone it does not know, naming company.yaml', () => {
    expect(() => compose({ timeZone: 'Mars/Olympus' })).toThrow(
      'company.yaml, field "timezone": expected an IANA time zone, e.g. Europe/Berlin or UTC, got "Mars/Olympus"',
    );
  });

  it("ignores a failed agent's recommendations and alerts, and notes that it failed", () => {
    const b = compose({
      reports: reports({
        marketing: {
          status: 'failed',
          error: 'campaigns.csv: file not found',
          recommendations: [
            task({
              id: 'mkt-1',
              source: 'marketing',
              revenueImpact: 100,
              urgency: 100,
              energyAlignment: 100,
              strategicAlignment: 100,
            }),
          ],
          alerts: [alert('marketing.cac', 'critical')],
          metrics: { leads: 120 },
        },
      }),
    });
    expect(b.tasks.map((t) => t.id)).toEqual([
      'founder-acme',
      'founder-board',
      'founder-hire',
      'founder-admin',
    ]);
    expect(b.alerts).toEqual([]);
    expect(b.dataNotes).toEqual([
      'Marketing failed and has no earlier report to fall back on: campaigns.csv: file not found',
    ]);
    expect(b.markdown).toContain('| Marketing | failed | n/a | marketing is fine |');
    expect(b.markdown).not.toContain('Leads');
    expect(b.markdown).toContain('department data: 5 current, 1 failed');
  });

  it('opens with the key numbers (first run: "new", "–" without a value), the rest in the full briefing', () => {
    const b = compose({
      reports: reports({
        finance: { metrics: { mrr: 15000, arr: 180000, customers: 45, runwayMonths: null } },
        sales: { metrics: { openDeals: 12, weightedPipeline: 12345.5 } },
        operations: { metrics: { utilization: 96.25 } },
        'customer-success': { metrics: { nps: -12 } },
      }),
    });
    const table = [
      '## Key numbers',
      '',
      '| Metric | Value | Change | Trend |',
      '|---|---:|---:|---|',
      '| MRR | $15,000 | new | – |',
      '| Runway | n/a | – | – |',
      '| Weighted pipeline | $12,345.50 | new | – |',
      '| Team utilization | 96.3% | new | – |',
      '| NPS | -12 | new | – |',
      '',
    ].join('\n');
    expect(b.markdown).toContain(table);
    expect(b.markdown).not.toContain('Paying customers');
    expect(renderMarkdown(b, { full: true })).toContain(
      `${table}\nAlso: ARR $180,000 · Paying customers 45 · Open deals 12.\n`,
    );
    expect(b.markdown.startsWith('# Morning briefing: Acme Test Co, 2026-11-26\n')).toBe(true);
    expect(b.markdown).toContain(
      'Overall health **77/100** · department data: 6 current · run `briefing-acme-test-2026-11-26`',
    );
    expect(b.markdown).toContain(
      '1. **Close Acme Corp deal ($50K ARR)**: score 86.5 · from founder\n' +
        '   revenue 95 · urgency 80 · energy 70 · strategy 90\n',
    );
    expect(renderMarkdown(b, { full: true })).toContain(
      '1. **Close Acme Corp deal ($50K ARR)**: score 86.5 · from founder\n' +
        '   revenue 95 (stated) · urgency 80 (stated) · energy 70 (stated) · strategy 90 (stated)\n',
    );
  });

  it('escapes pipes and newlines in table cells', () => {
    const b = compose({
      founderTasks: [
        task({
          id: 'pipe',
          title: 'Decide A|B test',
          revenueImpact: 50,
          urgency: 50,
          energyAlignment: 50,
          strategicAlignment: 50,
        }),
      ],
      reports: reports({ finance: { healthReason: 'MRR up | churn down\nrunway ok' } }),
    });
    expect(b.markdown).toContain('| Finance | current | 90 | MRR up \\| churn down runway ok |');
    expect(b.markdown).toContain('1. **Decide A\\|B test**: score 50 · from founder');
    expect(renderMarkdown(b, { full: true })).toContain(
      '| 1 | Decide A\\|B test | 50 | 50 | 50 | 50 | 50 | founder |',
    );
  });
});

describe('dataNote', () => {
  const today = { briefingDate: '2026-11-26' };

  it('is undefined for an ok report', () => {
    expect(dataNote(report('hr'), today)).toBeUndefined();
  });

  it('names the agent title and age without an error', () => {
    const stale = report('customer-success', {
      status: 'stale',
      ...computedAt('2026-11-26T11:30:00.000Z'),
      staleHours: 0.5,
    });
    expect(dataNote(stale, today)).toBe(
      'Customer success data is stale, from 11:30 today (30m old)',
    );
    expect(dataNote(stale, { ...today, timeZone: 'Asia/Kolkata' })).toBe(
      'Customer success data is stale, from 17:00 today (30m old)',
    );
    expect(dataNote(report('hr', { status: 'failed' }), today)).toBe(
      'HR failed and has no earlier report to fall back on',
    );
  });

  it('ages a stale report from its data when that is older than the report', () => {
    const r = report('finance', {
      status: 'stale',
      timestamp: '2026-11-25T12:00:00.000Z',
      dataAsOf: '2026-11-25T06:00:00.000Z',
      staleHours: 24,
    });
    expect(dataNote(r, today)).toBe('Finance data is stale, from 06:00 yesterday (30h old)');
  });
});

describe('formatAge', () => {
  it.each([
    [0, '1m'],
    [0.001, '1m'],
    [0.5, '30m'],
    [0.75, '45m'],
    [1, '1h'],
    [1.4, '1h'],
    [24, '24h'],
    [47, '47h'],
    [47.4, '47h'],
    [48, '2d'],
    [72, '3d'],
    [83, '3d'],
    [84, '4d'],
  ])('%d hours -> %s', (hours, text) => {
    expect(formatAge(hours)).toBe(text);
  });
});

describe('risks in the briefing', () => {
  it('groups rules stopped by the same reason, and names the risks judged on stale data', async () => {
    const { unevaluatedNotes } = await import('../../src/ceo/briefing.js');
    expect(
      unevaluatedNotes([
        { title: 'A', reason: 'HR data is unavailable (failed)' },
        { title: 'B', reason: 'HR data is unavailable (failed)' },
        { title: 'C', reason: 'no value for finance.ltv' },
      ]),
    ).toEqual([
      '2 risks not evaluated (HR data is unavailable (failed)): A; B.',
      'Risk not evaluated: C: no value for finance.ltv.',
    ]);
    const { RISK_RULES } = await import('../../src/ceo/risks.js');
    const b = compose({
      risks: { rules: RISK_RULES.filter((r) => r.id === 'pipeline-exceeds-capacity') },
      reports: reports({
        sales: {
          status: 'stale',
          ...computedAt('2026-11-25T12:00:00.000Z'),
          staleHours: 24,
          metrics: { weightedDeliveryHours: 300 },
        },
        operations: { metrics: { freeHoursThisWeek: 10, freeCapacityHoursNext4Weeks: 100 } },
      }),
    });
    expect(b.risks.map((r) => [r.id, r.basedOnStaleData])).toEqual([
      ['pipeline-exceeds-capacity', true],
    ]);
    expect(b.dataNotes[0]).toBe(
      `Sales data is stale, from 12:00 yesterday (24h old). Risks judged on it: ${b.risks[0]!.title}`,
    );
    // The risk's action is a candidate priority from the CEO step.
    expect(
      b.tasks.some((t) => t.id === 'ceo.pipeline-exceeds-capacity' && t.source === 'ceo'),
    ).toBe(true);
  });
});
