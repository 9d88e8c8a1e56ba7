/** @jsxImportSource hono/jsx */
/**
 * The web app: a thin, read-only reader of the repository (plus Run now), server-rendered
 * with Hono and its JSX, which escapes every value. The briefing's content comes from
 * the CEO's HTML renderer; nothing here recomputes a figure.
 *
 * What it may reach is handed in (`WebDeps`): the repository, the companies, and a view
 * of Temporal that the CLI builds from its client. Every wait on Temporal is bounded, so
 * a page renders (saying what it could not learn) when Temporal does not answer.
 */
import { Hono, type Context } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Child } from 'hono/jsx';
import { AGENT_NAMES, type AgentName } from '../contract/report.js';
import type { Repository } from '../store/repository.js';
import { isIsoDate } from '../contract/fields.js';
import { addDays } from '../shared/dates.js';
import {
  authenticate,
  csrfToken,
  csrfValid,
  CSRF_FIELD,
  endSession,
  safeEqual,
  safeNext,
  startSession,
  type WebAuthOptions,
} from './auth.js';
import { stylesheet } from './assets.js';
import type { MetricDocs } from './metric-docs.js';
import { BriefingPage, NoBriefingPage } from './pages/briefing.js';
import { HistoryPage, HISTORY_PAGE_SIZE } from './pages/history.js';
import type { PageFrame } from './pages/layout.js';
import { ErrorPage, LoginPage } from './pages/login.js';
import { RunsPage, type RunView, type ScheduleView } from './pages/runs.js';
import { TodayPage, todayPortfolio } from './pages/today.js';
import { RiskPage } from './pages/risk.js';
import { TrendsPage, trendData } from './pages/trends.js';
import { CHART_CSS } from './charts/index.js';
import { PERIODS, DEFAULT_PERIOD, urls, type HistoryQuery, type Period } from './urls.js';

export interface CompanyRef {
  id: string;
  name: string;
  /** IANA zone the company's dates and schedule are in. @default 'UTC' */
  timeZone?: string | undefined;
  /** ISO 4217 code its amounts are in. @default its newest briefing's, else 'USD' */
  currency?: string | undefined;
}

/** A run as Temporal lists it. */
export interface TemporalRun {
  workflowId: string;
  status: string;
  startTime: Date;
  closeTime: Date | undefined;
}

/** What the app learns from Temporal and asks of it; the CLI builds it from its client. */
export interface TemporalView {
  /** The Temporal UI's base address (http://127.0.0.1:8233); undefined: no links to it. */
  uiUrl: string | undefined;
  namespace: string;
  schedule(companyId: string): Promise<ScheduleView>;
  recentRuns(companyId: string, limit: number): Promise<TemporalRun[]>;
  /** Starts a briefing now (a manual run); its workflow id. */
  runNow(companyId: string): Promise<{ workflowId: string }>;
}

export type WebRepository = Pick<
  Repository,
  | 'latestBriefings'
  | 'briefingOn'
  | 'adjacentBriefingDates'
  | 'briefingPage'
  | 'recentRuns'
  | 'executionsOf'
  | 'deliveriesOf'
  | 'metricHistory'
  | 'metricSeries'
  | 'historySpan'
  | 'latestBriefing'
  | 'companyFacts'
>;

export interface WebDeps {
  repo: WebRepository;
  /** The companies this boardroom serves, with or without a briefing yet. */
  companies(): Promise<CompanyRef[]>;
  /** Undefined: no Run now, no schedule, no Temporal links. */
  temporal?: TemporalView | undefined;
  auth: WebAuthOptions;
  metricDocs: MetricDocs;
  /** The bound on each call to Temporal. @default 3_000 */
  temporalTimeoutMs?: number;
  /** For the trend periods. @default the system clock */
  clock?: () => Date;
  /** An unexpected error, logged by the caller; the visitor gets a 500 page without it. */
  onError?: (err: Error, path: string) => void;
}

/** Runs listed on the Runs page. @default 20 */
export const RUNS_SHOWN = 20;

const CSP = {
  defaultSrc: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

class TimeoutError extends Error {}

function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new TimeoutError(`${what} did not answer within ${ms} ms`)),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

function titleCase(status: string): string {
  return status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, ' ');
}

export function createWebApp(deps: WebDeps): Hono {
  const app = new Hono();
  const css = stylesheet([CHART_CSS]);
  const temporalMs = deps.temporalTimeoutMs ?? 3_000;
  const clock = deps.clock ?? (() => new Date());
  const token = deps.auth.token;

  const frame = (c: Context): PageFrame => ({
    stylesheet: urls.asset(css.name),
    signedIn: token !== undefined && c.get('auth' as never) === 'session',
    csrf: csrfToken(c),
  });
  const page = (c: Context, body: Child, status: 200 | 400 | 401 | 404 | 500 | 503 = 200) =>
    c.html(`<!doctype html>${String(body)}`, status);
  const notFound = (c: Context, message: string, company?: CompanyRef) =>
    page(c, <ErrorPage {...frame(c)} title="Not found" message={message} company={company} />, 404);

  /**
   * The companies this boardroom serves (configured or registered), of those `company`
   * returned: they can be run; one known only from its briefings (removed) is read only.
   */
  const served = new WeakSet<CompanyRef>();
  const canRun = (co: CompanyRef) => deps.temporal !== undefined && served.has(co);
  /** The company of the path, or undefined (and the caller answers 404 with the known ones). */
  const company = async (id: string): Promise<CompanyRef | undefined> => {
    const known = (await deps.companies()).find((k) => k.id === id);
    if (known) {
      served.add(known);
      return known;
    }
    const facts = await deps.repo.companyFacts(id);
    return facts && { id, name: facts.name, currency: facts.currency };
  };
  const unknownCompany = async (c: Context, id: string) => {
    const ids = [
      ...new Set([
        ...(await deps.companies()).map((k) => k.id),
        ...(await deps.repo.latestBriefings()).map((b) => b.companyId),
      ]),
    ];
    return notFound(
      c,
      `No company "${id}". ${ids.length > 0 ? `Companies: ${ids.join(', ')}.` : 'There are no companies yet.'}`,
    );
  };
  const runUrl = (workflowId: string) =>
    deps.temporal?.uiUrl
      ? `${deps.temporal.uiUrl}/namespaces/${encodeURIComponent(deps.temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`
      : undefined;

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: CSP,
      crossOriginEmbedderPolicy: false,
      referrerPolicy: 'same-origin',
    }),
  );
  app.use('*', async (c, next) => {
    const t0 = performance.now();
    await next();
    c.res.headers.set('Server-Timing', `app;dur=${(performance.now() - t0).toFixed(1)}`);
    if (!c.req.path.startsWith('/assets/')) c.res.headers.set('Cache-Control', 'no-store');
  });

  app.get('/healthz', (c) => c.text('ok'));
  app.get('/assets/:name', (c) => {
    if (c.req.param('name') !== css.name) return c.text('Not found', 404);
    const cache = { 'Cache-Control': 'public, max-age=31536000, immutable', ETag: css.etag };
    const tags = (c.req.header('if-none-match') ?? '')
      .split(',')
      .map((t) => t.trim().replace(/^W\//, ''));
    if (tags.includes(css.etag) || tags.includes('*')) return c.body(null, 304, cache);
    return c.body(css.body, 200, { 'Content-Type': css.type, ...cache });
  });

  app.get('/login', (c) => {
    const next = safeNext(c.req.query('next'));
    if (token === undefined) return c.redirect(next, 303);
    return page(c, <LoginPage {...frame(c)} next={next} failed={false} />);
  });
  app.post('/login', csrf(), async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(form.next);
    if (token === undefined) return c.redirect(next, 303);
    if (typeof form.token !== 'string' || !safeEqual(form.token, token))
      return page(c, <LoginPage {...frame(c)} next={next} failed={true} />, 401);
    startSession(c, token);
    return c.redirect(next, 303);
  });
  app.post('/logout', csrf(), async (c) => {
    endSession(c);
    return c.redirect(urls.login(), 303);
  });

  // Everything below needs the token, when there is one: 401 and no data without it.
  app.use('*', async (c, next) => {
    const how = authenticate(c, deps.auth);
    if (how === undefined) {
      const wantsPage =
        (c.req.header('accept') ?? '').includes('text/html') && !c.req.header('authorization');
      if (wantsPage) {
        const here = new URL(c.req.url);
        return page(
          c,
          <LoginPage {...frame(c)} next={safeNext(here.pathname + here.search)} failed={false} />,
          401,
        );
      }
      return c.text(
        'Unauthorized: send Authorization: Bearer <BOARDROOM_WEB_TOKEN>, or sign in at /login.',
        401,
        {
          'WWW-Authenticate': 'Bearer realm="boardroom"',
        },
      );
    }
    c.set('auth' as never, how as never);
    await next();
  });

  app.get('/', async (c) => {
    const [known, briefings] = await Promise.all([deps.companies(), deps.repo.latestBriefings()]);
    const withBriefing = new Set(briefings.map((b) => b.companyId));
    const waiting = known.filter((k) => !withBriefing.has(k.id));
    const ids = new Set([...withBriefing, ...known.map((k) => k.id)]);
    if (ids.size === 1) return c.redirect(urls.company([...ids][0]!), 302);
    const portfolio =
      briefings.length > 0
        ? await todayPortfolio(briefings, {
            now: clock(),
            companies: known,
            repo: deps.repo,
          })
        : undefined;
    return page(
      c,
      <TodayPage {...frame(c)} briefings={briefings} waiting={waiting} portfolio={portfolio} />,
    );
  });

  const briefingView = async (c: Context, co: CompanyRef, date: string | undefined) => {
    const stored = date
      ? await deps.repo.briefingOn(co.id, date)
      : await deps.repo.latestBriefing(co.id);
    if (!stored) {
      if (date) return notFound(c, `${co.name} has no briefing on ${date}.`, co);
      return page(c, <NoBriefingPage {...frame(c)} company={co} canRunNow={canRun(co)} />);
    }
    const { previous, next } = await deps.repo.adjacentBriefingDates(co.id, stored.briefingDate);
    return page(
      c,
      <BriefingPage
        {...frame(c)}
        stored={stored}
        previous={previous}
        next={next}
        runUrl={runUrl(stored.workflowId)}
        canRunNow={canRun(co)}
        full={c.req.query('full') === '1'}
      />,
    );
  };

  app.get('/companies/:company', async (c) => {
    const co = await company(c.req.param('company'));
    if (!co) return unknownCompany(c, c.req.param('company'));
    return briefingView(c, co, undefined);
  });

  app.get('/companies/:company/briefings/:ref', async (c) => {
    const co = await company(c.req.param('company'));
    if (!co) return unknownCompany(c, c.req.param('company'));
    const m = /^(\d{4}-\d{2}-\d{2})(?:\.(md|json))?$/.exec(c.req.param('ref'));
    if (!m || !isIsoDate(m[1]!))
      return notFound(c, `"${c.req.param('ref')}" is not a briefing date (YYYY-MM-DD).`, co);
    if (!m[2]) return briefingView(c, co, m[1]);
    const stored = await deps.repo.briefingOn(co.id, m[1]!);
    if (!stored) return notFound(c, `${co.name} has no briefing on ${m[1]}.`, co);
    return m[2] === 'md'
      ? c.body(stored.markdown, 200, { 'Content-Type': 'text/markdown; charset=utf-8' })
      : c.json(stored.briefing);
  });

  app.get('/companies/:company/briefings/:date/risks/:risk', async (c) => {
    const co = await company(c.req.param('company'));
    if (!co) return unknownCompany(c, c.req.param('company'));
    const date = c.req.param('date');
    const stored = isIsoDate(date) ? await deps.repo.briefingOn(co.id, date) : undefined;
    if (!stored) return notFound(c, `${co.name} has no briefing on ${date}.`, co);
    const risk = stored.briefing.risks.find((r) => r.id === c.req.param('risk'));
    if (!risk)
      return notFound(c, `The briefing of ${date} has no risk "${c.req.param('risk')}".`, co);
    const agents = [...new Set(risk.evidence.map((e) => e.agent))];
    const since = addDays(date, -90);
    const histories = Object.fromEntries(
      await Promise.all(
        agents.map(async (agent) => [
          agent,
          await deps.repo.metricHistory(co.id, agent, {
            metrics: risk.evidence.filter((e) => e.agent === agent).map((e) => e.metric),
            since,
          }),
        ]),
      ),
    );
    return page(
      c,
      <RiskPage
        {...frame(c)}
        company={co}
        stored={stored}
        risk={risk}
        histories={histories}
        until={date}
      />,
    );
  });

  app.get('/companies/:company/trends', async (c) => {
    const co = await company(c.req.param('company'));
    if (!co) return unknownCompany(c, c.req.param('company'));
    return c.redirect(urls.trends(co.id, 'finance'), 302);
  });

  app.get('/companies/:company/trends/:agent', async (c) => {
    const co = await company(c.req.param('company'));
    if (!co) return unknownCompany(c, c.req.param('company'));
    const agent = c.req.param('agent');
    if (!(AGENT_NAMES as readonly string[]).includes(agent))
      return notFound(c, `No agent "${agent}". Agents: ${AGENT_NAMES.join(', ')}.`, co);
    const asked = c.req.query('period') ?? DEFAULT_PERIOD;
    if (!(PERIODS as readonly string[]).includes(asked))
      return page(
        c,
        <ErrorPage
          {...frame(c)}
          title="Bad period"
          message={`period must be one of ${PERIODS.join(', ')} (got "${asked}").`}
          company={co}
        />,
        400,
      );
    const period = asked as Period;
    const data = await trendData(deps.repo, co.id, agent as AgentName, period, clock());
    const currency = co.currency ?? (await deps.repo.companyFacts(co.id))?.currency ?? 'USD';
    return page(
      c,
      <TrendsPage
        {...frame(c)}
        company={co}
        agent={agent as AgentName}
        period={period}
        data={data}
        currency={currency}
        docs={deps.metricDocs}
      />,
    );
  });

  app.get('/companies/:company/history', async (c) => {
    const co = await company(c.req.param('company'));
    if (!co) return unknownCompany(c, c.req.param('company'));
    const problems: string[] = [];
    const q: HistoryQuery = {};
    for (const field of ['from', 'to'] as const) {
      const v = c.req.query(field);
      if (v === undefined || v === '') continue;
      if (isIsoDate(v)) q[field] = v;
      else problems.push(`${field}: expected a date as YYYY-MM-DD (got "${v}").`);
    }
    const outcome = c.req.query('outcome');
    if (outcome === 'complete' || outcome === 'degraded') q.outcome = outcome;
    else if (outcome) problems.push(`outcome: expected complete or degraded (got "${outcome}").`);
    const pageParam = c.req.query('page');
    const pageNo = pageParam === undefined || pageParam === '' ? 1 : Number(pageParam);
    if (!Number.isSafeInteger(pageNo * HISTORY_PAGE_SIZE) || pageNo < 1)
      problems.push(`page: expected a whole number from 1 (got "${pageParam}").`);
    else q.page = pageNo;
    if (problems.length > 0)
      return page(
        c,
        <HistoryPage
          {...frame(c)}
          company={co}
          query={q}
          problems={problems}
          total={0}
          rows={[]}
        />,
        400,
      );
    const result = await deps.repo.briefingPage(co.id, {
      from: q.from,
      to: q.to,
      outcome: q.outcome,
      limit: HISTORY_PAGE_SIZE,
      offset: ((q.page ?? 1) - 1) * HISTORY_PAGE_SIZE,
    });
    return page(
      c,
      <HistoryPage
        {...frame(c)}
        company={co}
        query={q}
        problems={[]}
        total={result.total}
        rows={result.rows}
      />,
    );
  });

  app.get('/companies/:company/runs', async (c) => {
    const co = await company(c.req.param('company'));
    if (!co) return unknownCompany(c, c.req.param('company'));
    const t = deps.temporal;
    const [stored, schedule, listed] = await Promise.all([
      deps.repo.recentRuns(co.id, RUNS_SHOWN),
      t
        ? within(t.schedule(co.id), temporalMs, 'Temporal').catch((err: Error): ScheduleView => ({
            state: 'unavailable',
            message: err.message,
          }))
        : Promise.resolve<ScheduleView>({
            state: 'unavailable',
            message: 'Temporal is not configured for this server',
          }),
      t
        ? within(t.recentRuns(co.id, RUNS_SHOWN), temporalMs, 'Temporal').then(
            (runs) => ({ runs, note: undefined }),
            (err: Error) => ({
              runs: [] as TemporalRun[],
              note: `Runs in flight are not shown: ${err.message}.`,
            }),
          )
        : Promise.resolve({ runs: [] as TemporalRun[], note: undefined }),
    ]);
    const byId = new Map(stored.map((r) => [r.workflowId, r]));
    const ids = [
      ...new Set([...listed.runs.map((r) => r.workflowId), ...stored.map((r) => r.workflowId)]),
    ];
    const [executions, deliveries] = await Promise.all([
      deps.repo.executionsOf(ids),
      deps.repo.deliveriesOf(stored.map((r) => r.id)),
    ]);
    const listedById = new Map(listed.runs.map((r) => [r.workflowId, r]));
    const runs: RunView[] = ids.map((id) => {
      const s = byId.get(id);
      const l = listedById.get(id);
      return {
        workflowId: id,
        status: l ? titleCase(l.status) : 'Completed',
        startedAt: s?.startedAt ?? l!.startTime,
        durationMs:
          s?.durationMs ??
          (l?.closeTime ? l.closeTime.getTime() - l.startTime.getTime() : undefined),
        trigger: s?.trigger,
        briefing: s
          ? {
              date: s.briefingDate,
              outcome: s.outcome,
              staleAgents: s.staleAgents,
              failedAgents: s.failedAgents,
            }
          : undefined,
        executions: executions.filter((e) => e.workflowId === id),
        deliveries: s ? deliveries.filter((d) => d.briefingId === s.id) : [],
        temporalUrl: runUrl(id),
      };
    });
    runs.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
    return page(
      c,
      <RunsPage
        {...frame(c)}
        company={co}
        timeZone={schedule.state === 'found' ? schedule.timeZone : (co.timeZone ?? 'UTC')}
        schedule={schedule}
        runs={runs.slice(0, RUNS_SHOWN)}
        temporalNote={listed.note}
        started={c.req.query('started')}
        canRunNow={canRun(co)}
      />,
    );
  });

  // A request that proved itself with its Authorization header (a script) needs no
  // Origin check: a browser never adds that header on its own.
  const originCheck = csrf();
  app.post(
    '/companies/:company/runs',
    (c, next) => (c.get('auth' as never) === 'bearer' ? next() : originCheck(c, next)),
    async (c) => {
      const co = await company(c.req.param('company'));
      if (!co) return unknownCompany(c, c.req.param('company'));
      if (c.get('auth' as never) !== 'bearer') {
        const form = await c.req.parseBody();
        if (!csrfValid(c, form[CSRF_FIELD]))
          return page(
            c,
            <ErrorPage
              {...frame(c)}
              title="Not started"
              message="The form had expired (its CSRF token did not match). Reload the page and press Run now again."
              company={co}
            />,
            400,
          );
      }
      // Known from its briefings only (removed from the registry, say): readable, not run.
      if (!served.has(co))
        return notFound(
          c,
          `${co.name} (${co.id}) is not served here: it is neither the configured company nor a registered one, ` +
            'so it cannot be run. Its briefings stay readable; to run it again, register its workspace: ' +
            'npx boardroom companies add <workspace-dir>',
          co,
        );
      if (!deps.temporal)
        return page(
          c,
          <ErrorPage
            {...frame(c)}
            title="Not started"
            message="This server has no Temporal connection: start it with `npx boardroom serve` next to a running stack."
            company={co}
          />,
          503,
        );
      try {
        const { workflowId } = await within(
          deps.temporal.runNow(co.id),
          temporalMs * 3,
          'Temporal',
        );
        return c.redirect(`${urls.runs(co.id)}?started=${encodeURIComponent(workflowId)}`, 303);
      } catch (err) {
        return page(
          c,
          <ErrorPage
            {...frame(c)}
            title="Not started"
            message={`The run could not be started: ${(err as Error).message}. Check that Temporal is up (npx boardroom status).`}
            company={co}
          />,
          503,
        );
      }
    },
  );

  app.notFound((c) => notFound(c, `Nothing at ${c.req.path}.`));
  app.onError((err, c) => {
    // Hono's own refusals (the Origin check's 403) are answers, not failures.
    if (err instanceof HTTPException) return err.getResponse();
    deps.onError?.(err, c.req.path);
    return page(
      c,
      <ErrorPage
        {...frame(c)}
        title="Something went wrong"
        message="This page could not be built; the server's log has the details. Try again, or check `npx boardroom status`."
      />,
      500,
    );
  });
  return app;
}
