/**
 * A worker on a task queue of its own, a client, and the repository, against the
 * suite's real Temporal and Postgres. Each test gets a unique company id, so tests
 * never see each other's rows or schedules.
 */
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterEach, inject } from 'vitest';
import type { AgentDefinition } from '../../src/contract/agent.js';
import type { AgentName } from '../../src/contract/report.js';
import { AGENTS } from '../../src/agents/registry.js';
import { createActivities } from '../../src/activities/activities.js';
import type { StoreRetryOptions } from '../../src/activities/failures.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { startBriefing } from '../../src/client/run.js';
import { workspaceSources, type Sources } from '../../src/sources/sources.js';
import { Repository } from '../../src/store/repository.js';
import type { DailyBriefingInput, DailyBriefingResult } from '../../src/shared/workflow-api.js';

export const DEMO_WORKSPACE = path.resolve('examples/demo-workspace');

export function uniqueCompanyId(label: string): string {
  return `t-${label}-${randomUUID().slice(0, 8)}`;
}

/** A logger whose JSON lines land in `lines`, to assert on. */
export function capturingLogger(): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { log: createLogger({ level: 'info', format: 'json', destination }), lines };
}

export interface TestStack {
  companyId: string;
  taskQueue: string;
  client: Client;
  repo: Repository;
  logLines: Record<string, unknown>[];
  /** Starts a manual run and waits for its result. */
  runBriefing(
    overrides?: Partial<DailyBriefingInput>,
  ): Promise<DailyBriefingResult & { workflowId: string }>;
  input(overrides?: Partial<DailyBriefingInput>): DailyBriefingInput;
  close(): Promise<void>;
}

export async function createTestStack(
  opts: {
    companyId?: string;
    sources?: Sources;
    agents?: Record<AgentName, AgentDefinition>;
    workspace?: string;
    withWorker?: boolean;
    taskQueue?: string;
    /**
     * The worker's database (e.g. through a proxy); the stack's `repo` stays direct. Its
     * pool gives a silent query 3 s (the app's default is 15 s) so tests stay short.
     */
    workerDatabaseUrl?: string;
    /** How the worker's activities ride out an unreachable Postgres. */
    storeRetry?: StoreRetryOptions;
  } = {},
): Promise<TestStack> {
  const companyId = opts.companyId ?? uniqueCompanyId('co');
  const address = inject('temporalAddress');
  const taskQueue = opts.taskQueue ?? `test-${randomUUID()}`;
  const repo = Repository.connect(inject('databaseUrl'), { max: 4 });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const { log, lines } = capturingLogger();
  let worker: Worker | undefined;
  let workerRun: Promise<void> = Promise.resolve();
  let nativeConnection: NativeConnection | undefined;
  const workerRepo = opts.workerDatabaseUrl
    ? Repository.connect(opts.workerDatabaseUrl, {
        max: 8,
        connectionTimeoutMs: 5_000,
        queryTimeoutMs: 3_000,
      })
    : repo;
  if (opts.withWorker !== false) {
    nativeConnection = await NativeConnection.connect({ address });
    worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      activities: createActivities({
        repo: workerRepo,
        ...(opts.storeRetry ? { storeRetry: opts.storeRetry } : {}),
        sources:
          opts.sources ?? workspaceSources({ [companyId]: opts.workspace ?? DEMO_WORKSPACE }),
        clock: () => new Date(),
        log,
        agents: opts.agents ?? AGENTS,
      }),
    });
    workerRun = worker.run();
  }
  const input = (overrides: Partial<DailyBriefingInput> = {}): DailyBriefingInput => ({
    companyId,
    trigger: 'manual',
    timeZone: 'UTC',
    // Fast retries so failure tests take milliseconds, not seconds.
    agentActivity: {
      initialRetryMs: 50,
      maxAttempts: 3,
      heartbeatTimeoutMs: 5_000,
      startToCloseTimeoutMs: 30_000,
    },
    ...overrides,
  });
  return {
    companyId,
    taskQueue,
    client,
    repo,
    logLines: lines,
    input,
    async runBriefing(overrides) {
      const handle = await startBriefing(client, {
        taskQueue,
        input: input(overrides),
        now: new Date(),
        workflowId: `wf-${companyId}-${randomUUID().slice(0, 8)}`,
      });
      const result = (await handle.result()) as DailyBriefingResult;
      return { ...result, workflowId: handle.workflowId };
    },
    async close() {
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun;
      await nativeConnection?.close();
      await connection.close();
      await repo.pool.query(`DELETE FROM briefing_runs WHERE company_id = $1`, [companyId]);
      await repo.pool.query(`DELETE FROM agent_executions WHERE company_id = $1`, [companyId]);
      await repo.pool.query(`DELETE FROM metric_points WHERE company_id = $1`, [companyId]);
      await repo.close();
      if (workerRepo !== repo) await workerRepo.close();
    },
  };
}

/**
 * Wraps a source so chosen agents fail: `failures(agent, call)` returns an error to
 * throw on that call (1-based), or undefined to load normally. Counts calls per agent.
 */
export function faultySources(
  base: Sources,
  failures: (agent: AgentName, call: number) => Error | undefined,
): Sources & { calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  return {
    calls,
    loadCompany: (id) => base.loadCompany(id),
    async loadAgentInput(companyId, agent) {
      const call = (calls[agent.name] ?? 0) + 1;
      calls[agent.name] = call;
      const err = failures(agent.name, call);
      if (err) throw err;
      return base.loadAgentInput(companyId, agent);
    },
  };
}

/**
 * `stack(...)` creates a test stack that is closed after each test: call once at the
 * top of a test file.
 */
export function closeStacksAfterEach(): (
  ...args: Parameters<typeof createTestStack>
) => Promise<TestStack> {
  let stacks: TestStack[] = [];
  afterEach(async () => {
    await Promise.all(stacks.map((s) => s.close()));
    stacks = [];
  });
  return async (...args) => {
    const s = await createTestStack(...args);
    stacks.push(s);
    return s;
  };
}
