/**
 * Data risks: decisions resting on stale or failed department data, and survey data too
 * old to judge on. A failed agent already makes every rule that needs its metrics "not
 * evaluated" (the engine says so, with the reason); these rules add the stale case,
 * which the engine does evaluate, and turn both into an action: refresh or fix the
 * source. docs/risks.md documents each rule and its thresholds.
 */
import { AGENT_NAMES, AGENT_TITLES, type AgentName } from '../../contract/report.js';
import { round } from '../../shared/numbers.js';
import { dataAgeHours } from '../data-age.js';
import { defineRisk, type MetricRef, type RiskRule } from '../risk-engine.js';
import { actBy, count, fixed, money, num } from './format.js';

interface StaleSpec {
  /** The figures decisions lean on, shown with their stale values (and kept as evidence). */
  figures: [MetricRef, (value: number, currency: string | undefined) => string][];
  /** Which decisions depend on the agent. */
  decisions: string;
  /** Where its data comes from (docs/workspace.md). */
  sources: string;
  tags: string[];
}

const STALE: Record<AgentName, StaleSpec> = {
  finance: {
    figures: [
      ['finance.runwayMonths', (v) => `runway ${fixed(v)} months`],
      ['finance.cashBalance', (v, c) => `cash ${money(v, c)}`],
    ],
    decisions: 'cash, runway and hiring decisions',
    sources: 'subscriptions.csv, cashflow.csv',
    tags: ['cash', 'data'],
  },
  sales: {
    figures: [
      ['sales.weightedPipeline', (v, c) => `weighted pipeline ${money(v, c)}`],
      ['sales.pipelineCoverage', (v) => `coverage ${num(v, 2)}x`],
    ],
    decisions: 'forecast and delivery-capacity decisions',
    sources: 'deals.csv',
    tags: ['revenue', 'data'],
  },
  operations: {
    figures: [
      ['operations.utilization', (v) => `utilization ${num(v)}%`],
      ['operations.freeCapacityHoursNext4Weeks', (v) => `${num(v)}h free in the next 4 weeks`],
    ],
    decisions: 'delivery and staffing decisions',
    sources: 'projects.csv, capacity.csv, allocations.csv',
    tags: ['delivery', 'data'],
  },
  marketing: {
    figures: [
      ['marketing.cac', (v, c) => `CAC ${money(v, c)}`],
      ['marketing.spend', (v, c) => `spend ${money(v, c)}`],
    ],
    decisions: 'budget and channel decisions',
    sources: 'campaigns.csv',
    tags: ['growth', 'data'],
  },
  hr: {
    figures: [
      ['hr.teamUtilizationPct', (v) => `team utilization ${num(v)}%`],
      ['hr.openRoles', (v) => count(v, 'open role')],
    ],
    decisions: 'hiring and workload decisions',
    sources: 'people.csv, roles.csv, allocations.csv',
    tags: ['hiring', 'data'],
  },
  'customer-success': {
    figures: [
      ['customer-success.atRiskArr', (v, c) => `at-risk ARR ${money(v, c)}`],
      ['customer-success.nps', (v) => `NPS ${num(v)}`],
    ],
    decisions: 'retention and renewal decisions',
    sources: 'accounts.csv, nps.csv',
    tags: ['retention', 'data'],
  },
};

/**
 * `decision-on-stale-<agent>`: the agent's run failed today and the briefing serves its
 * last good report (status `stale`), at least `min_age_hours` old; critical from
 * `critical_age_hours`. Names the age, the figures that are as of then, and the
 * decisions that depend on them.
 */
function decisionOnStale(agent: AgentName): RiskRule {
  const spec = STALE[agent];
  const title = AGENT_TITLES[agent];
  const name = agent === 'hr' ? title : title.toLowerCase();
  return defineRisk({
    id: `decision-on-stale-${agent}`,
    title: `Decisions on stale ${name} data`,
    severity: 'warning',
    needs: [],
    thresholds: { min_age_hours: 0, critical_age_hours: 72 },
    evaluate(m, t, ctx) {
      const report = ctx.reports[agent];
      if (report.status !== 'stale') return null;
      // From the data's own time when it is older than the report (a cached answer).
      const hours = round(dataAgeHours(report) ?? 0, 1);
      if (hours < t.min_age_hours) return null;
      const figures = spec.figures.flatMap(([ref, show]) => {
        const value = m.optional(ref);
        return value === null ? [] : [show(value, ctx.currency)];
      });
      const severity = hours >= t.critical_age_hours ? 'critical' : 'warning';
      const why = report.error ? `; today's run failed: ${report.error}` : '';
      return {
        severity,
        message:
          `${title} data is ${num(hours)}h old (its last good report${why})` +
          `${figures.length > 0 ? `: ${figures.join(', ')} ${figures.length === 1 ? 'is' : 'are'} as of then` : ''}; ` +
          `${spec.decisions} rest on it`,
        action: {
          title: `Refresh the ${name} data (${spec.sources})`,
          deadline: ctx.today,
          energyDemand: 'low',
          tags: spec.tags,
        },
      };
    },
  });
}

/** Agents that failed with no earlier report to fall back on. */
export const agentDataFailed = defineRisk({
  id: 'agent-data-failed',
  title: 'Department data unavailable',
  severity: 'warning',
  needs: [],
  thresholds: { critical_failed_agents: 2 },
  evaluate(_m, t, ctx) {
    const failed = AGENT_NAMES.filter((a) => ctx.reports[a].status === 'failed');
    if (failed.length === 0) return null;
    const names = failed.map((a) => AGENT_TITLES[a]);
    const list =
      names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0]!;
    const errors = failed
      .filter((a) => ctx.reports[a].error)
      .map((a) => `${AGENT_TITLES[a]}: ${ctx.reports[a].error}`);
    return {
      severity: failed.length >= t.critical_failed_agents ? 'critical' : 'warning',
      message:
        `${list} failed with no earlier report to fall back on` +
        `${errors.length > 0 ? ` (${errors.join('; ')})` : ''}: ` +
        `the risks that need ${failed.length > 1 ? 'their' : 'its'} figures are listed as not evaluated`,
      action: {
        title: `Fix the ${list} data source${failed.length > 1 ? 's' : ''}`,
        deadline: ctx.today,
        energyDemand: 'low',
        tags: ['data'],
      },
    };
  },
});

/** The latest eNPS pulse is older than `max_age_days`: morale judgements rest on it. */
export const enpsSurveyOutdated = defineRisk({
  id: 'enps-survey-outdated',
  title: 'eNPS survey out of date',
  severity: 'info',
  needs: ['hr.enpsSurveyAgeDays'],
  thresholds: { max_age_days: 90 },
  evaluate(m, t, ctx) {
    const age = m('hr.enpsSurveyAgeDays');
    if (age <= t.max_age_days) return null;
    const enps = m.optional('hr.enps');
    return {
      message:
        `The latest eNPS pulse is ${age} days old (more than ${t.max_age_days})` +
        `${enps !== null ? `: eNPS ${num(enps)} is from then` : ''}; burnout and attrition judgements rest on it`,
      action: {
        title: 'Run a new eNPS pulse survey',
        deadline: actBy(ctx.today, 'info'),
        energyDemand: 'low',
        tags: ['team', 'data'],
      },
    };
  },
});

export const DATA_RULES: RiskRule[] = [
  ...AGENT_NAMES.map(decisionOnStale),
  agentDataFailed,
  enpsSurveyOutdated,
];
