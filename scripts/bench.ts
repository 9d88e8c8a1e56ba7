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
const client = new Client({ connection: env.connection });
const input: DailyBriefingInput = { companyId, trigger: 'manual', timeZone: 'UTC' };

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

async function oneRun(i: number): Promise<{ total: number; slowestAgent: number }> {
  const t0 = performance.now();
  const handle = await startBriefing(client, {
    taskQueue,
    input,
    now: new Date(),
    workflowId: `${companyId}-${i}`,
  });
  await handle.result();
  const total = performance.now() - t0;
  const { rows } = await repo.pool.query(
    `SELECT max(duration_ms)::int AS slowest FROM agent_executions WHERE workflow_id = $1`,
    [handle.workflowId],
  );
  return { total, slowestAgent: rows[0].slowest };
}

await worker.runUntil(async () => {
  await oneRun(-1); // warm-up: workflow bundle load, first connections
  const sequential: { total: number; slowestAgent: number }[] = [];
  for (let i = 0; i < RUNS; i++) sequential.push(await oneRun(i));
  const totals = sequential.map((r) => r.total);
  const overhead = sequential.map((r) => r.total - r.slowestAgent);
  console.log(`sequential runs: ${RUNS}`);
  console.log(
    `  end-to-end ms      p50 ${pct(totals, 50).toFixed(0)}  p95 ${pct(totals, 95).toFixed(0)}  max ${Math.max(...totals).toFixed(0)}`,
  );
  console.log(
    `  slowest agent ms   p50 ${pct(
      sequential.map((r) => r.slowestAgent),
      50,
    )}`,
  );
  console.log(
    `  after slowest ms   p50 ${pct(overhead, 50).toFixed(0)}  p95 ${pct(overhead, 95).toFixed(0)}  (client start -> result, minus the slowest agent)`,
  );

  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < RUNS * 2) await oneRun(1000 + next++);
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `concurrent: ${RUNS * 2} runs, ${CONCURRENCY} at a time: ${((RUNS * 2) / secs).toFixed(1)} runs/s`,
  );
  console.log(`memory: rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
});

await connection.close();
await repo.pool.query(`DELETE FROM briefing_runs WHERE company_id = $1`, [companyId]);
await repo.pool.query(`DELETE FROM agent_executions WHERE company_id = $1`, [companyId]);
await repo.close();
await embedded?.stop();
await env.teardown();
await rm(tmp, { recursive: true, force: true });
