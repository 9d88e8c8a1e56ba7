/** @jsxImportSource hono/jsx */
/**
 * Today: each company's newest briefing with its 30-second head (the top priorities,
 * the risks by severity, the key numbers), and the companies that have none yet.
 */
import type { FC } from 'hono/jsx';
import { briefingHead } from '../../ceo/head.js';
import type { BriefingOverview } from '../../store/repository.js';
import { urls } from '../urls.js';
import { Layout, Notice, type PageFrame } from './layout.js';

export interface TodayProps extends PageFrame {
  briefings: BriefingOverview[];
  /** Companies known to the app without a briefing yet. */
  waiting: { id: string; name: string }[];
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
