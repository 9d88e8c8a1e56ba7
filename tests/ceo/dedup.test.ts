import { describe, expect, it } from 'vitest';
import { type RiskFinding, type ScoredTask } from '../../src/contract/briefing.js';
import { subjectKey, type Alert, type AgentName } from '../../src/contract/report.js';
import { composeBriefing, type ComposeInput } from '../../src/ceo/briefing.js';
import {
  alertKey,
  alertsUnderTasks,
  alertTopic,
  departmentWhy,
  foldAlerts,
  mergeTasks,
  unfoldedAlerts,
} from '../../src/ceo/dedup.js';
import { rankTasks } from '../../src/ceo/priorities.js';
import { renderMarkdown } from '../../src/ceo/render-markdown.js';
import { defineRisk, notEvaluable } from '../../src/ceo/risk-engine.js';
import { report, reports, task } from '../helpers/reports.js';

const rank = (tasks: Parameters<typeof rankTasks>[0]): ScoredTask[] =>
  rankTasks(tasks, { today: '2026-11-26', arrCents: undefined, energy: 'medium', goals: [] });

function alert(
  agent: AgentName,
  id: string,
  metric: string,
  over: Partial<Alert> = {},
): Alert & { agent: AgentName } {
  return {
    agent,
    id,
    severity: 'warning',
    message: `${id} fired`,
    metric,
    value: 1,
    threshold: 0,
    ...over,
  };
}

function finding(id: string, refs: string[]): RiskFinding {
  return {
    id,
    title: `Risk ${id}`,
    severity: 'warning',
    message: `${id} message`,
    evidence: refs.map((r) => {
      const [agent, metric] = r.split('.') as [AgentName, string];
      return { agent, metric, value: 1, stale: false };
    }),
    action: `Act on ${id}`,
    basedOnStaleData: false,
  };
}

describe('mergeTasks', () => {
  it('merges tasks with one title (case and spacing ignored): the founder wins, sources listed', () => {
    const merged = mergeTasks(
      rank([
        task({
          id: 'sales-1',
          source: 'sales',
          title: 'close  acme CORP deal',
          revenueImpact: 100,
        }),
        task({ id: 'founder-1', title: 'Close Acme Corp deal', revenueImpact: 10 }),
        task({ id: 'ops-1', source: 'operations', title: '  Close Acme Corp\tdeal  ' }),
        task({ id: 'sales-2', source: 'sales', title: 'Close Globex deal' }),
      ]),
    );
    // The merged task ranks by the winner's own score.
    expect(merged.map((t) => [t.rank, t.id, t.sources])).toEqual([
      [1, 'founder-1', ['founder', 'sales', 'operations']],
      [2, 'sales-2', undefined],
    ]);
    expect(merged[0]!.merged).toEqual([
      { id: 'sales-1', title: 'close  acme CORP deal', source: 'sales' },
      { id: 'ops-1', title: '  Close Acme Corp\tdeal  ', source: 'operations' },
    ]);
    // The founder's own factors are kept, not the sales task's higher ones.
    expect(merged[0]!.revenueImpact).toBe(10);
  });

  it('merges tasks about one subject: the best-ranked stays, with every source', () => {
    const yellowtail = subjectKey('account', 'Yellowtail Sushi Group');
    const merged = mergeTasks(
      rank([
        task({
          id: 'cs.save',
          source: 'customer-success',
          title: 'Save Yellowtail Sushi Group',
          subject: yellowtail,
          revenueImpact: 20,
        }),
        task({
          id: 'finance.collect',
          source: 'finance',
          title: 'Collect past-due payment from Yellowtail Sushi Group',
          subject: 'account:yellowtail  sushi group'.replace('  ', ' '),
          revenueImpact: 40,
        }),
        task({ id: 'other', source: 'sales', title: 'Close Globex', revenueImpact: 30 }),
      ]),
    );
    expect(merged.map((t) => [t.rank, t.id, t.sources ?? [t.source]])).toEqual([
      [1, 'finance.collect', ['finance', 'customer-success']],
      [2, 'other', ['sales']],
    ]);
    expect(merged[0]!.merged).toEqual([
      { id: 'cs.save', title: 'Save Yellowtail Sushi Group', source: 'customer-success' },
    ]);
  });

  it('joins a title match and a subject match into one group', () => {
    const merged = mergeTasks(
      rank([
        task({ id: 'f', title: 'Close Acme Corp deal ($50K ARR)', revenueImpact: 95 }),
        task({
          id: 's',
          source: 'sales',
          title: 'Close Acme Corp deal ($50K ARR)',
          subject: 'deal:acme corp',
        }),
        task({
          id: 'r',
          source: 'sales',
          title: 'Re-engage Acme Corp',
          subject: 'deal:acme corp',
        }),
      ]),
    );
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({
      id: 'f',
      rank: 1,
      subject: 'deal:acme corp',
      sources: ['founder', 'sales'],
    });
    // In rank order (a tie: by id).
    expect(merged[0]!.merged!.map((m) => m.id)).toEqual(['r', 's']);
  });

  it('keeps tasks whose titles and subjects differ', () => {
    const merged = mergeTasks(
      rank([
        task({ id: 'a', title: 'Close Acme', subject: 'deal:acme' }),
        task({ id: 'b', title: 'Close Acme Corp', subject: 'account:acme' }),
      ]),
    );
    expect(merged.map((t) => [t.id, t.sources, t.merged])).toEqual([
      ['a', undefined, undefined],
      ['b', undefined, undefined],
    ]);
  });
});

describe('foldAlerts', () => {
  const alerts = [
    alert('hr', 'hr.burnout-risk', 'teamUtilizationPct', { severity: 'critical' }),
    alert('hr', 'hr.overtime', 'peopleOnOvertime'),
    alert('operations', 'operations.team-overloaded', 'utilization'),
    alert('marketing', 'marketing.channel-no-customers', 'spend.paid_social'),
    alert('marketing', 'marketing.channel-no-customers', 'spend.events'),
    alert('sales', 'sales.pipeline-coverage-low', 'pipelineCoverage'),
  ];

  it("folds an alert on a risk's evidence (or its `explains`) under the first such risk", () => {
    const folded = foldAlerts(
      [
        finding('burnout', ['hr.teamUtilizationPct', 'hr.peopleOnOvertime']),
        finding('people', ['hr.peopleOnOvertime']),
        finding('capacity', ['sales.weightedDeliveryHours']),
      ],
      alerts,
      { capacity: ['operations.utilization'] },
    );
    expect(folded.map((f) => [f.id, f.alerts])).toEqual([
      ['burnout', ['hr:hr.burnout-risk:teamUtilizationPct', 'hr:hr.overtime:peopleOnOvertime']],
      ['people', undefined],
      ['capacity', ['operations:operations.team-overloaded:utilization']],
    ]);
    expect(unfoldedAlerts(alerts, folded).map(alertKey)).toEqual([
      'marketing:marketing.channel-no-customers:spend.paid_social',
      'marketing:marketing.channel-no-customers:spend.events',
      'sales:sales.pipeline-coverage-low:pipelineCoverage',
    ]);
  });

  it('folds nothing without a matching metric, and keeps every alert then', () => {
    const folded = foldAlerts([finding('x', ['finance.mrr'])], alerts);
    expect(folded[0]!.alerts).toBeUndefined();
    expect(unfoldedAlerts(alerts, folded)).toEqual(alerts);
  });
});

describe('alertsUnderTasks', () => {
  it("puts an alert about a task's subject under it, unless a risk holds it already", () => {
    const pipeline = subjectKey('pipeline', 'this quarter');
    const coverage = alert('sales', 'sales.pipeline-coverage-low', 'pipelineCoverage', {
      subject: pipeline,
    });
    const stalled = alert('sales', 'sales.stalled-high-value', 'stalledHighValueDeals', {
      subject: 'deal:initech',
    });
    const tasks = [
      { id: 'build', subject: pipeline },
      { id: 'refill', subject: pipeline },
      { id: 'other' },
    ];
    expect([...alertsUnderTasks(tasks, [coverage, stalled])]).toEqual([['build', [coverage]]]);
    const risk = { alerts: [alertKey(coverage)] };
    expect(alertsUnderTasks(tasks, [coverage, stalled], [risk]).size).toBe(0);
  });
});

/** An alert as a report holds it (no `agent`). */
function reportAlert(id: string, metric: string): Alert {
  const { agent: _agent, ...rest } = alert('operations', id, metric);
  return rest;
}

describe('departmentWhy', () => {
  it("names a department's alerts by topic instead of repeating the first one's sentence", () => {
    const r = report('operations', {
      healthReason:
        '3 warnings: 1 of 4 active projects late: Contoso data migration (6 days overdue)',
      alerts: [
        reportAlert('operations.projects-late', 'projectsLate'),
        { ...reportAlert('operations.team-overloaded', 'utilization'), severity: 'critical' },
      ],
    });
    expect(departmentWhy(r)).toBe('1 critical, 1 warning: team allocated this week, late projects');
  });

  it("keeps the agent's own line without alerts, and names channels", () => {
    expect(departmentWhy(report('finance', { healthReason: 'Finance within thresholds' }))).toBe(
      'Finance within thresholds',
    );
    expect(alertTopic('marketing', { metric: 'spend.paid_social' })).toBe('paid_social spend');
    expect(alertTopic('finance', { metric: 'runwayMonths' })).toBe('runway');
  });
});

describe('the composed briefing says each thing once', () => {
  const input = (): ComposeInput => ({
    companyId: 'acme',
    companyName: 'Acme',
    workflowId: 'wf-1',
    briefingDate: '2026-11-26',
    generatedAt: '2026-11-26T12:00:00.000Z',
    reports: reports({
      hr: {
        metrics: { teamUtilizationPct: 97, openRoles: 2 },
        alerts: [
          {
            id: 'hr.burnout-risk',
            severity: 'warning',
            message: 'Delivery team worked 97% of its available hours',
            metric: 'teamUtilizationPct',
            value: 97,
            threshold: 95,
          },
        ],
        healthReason: '1 warning: Delivery team worked 97% of its available hours',
      },
      sales: {
        alerts: [
          {
            id: 'sales.stalled-deals',
            severity: 'info',
            message: '2 open deals with no activity for 14+ days',
            metric: 'stalledDeals',
            value: 2,
            threshold: 0,
          },
        ],
      },
    }),
    founderTasks: [],
    goals: [],
    energy: 'medium',
    risks: {
      rules: [
        defineRisk({
          id: 'burnout',
          title: 'Burnout risk',
          severity: 'critical',
          needs: ['hr.teamUtilizationPct', 'hr.openRoles'],
          thresholds: {},
          evaluate: (m) => ({
            message: `Team at ${m('hr.teamUtilizationPct')}% with ${m('hr.openRoles')} open roles`,
            action: { title: 'Relieve the team' },
          }),
        }),
        defineRisk({
          id: 'never',
          title: 'Needs finance',
          severity: 'warning',
          needs: ['finance.mrr'],
          thresholds: {},
          evaluate: () => notEvaluable('no finance history yet'),
        }),
      ],
    },
  });

  it('shows a folded alert under its risk only, a not-evaluated risk only in the data notes', () => {
    const b = composeBriefing(input());
    expect(b.risks[0]!.alerts).toEqual(['hr:hr.burnout-risk:teamUtilizationPct']);
    const count = (text: string, s: string) => text.split(s).length - 1;
    const sentence = 'Delivery team worked 97% of its available hours';
    expect(count(b.markdown, sentence)).toBe(0); // compact: named, not repeated
    expect(b.markdown).toContain('(critical, explains 1 HR alert)');
    expect(b.markdown).toContain('| HR | current | 80 | 1 warning: team utilization (4 weeks) |');
    expect(b.markdown).toContain(
      '## Other alerts\n\n- **info** (Sales) 2 open deals with no activity for 14+ days\n',
    );
    // The full briefing holds the folded alert's text, under the risk.
    const full = renderMarkdown(b, { full: true });
    expect(count(full, sentence)).toBe(1);
    expect(full).toContain(
      `  - Evidence: Team utilization (4 weeks) 97% · Open roles 2. Action: Relieve the team\n  - warning alert (HR): ${sentence}\n`,
    );
    // Not evaluated: once, in the data notes; the head only counts it.
    expect(count(b.markdown, 'Needs finance')).toBe(1);
    expect(b.markdown).toContain('- not evaluated (1): see Data notes');
    expect(b.markdown).toContain('- Risk not evaluated: Needs finance: no finance history yet.');
    // Evidence in plain words with the metric's label and unit; the key only in the JSON.
    expect(b.markdown).toContain('  - Evidence: Team utilization (4 weeks) 97% · Open roles 2.');
    expect(b.markdown).not.toContain('hr.teamUtilizationPct');
  });
});
