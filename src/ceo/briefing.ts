/**
 * The CEO step's pure core: reads the six reports and the founder's tasks, ranks the
 * day's priorities and composes the briefing (structured, plus Markdown).
 */
import { ValidationError } from '../shared/errors.js';
import { DEFAULT_CURRENCY } from '../shared/money.js';
import { isTimeZone, TIME_ZONE_EXPECTED } from '../shared/time-zone.js';
import {
  AGENT_NAMES,
  AGENT_TITLES,
  type AgentName,
  type AgentReport,
  type EnergyDemand,
  type MetricSnapshot,
  type Severity,
  type Task,
} from '../contract/report.js';
import { Briefing, PriorityWeights } from '../contract/briefing.js';
import { changesSince } from './changes.js';
import { dataAgeHours, dataTime, formatAge } from './data-age.js';
import { foldAlerts, mergeTasks } from './dedup.js';
import { keyMetrics } from './key-metrics.js';
import { DEFAULT_WEIGHTS, rankTasks } from './priorities.js';
import { renderMarkdown } from './render-markdown.js';
import { evaluateRisks, type RiskRule } from './risk-engine.js';
import { RISK_RULES } from './risks.js';

export { formatAge, renderMarkdown };

export interface ComposeInput {
  companyId: string;
  companyName: string;
  /**
   * ISO 4217 code of the company's currency (company.yaml `currency`).
   * @default 'USD'
   */
  currency?: string;
  /**
   * The company's IANA time zone (company.yaml `timezone`): the data notes say when
   * each department's data is from in it ("14:02 yesterday").
   * @default 'UTC'
   */
  timeZone?: string;
  workflowId: string;
  briefingDate: string;
  generatedAt: string;
  reports: Record<AgentName, AgentReport>;
  founderTasks: Task[];
  goals: string[];
  energy: EnergyDemand;
  /** Where today's energy came from: `--energy`, the workspace, or the default. */
  energySource?: string;
  /** The priority weights (ceo.yaml); validated here, once. The design's by default. */
  weights?: PriorityWeights;
  /** Each agent's stored figures before today (Postgres), oldest first. */
  history?: Partial<Record<AgentName, MetricSnapshot[]>>;
  /** The company's previous briefing, for "what changed". */
  previous?: Briefing;
  /** The risk rules to run (the library by default) and threshold overrides. */
  risks?: { rules?: readonly RiskRule[]; overrides?: Record<string, number> };
}

const TOP_PRIORITIES = 3;
const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

export function composeBriefing(input: ComposeInput): Briefing {
  const currency = (input.currency ?? DEFAULT_CURRENCY).toUpperCase();
  const timeZone = input.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) {
    throw new ValidationError(
      `company.yaml, field "timezone": ${TIME_ZONE_EXPECTED}, got "${timeZone}"`,
      { file: 'company.yaml', field: 'timezone' },
    );
  }
  const reports = AGENT_NAMES.map((a) => input.reports[a]);
  const usable = reports.filter((r) => r.status !== 'failed');
  const history = input.history ?? {};
  const rules = input.risks?.rules ?? RISK_RULES;
  const risk = evaluateRisks(
    rules,
    { reports: input.reports, history, today: input.briefingDate, currency },
    input.risks?.overrides,
  );
  const arr = input.reports.finance.status === 'failed' ? null : input.reports.finance.metrics.arr;
  const weights =
    input.weights === undefined ? DEFAULT_WEIGHTS : PriorityWeights.parse(input.weights);
  const candidates = [
    ...input.founderTasks,
    ...risk.actions,
    ...usable.flatMap((r) => r.recommendations),
  ];
  const ranked = rankTasks(candidates, {
    today: input.briefingDate,
    arrCents: typeof arr === 'number' ? Math.round(arr * 100) : undefined,
    energy: input.energy,
    goals: input.goals,
    weights,
    currency,
  });
  // One task per title or subject, listing every source that proposed it.
  const tasks = mergeTasks(ranked);
  const alerts = usable
    .flatMap((r) => r.alerts.map((a) => ({ ...a, agent: r.agent })))
    .sort(
      (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.id.localeCompare(b.id),
    );
  const health =
    usable.length === 0 ? 0 : Math.round(usable.reduce((s, r) => s + r.health, 0) / usable.length);
  const dataNotes = [
    ...reports.flatMap((r) => {
      const note = dataNote(r, { briefingDate: input.briefingDate, timeZone });
      if (!note || r.status !== 'stale') return note ?? [];
      // Which judgements lean on the old figures, so the founder can weigh them.
      const leaning = risk.findings.filter((f) =>
        f.evidence.some((e) => e.agent === r.agent && e.stale),
      );
      return leaning.length === 0
        ? note
        : `${note}. Risks judged on it: ${leaning.map((f) => f.title).join('; ')}`;
    }),
    ...unevaluatedNotes(risk.unevaluated),
  ];

  const core = {
    schemaVersion: 1 as const,
    companyId: input.companyId,
    companyName: input.companyName,
    currency,
    briefingDate: input.briefingDate,
    generatedAt: input.generatedAt,
    workflowId: input.workflowId,
    health,
    agents: input.reports,
    priorities: tasks.slice(0, TOP_PRIORITIES),
    tasks,
    alerts,
    dataNotes,
    // Each risk carries the alerts it explains: they are shown under it, once.
    risks: foldAlerts(
      risk.findings,
      alerts,
      Object.fromEntries(rules.map((r) => [r.id, r.explains ?? []])),
    ),
    unevaluatedRisks: risk.unevaluated,
    keyMetrics: keyMetrics(input.reports, history, input.briefingDate),
    scoring: {
      energy: input.energy,
      energySource: input.energySource ?? 'default',
      goals: input.goals,
      weights,
    },
  };
  const briefing = { ...core, changes: changesSince(core, input.previous) };
  return Briefing.parse({ ...briefing, markdown: renderMarkdown(briefing) });
}

/** One line per reason, naming the rules it stopped: a failed agent stops several. */
export function unevaluatedNotes(
  unevaluated: readonly { title: string; reason: string }[],
): string[] {
  const byReason = new Map<string, string[]>();
  for (const u of unevaluated) byReason.set(u.reason, [...(byReason.get(u.reason) ?? []), u.title]);
  return [...byReason].map(([reason, titles]) =>
    titles.length === 1
      ? `Risk not evaluated: ${titles[0]}: ${reason}.`
      : `${titles.length} risks not evaluated (${reason}): ${titles.join('; ')}.`,
  );
}

/**
 * "Finance data is from 14:02 yesterday (stripe cache, 18h old)", "Finance data is stale,
 * from 12:00 on 2026-11-24 (2d old): Stripe API timed out" and "Sales failed and has no
 * earlier report to fall back on"; undefined for fresh data. Times are the data's own
 * (`dataAsOf`) in the company's time zone, relative to the briefing's day.
 */
export function dataNote(
  r: AgentReport,
  at: { briefingDate: string; timeZone?: string },
): string | undefined {
  const title = AGENT_TITLES[r.agent];
  const age = dataAgeHours(r);
  const from = () => dataTime(r.dataAsOf, at.briefingDate, at.timeZone ?? 'UTC');
  if (r.status === 'ok' && r.cacheAgeMs !== undefined && r.source && age !== undefined) {
    return `${title} data is from ${from()} (${r.source} cache, ${formatAge(age)} old)`;
  }
  const breaker = r.breaker === 'open' && r.source ? ` [${r.source} circuit breaker open]` : '';
  const why = `${r.error ? `: ${r.error}` : ''}${breaker}`;
  if (r.status === 'stale') {
    return `${title} data is stale, from ${from()} (${formatAge(age ?? 0)} old)${why}`;
  }
  if (r.status === 'failed')
    return `${title} failed and has no earlier report to fall back on${why}`;
  return undefined;
}
