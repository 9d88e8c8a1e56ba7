/**
 * One fleet serves every company (issue 15, item 2), on the suite's real Temporal and
 * Postgres, with workers built as `npm start` and `boardroom worker` build them
 * (createBoardroomWorker with workerOptions and workerDeps from src/client/stack.ts: the
 * registry-backed sources and the per-company bound):
 *
 * - two workers, three companies registered after the workers started (so also: a
 *   company added while the workers run is served without a restart) in three time
 *   zones: each schedule fires at 07:00 of its own zone, read from the schedule's
 *   describe output, not the wall clock; triggered, each writes its briefing, and both
 *   workers take part;
 * - two runs of one company at once meet its bound: the refused agents are retried
 *   (CompanyBusy, 5 s later) and succeed, nothing runs out into a fallback;
 * - a company whose sources hang (a local API that accepts and never answers) holds at
 *   most BOARDROOM_COMPANY_MAX_ACTIVITIES of a worker's activity slots: the other
 *   companies' briefings complete while its runs are still stuck. Without the bound
 *   (companyMaxActivities: false) its hung agents take every slot and this test fails.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { companiesAdd, companiesRemove } from '../../src/client/commands/companies.js';
import { prepareDemoWorkspace } from '../../src/sources/demo/prepare-workspace.js';
import { startBriefing } from '../../src/client/run.js';
import { scheduleHandle, scheduleTimeZone, triggerSchedule } from '../../src/client/schedule.js';
import { workerDeps, workerOptions } from '../../src/client/stack.js';
import type { Config } from '../../src/config.js';
import { addDays } from '../../src/shared/dates.js';
import { calendarDate } from '../../src/shared/time-zone.js';
import {
  SCHEDULED_START_TIME_SEARCH_ATTRIBUTE,
  type DailyBriefingInput,
  type DailyBriefingResult,
} from '../../src/shared/workflow-api.js';
import { Repository } from '../../src/store/repository.js';
import { createBoardroomWorker } from '../../src/worker/worker.js';
import { listenLocally, type LocalServer } from '../fakes/local-server.js';
import { commandDeps } from '../helpers/cli.js';
import { DEMO_WORKSPACE, capturingLogger, uniqueCompanyId } from '../helpers/stack.js';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  // Last in, first out: runs before workers, workers before their connections.
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  cleanups.length = 0;
});

/** The environment of a fleet: the suite's Temporal and Postgres, one task queue. */
function fleetEnv(taskQueue: string, extra: Record<string, string> = {}) {
  return {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    DATABASE_URL: inject('databaseUrl'),
    // The worker's own company is none of the fleet's: every one comes from the registry.
    BOARDROOM_COMPANY_ID: uniqueCompanyId('unused'),
    BOARDROOM_WORKSPACE: DEMO_WORKSPACE,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/**
 * The living demo for today in `zone` as company `id`, with extra files. Dated on the
 * company's own calendar: a run describes its zone's day, and a copy of the suite's demo
 * (New York's day) would be a day off in Los Angeles between 05:00 and 08:00 UTC.
 */
async function workspace(
  id: string,
  zone: string,
  files: Record<string, string> = {},
): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-fleet-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  await prepareDemoWorkspace({ outDir: dir, today: calendarDate(new Date(), zone) });
  const file = path.join(dir, 'company.yaml');
  const yaml = (await readFile(file, 'utf8'))
    .replace(/^id: .*$/m, `id: ${id}`)
    .replace(/^timezone: .*$/m, `timezone: ${zone}`);
  await writeFile(file, yaml);
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

/** A worker as the stack builds one, on the suite's prebuilt workflow bundle. */
async function fleetWorker(
  config: Config,
  name: string,
  opts: { maxConcurrentActivities: number; companyMaxActivities?: number | false },
): Promise<{ identity: string; logLines: Record<string, unknown>[] }> {
  const repo = Repository.connect(inject('databaseUrl'), { max: 8 });
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const identity = `${name}-${randomUUID().slice(0, 8)} ${workerOptions(config).identity}`;
  const logger = capturingLogger();
  const worker = await createBoardroomWorker({
    connection,
    ...workerOptions(config),
    identity,
    deps: workerDeps(config, repo, logger.log),
    workflowBundle: { codePath: inject('workflowBundlePath') },
    shutdownGraceTimeMs: 1_000,
    maxConcurrentActivities: opts.maxConcurrentActivities,
    ...(opts.companyMaxActivities !== undefined
      ? { companyMaxActivities: opts.companyMaxActivities }
      : {}),
  });
  const running = worker.run();
  cleanups.push(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    await connection.close();
    await repo.close();
  });
  return { identity, logLines: logger.lines };
}

async function fleetClient(): Promise<{ client: Client; repo: Repository }> {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  const repo = Repository.connect(inject('databaseUrl'), { max: 4 });
  cleanups.push(async () => {
    await connection.close();
    await repo.close();
  });
  return { client: new Client({ connection }), repo };
}

/** Removes a company's rows when the test ends (the database is shared by files running at once). */
function forget(repo: Repository, companyId: string): void {
  cleanups.push(async () => {
    for (const table of ['deliveries', 'briefing_runs', 'agent_executions', 'metric_points'])
      await repo.pool.query(`DELETE FROM ${table} WHERE company_id = $1`, [companyId]);
    await repo.removeCompany(companyId);
  });
}

/** `[HH:MM]` of `at` on a clock in `zone`. */
function wallClock(at: Date, zone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** `p`, or a failure naming `what` after `ms`: every wait in these tests is bounded. */
async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The worker identities that ran a workflow's tasks and activities, from its history. */
async function identitiesIn(client: Client, workflowId: string): Promise<Set<string>> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const ids = new Set<string>();
  for (const e of history.events ?? []) {
    const id =
      e.activityTaskStartedEventAttributes?.identity ??
      e.workflowTaskStartedEventAttributes?.identity;
    if (id) ids.add(id);
  }
  return ids;
}

describe('one fleet serves every company', () => {
  it('two workers, three companies added while they run, each scheduled at 07:00 in its own zone; triggered, every briefing is written and both workers take part', async () => {
    const taskQueue = `fleet-${randomUUID()}`;
    const config = commandDeps(fleetEnv(taskQueue)).config;
    const { client, repo } = await fleetClient();
    // Two activity slots each: eighteen agents at once must spread over both workers.
    const [a, b] = await Promise.all([
      fleetWorker(config, 'worker-a', { maxConcurrentActivities: 2 }),
      fleetWorker(config, 'worker-b', { maxConcurrentActivities: 2 }),
    ]);

    const zones = ['Pacific/Auckland', 'Europe/Berlin', 'America/Los_Angeles'];
    const companies = zones.map((zone) => ({ id: uniqueCompanyId('fleet'), zone }));
    for (const c of companies) {
      const deps = commandDeps(fleetEnv(taskQueue));
      forget(repo, c.id);
      cleanups.push(() => companiesRemove({ id: c.id }, commandDeps(fleetEnv(taskQueue))));
      expect(
        await companiesAdd({ dir: await workspace(c.id, c.zone), cron: '0 7 * * *' }, deps),
      ).toBe(0);
    }

    const firstFires: number[] = [];
    for (const c of companies) {
      const d = await scheduleHandle(client, c.id).describe();
      expect(scheduleTimeZone(d)).toBe(c.zone);
      expect((d.action as { args?: DailyBriefingInput[] }).args?.[0]).toMatchObject({
        companyId: c.id,
        timeZone: c.zone,
        trigger: 'schedule',
      });
      // The server's own next fire times: 07:00 on the company's clock, one local day
      // apart (across a DST change too), whatever the machine's zone.
      const next = d.info.nextActionTimes;
      expect(next.length).toBeGreaterThanOrEqual(3);
      for (const t of next) expect(wallClock(t, c.zone)).toBe('07:00');
      const days = next.map((t) => calendarDate(t, c.zone));
      days.slice(1).forEach((day, i) => expect(day).toBe(addDays(days[i]!, 1)));
      expect((d.action as { priority?: { fairnessKey?: string } }).priority?.fairnessKey).toBe(
        c.id,
      );
      firstFires.push(next[0]!.getTime());
    }
    // Three zones, three different instants: no schedule fires on another zone's 07:00.
    expect(new Set(firstFires.map((t) => t % 86_400_000)).size).toBe(3);

    const started = await Promise.all(
      companies.map((c) => triggerSchedule(client, c.id, { allowOverlap: false })),
    );
    const handles = started.map((s, i) => {
      if (s.kind !== 'started') throw new Error(`${companies[i]!.id}: trigger ${s.kind}`);
      return client.workflow.getHandle<() => Promise<DailyBriefingResult>>(s.workflowId);
    });
    const results = await within(
      45_000,
      'the three scheduled briefings',
      Promise.all(handles.map((h) => h.result())),
    );
    const identities = new Set<string>();
    for (const [i, c] of companies.entries()) {
      const result = results[i]!;
      expect(Object.values(result.agents).every((agent) => agent.status === 'ok')).toBe(true);
      const stored = await repo.getBriefing(String(result.briefingId));
      expect(stored?.companyId).toBe(c.id);
      expect(stored?.briefing.agents.finance.metrics.mrr).toBe(15000);
      // A scheduled run describes its scheduled moment's day on the company's calendar.
      const described = await handles[i]!.describe();
      const scheduled = described.typedSearchAttributes.get(SCHEDULED_START_TIME_SEARCH_ATTRIBUTE);
      expect(scheduled).toBeInstanceOf(Date);
      expect(result.briefingDate).toBe(calendarDate(scheduled!, c.zone));
      // The schedule starts it with the company as its fairness key (src/worker/fairness.ts).
      expect(described.priority?.fairnessKey).toBe(c.id);
      for (const id of await identitiesIn(client, handles[i]!.workflowId)) identities.add(id);
    }
    expect([...identities].sort()).toEqual([a.identity, b.identity].sort());
  }, 90_000);

  it('two runs of one healthy company at once meet its bound and both complete with every agent ok: a refused agent is retried, not run out into its fallback', async () => {
    const taskQueue = `fleet-twice-${randomUUID()}`;
    const config = commandDeps(fleetEnv(taskQueue)).config;
    const { client, repo } = await fleetClient();
    const id = uniqueCompanyId('twice');
    forget(repo, id);
    await repo.addCompany({
      id,
      name: id,
      currency: 'USD',
      timeZone: 'UTC',
      workspace: await workspace(id, 'UTC'),
      cron: '0 7 * * *',
    });
    const runs = await Promise.all(
      [1, 2].map(() =>
        startBriefing(client, {
          taskQueue,
          now: new Date(),
          workflowId: `wf-${id}-${randomUUID().slice(0, 8)}`,
          // The agents' production retry policy: three attempts.
          input: { companyId: id, trigger: 'manual', timeZone: 'UTC' },
        }),
      ),
    );
    // The worker starts with both runs queued, so their twelve agents reach it together
    // (a worker already polling could finish the first run's six before the second's
    // arrive). The default bound, six: twelve at once are more than one company may run.
    await fleetWorker(config, 'worker', { maxConcurrentActivities: 20 });
    const results = (await within(
      45_000,
      'two runs of one company',
      Promise.all(runs.map((h) => h.result())),
    )) as DailyBriefingResult[];
    for (const result of results)
      expect(Object.values(result.agents).map((a) => a.status)).toEqual(Array(6).fill('ok'));
    // The bound was met: twelve agents land within milliseconds, each takes longer than
    // that, so some were refused (CompanyBusy) and succeeded on a later attempt.
    const attempts = results.flatMap((r) => Object.values(r.agents).map((a) => a.attempts));
    expect(Math.max(...attempts)).toBeGreaterThan(1);
  }, 90_000);

  it('a company whose sources hang holds at most its bound of a worker: the others are briefed while it is still stuck', async () => {
    // An API that takes every request and never answers, so the hanging company's
    // stripe agents (finance, customer-success) wait on it, heartbeating.
    const hanging: IncomingMessage[] = [];
    const api: LocalServer = await listenLocally(createServer((req) => void hanging.push(req)));
    const taskQueue = `fleet-hang-${randomUUID()}`;
    // Each company names its own credential variable in its sources.yaml.
    const config = commandDeps(fleetEnv(taskQueue, { HANGING_STRIPE_KEY: 'rk_test_fleet' })).config;
    const { client, repo } = await fleetClient();
    const MAX = 6;
    // Eight slots: without the bound, the hanging company's hung agents take all eight.
    const worker = await fleetWorker(config, 'worker', {
      maxConcurrentActivities: 8,
      companyMaxActivities: MAX,
    });
    // Before the worker stops: its hung agents end when their connections are cut.
    cleanups.push(() => api.close());

    const stuck = uniqueCompanyId('hang');
    const healthy = [uniqueCompanyId('ok'), uniqueCompanyId('ok')];
    const sourcesYaml = [
      'agents:',
      '  finance: stripe',
      '  customer-success: stripe',
      `stripe: { api_key_env: HANGING_STRIPE_KEY, base_url: "${api.url}", timeout_ms: 600000 }`,
      '',
    ].join('\n');
    for (const id of [stuck, ...healthy]) {
      forget(repo, id);
      await repo.addCompany({
        id,
        name: id,
        currency: 'USD',
        timeZone: 'UTC',
        workspace: await workspace(id, 'UTC', id === stuck ? { 'sources.yaml': sourcesYaml } : {}),
        cron: '0 7 * * *',
      });
    }
    const start = (companyId: string): Promise<WorkflowHandle> =>
      startBriefing(client, {
        taskQueue,
        now: new Date(),
        workflowId: `wf-${companyId}-${randomUUID().slice(0, 8)}`,
        input: {
          companyId,
          trigger: 'manual',
          timeZone: 'UTC',
          agentActivity: {
            initialRetryMs: 50,
            maxAttempts: 3,
            heartbeatTimeoutMs: 5_000,
            // Far beyond the test: the stuck runs stay stuck until it ends them.
            startToCloseTimeoutMs: 300_000,
          },
        },
      });

    // Six runs of the stuck company: twelve agents that would hang, more than the slots.
    const stuckRuns = await Promise.all(Array.from({ length: 6 }, () => start(stuck)));
    cleanups.push(async () => {
      // Their agents fail when the API goes (no "completed after the run ended" noise).
      await api.close();
      await Promise.all(stuckRuns.map((h) => h.terminate('test over').catch(() => undefined)));
    });
    await expect
      .poll(() => hanging.length, { timeout: 30_000, interval: 100 })
      .toBeGreaterThanOrEqual(MAX);

    const healthyRuns = await Promise.all(healthy.map((id) => start(id)));
    const results = (await within(
      40_000,
      "the healthy companies' briefings, next to the stuck one",
      Promise.all(healthyRuns.map((h) => h.result())),
    )) as DailyBriefingResult[];
    for (const [i, result] of results.entries()) {
      expect(Object.values(result.agents).every((agent) => agent.status === 'ok')).toBe(true);
      expect((await repo.getBriefing(String(result.briefingId)))?.companyId).toBe(healthy[i]);
    }
    // Still stuck, and never more than its bound on the API at once: the runs whose agents
    // hang are running (two per run at most, so at least three). A run whose agents were
    // all refused may have finished meanwhile, degraded: refused, they fell back.
    expect(hanging.length).toBe(MAX);
    let running = 0;
    for (const h of stuckRuns) {
      const d = await h.describe();
      expect(d.priority?.fairnessKey).toBe(stuck);
      if (d.status.name === 'RUNNING') running += 1;
      else {
        expect(d.status.name).toBe('COMPLETED');
        const done = (await h.result()) as DailyBriefingResult;
        expect(done.agents.finance.status).not.toBe('ok');
      }
    }
    expect(running).toBeGreaterThanOrEqual(MAX / 2);
    // Only the stuck company was refused; each healthy run stayed within its bound.
    const refused = worker.logLines.filter(
      (l) => l.msg === 'company busy: activity refused on this worker',
    );
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused.map((l) => l.company_id))).toEqual(new Set([stuck]));
  }, 90_000);
});
