/**
 * What can be decided is decided (issue 11): a rule with a needed metric missing still
 * runs, and a condition on the metrics that are there may rule the risk out. Only an
 * outcome that depended on a missing metric is "not evaluated".
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { AGENT_NAMES, type AgentName, type AgentReport } from '../../src/contract/report.js';
import { evaluateRisks, type MetricRef, type RiskRule } from '../../src/ceo/risk-engine.js';
import { RISK_RULES } from '../../src/ceo/risks.js';
import { report } from '../helpers/reports.js';
import { run, TODAY } from './risks-fixtures.js';

const byId = (id: string) => RISK_RULES.find((r) => r.id === id)!;

describe('a condition on known metrics rules a risk out', () => {
  const crunch = byId('crunch-ahead-without-rest');
  const morale = byId('morale-falling-with-attrition');

  it('crunch-ahead at 55% booked against a 90% trigger needs no vacation count', () => {
    const r = run(crunch, {
      metrics: {
        operations: { utilizationNext4WeeksPct: 55 },
        hr: { peopleWithoutVacation180Days: null },
      },
    });
    expect(r).toEqual({ findings: [], actions: [], unevaluated: [] });
  });

  it('morale-falling at 0% attrition needs no eNPS change', () => {
    const r = run(morale, {
      metrics: { hr: { attritionPct: 0, enpsChange: null, enps: null, enpsPrevious: null } },
    });
    expect(r).toEqual({ findings: [], actions: [], unevaluated: [] });
  });

  it('either condition may be the known one', () => {
    // No booking figure, but nobody is without rest: no crunch risk either way.
    const r = run(crunch, {
      metrics: {
        operations: { utilizationNext4WeeksPct: null },
        hr: { peopleWithoutVacation180Days: 0 },
      },
    });
    expect(r.unevaluated).toEqual([]);
    expect(r.findings).toEqual([]);
  });

  it('is still "not evaluated" when the known conditions hold and the missing one decides', () => {
    const r = run(crunch, {
      metrics: {
        operations: { utilizationNext4WeeksPct: 95 },
        hr: { peopleWithoutVacation180Days: null },
      },
    });
    expect(r.findings).toEqual([]);
    expect(r.unevaluated).toEqual([
      {
        id: 'crunch-ahead-without-rest',
        title: 'Crunch ahead for people without rest',
        reason: 'no value for hr.peopleWithoutVacation180Days',
      },
    ]);
    const m = run(morale, {
      metrics: { hr: { attritionPct: 25, enpsChange: null, enps: 10, enpsPrevious: null } },
    });
    expect(m.unevaluated.map((u) => u.reason)).toEqual([
      'no value for hr.enpsChange, hr.enpsPrevious',
    ]);
  });

  it('decides over a failed agent too, and names the failure when it cannot', () => {
    const failedHr = { hr: { status: 'failed' as const } };
    expect(
      run(crunch, { metrics: { operations: { utilizationNext4WeeksPct: 55 } }, reports: failedHr }),
    ).toEqual({ findings: [], actions: [], unevaluated: [] });
    const busy = run(crunch, {
      metrics: { operations: { utilizationNext4WeeksPct: 95 } },
      reports: failedHr,
    });
    expect(busy.unevaluated.map((u) => u.reason)).toEqual(['HR data is unavailable (failed)']);
  });
});

/** Six ok reports with these metrics, built without zod (fast enough for many runs). */
const BASE = Object.fromEntries(AGENT_NAMES.map((a) => [a, report(a)])) as Record<
  AgentName,
  AgentReport
>;
function withMetrics(values: Map<MetricRef, number | null>): Record<AgentName, AgentReport> {
  const out = Object.fromEntries(
    AGENT_NAMES.map((a) => [a, { ...BASE[a], metrics: {} as Record<string, number | null> }]),
  ) as Record<AgentName, AgentReport>;
  for (const [ref, v] of values) {
    const i = ref.indexOf('.');
    out[ref.slice(0, i) as AgentName].metrics[ref.slice(i + 1)] = v;
  }
  return out;
}

/** Values near each threshold, signs and zero, and anything in a wide range. */
function valueFor(rule: RiskRule): fc.Arbitrary<number> {
  const near = Object.values(rule.thresholds).flatMap((t) => [t, -t, t - 1, t + 1, t * 2, t / 2]);
  return fc.oneof(
    fc.constantFrom(0, 1, -1, 5, 50, 100, 1000, ...near),
    fc.double({ min: -500, max: 5000, noNaN: true, noDefaultInfinity: true }),
  );
}

describe('soundness: a risk ruled out on partial data stays out whatever the rest is', () => {
  for (const rule of RISK_RULES.filter((r) => r.needs.length > 0)) {
    it(rule.id, () => {
      const needs = rule.needs;
      const value = valueFor(rule);
      fc.assert(
        fc.property(
          fc.array(value, { minLength: needs.length, maxLength: needs.length }),
          fc.array(fc.boolean(), { minLength: needs.length, maxLength: needs.length }),
          fc.array(fc.array(value, { minLength: needs.length, maxLength: needs.length }), {
            minLength: 1,
            maxLength: 4,
          }),
          (values, missing, fillings) => {
            if (!missing.some(Boolean)) return;
            const partial = new Map<MetricRef, number | null>(
              needs.map((ref, i) => [ref, missing[i] ? null : values[i]!]),
            );
            const r = evaluateRisks([rule], {
              reports: withMetrics(partial),
              history: {},
              today: TODAY,
            });
            // A finding never rests on a missing metric.
            expect(r.findings).toEqual([]);
            if (r.unevaluated.length > 0) return;
            // Silent: every way of filling the gaps is silent too.
            for (const fill of fillings) {
              const full = new Map<MetricRef, number | null>(
                needs.map((ref, i) => [ref, missing[i] ? fill[i]! : values[i]!]),
              );
              const f = evaluateRisks([rule], {
                reports: withMetrics(full),
                history: {},
                today: TODAY,
              });
              expect(f.findings).toEqual([]);
              expect(f.unevaluated).toEqual([]);
            }
          },
        ),
        { numRuns: 150, seed: 11 },
      );
    });
  }
});
