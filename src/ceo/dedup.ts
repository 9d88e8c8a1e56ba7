/**
 * Say each thing once. The briefing gathers what six agents, the founder's list and the
 * risk rules say, and they overlap: the founder and sales both ask to close the Acme
 * deal, finance and customer success both chase Yellowtail, a risk and an alert both
 * report the team at 96% utilization. These rules merge and fold the overlaps. Pure.
 *
 * - Tasks with the same title (ignoring case and spacing) or the same subject (a deal,
 *   an account, a project: `Task.subject`) are one task. The founder's own task wins
 *   (their stated factors beat derived ones), else the best-ranked; the merged task
 *   lists every source and the tasks it absorbed.
 * - An alert on a metric a risk used as evidence (or declared in `explains`) is folded
 *   under the first (most severe) such risk and not listed again on its own.
 * - A department's "why" names its alerts by metric instead of repeating the first
 *   alert's sentence, which the alert list already holds.
 */
import { type AgentName, type AgentReport, type Alert, type Severity } from '../contract/report.js';
import { type RiskFinding, type ScoredTask } from '../contract/briefing.js';
import { metricInfo } from './metric-catalog.js';

const normalTitle = (title: string) => title.toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * Merges ranked tasks about the same title or subject (see above) and numbers the
 * result 1..n again. The input is ranked best first; so is the output.
 */
export function mergeTasks(ranked: readonly ScoredTask[]): ScoredTask[] {
  // Union-find over the tasks: two tasks sharing a title or a subject are one group.
  const parent = ranked.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const firstWith = new Map<string, number>();
  ranked.forEach((t, i) => {
    for (const key of [`title:${normalTitle(t.title)}`, t.subject && `subject:${t.subject}`]) {
      if (!key) continue;
      const seen = firstWith.get(key);
      if (seen === undefined) firstWith.set(key, i);
      else parent[find(i)] = find(seen);
    }
  });
  const groups = new Map<number, ScoredTask[]>();
  ranked.forEach((t, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), t]));

  const winners = new Map<ScoredTask, ScoredTask>();
  for (const members of groups.values()) {
    const founder = members.find((t) => t.source === 'founder');
    const winner = founder ?? members[0]!;
    if (members.length === 1) {
      winners.set(winner, winner);
      continue;
    }
    const others = members.filter((t) => t !== winner);
    const subject = winner.subject ?? others.find((t) => t.subject)?.subject;
    winners.set(winner, {
      ...winner,
      ...(subject ? { subject } : {}),
      sources: [...new Set([winner.source, ...others.map((t) => t.source)])],
      merged: others.map((t) => ({ id: t.id, title: t.title, source: t.source })),
    });
  }
  return ranked.filter((t) => winners.has(t)).map((t, i) => ({ ...winners.get(t)!, rank: i + 1 }));
}

/** How an alert is named across the briefing: `agent:alertId:metric` (unique per report). */
export function alertKey(a: Pick<Alert, 'id' | 'metric'> & { agent: AgentName }): string {
  return `${a.agent}:${a.id}:${a.metric}`;
}

type BriefingAlert = Alert & { agent: AgentName };

/**
 * Each finding with `alerts`: the keys of the alerts it explains. An alert explained by
 * several risks goes under the first of `findings` (they come most severe first).
 * `explains` gives, per risk id, alert metrics (`agent.key`) a rule accounts for beyond
 * its evidence (the capacity risk explains operations' utilization alert).
 */
export function foldAlerts(
  findings: readonly RiskFinding[],
  alerts: readonly BriefingAlert[],
  explains: Readonly<Record<string, readonly string[]>> = {},
): RiskFinding[] {
  const taken = new Set<string>();
  return findings.map((f) => {
    const refs = new Set([
      ...f.evidence.map((e) => `${e.agent}.${e.metric}`),
      ...(explains[f.id] ?? []),
    ]);
    const folded = alerts
      .filter((a) => refs.has(`${a.agent}.${a.metric}`) && !taken.has(alertKey(a)))
      .map(alertKey);
    for (const k of folded) taken.add(k);
    const { alerts: _old, ...rest } = f;
    return folded.length > 0 ? { ...rest, alerts: folded } : rest;
  });
}

/** The alerts no risk explains, in their order. */
export function unfoldedAlerts<T extends BriefingAlert>(
  alerts: readonly T[],
  findings: readonly Pick<RiskFinding, 'alerts'>[],
): T[] {
  const folded = new Set(findings.flatMap((f) => f.alerts ?? []));
  return alerts.filter((a) => !folded.has(alertKey(a)));
}

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'warning', 'info'];

/** "1 critical, 2 warnings", most severe first. */
export function severityCounts(alerts: readonly Pick<Alert, 'severity'>[]): string {
  return SEVERITY_ORDER.map((s) => [s, alerts.filter((a) => a.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n > 1 && s === 'warning' ? 's' : ''}`)
    .join(', ');
}

/**
 * Why a department's health is what it is, without repeating an alert's sentence: with
 * alerts, their count and what they are about ("2 warnings: runway, gross MRR churn
 * this month"); without, the agent's own line ("Finance within thresholds: ...").
 */
export function departmentWhy(report: AgentReport): string {
  if (report.status === 'failed') return report.healthReason;
  const alerts = report.alerts;
  if (alerts.length === 0) return report.healthReason;
  const sorted = SEVERITY_ORDER.flatMap((s) => alerts.filter((a) => a.severity === s));
  const topics = [...new Set(sorted.map((a) => alertTopic(report.agent, a)))];
  return `${severityCounts(alerts)}: ${topics.join(', ')}`;
}

/** What an alert is about, in a few words: its metric's label, lower-cased. */
export function alertTopic(agent: AgentName, a: Pick<Alert, 'metric'>): string {
  // Per-channel metrics (`spend.paid_social`) name the channel.
  const channel = /^spend\.(.+)$/.exec(a.metric);
  if (channel) return `${channel[1]} spend`;
  const label = metricInfo(agent, a.metric).label;
  return /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
}

/**
 * The alerts about each task's subject (`Alert.subject` = `Task.subject`), for the tasks
 * given: the task is what to do about them, so they are shown under it. Alerts already
 * folded under a risk stay there; each alert goes to the first task about it.
 */
export function alertsUnderTasks<T extends BriefingAlert>(
  tasks: readonly Pick<ScoredTask, 'id' | 'subject'>[],
  alerts: readonly T[],
  findings: readonly Pick<RiskFinding, 'alerts'>[] = [],
): Map<string, T[]> {
  const free = unfoldedAlerts(alerts, findings);
  const taken = new Set<T>();
  const out = new Map<string, T[]>();
  for (const t of tasks) {
    if (!t.subject) continue;
    const mine = free.filter((a) => a.subject === t.subject && !taken.has(a));
    for (const a of mine) taken.add(a);
    if (mine.length > 0) out.set(t.id, mine);
  }
  return out;
}
