/** Fixtures for the risk rule tests: six reports built from partial metrics. */
import { expect } from 'vitest';
import {
  AGENT_NAMES,
  type AgentName,
  type AgentReport,
  type MetricSnapshot,
  type Severity,
} from '../../src/contract/report.js';
import { evaluateRisks, type RiskResults, type RiskRule } from '../../src/ceo/risk-engine.js';
import { reports, type ReportInput } from '../helpers/reports.js';

export const TODAY = '2026-11-26';
/** ~30 days before TODAY: what `m.past(ref, 30)` finds. */
export const MONTH_AGO = '2026-10-27';

export interface Fixture {
  /** Each agent's metrics; agents left out report none (status ok). */
  metrics?: Partial<Record<AgentName, Record<string, number | null>>>;
  /** Report fields per agent, e.g. `{ status: 'stale', staleHours: 30 }`. */
  reports?: Partial<Record<AgentName, ReportInput>>;
  history?: Partial<Record<AgentName, MetricSnapshot[]>>;
  overrides?: Record<string, number>;
}

export function sixReports(f: Fixture): Record<AgentName, AgentReport> {
  return reports(
    Object.fromEntries(
      AGENT_NAMES.map((a) => [a, { metrics: f.metrics?.[a] ?? {}, ...f.reports?.[a] }]),
    ),
  );
}

export function run(rule: RiskRule, f: Fixture): RiskResults {
  return evaluateRisks(
    [rule],
    { reports: sixReports(f), history: f.history ?? {}, today: TODAY },
    f.overrides,
  );
}

export interface RuleCases {
  /** Fixtures that fire the rule, with the finding expected. */
  fires: (Fixture & { severity: Severity; message: string })[];
  /** Fixtures built not to fire it (evaluated, no finding). */
  silent: Fixture[];
}

/** Asserts one rule's cases: each firing fixture gives exactly that finding. */
export function checkCases(rule: RiskRule, cases: RuleCases): void {
  expect(cases.fires.length).toBeGreaterThan(0);
  expect(cases.silent.length).toBeGreaterThan(0);
  for (const f of cases.fires) {
    const r = run(rule, f);
    expect(r.unevaluated).toEqual([]);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({
      id: rule.id,
      title: rule.title,
      severity: f.severity,
      message: f.message,
    });
    // Every metric in `needs` is evidence (a rule reads what it needs).
    const used = r.findings[0]!.evidence.map((e) => `${e.agent}.${e.metric}`);
    for (const ref of rule.needs) expect(used).toContain(ref);
    expect(r.actions).toHaveLength(1);
    expect(r.actions[0]).toMatchObject({ id: `ceo.${rule.id}`, source: 'ceo' });
    expect(r.actions[0]!.tags.length).toBeGreaterThan(0);
    expect(r.actions[0]!.energyDemand).toBeDefined();
  }
  for (const f of cases.silent) {
    const r = run(rule, f);
    expect(r.unevaluated).toEqual([]);
    expect(r.findings).toEqual([]);
  }
}
