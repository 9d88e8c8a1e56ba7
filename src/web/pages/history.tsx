/** @jsxImportSource hono/jsx */
/** History: every briefing of a company, newest first, filtered by date and outcome, a page at a time. */
import type { FC } from 'hono/jsx';
import type { BriefingSummary, BriefingTrigger } from '../../store/repository.js';
import { urls, type HistoryQuery } from '../urls.js';
import { Layout, Notice, type PageFrame } from './layout.js';
import { healthClass } from './today.js';

/** Briefings per page. @default 25 */
export const HISTORY_PAGE_SIZE = 25;

export interface HistoryProps extends PageFrame {
  company: { id: string; name: string };
  query: HistoryQuery;
  /** What was wrong with the filters, by field. */
  problems: string[];
  total: number;
  rows: (BriefingSummary & { trigger: BriefingTrigger })[];
}

export const HistoryPage: FC<HistoryProps> = (p) => {
  const page = p.query.page ?? 1;
  const pages = Math.max(1, Math.ceil(p.total / HISTORY_PAGE_SIZE));
  const filtered = Boolean(p.query.from || p.query.to || p.query.outcome);
  return (
    <Layout {...p} title={`History: ${p.company.name}`} company={p.company} section="history">
      <h1>History</h1>
      <form
        class="filters"
        method="get"
        action={urls.history(p.company.id)}
        aria-label="Filter briefings"
      >
        <label>
          From
          <input type="date" name="from" value={p.query.from ?? ''} />
        </label>
        <label>
          To
          <input type="date" name="to" value={p.query.to ?? ''} />
        </label>
        <label>
          Outcome
          <select name="outcome">
            <option value="" selected={!p.query.outcome}>
              Any
            </option>
            <option value="complete" selected={p.query.outcome === 'complete'}>
              Complete
            </option>
            <option value="degraded" selected={p.query.outcome === 'degraded'}>
              Degraded
            </option>
          </select>
        </label>
        <button type="submit">Filter</button>
        {filtered ? <a href={urls.history(p.company.id)}>Clear</a> : null}
      </form>
      {p.problems.length > 0 ? (
        <Notice kind="error">
          {p.problems.map((m) => (
            <div>{m}</div>
          ))}
        </Notice>
      ) : null}
      {p.rows.length === 0 ? (
        <Notice>
          {p.total > 0
            ? `There are ${p.total} briefings, fewer than this page needs: go back to page 1.`
            : filtered
              ? 'No briefing matches these filters.'
              : 'No briefing yet for this company.'}
        </Notice>
      ) : (
        <table>
          <caption class="visually-hidden">Briefings, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col" class="num">
                Health
              </th>
              <th scope="col">Outcome</th>
              <th scope="col">Stale agents</th>
              <th scope="col">Failed agents</th>
              <th scope="col">Trigger</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr>
                <td>
                  <a href={urls.briefing(r.companyId, r.briefingDate)}>{r.briefingDate}</a>
                </td>
                <td class={`num health ${healthClass(r.health)}`}>{Math.round(r.health)}</td>
                <td class={r.outcome === 'complete' ? 'status-ok' : 'status-warn'}>{r.outcome}</td>
                <td>{r.staleAgents.join(', ') || '–'}</td>
                <td>{r.failedAgents.join(', ') || '–'}</td>
                <td>{r.trigger}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label="Pages of briefings">
        {page > 1 ? (
          <a href={urls.history(p.company.id, { ...p.query, page: page - 1 })} rel="prev">
            ← Newer
          </a>
        ) : null}
        <span>
          Page {page} of {pages} · {p.total} briefing{p.total === 1 ? '' : 's'}
        </span>
        {page < pages ? (
          <a href={urls.history(p.company.id, { ...p.query, page: page + 1 })} rel="next">
            Older →
          </a>
        ) : null}
      </nav>
    </Layout>
  );
};
