/**
 * Benchmark: the web app's server time per page, with a year of daily history for one
 * company and 90 days for each of 100 more (issue 14: aim under 50 ms p95). Prints
 * figures; asserts nothing.
 *
 *   npx tsx scripts/bench-web.ts [--json] [--requests 50] [--companies 100]
 *                                [--only <text>] [--profile <dir>]
 *
 * --only times just the pages whose name holds the text; --profile writes a CPU profile
 * of each page's timed requests into the folder (open it in Chrome's DevTools) and
 * prints where their time went, by library.
 *
 * A fresh database: a scratch `boardroom_bench_<pid>` on DATABASE_URL's server when it is
 * set (dropped after), else an embedded PGlite in a temp folder. No Temporal: the
 * briefings are computed in this process by the real agents and CEO step on the living
 * demo, one a week, and each week's days are filled in from it (see `dailyBriefings`),
 * then saved with the repository's own saveBriefing, so the tables hold what runs write.
 *
 * Time is `await app.request(url)` plus reading the body: routing, SQL over the pool,
 * row parsing and validation, and the JSX render; no socket or TLS. "repo" is the time
 * spent inside repository calls (SQL, pg's JSON parse, zod), summed over a request's calls;
 * n, the requests timed (fewer than asked when a page spent its budget).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { computeAgentReport, composeCompanyBriefing } from '../src/activities/activities.js';
import { AGENTS } from '../src/agents/registry.js';
import { keyMetrics } from '../src/ceo/key-metrics.js';
import { renderMarkdown } from '../src/ceo/render-markdown.js';
import { Briefing } from '../src/contract/briefing.js';
import {
  AGENT_NAMES,
  type AgentName,
  type AgentReport,
  type MetricSnapshot,
} from '../src/contract/report.js';
import { addDays } from '../src/shared/dates.js';
import { calendarDate } from '../src/shared/time-zone.js';
import { prepareDemoWorkspace } from '../src/sources/demo/prepare-workspace.js';
import { workspaceSources } from '../src/sources/sources.js';
import { startEmbeddedPostgres } from '../src/store/embedded-postgres.js';
import { migrate } from '../src/store/migrate.js';
import { Repository } from '../src/store/repository.js';
import { createWebApp, RUNS_SHOWN, type CompanyRef, type WebRepository } from '../src/web/app.js';
import { loadMetricDocs } from '../src/web/metric-docs.js';
import { HISTORY_PAGE_SIZE } from '../src/web/pages/history.js';
import { urls, type Period } from '../src/web/urls.js';
import { cleanUps, within } from './clean-up.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    requests: { type: 'string', default: '50' },
    companies: { type: 'string', default: '100' },
    only: { type: 'string' },
    profile: { type: 'string' },
  },
});
const REQUESTS = Number(values.requests);
const COMPANIES = Number(values.companies);
if (!Number.isInteger(REQUESTS) || REQUESTS < 1)
  throw new Error('--requests: a whole number from 1');
if (!Number.isInteger(COMPANIES) || COMPANIES < 0)
  throw new Error('--companies: a whole number from 0');

const YEAR_DAYS = 365;
const SHORT_DAYS = 90;
const WARMUP = 5;
/**
 * A page's share of the run: a page far over the aim (seconds a request) stops sampling
 * once this is spent, with at least MIN_SAMPLES, so one slow page cannot hold the run for long.
 */
const PAGE_BUDGET_MS = 60_000;
const MIN_SAMPLES = 5;
const YEAR_ID = 'bench-year';
const YEAR_NAME = 'Northwind Analytics';
/** Companies saved at once; within one company, days are saved oldest first, as runs are. */
const SAVE_CONCURRENCY = 4;
const REQUEST_TIMEOUT_MS = 30_000;

// Progress and notes go to stderr, so stdout is the table (and with --json its last line the object).
const note = (line: string) => process.stderr.write(`${line}\n`);

const cleanups = cleanUps(note);

// ---- The database ----

async function scratchDatabase(serverUrl: string): Promise<string> {
  const name = `boardroom_bench_${process.pid}`;
  const admin = new pg.Client({
    connectionString: serverUrl,
    connectionTimeoutMillis: 10_000,
    query_timeout: 60_000,
  });
  admin.on('error', () => {});
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  cleanups.push({
    what: `drop database ${name}`,
    run: async () => {
      const c = new pg.Client({
        connectionString: serverUrl,
        connectionTimeoutMillis: 10_000,
        query_timeout: 60_000,
      });
      c.on('error', () => {});
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function freshDatabase(tmp: string): Promise<{ url: string; kind: string }> {
  if (process.env.DATABASE_URL) {
    return {
      url: await scratchDatabase(process.env.DATABASE_URL),
      kind: 'Postgres (DATABASE_URL)',
    };
  }
  const embedded = await within(
    startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: 0 }),
    120_000,
    'the embedded Postgres',
  );
  cleanups.push({ what: 'stop the embedded Postgres', run: () => embedded.stop() });
  return { url: embedded.url, kind: 'embedded PGlite (in this process)' };
}

// ---- The briefings ----

type Reports = Record<AgentName, AgentReport>;
type History = Partial<Record<AgentName, MetricSnapshot[]>>;

/** Deterministic noise, so two runs seed the same data. */
function noiseFor(seed: string): () => number {
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return ((h ^= h >>> 16) >>> 0) / 4294967296;
  };
}

const decimals = (n: number) => {
  const s = String(n);
  return s.includes('e') || !s.includes('.') ? 0 : Math.min(4, s.length - s.indexOf('.') - 1);
};

/**
 * A day `t` (0..1) of the way from one week's figure to the next's, with the precision
 * they are given in (counts stay whole), and a little noise on figures that move, kept
 * between the two weeks' values so nothing leaves the range the agents computed.
 */
function between(a: number | null, b: number | null | undefined, t: number, rand: () => number) {
  if (a === null || b === null || b === undefined || a === b || t === 0) return a;
  const places = Math.max(decimals(a), decimals(b));
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const wobble = places > 0 ? (hi - lo) * 0.15 * (rand() - 0.5) : 0;
  const v = Math.min(hi, Math.max(lo, a + (b - a) * t + wobble));
  return Number(v.toFixed(places));
}

/**
 * The demo's real briefings, one a week for `days` days ending `today` (each week's
 * agents reading the earlier weeks as history, each briefing the next one's previous),
 * and a briefing for every day: a week's days move its figures toward the next week's,
 * the key metrics and the Markdown recomputed from the daily history, as a daily run
 * would have them. Each is checked against the Briefing schema.
 */
async function dailyBriefings(tmp: string, today: string, days: number): Promise<Briefing[]> {
  const { dir } = await prepareDemoWorkspace({ outDir: path.join(tmp, 'demo'), today });
  const sources = workspaceSources({ [YEAR_ID]: dir });
  const company = await sources.loadCompany(YEAR_ID);
  // The demo is files only: its load does not depend on the day, so once is enough.
  const loaded = Object.fromEntries(
    await Promise.all(
      AGENT_NAMES.map(async (a) => [
        a,
        await sources.loadAgentInput(YEAR_ID, AGENTS[a], { today, asOf: new Date() }),
      ]),
    ),
  ) as Record<AgentName, Awaited<ReturnType<typeof sources.loadAgentInput>>>;
  const first = addDays(today, -(days - 1));
  const weeks = Math.ceil(days / 7);
  const asOfOf = (day: string) => `${day}T07:00:00.000Z`;

  const anchors: { day: string; reports: Reports; briefing: Briefing }[] = [];
  const weeklyHistory: History = {};
  let previous: Briefing | undefined;
  for (let w = 0; w < weeks; w++) {
    const day = addDays(first, 7 * w);
    const asOf = asOfOf(day);
    const reports = Object.fromEntries(
      AGENT_NAMES.map((a) => [
        a,
        computeAgentReport(AGENTS[a], loaded[a], {
          asOf,
          today: day,
          history: weeklyHistory[a] ?? [],
          currency: company.profile.currency,
          now: new Date(asOf),
          durationMs: 0,
          attempt: 1,
        }),
      ]),
    ) as Reports;
    const briefing = composeCompanyBriefing(company, {
      companyId: YEAR_ID,
      workflowId: `briefing-${YEAR_ID}-${day}`,
      briefingDate: day,
      generatedAt: asOf,
      reports,
      history: weeklyHistory,
      ...(previous ? { previous } : {}),
    });
    for (const a of AGENT_NAMES)
      (weeklyHistory[a] ??= []).push({ date: day, metrics: reports[a].metrics });
    anchors.push({ day, reports, briefing });
    previous = briefing;
  }

  const out: Briefing[] = [];
  const dailyHistory: History = {};
  for (let d = 0; d < days; d++) {
    const day = addDays(first, d);
    const week = anchors[Math.floor(d / 7)]!;
    const next = anchors[Math.floor(d / 7) + 1];
    const t = (d % 7) / 7;
    const rand = noiseFor(day);
    const generatedAt = new Date(Date.parse(asOfOf(day)) + 900 + Math.round(rand() * 600));
    const reports = Object.fromEntries(
      AGENT_NAMES.map((a) => {
        const r = week.reports[a];
        const to = next?.reports[a];
        const metrics = Object.fromEntries(
          Object.entries(r.metrics).map(([k, v]) => [k, between(v, to?.metrics[k], t, rand)]),
        );
        return [
          a,
          {
            ...r,
            metrics,
            health: to ? Math.round(r.health + (to.health - r.health) * t) : r.health,
            timestamp: generatedAt.toISOString(),
            dataAsOf: asOfOf(day),
            durationMs: 20 + Math.round(rand() * 400),
          },
        ];
      }),
    ) as Reports;
    const scored = Object.values(reports).filter((r) => r.status !== 'failed');
    const body = {
      ...week.briefing,
      briefingDate: day,
      generatedAt: generatedAt.toISOString(),
      workflowId: `briefing-${YEAR_ID}-${day}`,
      agents: reports,
      health: Math.round(scored.reduce((s, r) => s + r.health, 0) / scored.length),
      keyMetrics: keyMetrics(reports, dailyHistory, day),
    };
    out.push(Briefing.parse({ ...body, markdown: renderMarkdown(body) }));
    for (const a of AGENT_NAMES)
      (dailyHistory[a] ??= []).push({ date: day, metrics: reports[a].metrics });
  }
  return out;
}

/** The same days for another company: its id, name and run ids. */
function asCompany(b: Briefing, id: string, name: string): Briefing {
  return {
    ...b,
    companyId: id,
    companyName: name,
    workflowId: `briefing-${id}-${b.briefingDate}`,
    markdown: b.markdown.replaceAll(YEAR_NAME, name),
  };
}

async function saveCompany(
  repo: Repository,
  briefings: readonly Briefing[],
  onSaved: () => void,
): Promise<void> {
  const runsFrom = briefings.length - RUNS_SHOWN;
  for (const [i, b] of briefings.entries()) {
    const startedAt = new Date(Date.parse(`${b.briefingDate}T07:00:00.000Z`));
    const durationMs = Date.parse(b.generatedAt) - startedAt.getTime() + 150;
    await repo.saveBriefing(
      {
        workflowId: b.workflowId,
        runId: randomUUID(),
        companyId: b.companyId,
        briefingDate: b.briefingDate,
        trigger: i === briefings.length - 1 ? 'manual' : 'schedule',
        startedAt,
        durationMs,
      },
      b,
    );
    // The Runs page lists each run's agent attempts: the runs it shows get theirs.
    if (i >= runsFrom)
      await Promise.all(
        Object.values(b.agents).map((r) =>
          repo.recordExecution({
            workflowId: b.workflowId,
            companyId: b.companyId,
            agent: r.agent,
            attempt: 1,
            startedAt: new Date(startedAt.getTime() + 40),
            durationMs: r.durationMs,
            success: true,
            metricsCount: Object.keys(r.metrics).length,
            sourceCalls: 0,
            source: 'workspace',
          }),
        ),
      );
    onSaved();
  }
}

// ---- Timing ----

/** The time spent inside the repository's calls, summed per request. */
function timedRepository(repo: Repository): { repo: WebRepository; take(): number } {
  let spent = 0;
  const wrapped = new Proxy(repo, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const t0 = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          spent += performance.now() - t0;
        }
      };
    },
  });
  return {
    repo: wrapped,
    take() {
      const s = spent;
      spent = 0;
      return s;
    },
  };
}

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
  }[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

/** Where a sampled function's time belongs, for the summary. */
function category(frame: { functionName: string; url: string }): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : `builtin ${functionName}`;
  if (url.startsWith('wasm://') || url.includes('@electric-sql/pglite'))
    return 'PGlite (the SQL, in this process)';
  if (/node_modules\/(pg|pg-protocol|pg-types|postgres-[a-z]+)\//.test(url))
    return 'pg (protocol, row parse)';
  const lib = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (lib) return lib[1]!;
  const src = /\/(src\/[^/]+(?:\/[^/]+)?)\//.exec(url);
  if (src) return src[1]!;
  return url.startsWith('node:') ? 'node internals' : path.basename(url);
}

/** Self time by category and by function, from a CPU profile's samples. */
function summarize(profile: CpuProfile, top = 8): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    // A sample's time is the gap to the next one.
    const us = deltas[i + 1] ?? 0;
    selfUs.set(samples[i]!, (selfUs.get(samples[i]!) ?? 0) + us);
  }
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
  const cats = new Map<string, number>();
  const fns = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const f = byId.get(id)!.callFrame;
    add(cats, category(f), us);
    add(
      fns,
      `${f.functionName || '(anonymous)'} ${f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : ''}`,
      us,
    );
  }
  const show = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${k}`);
  return [
    '  by library:',
    ...show(cats).map((l) => `    ${l}`),
    '  by function:',
    ...show(fns).map((l) => `    ${l}`),
  ];
}

/** Nearest-rank percentile. */
const pct = (sorted: readonly number[], p: number) =>
  sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;

interface PageResult {
  page: string;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  bytes: number;
  repoP50Ms: number;
  requests: number;
}

// ---- The run ----

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-bench-web-'));
  cleanups.push({
    what: `remove ${tmp}`,
    run: () => rm(tmp, { recursive: true, force: true }),
  });
  const today = calendarDate(new Date(), 'UTC');

  const tSetup = performance.now();
  const db = await freshDatabase(tmp);
  await within(migrate(db.url), 120_000, 'the migrations');
  const repo = Repository.connect(db.url);
  cleanups.push({ what: 'close the pool', run: () => repo.close() });
  note(`Database: ${db.kind}, migrated in ${((performance.now() - tSetup) / 1000).toFixed(1)} s.`);

  const tCompute = performance.now();
  const year = await dailyBriefings(tmp, today, YEAR_DAYS);
  const quarter = year.slice(-SHORT_DAYS);
  const shortIds = Array.from(
    { length: COMPANIES },
    (_, i) => `bench-co-${String(i + 1).padStart(3, '0')}`,
  );
  const companies: CompanyRef[] = [
    { id: YEAR_ID, name: YEAR_NAME, timeZone: 'UTC' },
    ...shortIds.map((id, i) => ({ id, name: `Bench Company ${i + 1}`, timeZone: 'UTC' })),
  ];
  const bytesEach = Buffer.byteLength(JSON.stringify(year.at(-1)));
  note(
    `Computed ${YEAR_DAYS} daily briefings (${Math.ceil(YEAR_DAYS / 7)} by the agents, the days between ` +
      `filled in) in ${((performance.now() - tCompute) / 1000).toFixed(1)} s; the newest is ${(bytesEach / 1024).toFixed(0)} KiB of JSON.`,
  );

  const newest = year.at(-1)!;
  const risk = newest.risks[0];
  if (!risk) note(`The newest briefing has no risk: the risk page is not measured.`);
  const periods: Period[] = ['1y', 'all'];
  const middlePage = Math.ceil(Math.ceil(YEAR_DAYS / HISTORY_PAGE_SIZE) / 2);
  const short = shortIds[0];
  const allPages: { page: string; url: string }[] = [
    { page: `Today (${companies.length} companies)`, url: urls.today() },
    { page: '1y: briefing', url: urls.company(YEAR_ID) },
    ...(risk
      ? [{ page: `1y: risk ${risk.id}`, url: urls.risk(YEAR_ID, newest.briefingDate, risk.id) }]
      : []),
    ...AGENT_NAMES.flatMap((agent) =>
      periods.map((period) => ({
        page: `1y: trends/${agent}?period=${period}`,
        url: urls.trends(YEAR_ID, agent, period),
      })),
    ),
    { page: '1y: history page 1', url: urls.history(YEAR_ID) },
    { page: `1y: history page ${middlePage}`, url: urls.history(YEAR_ID, { page: middlePage }) },
    { page: '1y: runs', url: urls.runs(YEAR_ID) },
    ...(short
      ? [
          { page: '90d: briefing', url: urls.company(short) },
          {
            page: '90d: trends/finance?period=90d',
            url: urls.trends(short, 'finance', '90d'),
          },
          { page: '90d: history', url: urls.history(short) },
        ]
      : []),
  ];

  const pages = allPages.filter((p) => values.only === undefined || p.page.includes(values.only));
  if (pages.length === 0) throw new Error(`--only ${values.only}: no page's name holds it`);

  const total = YEAR_DAYS + COMPANIES * SHORT_DAYS;
  let saved = 0;
  let shownPct = 0;
  const tSeed = performance.now();
  const onSaved = () => {
    saved++;
    const nowPct = Math.floor((saved / total) * 10) * 10;
    if (nowPct > shownPct) {
      shownPct = nowPct;
      note(
        `  seeded ${String(nowPct).padStart(3)}%: ${saved}/${total} briefings, ${((performance.now() - tSeed) / 1000).toFixed(1)} s`,
      );
    }
  };
  const queue: (() => Promise<void>)[] = [
    () => saveCompany(repo, year, onSaved),
    ...companies.slice(1).map(
      (co) => () =>
        saveCompany(
          repo,
          quarter.map((b) => asCompany(b, co.id, co.name)),
          onSaved,
        ),
    ),
  ];
  await Promise.all(
    Array.from({ length: SAVE_CONCURRENCY }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job();
    }),
  );
  const seedS = (performance.now() - tSeed) / 1000;
  note(
    `Seeded ${total} briefings (1 company x ${YEAR_DAYS} days, ${COMPANIES} x ${SHORT_DAYS}) in ${seedS.toFixed(1)} s ` +
      `(${(total / seedS).toFixed(0)}/s).`,
  );

  const timed = timedRepository(repo);
  const app = createWebApp({
    repo: timed.repo,
    companies: async () => companies,
    temporal: undefined,
    auth: { token: undefined },
    metricDocs: await loadMetricDocs(),
    onError: (err, at) => note(`500 at ${at}: ${err.stack ?? err.message}`),
  });

  const profiler = values.profile ? new Session() : undefined;
  if (profiler) {
    await mkdir(values.profile!, { recursive: true });
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
  }

  const once = async (url: string) => {
    timed.take();
    const t0 = performance.now();
    const res = await within(Promise.resolve(app.request(url)), REQUEST_TIMEOUT_MS, `GET ${url}`);
    const body = await within(res.text(), REQUEST_TIMEOUT_MS, `the body of ${url}`);
    const ms = performance.now() - t0;
    if (res.status !== 200)
      throw new Error(`GET ${url}: ${res.status} ${body.replace(/<[^>]+>/g, ' ').slice(0, 300)}`);
    return { ms, repoMs: timed.take(), bytes: Buffer.byteLength(body) };
  };

  const results: PageResult[] = [];
  const tTime = performance.now();
  for (const { page, url } of pages) {
    const tPage = performance.now();
    const spent = () => performance.now() - tPage;
    for (let i = 0; i < WARMUP && (i === 0 || spent() < PAGE_BUDGET_MS / 10); i++) await once(url);
    const runs = [];
    if (profiler) await profiler.post('Profiler.start');
    for (let i = 0; i < REQUESTS && (i < MIN_SAMPLES || spent() < PAGE_BUDGET_MS); i++)
      runs.push(await once(url));
    if (runs.length < REQUESTS)
      note(
        `${page}: ${runs.length} requests, not ${REQUESTS}: its ${PAGE_BUDGET_MS / 1000} s were spent.`,
      );
    if (profiler) {
      const { profile } = (await profiler.post('Profiler.stop')) as { profile: CpuProfile };
      const file = path.join(values.profile!, `${page.replace(/[^A-Za-z0-9]+/g, '-')}.cpuprofile`);
      await writeFile(file, JSON.stringify(profile));
      note(`${page}: ${file}`);
      for (const line of summarize(profile)) note(line);
    }
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    const repoMs = runs.map((r) => r.repoMs).sort((a, b) => a - b);
    results.push({
      page,
      p50Ms: round1(pct(ms, 50)),
      p95Ms: round1(pct(ms, 95)),
      maxMs: round1(ms.at(-1)!),
      bytes: runs.at(-1)!.bytes,
      repoP50Ms: round1(pct(repoMs, 50)),
      requests: runs.length,
    });
    note(`  timed ${page}: p95 ${results.at(-1)!.p95Ms} ms`);
  }
  profiler?.disconnect();
  note(
    `Timed ${pages.length} pages (up to ${WARMUP} warm-up + ${REQUESTS} requests each) in ${((performance.now() - tTime) / 1000).toFixed(1)} s.`,
  );

  console.log(
    `bench-web: ${db.kind}; ${YEAR_NAME} ${YEAR_DAYS} days + ${COMPANIES} companies x ${SHORT_DAYS} days; ` +
      `${REQUESTS} requests per page after ${WARMUP} warm-up; ${os.cpus().length} CPUs, load ${os.loadavg()[0]!.toFixed(1)}.`,
  );
  printTable(results);
  const worst = results.reduce((w, r) => (r.p95Ms > w.p95Ms ? r : w), results[0]!);
  console.log(`Worst p95: ${worst.p95Ms} ms (${worst.page}); the aim is under 50 ms.`);
  if (values.json)
    console.log(
      JSON.stringify({
        pages: results.map(({ page, p50Ms, p95Ms, maxMs, bytes }) => ({
          page,
          p50Ms,
          p95Ms,
          maxMs,
          bytes,
        })),
        worstP95Ms: worst.p95Ms,
      }),
    );
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function printTable(rows: readonly PageResult[]): void {
  const header = ['page', 'p50 ms', 'p95 ms', 'max ms', 'bytes', 'repo p50 ms', 'n'];
  const cells = rows.map((r) => [
    r.page,
    r.p50Ms.toFixed(1),
    r.p95Ms.toFixed(1),
    r.maxMs.toFixed(1),
    String(r.bytes),
    r.repoP50Ms.toFixed(1),
    String(r.requests),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) console.log(line(c));
}

try {
  await main();
} catch (err) {
  process.exitCode = 1;
  note(`bench-web failed: ${(err as Error).stack ?? String(err)}`);
} finally {
  await cleanups.run();
}
