/** @jsxImportSource hono/jsx */
/**
 * One briefing: the HTML briefing's own content (src/ceo/render-html.ts, the one copy of
 * how a briefing reads), with every metric linked to its trend and every risk to its
 * evidence; the previous and next briefing, the run in the Temporal UI, Run now.
 */
import type { FC } from 'hono/jsx';
import { raw } from 'hono/html';
import { renderHtml } from '../../ceo/render-html.js';
import type { StoredBriefing } from '../../store/repository.js';
import { urls } from '../urls.js';
import { Layout, Notice, type PageFrame } from './layout.js';

export interface BriefingPageProps extends PageFrame {
  stored: StoredBriefing;
  previous: string | undefined;
  next: string | undefined;
  /** The run's page in the Temporal UI, when the app knows where the UI is. */
  runUrl: string | undefined;
  canRunNow: boolean;
  full: boolean;
}

export const RunNowForm: FC<{ companyId: string; csrf: string }> = (p) => (
  <form method="post" action={urls.runNow(p.companyId)}>
    <input type="hidden" name="_csrf" value={p.csrf} />
    <button type="submit" class="primary">
      Run now
    </button>
  </form>
);

export const BriefingPage: FC<BriefingPageProps> = (p) => {
  const b = p.stored.briefing;
  const id = b.companyId;
  const body = renderHtml(b, {
    fragment: true,
    full: p.full,
    links: {
      metric: (agent, key) => urls.metric(id, agent, key),
      risk: (riskId) => urls.risk(id, b.briefingDate, riskId),
    },
  });
  return (
    <Layout
      {...p}
      title={`${b.companyName}, ${b.briefingDate}`}
      company={{ id, name: b.companyName }}
      section="briefing"
    >
      <nav class="toolbar" aria-label="Briefings">
        {p.previous ? (
          <a href={urls.briefing(id, p.previous)} rel="prev">
            ← {p.previous}
          </a>
        ) : (
          <span class="muted">No earlier briefing</span>
        )}
        {p.next ? (
          <a href={urls.briefing(id, p.next)} rel="next">
            {p.next} →
          </a>
        ) : (
          <span class="muted">Newest</span>
        )}
        <span class="spacer" />
        {p.runUrl ? <a href={p.runUrl}>Open this run in the Temporal UI</a> : null}
        <a href={`${urls.briefing(id, b.briefingDate)}.md`}>Markdown</a>
        <a href={`${urls.briefing(id, b.briefingDate)}.json`}>JSON</a>
        {p.full ? null : <a href={`${urls.briefing(id, b.briefingDate)}?full=1`}>Everything</a>}
        {p.canRunNow ? <RunNowForm companyId={id} csrf={p.csrf} /> : null}
      </nav>
      {p.stored.outcome === 'degraded' ? (
        <Notice kind="error">
          This run was degraded:{' '}
          {[
            ...p.stored.staleAgents.map((a) => `${a} (stale)`),
            ...p.stored.failedAgents.map((a) => `${a} (failed)`),
          ].join(', ')}
          . <a href={urls.runs(id)}>See why on the Runs page</a>.
        </Notice>
      ) : null}
      {raw(body)}
    </Layout>
  );
};

export const NoBriefingPage: FC<
  PageFrame & { company: { id: string; name: string }; canRunNow: boolean }
> = (p) => (
  <Layout {...p} title={p.company.name} company={p.company} section="briefing">
    <h1>{p.company.name}</h1>
    <Notice>
      No briefing yet for this company. {p.canRunNow ? 'Run one now, or wait' : 'Wait'} for its
      daily schedule, or run <code>npx boardroom run</code> on a running stack.
    </Notice>
    {p.canRunNow ? <RunNowForm companyId={p.company.id} csrf={p.csrf} /> : null}
  </Layout>
);
