import { describe, expect, it } from 'vitest';
import { changesSince } from '../../src/ceo/changes.js';
import { reports, report } from '../helpers/reports.js';

const alert = (
  id: string,
  message: string,
  severity: 'warning' | 'critical' = 'warning',
  metric = 'm',
) => ({
  id,
  severity,
  message,
  metric,
  value: 1,
  threshold: 2,
});

function briefing(over: Partial<Parameters<typeof changesSince>[0]> = {}) {
  return {
    briefingDate: '2026-11-26',
    health: 80,
    agents: reports(),
    alerts: [],
    risks: [],
    priorities: [],
    ...over,
  } as Parameters<typeof changesSince>[0];
}

describe('changesSince', () => {
  it('says so for a first briefing', () => {
    expect(changesSince(briefing(), undefined)).toEqual([
      'First briefing for this company: nothing to compare with yet.',
    ]);
  });

  it('reports health moves of 5 points or more, status changes, alerts, risks and the top priority', () => {
    const previous = briefing({
      briefingDate: '2026-11-25',
      health: 80,
      agents: {
        ...reports(),
        sales: report('sales', { health: 90 }),
        hr: report('hr', { health: 82 }),
      },
      alerts: [{ ...alert('finance.runway-low', 'Runway is 9 months'), agent: 'finance' }],
      risks: [
        {
          id: 'old-risk',
          title: 'Old risk',
          severity: 'warning',
          message: '',
          evidence: [],
          action: '',
          basedOnStaleData: false,
        },
      ],
      priorities: [{ id: 'a' } as never],
    });
    const current = briefing({
      health: 74,
      agents: {
        ...reports(),
        sales: report('sales', { health: 70 }), // -20: reported
        hr: report('hr', { health: 79 }), // -3: noise
        finance: report('finance', { status: 'stale' }),
      },
      alerts: [
        {
          ...alert('sales.coverage', 'Coverage is 2.5x', 'warning', 'pipelineCoverage'),
          agent: 'sales',
        },
      ],
      risks: [
        {
          id: 'new-risk',
          title: 'New risk',
          severity: 'critical',
          message: '',
          evidence: [],
          action: '',
          basedOnStaleData: false,
        },
      ],
      priorities: [{ id: 'b', title: 'Close Globex' } as never],
    });
    expect(changesSince(current, previous)).toEqual([
      'Overall health down 6 to 74 (since 2026-11-25).',
      'Finance data went from ok to stale.',
      'Department health: Sales down 20 to 70.',
      // Risks and the top priority before alerts: a compact briefing shows the first lines.
      'New risk: New risk.',
      'Risk cleared: Old risk.',
      'New top priority: Close Globex.',
      // Named by its topic: its sentence is in the briefing's alert list already.
      'New alert: pipeline coverage (Sales).',
      'Resolved (Finance): Runway is 9 months',
    ]);
  });

  it('names five new alerts in one line and counts the rest; lists resolved ones with their text', () => {
    const alerts = Array.from({ length: 7 }, (_, i) => ({
      ...alert(`x${i}`, `alert ${i}`, 'warning', `metric${i}`),
      agent: 'hr' as const,
    }));
    expect(changesSince(briefing({ alerts }), briefing({ briefingDate: '2026-11-25' }))).toEqual([
      'New alerts: metric 0 (HR), metric 1 (HR), metric 2 (HR), metric 3 (HR), metric 4 (HR) and 2 more.',
    ]);
    expect(changesSince(briefing({ briefingDate: '2026-11-27' }), briefing({ alerts }))).toEqual([
      'Resolved (HR): alert 0',
      'Resolved (HR): alert 1',
      'Resolved (HR): alert 2',
      'Resolved (HR): alert 3',
      'Resolved (HR): alert 4',
      '…and 2 more resolved alerts.',
    ]);
  });

  it('tells apart two alerts of one rule on different metrics (one per channel)', () => {
    const channel = (name: string) => ({
      ...alert(
        'marketing.channel-no-customers',
        `${name} won no customer`,
        'warning',
        `spend.${name}`,
      ),
      agent: 'marketing' as const,
    });
    expect(
      changesSince(
        briefing({ alerts: [channel('paid_social'), channel('events')] }),
        briefing({ briefingDate: '2026-11-25', alerts: [channel('paid_social')] }),
      ),
    ).toEqual(['New alert: events spend (Marketing).']);
  });

  it('says nothing changed when nothing did', () => {
    expect(changesSince(briefing(), briefing({ briefingDate: '2026-11-25' }))).toEqual([
      'No material change since 2026-11-25.',
    ]);
  });
});
