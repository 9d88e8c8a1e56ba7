import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { AGENT_NAMES, AgentReport, type AgentName } from '../../src/contract/report.js';
import { AGENTS } from '../../src/agents/registry.js';
import { composeBriefing } from '../../src/ceo/briefing.js';
import { evaluateRisks, unknownOverrides } from '../../src/ceo/risk-engine.js';
import { RISK_RULES } from '../../src/ceo/risks.js';
import { CASH_RULES } from '../../src/ceo/risks/cash.js';
import { CUSTOMER_RULES } from '../../src/ceo/risks/customers.js';
import { DATA_RULES } from '../../src/ceo/risks/data.js';
import { GROWTH_RULES } from '../../src/ceo/risks/growth.js';
import { PEOPLE_RULES } from '../../src/ceo/risks/people.js';
import { loadAgentInput } from '../../src/sources/workspace.js';
import { run, sixReports, TODAY } from './risks-fixtures.js';

const byId = (id: string) => RISK_RULES.find((r) => r.id === id)!;

describe('the risk library', () => {
  it('has at least 25 rules, all from the five groups, with unique kebab-case ids', () => {
    expect(RISK_RULES.length).toBeGreaterThanOrEqual(25);
    expect(RISK_RULES).toEqual([
      ...GROWTH_RULES,
      ...PEOPLE_RULES,
      ...CASH_RULES,
      ...CUSTOMER_RULES,
      ...DATA_RULES,
    ]);
    const ids = RISK_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('names its thresholds in snake_case, with numeric defaults, and its needs as agent.metric', () => {
    for (const rule of RISK_RULES) {
      expect(rule.title.length).toBeGreaterThan(0);
      for (const [name, value] of Object.entries(rule.thresholds)) {
        expect(name).toMatch(/^[a-z0-9]+(_[a-z0-9]+)*$/);
        expect(Number.isFinite(value)).toBe(true);
      }
      for (const ref of rule.needs) {
        const agent = ref.slice(0, ref.indexOf('.'));
        expect(AGENT_NAMES).toContain(agent);
      }
    }
  });

  it('documents every rule and threshold in docs/risks.md', () => {
    const doc = readFileSync(path.resolve('docs/risks.md'), 'utf8');
    const sections = new Map<string, string>();
    const parts = doc.split(/^### /m).slice(1);
    for (const part of parts) {
      const id = /^`([a-z0-9-]+)`/.exec(part)?.[1];
      if (id) sections.set(id, part);
    }
    expect([...sections.keys()].sort()).toEqual(RISK_RULES.map((r) => r.id).sort());
    for (const rule of RISK_RULES) {
      const section = sections.get(rule.id)!;
      expect(section, rule.id).toContain(rule.title);
      expect(section, rule.id).toContain(`**${rule.severity}**`);
      for (const ref of rule.needs)
        expect(section, `${rule.id} reads ${ref}`).toContain(`\`${ref}\``);
      for (const [name, value] of Object.entries(rule.thresholds)) {
        // A table row `| \`name\` | default | ... |` (columns padded by prettier).
        const row = new RegExp(
          `^\\|\\s*\`${name}\`\\s*\\|\\s*${String(value).replace('.', '\\.')}\\s*\\|`,
          'm',
        );
        expect(section, `${rule.id}.${name}`).toMatch(row);
      }
    }
  });

  it('every threshold is overridable as ruleId.threshold, and nothing else is', () => {
    const keys = RISK_RULES.flatMap((r) => Object.keys(r.thresholds).map((t) => `${r.id}.${t}`));
    const overrides = Object.fromEntries(keys.map((k) => [k, 1]));
    expect(unknownOverrides(RISK_RULES, overrides)).toEqual([]);
    // The examples in docs/workspace.md and docs/risks.md name real rules.
    expect(
      unknownOverrides(RISK_RULES, {
        'burnout-with-open-roles.utilization_pct': 90,
        'pipeline-exceeds-capacity.capacity_used_pct': 90,
        'concentration-renewal-at-risk.customer_share_pct': 10,
      }),
    ).toEqual([]);
    expect(
      unknownOverrides(RISK_RULES, {
        'pipeline-exceeds-capacity.capacity_pct': 90,
        'no-such-rule.x': 1,
      }),
    ).toEqual(['pipeline-exceeds-capacity.capacity_pct', 'no-such-rule.x']);
  });
});

describe('rules that cannot be evaluated say so', () => {
  const pipeline = byId('pipeline-exceeds-capacity');
  const metrics = {
    sales: { weightedDeliveryHours: 222.5, weightedPipeline: 109609.8 },
    operations: { freeHoursThisWeek: 9, freeCapacityHoursNext4Weeks: 194 },
  };

  it('when an agent it needs failed', () => {
    const r = run(pipeline, { metrics, reports: { operations: { status: 'failed' } } });
    expect(r.findings).toEqual([]);
    expect(r.unevaluated).toEqual([
      {
        id: 'pipeline-exceeds-capacity',
        title: 'Sales pipeline exceeds delivery capacity',
        reason: 'Operations data is unavailable (failed)',
      },
    ]);
    const both = run(pipeline, {
      metrics,
      reports: { sales: { status: 'failed' }, operations: { status: 'failed' } },
    });
    expect(both.unevaluated[0]!.reason).toBe('Sales and Operations data are unavailable (failed)');
  });

  it('when a metric it needs is missing or null', () => {
    const r = run(pipeline, {
      metrics: { ...metrics, sales: { weightedPipeline: 109609.8 } },
    });
    expect(r.unevaluated[0]!.reason).toBe('no value for sales.weightedDeliveryHours');
    const burnout = run(byId('burnout-with-open-roles'), {
      metrics: { hr: { teamUtilizationPct: null, openRoles: 2 } },
    });
    expect(burnout.unevaluated[0]!.reason).toBe('no value for hr.teamUtilizationPct');
  });

  it('on reports with no metrics at all: every rule that needs a metric is listed, none passes', () => {
    const r = evaluateRisks(RISK_RULES, { reports: sixReports({}), history: {}, today: TODAY });
    expect(r.findings).toEqual([]);
    expect(r.unevaluated.map((u) => u.id).sort()).toEqual(
      RISK_RULES.filter((rule) => rule.needs.length > 0)
        .map((rule) => rule.id)
        .sort(),
    );
    for (const u of r.unevaluated) expect(u.reason).toMatch(/^no value for /);
  });

  it('a stale agent is still evaluated, and the finding is marked as judged on stale data', () => {
    const r = evaluateRisks([pipeline], {
      reports: sixReports({
        metrics,
        reports: { operations: { status: 'stale', staleHours: 30 } },
      }),
      history: {},
      today: TODAY,
    });
    expect(r.findings[0]).toMatchObject({
      id: 'pipeline-exceeds-capacity',
      basedOnStaleData: true,
    });
  });
});

describe('thresholds are configurable per company', () => {
  it('an override changes the outcome', () => {
    const rule = byId('pipeline-exceeds-capacity');
    const metrics = {
      sales: { weightedDeliveryHours: 200 },
      operations: { freeHoursThisWeek: 9, freeCapacityHoursNext4Weeks: 194 },
    };
    expect(run(rule, { metrics }).findings).toEqual([]);
    // 200 / 203 = 98.5% of free capacity, above a 90% threshold; no hours short.
    const r = run(rule, {
      metrics,
      overrides: { 'pipeline-exceeds-capacity.capacity_used_pct': 90 },
    });
    expect(r.findings[0]!.message).toBe(
      'Closing the weighted pipeline would bring 200h of delivery work against 203h free over the next 5 weeks (9h this week + 194h in the next 4): 98.5% of free capacity (threshold 90%)',
    );
    expect(r.actions[0]!.moneyAtStakeCents).toBeUndefined();
  });
});

describe('the demo workspace (Northwind Analytics, 2026-11-26, no history)', () => {
  const DEMO = path.resolve('examples/demo-workspace');

  async function demoReports(): Promise<Record<AgentName, AgentReport>> {
    const entries = await Promise.all(
      AGENT_NAMES.map(async (name) => {
        const agent = AGENTS[name];
        const { input } = await loadAgentInput(DEMO, agent);
        const result = agent.compute(input, {
          asOf: new Date(`${TODAY}T12:00:00Z`),
          today: TODAY,
          history: [],
        });
        const report = AgentReport.parse({
          ...result,
          agent: name,
          timestamp: `${TODAY}T12:00:00.000Z`,
          status: 'ok',
          durationMs: 1,
          sourceCalls: 1,
        });
        return [name, report] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<AgentName, AgentReport>;
  }

  it('fires exactly these rules, and says which it could not evaluate and why', async () => {
    const r = evaluateRisks(RISK_RULES, {
      reports: await demoReports(),
      history: {},
      today: TODAY,
    });
    expect(r.findings.map((f) => [f.severity, f.id])).toEqual([
      ['critical', 'burnout-with-open-roles'],
      ['warning', 'churn-rising-while-chasing-new-logos'],
      ['warning', 'concentration-renewal-at-risk'],
      ['warning', 'key-person-overloaded'],
      ['warning', 'pipeline-exceeds-capacity'],
      ['warning', 'runway-vs-hiring-plan'],
    ]);
    expect(r.unevaluated).toEqual([
      {
        id: 'cac-up-ltv-down',
        title: 'Growth is losing money: CAC up while LTV down',
        reason:
          'no finance.ltv from ~30 days ago in the history yet, so whether LTV fell while CAC rose 42.8% cannot be told',
      },
      {
        id: 'nps-falling-tickets-rising',
        title: 'NPS falling while support tickets rise',
        reason:
          'no customer-success.highTicketAccounts from ~30 days ago in the history yet, so whether tickets rose while NPS fell 17.6 points cannot be told',
      },
    ]);
    const message = (id: string) => r.findings.find((f) => f.id === id)!.message;
    // 9 + 194 = 203h free; 222.5 / 203 = 109.6%; 19.5h short.
    expect(message('pipeline-exceeds-capacity')).toBe(
      'Closing the weighted pipeline would bring 222.5h of delivery work against 203h free over the next 5 weeks (9h this week + 194h in the next 4): 109.6% of free capacity (threshold 100%), 19.5h short',
    );
    expect(message('burnout-with-open-roles')).toBe(
      'Team utilization is 96.5% over the last 4 weeks (at or above 95%) with 2 open roles (the oldest open 90 days): burnout risk, worse with 1 person on overtime (30h over available) and eNPS at -9.1 (below 10)',
    );
    // 1350000 / (139322.83 + 25000) = 8.2 months.
    expect(message('runway-vs-hiring-plan')).toBe(
      'Runway is 9.7 months; the hiring plan (2 open roles) adds $25,000 a month of burn, which leaves 8.2 months ($1,350,000 / $164,322.83 a month), below 12',
    );
    expect(r.actions.map((a) => a.id).sort()).toEqual(r.findings.map((f) => `ceo.${f.id}`).sort());
  });

  it('with last month in the history, CAC up / LTV down is judged', async () => {
    const reports = await demoReports();
    const r = evaluateRisks([byId('cac-up-ltv-down')], {
      reports,
      history: { finance: [{ date: '2026-10-27', metrics: { ltv: 30648.16 } }] },
      today: TODAY,
    });
    expect(r.findings[0]!.message).toBe(
      'CAC rose 42.8% to $2,475 (from $1,733.33) while LTV fell 20% to $24,518.53 (from $30,648.16 30 days ago): LTV:CAC 9.9, down from 17.7; growth is losing money',
    );
  });

  it('the briefing shows the risks and the rules it could not evaluate', async () => {
    const b = composeBriefing({
      companyId: 'demo',
      companyName: 'Northwind Analytics',
      workflowId: 'wf-1',
      briefingDate: TODAY,
      generatedAt: `${TODAY}T12:00:00.000Z`,
      reports: await demoReports(),
      founderTasks: [],
      goals: ['revenue', 'retention', 'hiring'],
      energy: 'high',
    });
    expect(b.risks.map((f) => f.id)).toContain('pipeline-exceeds-capacity');
    expect(b.dataNotes).toContain(
      'Risk not evaluated: NPS falling while support tickets rise: no customer-success.highTicketAccounts from ~30 days ago in the history yet, so whether tickets rose while NPS fell 17.6 points cannot be told.',
    );
    expect(b.tasks.map((t) => t.id)).toContain('ceo.burnout-with-open-roles');
  });
});
