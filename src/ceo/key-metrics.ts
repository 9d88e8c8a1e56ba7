/**
 * The figures a briefing leads with, each with its change since the last briefing and
 * its stored history (from Postgres, passed in): pure.
 */
import { formatUnits } from '../shared/money.js';
import { formatNumber } from '../shared/numbers.js';
import { type AgentName, type AgentReport, type MetricSnapshot } from '../contract/report.js';
import { type KeyMetric, type MetricUnit } from '../contract/briefing.js';

export interface KeyMetricSpec {
  agent: AgentName;
  key: string;
  label: string;
  unit: MetricUnit;
}

/** In briefing order. A metric an agent does not report is left out. */
export const KEY_METRICS: KeyMetricSpec[] = [
  { agent: 'finance', key: 'mrr', label: 'MRR', unit: 'money' },
  { agent: 'finance', key: 'arr', label: 'ARR', unit: 'money' },
  { agent: 'finance', key: 'netNewMrr', label: 'Net new MRR', unit: 'money' },
  { agent: 'finance', key: 'customers', label: 'Paying customers', unit: 'count' },
  { agent: 'finance', key: 'runwayMonths', label: 'Runway', unit: 'months' },
  { agent: 'finance', key: 'netBurn', label: 'Net burn', unit: 'money' },
  { agent: 'sales', key: 'openDeals', label: 'Open deals', unit: 'count' },
  { agent: 'sales', key: 'weightedPipeline', label: 'Weighted pipeline', unit: 'money' },
  { agent: 'sales', key: 'pipelineCoverage', label: 'Pipeline coverage', unit: 'ratio' },
  { agent: 'operations', key: 'activeProjects', label: 'Active projects', unit: 'count' },
  { agent: 'operations', key: 'utilization', label: 'Team utilization', unit: 'percent' },
  { agent: 'marketing', key: 'leads', label: 'Leads', unit: 'count' },
  { agent: 'marketing', key: 'cac', label: 'CAC', unit: 'money' },
  { agent: 'hr', key: 'headcount', label: 'Headcount', unit: 'count' },
  { agent: 'hr', key: 'openRoles', label: 'Open roles', unit: 'count' },
  { agent: 'customer-success', key: 'nps', label: 'NPS', unit: 'score' },
  { agent: 'customer-success', key: 'atRiskArr', label: 'At-risk ARR', unit: 'money' },
];

/** How many stored days a sparkline shows at most. */
export const SERIES_POINTS = 30;

const round2 = (n: number) => Math.round(n * 100) / 100;

export function keyMetrics(
  reports: Record<AgentName, AgentReport>,
  history: Partial<Record<AgentName, MetricSnapshot[]>>,
  today: string,
  specs: KeyMetricSpec[] = KEY_METRICS,
): KeyMetric[] {
  const out: KeyMetric[] = [];
  for (const spec of specs) {
    const report = reports[spec.agent];
    if (report.status === 'failed' || !(spec.key in report.metrics)) continue;
    const value = report.metrics[spec.key] ?? null;
    const past = (history[spec.agent] ?? []).filter((s) => s.date < today && spec.key in s.metrics);
    const last = past.at(-1);
    const previous = last ? (last.metrics[spec.key] ?? null) : undefined;
    out.push({
      ...spec,
      value,
      stale: report.status === 'stale',
      ...(last ? { previous, previousDate: last.date } : {}),
      ...(value !== null && typeof previous === 'number'
        ? { change: round2(value - previous) }
        : {}),
      series: [
        ...past
          .slice(-(SERIES_POINTS - 1))
          .map((s) => ({ date: s.date, value: s.metrics[spec.key] ?? null })),
        { date: today, value },
      ],
    });
  }
  return out;
}

/** For people: "$15,000", "45", "10.5 months", "96.3%", "3.2x". */
export function formatValue(
  value: number | null | undefined,
  unit: MetricUnit,
  currency?: string,
): string {
  if (value === null || value === undefined) return 'n/a';
  const n = (digits: number) => formatNumber(Math.abs(value), digits);
  const sign = value < 0 ? '-' : '';
  switch (unit) {
    case 'money':
      return formatUnits(value, currency);
    case 'percent':
      return `${sign}${n(1)}%`;
    case 'months':
      return `${sign}${n(1)} months`;
    case 'days':
      return `${sign}${n(0)} days`;
    case 'hours':
      return `${sign}${n(0)}h`;
    case 'ratio':
      return `${sign}${n(2)}x`;
    default:
      return `${sign}${n(1)}`;
  }
}

/** "+$1,200", "-3", "+2.5 pts" for percentages; "" without a change. */
export function formatChange(m: KeyMetric, currency?: string): string {
  if (m.change === undefined) return '';
  if (m.change === 0) return 'no change';
  const sign = m.change > 0 ? '+' : '-';
  const abs = Math.abs(m.change);
  if (m.unit === 'percent') return `${sign}${formatNumber(abs, 1)} pts`;
  return `${sign}${formatValue(abs, m.unit, currency)}`;
}
