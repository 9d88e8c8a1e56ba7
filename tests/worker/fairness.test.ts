/**
 * Temporal's fairness keys with the company as the key (src/worker/fairness.ts), on a dev
 * server of its own started with `matching.enableFairness`: a backlog of one company's
 * runs does not queue a second company's behind it. Runs are started with the real
 * startBriefing; the order the server hands out their first workflow tasks is read from
 * their histories. (The suite's shared dev server runs without fairness: there the key
 * is recorded and ignored, oldest first: without `matching.enableFairness` this test fails,
 * the first 21 of its backlog handed out were all the first company's when measured.)
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startBriefing } from '../../src/client/run.js';
import { resolveTemporalCli } from '../../src/dev/temporal-cli.js';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  const cli = await resolveTemporalCli({
    cliPath: process.env.TEMPORAL_CLI_PATH,
    envPath: process.env.PATH,
    cacheDir: path.resolve('.cache'),
  });
  env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli.executable,
      ip: '127.0.0.1',
      log: { format: 'json', level: 'error' },
      extraArgs: ['--dynamic-config-value', 'matching.enableFairness=true'],
    },
  });
});
afterAll(async () => {
  await env?.teardown();
});

/** When each run's first workflow task was handed to a worker (ns), from its history. */
async function firstTaskStarted(handle: WorkflowHandle): Promise<number | undefined> {
  const history = await handle.fetchHistory();
  const e = history.events?.find((ev) => ev.workflowTaskStartedEventAttributes);
  if (!e?.eventTime) return undefined;
  return Number(e.eventTime.seconds) * 1e9 + (e.eventTime.nanos ?? 0);
}

describe('fairness keys', () => {
  it("a backlog of one company's runs does not hold a second company's behind it", async () => {
    const client = env.client;
    const taskQueue = `fair-${randomUUID()}`;
    const RUNS = 30;
    // No worker yet: every run waits in the queue, the first company's all older.
    const runs: { company: string; handle: WorkflowHandle }[] = [];
    for (const company of ['first', 'second'])
      for (let i = 0; i < RUNS; i++)
        runs.push({
          company,
          handle: await startBriefing(client, {
            taskQueue,
            now: new Date(),
            workflowId: `fair-${company}-${i}-${randomUUID().slice(0, 8)}`,
            input: { companyId: `co-${company}`, trigger: 'manual', timeZone: 'UTC' },
          }),
        });
    expect((await runs[0]!.handle.describe()).priority?.fairnessKey).toBe('co-first');

    // Workflow tasks only, one at a time: the order they are handed out is the queue's.
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: inject('workflowBundlePath') },
      maxConcurrentWorkflowTaskExecutions: 1,
      maxCachedWorkflows: 0,
    });
    let started: (number | undefined)[] = [];
    await worker.runUntil(async () => {
      await expect
        .poll(
          async () => {
            started = await Promise.all(runs.map((r) => firstTaskStarted(r.handle)));
            return started.every((t) => t !== undefined);
          },
          { timeout: 45_000, interval: 500 },
        )
        .toBe(true);
    });
    await Promise.all(runs.map((r) => r.handle.terminate('measured').catch(() => undefined)));

    const order = runs
      .map((r, i) => ({ company: r.company, at: started[i]! }))
      .sort((x, y) => x.at - y.at)
      .map((r) => r.company);
    // Oldest first would hand out all thirty of the first company's before any of the
    // second's; by company, the second's come in from the start.
    const firstTwenty = order.slice(0, 20);
    expect(firstTwenty.filter((c) => c === 'second').length).toBeGreaterThanOrEqual(5);
  }, 90_000);
});
