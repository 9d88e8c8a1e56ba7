/** @jsxImportSource hono/jsx */
/**
 * Trends: each agent's key metrics over the stored history (metric_points), in a chosen
 * period ending on the newest stored day, each chart beside its definition from
 * docs/metrics.md; finance adds the MRR movements by month, sales the pipeline by stage.
 */
import type { FC } from 'hono/jsx';
import { raw } from 'hono/html';
import { METRIC_CATALOG, metricInfo } from '../../ceo/metric-catalog.js';
import {
  AGENT_NAMES,
  AGENT_TITLES,
  type AgentName,
  type MetricSnapshot,
} from '../../contract/report.js';
import { OPEN_STAGES } from '../../contract/datasets/sales.js';
import { addDays } from '../../shared/dates.js';
import type { Repository } from '../../store/repository.js';
import { BarChart, LineChart, StackedBarChart } from '../charts/index.js';
import { metricDoc, type MetricDocs } from '../metric-docs.js';
import { metricAnchor, PERIOD_DAYS, PERIOD_LABELS, PERIODS, urls, type Period } from '../urls.js';
import { Layout, Notice, type PageFrame } from './layout.js';

/** The metrics charted for each agent: the catalog's, in its order. */
export const TREND_METRICS: Readonly<Record<AgentName, readonly string[]>> = Object.fromEntries(
  AGENT_NAMES.map((agent) => [
    agent,
    Object.keys(METRIC_CATALOG)
      .filter((k) => k.startsWith(`${agent}.`))
      .map((k) => k.slice(agent.length + 1)),
  ]),
) as unknown as Record<AgentName, readonly string[]>;

/** The month-to-date movements (finance): up from new, expansion, reactivation; down from contraction, churn. */
export const MRR_MOVEMENTS = [
  { key: 'mrrNew', label: 'New', sign: 1 },
  { key: 'mrrExpansion', label: 'Expansion', sign: 1 },
  { key: 'mrrReactivation', label: 'Reactivation', sign: 1 },
  { key: 'mrrContraction', label: 'Contraction', sign: -1 },
  { key: 'mrrChurn', label: 'Churn', sign: -1 },
] as const;

export interface TrendData {
  /** The newest stored day (the period ends there); undefined without history. */
  last: string | undefined;
  since: string | undefined;
  /** Each charted metric's stored points in the period, oldest first. */
  series: Record<string, { date: string; value: number | null }[]>;
  /** How many days in the period have stored figures. */
  days: number;
  /** Every figure of the newest day (the by-stage breakdowns). */
  latest: MetricSnapshot | undefined;
}

export async function trendData(
  repo: Pick<Repository, 'metricHistory' | 'metricSeries' | 'historySpan'>,
  companyId: string,
  agent: AgentName,
  period: Period,
  _now: Date,
): Promise<TrendData> {
  const span = await repo.historySpan(companyId);
  if (!span) return { last: undefined, since: undefined, series: {}, days: 0, latest: undefined };
  const days = PERIOD_DAYS[period];
  const since = days === undefined ? span.first : addDays(span.last, -(days - 1));
  const metrics = [
    ...TREND_METRICS[agent],
    ...(agent === 'finance' ? MRR_MOVEMENTS.map((m) => m.key) : []),
  ];
  const [series, latest] = await Promise.all([
    repo.metricSeries(companyId, agent, { metrics, since }),
    agent === 'sales'
      ? repo.metricHistory(companyId, agent, { since: span.last })
      : Promise.resolve([]),
  ]);
  const storedDays = new Set(Object.values(series).flatMap((points) => points.map((p) => p.date)))
    .size;
  return { last: span.last, since, series, days: storedDays, latest: latest.at(-1) };
}

/** The most points a chart draws: a year of days is thinned to its weeks. @default 120 */
export const MAX_CHART_POINTS = 120;

/**
 * The series as drawn: as stored when it has at most `max` points; else each week's
 * last point (weeks from Monday), else each month's. The newest point is always there.
 */
export function thinSeries<P extends { date: string }>(
  points: readonly P[],
  max = MAX_CHART_POINTS,
): { points: P[]; step: 'day' | 'week' | 'month' } {
  if (points.length <= max) return { points: [...points], step: 'day' };
  const weekOf = (date: string) => {
    const d = new Date(`${date}T00:00:00Z`);
    return addDays(date, -((d.getUTCDay() + 6) % 7));
  };
  const lastOf = (key: (date: string) => string) => {
    const byKey = new Map<string, P>();
    for (const p of points) byKey.set(key(p.date), p);
    return [...byKey.values()];
  };
  const weekly = lastOf(weekOf);
  if (weekly.length <= max) return { points: weekly, step: 'week' };
  return { points: lastOf((d) => d.slice(0, 7)), step: 'month' };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The series as daily snapshots (what the monthly movements read). */
export function snapshotsOf(series: TrendData['series']): MetricSnapshot[] {
  const byDate = new Map<string, MetricSnapshot>();
  for (const [metric, points] of Object.entries(series))
    for (const p of points) {
      let snap = byDate.get(p.date);
      if (!snap) byDate.set(p.date, (snap = { date: p.date, metrics: {} }));
      snap.metrics[metric] = p.value;
    }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** Each month's movements as of its last stored day (the current month: to date). */
export function monthlyMovements(snapshots: readonly MetricSnapshot[]) {
  const lastOfMonth = new Map<string, MetricSnapshot>();
  for (const s of snapshots)
    if (MRR_MOVEMENTS.some((m) => typeof s.metrics[m.key] === 'number'))
      lastOfMonth.set(s.date.slice(0, 7), s);
  return [...lastOfMonth].map(([month, s]) => ({
    label: `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`,
    values: Object.fromEntries(MRR_MOVEMENTS.map((m) => [m.key, m.sign * (s.metrics[m.key] ?? 0)])),
  }));
}

/** The newest day's `<family>.<stage>` figures, in the pipeline's stage order. */
export function byStage(latest: MetricSnapshot | undefined, family: string) {
  if (!latest) return [];
  const stages = Object.keys(latest.metrics)
    .filter((k) => k.startsWith(`${family}.`))
    .map((k) => k.slice(family.length + 1));
  const order = (s: string) => {
    const i = (OPEN_STAGES as readonly string[]).indexOf(s);
    return i < 0 ? OPEN_STAGES.length : i;
  };
  stages.sort((a, b) => order(a) - order(b) || a.localeCompare(b));
  return stages.map((s) => ({ label: s, value: latest.metrics[`${family}.${s}`] ?? 0 }));
}

const Definition: FC<{ docs: MetricDocs; agent: AgentName; metric: string; of?: string }> = (p) => {
  const doc = metricDoc(p.docs, p.agent, p.metric);
  return (
    <aside class="definition card" aria-label={`Definition of ${p.of ?? `${p.agent}.${p.metric}`}`}>
      <div class="muted">
        <code>
          {p.agent}.{p.metric}
        </code>
        {doc ? ` · ${doc.unit} · ${doc.period}` : ''}
      </div>
      {/* Our own docs/metrics.md, rendered by marked: trusted text, not data. */}
      {doc ? (
        <p>{raw(doc.definitionHtml)}</p>
      ) : (
        <p class="muted">Not defined in docs/metrics.md.</p>
      )}
    </aside>
  );
};

export interface TrendsProps extends PageFrame {
  company: { id: string; name: string };
  agent: AgentName;
  period: Period;
  data: TrendData;
  currency: string;
  docs: MetricDocs;
}

export const TrendsPage: FC<TrendsProps> = (p) => {
  const { agent, data } = p;
  const charted = TREND_METRICS[agent].map((key) => ({
    key,
    ...thinSeries(data.series[key] ?? []),
  }));
  const thinned = charted.find((m) => m.step !== 'day')?.step;
  const shown = charted.filter((m) => m.points.length > 0);
  const missing = charted.filter((m) => m.points.length === 0);
  const movements = agent === 'finance' ? monthlyMovements(snapshotsOf(data.series)) : [];
  const pipeline = agent === 'sales' ? byStage(data.latest, 'valueByStage') : [];
  const dealCounts = agent === 'sales' ? byStage(data.latest, 'dealsByStage') : [];
  return (
    <Layout
      {...p}
      title={`${AGENT_TITLES[agent]} trends: ${p.company.name}`}
      company={p.company}
      section="trends"
    >
      <h1>Trends: {AGENT_TITLES[agent]}</h1>
      <nav aria-label="Departments">
        <ul class="agents">
          {AGENT_NAMES.map((a) => (
            <li>
              <a
                href={urls.trends(p.company.id, a, p.period)}
                {...(a === agent ? { 'aria-current': 'page' as const } : {})}
              >
                {AGENT_TITLES[a]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="toolbar">
        <nav aria-label="Period">
          <ul class="periods">
            {PERIODS.map((period) => (
              <li>
                <a
                  href={urls.trends(p.company.id, agent, period)}
                  {...(period === p.period ? { 'aria-current': 'page' as const } : {})}
                >
                  {PERIOD_LABELS[period]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="muted">
          {data.last ? `${data.since} to ${data.last}, ${data.days} stored days` : ''}
          {thinned ? ` (charts show each ${thinned}'s last value)` : ''}
        </span>
      </div>
      {data.last === undefined ? (
        <Notice>
          No stored history yet: the charts fill in as daily briefings run (or run{' '}
          <code>npx boardroom backfill</code>).
        </Notice>
      ) : null}
      {movements.length > 0 ? (
        <section class="trend-grid" aria-labelledby="mrr-movements">
          <div>
            <h2 id="mrr-movements">MRR movements by month</h2>
            <StackedBarChart
              id="chart-mrr-movements"
              title="MRR movements by month"
              unit="money"
              currency={p.currency}
              parts={MRR_MOVEMENTS.map((m) => ({ key: m.key, label: m.label }))}
              groups={movements}
            />
          </div>
          <Definition docs={p.docs} agent="finance" metric="netNewMrr" of="the MRR movements" />
        </section>
      ) : null}
      {pipeline.length > 0 ? (
        <section class="trend-grid" aria-labelledby="pipeline-by-stage">
          <div>
            <h2 id="pipeline-by-stage">Pipeline by stage ({data.last})</h2>
            <h3>Value by stage (ARR)</h3>
            <BarChart
              id="chart-pipeline-value"
              title="Open pipeline value by stage"
              unit="money"
              currency={p.currency}
              bars={pipeline}
            />
            {dealCounts.length > 0 ? <h3>Open deals by stage</h3> : null}
            {dealCounts.length > 0 ? (
              <BarChart
                id="chart-pipeline-deals"
                title="Open deals by stage"
                unit="count"
                currency={p.currency}
                bars={dealCounts}
              />
            ) : null}
          </div>
          <Definition docs={p.docs} agent="sales" metric="valueByStage.<stage>" />
        </section>
      ) : null}
      {shown.map((m) => {
        const info = metricInfo(agent, m.key);
        const anchor = metricAnchor(m.key);
        return (
          <section class="trend-grid" id={anchor} aria-labelledby={`${anchor}-h`}>
            <div>
              <h2 id={`${anchor}-h`}>{info.label}</h2>
              <LineChart
                id={`chart-${anchor}`}
                title={info.label}
                unit={info.unit}
                currency={p.currency}
                points={m.points}
              />
            </div>
            <Definition docs={p.docs} agent={agent} metric={m.key} />
          </section>
        );
      })}
      {data.last !== undefined && missing.length > 0 ? (
        <p class="muted">
          No stored values in this period:{' '}
          {missing.map((m) => metricInfo(agent, m.key).label).join(', ')}.
        </p>
      ) : null}
    </Layout>
  );
};
