/**
 * Reading an agent's stored history: "the previous period's figure" for a metric.
 * Pure: the snapshots come in through AgentContext.history.
 */
import type { MetricSnapshot } from '../contract/report.js';

/** Whole days from `from` to `to` (YYYY-MM-DD); negative when `to` is earlier. */
function days(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The newest stored value of `metric` on or before `date`, when it is at most
 * `maxAgeDays` older than `date` (a figure from long before the period is no
 * comparison). Undefined when there is none; null when it was stored as null.
 */
export function valueAsOf(
  history: readonly MetricSnapshot[],
  metric: string,
  date: string,
  maxAgeDays = 7,
): { date: string; value: number | null } | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const snap = history[i]!;
    if (snap.date > date) continue;
    if (days(snap.date, date) > maxAgeDays) return undefined;
    if (metric in snap.metrics) return { date: snap.date, value: snap.metrics[metric] ?? null };
  }
  return undefined;
}

/** The value `daysAgo` days before `today` (within `maxAgeDays` of that day), e.g. 30 for month over month. */
export function valueDaysAgo(
  history: readonly MetricSnapshot[],
  metric: string,
  today: string,
  daysAgo: number,
  maxAgeDays = 7,
): number | null | undefined {
  const target = new Date(Date.parse(`${today}T00:00:00Z`) - daysAgo * 86_400_000)
    .toISOString()
    .slice(0, 10);
  return valueAsOf(history, metric, target, maxAgeDays)?.value;
}

/** The most recent stored value before today (the last briefing's), if any. */
export function previousValue(
  history: readonly MetricSnapshot[],
  metric: string,
): number | null | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const m = history[i]!.metrics;
    if (metric in m) return m[metric] ?? null;
  }
  return undefined;
}

/** The series of `metric`, oldest first, skipping days where it was not stored. */
export function series(
  history: readonly MetricSnapshot[],
  metric: string,
): { date: string; value: number | null }[] {
  return history
    .filter((s) => metric in s.metrics)
    .map((s) => ({ date: s.date, value: s.metrics[metric] ?? null }));
}
