/** @jsxImportSource hono/jsx */
/**
 * Today: with more than one company, the portfolio first (totals per currency, what went
 * wrong today, every company's line, the risks across companies: the same HTML as
 * `boardroom portfolio --format html`); then each company's newest briefing with its
 * 30-second head (the top priorities, the risks by severity, the key numbers), and the
 * companies that have none yet.
 */
import type { FC } from 'hono/jsx';
import { raw } from 'hono/html';
import { briefingHead } from '../../ceo/head.js';
import { composePortfolio, type PortfolioInput } from '../../ceo/portfolio.js';
import { renderPortfolioHtml } from '../../ceo/render-portfolio.js';
import type { Portfolio } from '../../contract/portfolio.js';
import { overviewHead, type BriefingOverview, type Repository } from '../../store/repository.js';
import { calendarDate } from '../../shared/time-zone.js';
import { urls } from '../urls.js';
import { Layout, Notice, type PageFrame } from './layout.js';

export interface TodayProps extends PageFrame {
  briefings: BriefingOverview[];
  /** Companies known to the app without a briefing yet. */
  waiting: { id: string; name: string }[];
  /** Shown above the companies' cards when there is more than one company. */
  portfolio?: Portfolio | undefined;
}

/**
 * The portfolio of the companies' newest heads at `now`: UTC's day, as `boardroom
 * portfolio`'s, and each served company's own day in its zone. The companies the app
 * serves are listed as never briefed when they have no briefing. A head stored before it
 * kept the cash balance costs one full read of that briefing; the others none.
 */
export async function todayPortfolio(
  briefings: readonly BriefingOverview[],
  opts: {
    now: Date;
    companies: readonly { id: string; timeZone?: string | undefined }[];
    repo: Pick<Repository, 'latestBriefing'>;
  },
): Promise<Portfolio> {
  const inputs = await Promise.all(
    briefings.map(async (o): Promise<PortfolioInput> => {
      if (o.head.cash !== undefined) return o;
      const full = await opts.repo.latestBriefing(o.companyId);
      // Newer than the overview (a run finished in between): its cash would be of another day.
      if (!full || full.id !== o.id) return o;
      return { ...o, head: { ...o.head, cash: overviewHead(full.briefing).cash } };
    }),
  );
  return composePortfolio(inputs, {
    date: calendarDate(opts.now, 'UTC'),
    expected: opts.companies.map((k) => k.id),
    companyDates: Object.fromEntries(
      opts.companies.map((k) => [k.id, calendarDate(opts.now, k.timeZone ?? 'UTC')]),
    ),
  });
}

export function healthClass(h: number): string {
  return h >= 80 ? 'good' : h >= 60 ? 'fair' : 'poor';
}

const CompanyCard: FC<{ o: BriefingOverview }> = ({ o }) => {
  const head = briefingHead(o.head);
  return (
    <section class="card company-card" aria-labelledby={`c-${o.companyId}`}>
      <h2 id={`c-${o.companyId}`}>
        <a href={urls.briefing(o.companyId, o.briefingDate)}>{o.head.companyName}</a>
      </h2>
      <p class="muted">
        {o.briefingDate} · health{' '}
        <strong class={`health ${healthClass(o.health)}`}>{Math.round(o.health)}</strong>/100 ·{' '}
        {o.outcome}
        {o.staleAgents.length > 0 ? ` (stale: ${o.staleAgents.join(', ')})` : ''}
        {o.failedAgents.length > 0 ? ` (failed: ${o.failedAgents.join(', ')})` : ''}
      </p>
      <h3>Top priorities</h3>
      {head.priorities.length === 0 ? (
        <p class="muted">No candidate tasks.</p>
      ) : (
        <ol>
          {head.priorities.map((t) => (
            <li>
              {t.title} <span class="muted">({t.score})</span>
            </li>
          ))}
        </ol>
      )}
      <h3>Risks</h3>
      {head.risks.length === 0 ? (
        <p class="muted">No cross-functional risk found.</p>
      ) : (
        <ul class="sev">
          {head.risks.map((r) => (
            <li>
              <span
                class={`badge ${r.severity === 'critical' ? 'crit' : r.severity === 'warning' ? 'warn' : 'info'}`}
              >
                {r.severity}
              </span>
              {r.titles.join(' · ')}
            </li>
          ))}
        </ul>
      )}
      <h3>Key numbers</h3>
      <ul class="nums" aria-label="Key numbers">
        {head.numbers.map((n) => (
          <li>
            <a href={urls.metric(o.companyId, n.agent, n.key)}>{n.label}</a>{' '}
            <strong>{n.value}</strong> <span class="muted">{n.change}</span>
          </li>
        ))}
      </ul>
    </section>
  );
};

export const TodayPage: FC<TodayProps> = (p) => (
  <Layout {...p} title="Today" section="today">
    <h1>Today</h1>
    {p.briefings.length === 0 && p.waiting.length === 0 ? (
      <Notice>
        No company has a briefing yet. Run <code>npm start</code> (or <code>npx boardroom run</code>{' '}
        on a running stack) and the first one appears here.
      </Notice>
    ) : null}
    {p.portfolio ? (
      <section class="portfolio" aria-label="Portfolio">
        {raw(
          renderPortfolioHtml(p.portfolio, {
            fragment: true,
            headingLevel: 2,
            links: { briefing: (id, date) => urls.briefing(id, date) },
            names: Object.fromEntries(p.waiting.map((w) => [w.id, w.name])),
          }),
        )}
      </section>
    ) : null}
    <div class="companies">
      {p.briefings.map((o) => (
        <CompanyCard o={o} />
      ))}
      {p.waiting.map((c) => (
        <section class="card company-card" aria-labelledby={`c-${c.id}`}>
          <h2 id={`c-${c.id}`}>
            <a href={urls.company(c.id)}>{c.name}</a>
          </h2>
          <p class="muted">No briefing yet.</p>
        </section>
      ))}
    </div>
  </Layout>
);
