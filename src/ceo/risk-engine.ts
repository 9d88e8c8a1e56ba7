/**
 * Cross-functional risks: small declarative rules over the six reports (and their
 * history), each naming the metrics it needs. The engine reads those metrics for the
 * rule, records them as evidence, and says so when a rule cannot be evaluated because
 * an agent failed or did not report what the rule needs, instead of passing silently.
 *
 * What can be decided is decided: a rule runs even when a needed metric is missing
 * (it reads as NaN), so a condition on the metrics that are there can still rule the
 * risk out (55% booked against a 90% trigger needs no vacation count). Only an outcome
 * that depended on a missing metric (a finding, or a "cannot tell") becomes "not
 * evaluated", with the missing metrics named.
 */
import {
  AGENT_TITLES,
  Task,
  type AgentName,
  type AgentReport,
  type MetricSnapshot,
  type Severity,
  type TaskInput,
} from '../contract/report.js';
import { type RiskEvidence, type RiskFinding, type UnevaluatedRisk } from '../contract/briefing.js';
import { valueDaysAgo } from '../shared/history.js';

/** `agent.metricKey`, e.g. `finance.runwayMonths`. */
export type MetricRef = `${AgentName}.${string}`;

/** The action a finding suggests: a task the priorities can rank (source `ceo`). */
export type RiskAction = Omit<TaskInput, 'source' | 'id'>;

export interface RiskContext {
  reports: Record<AgentName, AgentReport>;
  history: Partial<Record<AgentName, MetricSnapshot[]>>;
  today: string;
  /**
   * The company's currency, for money in messages.
   * @default 'USD'
   */
  currency?: string;
}

/** Reads metrics for one rule, recording each as evidence. */
export interface MetricReader {
  /**
   * A metric the rule declared in `needs`: a number, or NaN when the report lacks it
   * (the agent failed, or the value is null). Every comparison with NaN is false, so
   * write each "not present" exit as a comparison that is false for NaN (`x < t`,
   * never `!(x >= t)` or a boolean computed first and negated): an unknown value then
   * never rules a risk out, and the engine turns whatever the rule returns after
   * reading one into "not evaluated".
   */
  (ref: MetricRef): number;
  /** A metric that may be absent or null (declared in `optional` or not at all). */
  optional(ref: MetricRef): number | null;
  /** The value ~`daysAgo` days before today from the agent's history, or null. */
  past(ref: MetricRef, daysAgo: number): number | null;
}

export interface RiskOutcome {
  severity?: Severity;
  message: string;
  action: RiskAction;
}

/** Returned by a rule whose inputs turned out to be insufficient (e.g. no history yet). */
export interface NotEvaluable {
  notEvaluable: string;
}

export function notEvaluable(reason: string): NotEvaluable {
  return { notEvaluable: reason };
}

export interface RiskRule<T extends Record<string, number> = Record<string, number>> {
  id: string;
  title: string;
  /** Default severity; a rule may raise or lower it per finding. */
  severity: Severity;
  /**
   * Metrics the rule reads with `m(ref)`. When one is missing the rule still runs (it
   * reads NaN) and is "not evaluated" unless what is known rules the risk out.
   */
  needs: MetricRef[];
  /**
   * Alert metrics this risk accounts for beyond the metrics it reads: their alerts are
   * shown under the finding instead of on their own (dedup.ts `foldAlerts`).
   */
  explains?: readonly MetricRef[];
  /** Thresholds with their defaults; overridable per company. */
  thresholds: T;
  /**
   * Returns a finding, null when the risk is not present, or `notEvaluable(reason)` when
   * what it needs beyond `needs` (history, an optional metric) is missing.
   */
  evaluate(m: MetricReader, t: T, ctx: RiskContext): RiskOutcome | NotEvaluable | null;
}

export function defineRisk<T extends Record<string, number>>(rule: RiskRule<T>): RiskRule<T> {
  return rule;
}

function split(ref: MetricRef): [AgentName, string] {
  const i = ref.indexOf('.');
  return [ref.slice(0, i) as AgentName, ref.slice(i + 1)];
}

export interface RiskResults {
  findings: RiskFinding[];
  /** Each finding's suggested action as a candidate priority. */
  actions: Task[];
  unevaluated: UnevaluatedRisk[];
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * Runs every rule. `overrides` maps `ruleId.thresholdName` to a number (from the
 * workspace's ceo.yaml); unknown keys are the caller's to reject.
 */
export function evaluateRisks(
  rules: readonly RiskRule[],
  ctx: RiskContext,
  overrides: Record<string, number> = {},
): RiskResults {
  const findings: RiskFinding[] = [];
  const actions: Task[] = [];
  const unevaluated: UnevaluatedRisk[] = [];
  for (const rule of rules) {
    const missing = whyNotEvaluable(rule, ctx);
    /** Metrics read with `m(ref)` that had no value (NaN was returned). */
    const unknown = new Set<MetricRef>();
    const evidence = new Map<string, RiskEvidence>();
    const note = (agent: AgentName, metric: string, value: number | null, asOf?: string) => {
      const key = asOf ? `${agent}.${metric}@${asOf}` : `${agent}.${metric}`;
      evidence.set(key, {
        agent,
        metric,
        value,
        stale: ctx.reports[agent].status === 'stale',
        ...(asOf ? { asOf } : {}),
      });
    };
    const read = (ref: MetricRef): number | null => {
      const [agent, metric] = split(ref);
      const report = ctx.reports[agent];
      const value = report.status === 'failed' ? null : (report.metrics[metric] ?? null);
      note(agent, metric, value);
      return value;
    };
    const reader = ((ref: MetricRef) => {
      const value = read(ref);
      if (value !== null) return value;
      unknown.add(ref);
      return NaN;
    }) as MetricReader;
    reader.optional = read;
    reader.past = (ref, daysAgo) => {
      const [agent, metric] = split(ref);
      const value = valueDaysAgo(ctx.history[agent] ?? [], metric, ctx.today, daysAgo) ?? null;
      if (value !== null) note(agent, metric, value, `${daysAgo}d ago`);
      return value;
    };
    const thresholds = { ...rule.thresholds };
    for (const k of Object.keys(thresholds)) {
      const o = overrides[`${rule.id}.${k}`];
      if (o !== undefined) (thresholds as Record<string, number>)[k] = o;
    }
    const outcome = rule.evaluate(reader, thresholds, ctx);
    // Ruled out by what is known: silent, whatever the missing metrics would say.
    if (!outcome) continue;
    // A finding needs every metric; a "cannot tell" that read a missing one with `m()`
    // is about that metric. A "cannot tell" from what the rule did see (with `optional`
    // or `past`) keeps the rule's own reason.
    if (unknown.size > 0 || (missing && !('notEvaluable' in outcome))) {
      const reason = missing ?? `no value for ${[...unknown].join(', ')}`;
      unevaluated.push({ id: rule.id, title: rule.title, reason });
      continue;
    }
    if ('notEvaluable' in outcome) {
      unevaluated.push({ id: rule.id, title: rule.title, reason: outcome.notEvaluable });
      continue;
    }
    const ev = [...evidence.values()];
    findings.push({
      id: rule.id,
      title: rule.title,
      severity: outcome.severity ?? rule.severity,
      message: outcome.message,
      evidence: ev,
      action: outcome.action.title,
      basedOnStaleData: ev.some((e) => e.stale),
    });
    actions.push(
      Task.parse({
        ...outcome.action,
        id: `ceo.${rule.id}`,
        source: 'ceo',
        reason: outcome.action.reason || outcome.message,
      }),
    );
  }
  findings.sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.id.localeCompare(b.id),
  );
  return { findings, actions, unevaluated };
}

function whyNotEvaluable(rule: RiskRule, ctx: RiskContext): string | undefined {
  const failed = new Set<AgentName>();
  const absent: string[] = [];
  for (const ref of rule.needs) {
    const [agent, metric] = split(ref);
    const report = ctx.reports[agent];
    if (report.status === 'failed') failed.add(agent);
    else if (report.metrics[metric] === undefined || report.metrics[metric] === null)
      absent.push(ref);
  }
  if (failed.size > 0) {
    return `${[...failed].map((a) => AGENT_TITLES[a]).join(' and ')} data ${failed.size > 1 ? 'are' : 'is'} unavailable (failed)`;
  }
  if (absent.length > 0) return `no value for ${absent.join(', ')}`;
  return undefined;
}

/** Override keys (`ruleId.threshold`) that name no rule or no threshold of it. */
export function unknownOverrides(
  rules: readonly RiskRule[],
  overrides: Record<string, number>,
): string[] {
  const known = new Set(rules.flatMap((r) => Object.keys(r.thresholds).map((t) => `${r.id}.${t}`)));
  return Object.keys(overrides).filter((k) => !known.has(k));
}
