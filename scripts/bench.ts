/**
 * Benchmark: how much the briefing workflow adds on top of its slowest agent, and how
 * many runs a second one worker sustains. Prints figures; asserts nothing.
 *
 *   npx tsx scripts/bench.ts [--runs 20] [--concurrency 8]
 *
 * Uses a file-backed Temporal dev server (like `npm start`) in a temp folder, and
 * DATABASE_URL when set, else an in-memory embedded Postgres.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createActivities } from '../src/activities/activities.js';
import { AGENTS } from '../src/agents/registry.js';
import { startBriefing } from '../src/client/run.js';
import { resolveTemporalCli } from '../src/dev/temporal-cli.js';
import { createLogger } from '../src/logger.js';
import { workspaceSources } from '../src/sources/sources.js';
import { startEmbeddedPostgres } from '../src/store/embedded-postgres.js';
import { migrate } from '../src/store/migrate.js';
import { Repository } from '../src/store/repository.js';
import type { DailyBriefingInput } from '../src/shared/workflow-api.js';
import { WORKFLOWS_PATH } from '../src/worker/worker.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '8' },
  },
});
const RUNS = Number(values.runs);
const CONCURRENCY = Number(values.concurrency);

Runtime.install({ logger: new DefaultLogger('WARN') });
const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-bench-'));
const cli = await resolveTemporalCli({
  cliPath: process.env.TEMPORAL_CLI_PATH,
  envPath: process.env.PATH,
  cacheDir: path.resolve('.cache'),
});
const env = await TestWorkflowEnvironment.createLocal({
  server: {
    executable: cli.executable,
    ip: '127.0.0.1',
    dbFilename: path.join(tmp, 'temporal.db'),
  },
});
const embedded = process.env.DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres({ dataDir: undefined, port: 0 });
const dbUrl = process.env.DATABASE_URL ?? embedded!.url;
await migrate(dbUrl);
const repo = Repository.connect(dbUrl);
const companyId = `bench-${Date.now().toString(36)}`;
const taskQueue = `bench-${companyId}`;
const connection = await NativeConnection.connect({ address: env.connection.options.address });
const worker = await Worker.create({
  connection,
  taskQueue,
  workflowsPath: WORKFLOWS_PATH,
  activities: createActivities({
    repo,
    sources: workspaceSources({ [companyId]: path.resolve('examples/demo-workspace') }),
    clock: () => new Date(),
    log: createLogger({ level: 'silent', format: 'json' }),
    agents: AGENTS,
  }),
});
const bareWorker = await Worker.create({
  connection,
  taskQueue: `${taskQueue}-bare`,
  workflowsPath: fileURLToPath(new URL('./bench-workflows.ts', import.meta.url)),
  activities: { noop: async () => {} },
});
const client = new Client({ connection: env.connection });
const input: DailyBriefingInput = { companyId, trigger: 'manual', timeZone: 'UTC' };

const pct = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

interface RunTiming {
  total: number;
  /** Server time from the 6th parallel activity completing to the workflow completing. */
  afterSlowest: number;
}

async function timeFromHistory(workflowId: string, total: number): Promise<RunTiming> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const ms = (e: (typeof events)[number]) =>
    Number(e.eventTime!.seconds) * 1000 + Math.round((e.eventTime!.nanos ?? 0) / 1e6);
  const done = events.filter(
    (e) => e.activityTaskCompletedEventAttributes || e.activityTaskFailedEventAttributes,
  );
  if (process.env.BENCH_DEBUG) {
    const started = events.filter((e) => e.activityTaskStartedEventAttributes);
    console.log(
      'activity ms (start->done):',
      done.map((d, k) => ms(d) - ms(started[k]!)).join(' '),
      '| gaps after 6th:',
      events
        .slice(events.indexOf(done[5]!))
        .map((e) => `${e.eventType}:${ms(e) - ms(done[5]!)}`)
        .join(' '),
    );
  }
  return { total, afterSlowest: ms(events[events.length - 1]!) - ms(done[5]!) };
}

async function oneRun(i: number): Promise<RunTiming> {
  const t0 = performance.now();
  const handle = await startBriefing(client, {
    taskQueue,
    input,
    now: new Date(),
    workflowId: `${companyId}-${i}`,
  });
  await handle.result();
  return timeFromHistory(handle.workflowId, performance.now() - t0);
}

async function oneBareRun(i: number): Promise<RunTiming> {
  const t0 = performance.now();
  const handle = await client.workflow.start('bareWorkflow', {
    taskQueue: `${taskQueue}-bare`,
    workflowId: `${companyId}-bare-${i}`,
  });
  await handle.result();
  return timeFromHistory(handle.workflowId, performance.now() - t0);
}

function report(label: string, runs: RunTiming[]): void {
  const totals = runs.map((r) => r.total);
  const after = runs.map((r) => r.afterSlowest);
  console.log(`${label}: ${runs.length} sequential runs`);
  console.log(
    `  client start -> result ms   p50 ${pct(totals, 50).toFixed(0)}  p95 ${pct(totals, 95).toFixed(0)}`,
  );
  console.log(
    `  after the 6th activity ms   p50 ${pct(after, 50)}  p95 ${pct(after, 95)}  (server clock, from history)`,
  );
}

await Promise.all([
  bareWorker.run(),
  worker.runUntil(async () => {
    await oneRun(-1); // warm-up: workflow bundle load, first connections
    await oneBareRun(-1);
    const bare: RunTiming[] = [];
    for (let i = 0; i < RUNS; i++) bare.push(await oneBareRun(i));
    report('bare shape (6 parallel no-op activities, then 2)', bare);
    const sequential: RunTiming[] = [];
    for (let i = 0; i < RUNS; i++) sequential.push(await oneRun(i));
    report('dailyBriefingWorkflow on the demo workspace', sequential);

    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < RUNS * 2) await oneRun(1000 + next++);
      }),
    );
    const secs = (performance.now() - t0) / 1000;
    console.log(
      `concurrent: ${RUNS * 2} briefings, ${CONCURRENCY} at a time: ${((RUNS * 2) / secs).toFixed(1)} runs/s`,
    );
    console.log(`memory: rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
    bareWorker.shutdown();
  }),
]);

await connection.close();
await repo.pool.query(`DELETE FROM briefing_runs WHERE company_id = $1`, [companyId]);
await repo.pool.query(`DELETE FROM agent_executions WHERE company_id = $1`, [companyId]);
await repo.close();
await embedded?.stop();
await env.teardown();
await rm(tmp, { recursive: true, force: true });
