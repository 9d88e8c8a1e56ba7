/**
 * The 30-second head every briefing opens with: the day's top 3 priorities, the risks by
 * severity, and 5-8 key numbers each with its change and trend. Pure; the renderers
 * (Markdown, HTML) only lay it out. It works on a first run too: without history a
 * number's change reads "new" (or "–" without a value) and its trend "–".
 */
import { type Severity, type TaskSource } from '../contract/report.js';
import { type Briefing, type KeyMetric } from '../contract/briefing.js';
import { formatChange, formatValue } from './key-metrics.js';

/** The key numbers the head shows, in order, when their agent reported them. */
export const HEAD_METRICS: readonly string[] = [
  'finance.mrr',
  'finance.netNewMrr',
  'finance.runwayMonths',
  'sales.weightedPipeline',
  'sales.pipelineCoverage',
  'operations.utilization',
  'customer-success.nps',
  'customer-success.atRiskArr',
];
export const HEAD_MIN_NUMBERS = 5;
export const HEAD_MAX_NUMBERS = 8;
export const HEAD_PRIORITIES = 3;
/** How many of the newest points the text sparkline draws. */
export const TREND_POINTS = 14;

export interface HeadPriority {
  rank: number;
  title: string;
  score: number;
  /** Who proposed it: every source of a merged task. */
  sources: TaskSource[];
  reason: string;
}

export interface HeadRisks {
  severity: Severity;
  titles: string[];
}

export type Trend = 'up' | 'down' | 'flat' | 'none';

export interface HeadNumber {
  agent: KeyMetric['agent'];
  key: string;
  label: string;
  /** Formatted in the company's currency and the metric's unit: "$15,000", "9.7 months". */
  value: string;
  /** Since the previous briefing: "+$500", "no change", "new" (first value), "–" (unknown). */
  change: string;
  /** The previous briefing's date, when there is one to compare with. */
  since?: string;
  /** Over the stored series: its last value against its first. */
  trend: Trend;
  /** A text sparkline of the newest points ("▁▃▅▇"), "–" with fewer than two. */
  spark: string;
  stale: boolean;
}

export interface BriefingHead {
  priorities: HeadPriority[];
  /** Most severe first; severities without a risk are left out. */
  risks: HeadRisks[];
  /** Risk rules that could not run (their reasons are in the data notes). */
  notEvaluated: number;
  numbers: HeadNumber[];
}

type HeadInput = Pick<
  Briefing,
  'priorities' | 'tasks' | 'risks' | 'unevaluatedRisks' | 'keyMetrics' | 'currency'
>;

const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info'];

export function briefingHead(b: HeadInput): BriefingHead {
  const top = (b.priorities.length > 0 ? b.priorities : b.tasks).slice(0, HEAD_PRIORITIES);
  return {
    priorities: top.map((t) => ({
      rank: t.rank,
      title: t.title,
      score: t.score,
      sources: t.sources ?? [t.source],
      reason: t.reason,
    })),
    risks: SEVERITIES.map((severity) => ({
      severity,
      titles: b.risks.filter((r) => r.severity === severity).map((r) => r.title),
    })).filter((r) => r.titles.length > 0),
    notEvaluated: b.unevaluatedRisks.length,
    numbers: headMetrics(b.keyMetrics).map((m) => headNumber(m, b.currency)),
  };
}

/**
 * The head's metrics: those of HEAD_METRICS that are there (at most 8), topped up from
 * the other key metrics in their order to at least 5 when agents failed.
 */
export function headMetrics(metrics: readonly KeyMetric[]): KeyMetric[] {
  const ref = (m: KeyMetric) => `${m.agent}.${m.key}`;
  const chosen = HEAD_METRICS.map((r) => metrics.find((m) => ref(m) === r)).filter(
    (m): m is KeyMetric => m !== undefined,
  );
  for (const m of metrics) {
    if (chosen.length >= HEAD_MIN_NUMBERS) break;
    if (!chosen.includes(m)) chosen.push(m);
  }
  return chosen.slice(0, HEAD_MAX_NUMBERS);
}

export function headNumber(m: KeyMetric, currency?: string): HeadNumber {
  const change =
    m.change !== undefined
      ? formatChange(m, currency)
      : m.value !== null && (m.previousDate === undefined || m.previous === null)
        ? 'new'
        : '–';
  return {
    agent: m.agent,
    key: m.key,
    label: m.label,
    value: formatValue(m.value, m.unit, currency),
    change,
    ...(m.change !== undefined && m.previousDate ? { since: m.previousDate } : {}),
    trend: trendOf(m.series),
    spark: textSparkline(m.series),
    stale: m.stale,
  };
}

/**
 * The last of the newest `points` values against the first of them (nulls skipped):
 * the same window the sparkline beside it draws. 'none' with fewer than two.
 */
export function trendOf(series: KeyMetric['series'], points = TREND_POINTS): Trend {
  const values = series
    .map((p) => p.value)
    .filter((v): v is number => v !== null)
    .slice(-points);
  if (values.length < 2) return 'none';
  const first = values[0]!;
  const last = values.at(-1)!;
  // Half a percent of the figure (or 0.005 near zero) is noise, not a trend.
  const noise = Math.max(Math.abs(first), Math.abs(last)) * 0.005 || 0.005;
  if (Math.abs(last - first) <= noise) return 'flat';
  return last > first ? 'up' : 'down';
}

const BARS = '▁▂▃▄▅▆▇█';

/** "▁▃▅▇" from the newest TREND_POINTS values, low to high; "–" with fewer than two. */
export function textSparkline(series: KeyMetric['series'], points = TREND_POINTS): string {
  const values = series
    .map((p) => p.value)
    .filter((v): v is number => v !== null)
    .slice(-points);
  if (values.length < 2) return '–';
  const min = Math.min(...values);
  const span = Math.max(...values) - min;
  return values
    .map((v) => BARS[span === 0 ? 3 : Math.round(((v - min) / span) * (BARS.length - 1))])
    .join('');
}

export const TREND_ARROW: Record<Trend, string> = { up: '↑', down: '↓', flat: '→', none: '' };
