/**
 * Every address of the web app, in one place: the pages link to each other through
 * these, and the tests and the benchmark walk the same list.
 */
import type { AgentName } from '../contract/report.js';
import { briefingPath } from '../shared/web-paths.js';

const enc = encodeURIComponent;

/** The periods a trend page can show; `all` is the whole stored history. */
export const PERIODS = ['30d', '90d', '1y', 'all'] as const;
export type Period = (typeof PERIODS)[number];
/** @default 90 days: a quarter, long enough to see a trend, short enough to read a day. */
export const DEFAULT_PERIOD: Period = '90d';
export const PERIOD_DAYS: Record<Period, number | undefined> = {
  '30d': 30,
  '90d': 90,
  '1y': 365,
  all: undefined,
};
export const PERIOD_LABELS: Record<Period, string> = {
  '30d': '30 days',
  '90d': '90 days',
  '1y': 'A year',
  all: 'All',
};

export interface HistoryQuery {
  from?: string | undefined;
  to?: string | undefined;
  outcome?: 'complete' | 'degraded' | undefined;
  page?: number | undefined;
}

export const urls = {
  today: () => '/',
  login: (next?: string) => (next && next !== '/' ? `/login?next=${enc(next)}` : '/login'),
  logout: () => '/logout',
  company: (companyId: string) => `/companies/${enc(companyId)}`,
  briefing: briefingPath,
  risk: (companyId: string, date: string, riskId: string) =>
    `/companies/${enc(companyId)}/briefings/${enc(date)}/risks/${enc(riskId)}`,
  trends: (companyId: string, agent?: AgentName, period?: Period) =>
    `/companies/${enc(companyId)}/trends${agent ? `/${enc(agent)}` : ''}${period && period !== DEFAULT_PERIOD ? `?period=${period}` : ''}`,
  /** A metric's chart on its agent's trend page. */
  metric: (companyId: string, agent: AgentName, key: string, period?: Period) =>
    `${urls.trends(companyId, agent, period)}#${metricAnchor(key)}`,
  history: (companyId: string, q: HistoryQuery = {}) => {
    const params = new URLSearchParams();
    if (q.from) params.set('from', q.from);
    if (q.to) params.set('to', q.to);
    if (q.outcome) params.set('outcome', q.outcome);
    if (q.page && q.page > 1) params.set('page', String(q.page));
    const query = params.toString();
    return `/companies/${enc(companyId)}/history${query ? `?${query}` : ''}`;
  },
  runs: (companyId: string) => `/companies/${enc(companyId)}/runs`,
  /** POST: start a briefing now. */
  runNow: (companyId: string) => `/companies/${enc(companyId)}/runs`,
  asset: (name: string) => `/assets/${name}`,
};

/** The id of a metric's chart on its trend page: keys may hold dots (`valueByStage.won`). */
export function metricAnchor(key: string): string {
  return `metric-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}
