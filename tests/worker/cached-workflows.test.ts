/**
 * BOARDROOM_WORKER_CACHED_WORKFLOWS: the worker's sticky cache, set apart from V8's heap
 * limit (the SDK sizes it from that limit, so a worker run with a bounded heap would
 * otherwise cache a handful of runs and replay the others' histories at every step).
 */
import { NativeConnection, type Worker } from '@temporalio/worker';
import { inject, describe, expect, it } from 'vitest';
import { workerDeps, workerOptions } from '../../src/client/stack.js';
import { loadConfig } from '../../src/config.js';
import { Repository } from '../../src/store/repository.js';
import { createBoardroomWorker } from '../../src/worker/worker.js';
import { stackEnv } from '../helpers/cli.js';
import { capturingLogger } from '../helpers/stack.js';

const config = (extra: Record<string, string> = {}) =>
  loadConfig(stackEnv({ companyId: 'cache-test', taskQueue: `cache-test-${process.pid}` }, extra), {
    cwd: process.cwd(),
    isTTY: false,
  });

/** What the SDK made of the worker's options (its compiled options). */
async function cachedWorkflowsOf(extra: Record<string, string>): Promise<number> {
  const cfg = config(extra);
  const repo = Repository.connect(inject('databaseUrl'), { max: 1 });
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  try {
    const worker: Worker = await createBoardroomWorker({
      connection,
      ...workerOptions(cfg),
      deps: workerDeps(cfg, repo, capturingLogger().log),
      workflowBundle: { codePath: inject('workflowBundlePath') },
    });
    const cached = worker.options.maxCachedWorkflows;
    // A created worker holds the connection until it has run and shut down.
    const running = worker.run();
    worker.shutdown();
    await running;
    return cached;
  } finally {
    await connection.close();
    await repo.close();
  }
}

describe('BOARDROOM_WORKER_CACHED_WORKFLOWS', () => {
  it('is unset by default (the SDK sizes the cache) and takes a whole number from 2', () => {
    expect(config().workerCachedWorkflows).toBeUndefined();
    expect(config({ BOARDROOM_WORKER_CACHED_WORKFLOWS: '500' }).workerCachedWorkflows).toBe(500);
    expect(workerOptions(config({ BOARDROOM_WORKER_CACHED_WORKFLOWS: '500' }))).toMatchObject({
      maxCachedWorkflows: 500,
    });
    expect(workerOptions(config())).not.toHaveProperty('maxCachedWorkflows');
    for (const bad of ['1', 'many', '2.5'])
      expect(() => config({ BOARDROOM_WORKER_CACHED_WORKFLOWS: bad })).toThrow(
        new RegExp(`BOARDROOM_WORKER_CACHED_WORKFLOWS: .*\\(got "${bad}"\\)`),
      );
  });

  it('reaches the SDK: the worker caches that many runs, else what its heap limit gives', async () => {
    expect(await cachedWorkflowsOf({ BOARDROOM_WORKER_CACHED_WORKFLOWS: '321' })).toBe(321);
    // The SDK's own figure for this process's heap limit (worker-options.ts).
    const { heap_size_limit } = (await import('node:v8')).getHeapStatistics();
    const sdk = Math.max(
      Math.floor((Math.max(heap_size_limit / 2 ** 20 - 200, 0) * 600) / 1024),
      10,
    );
    expect(await cachedWorkflowsOf({})).toBe(sdk);
  }, 60_000);
});
