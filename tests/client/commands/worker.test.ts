/**
 * `workerCommand` called directly, with a stand-in for the stack it boots: it joins the
 * configured Temporal (or the local dev server's address), says where it polls, and
 * returns 0 once stopped.
 */
import { describe, expect, it } from 'vitest';
import { workerCommand } from '../../../src/client/commands/worker.js';
import { bootFromTestStack, commandDeps, stackEnv } from '../../helpers/cli.js';
import { closeStacksAfterEach } from '../../helpers/stack.js';

const stack = closeStacksAfterEach();

describe('workerCommand', () => {
  it('polls the configured task queue until stopped; the worker it booted serves runs', async () => {
    const s = await stack();
    const fake = bootFromTestStack(s);
    const deps = commandDeps(stackEnv(s));
    let stop: (() => void) | undefined;
    const serving = workerCommand({
      ...deps,
      envPath: undefined,
      boot: fake.boot,
      onStopRequest: (s) => (stop = s),
    });
    // The stop is wired before anything boots (the first signal is honoured at any moment).
    expect(stop).toBeDefined();
    await expect.poll(() => deps.output.stderr, { timeout: 10_000 }).toContain('Worker polling');
    expect(deps.output.stderr).toBe(
      `Worker polling task queue "${s.taskQueue}" in namespace "default". Ctrl-C to stop.\n`,
    );
    expect(fake.boots[0]!.config.temporal.address).toBe(deps.config.temporal.address);
    const result = await s.runBriefing();
    expect(Object.values(result.agents).every((a) => a.status === 'ok')).toBe(true);
    stop!();
    expect(await serving).toBe(0);
    expect(fake.shutdowns).toBeGreaterThanOrEqual(1);
  });

  it('without TEMPORAL_ADDRESS it says so and joins the local dev server, never starting one', async () => {
    const s = await stack({ withWorker: false });
    const fake = bootFromTestStack(s);
    const deps = commandDeps({ TEMPORAL_DEV_PORT: '7300', LOG_LEVEL: 'warn' });
    let stop: (() => void) | undefined;
    const serving = workerCommand({
      ...deps,
      envPath: '/usr/bin',
      boot: fake.boot,
      onStopRequest: (s) => (stop = s),
    });
    await expect.poll(() => deps.output.stderr, { timeout: 10_000 }).toContain('Worker polling');
    expect(deps.output.stderr.split('\n')[0]).toBe(
      'TEMPORAL_ADDRESS is not set: connecting to the local dev server.',
    );
    expect(fake.boots[0]!.config.temporal.address).toBe('127.0.0.1:7300');
    expect(fake.boots[0]!.opts).toMatchObject({ envPath: '/usr/bin', withWorker: true });
    stop!();
    expect(await serving).toBe(0);
  });
});
