/**
 * `start` and `worker` called directly with a stand-in stack whose worker can crash and
 * whose boot can hang: a crash is exit 1 (a supervisor restarts), the first stop request
 * is honoured during start-up (exit 130/143), the stack is shut down exactly once.
 */
import { describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { startCommand } from '../../../src/client/commands/start.js';
import { workerCommand } from '../../../src/client/commands/worker.js';
import { StartupAbortedError, WorkerStoppedError } from '../../../src/client/errors.js';
import { main } from '../../../src/client/program.js';
import type { bootStack, Stack } from '../../../src/client/stack.js';
import { captureOutput, commandDeps } from '../../helpers/cli.js';
import { DEMO_WORKSPACE } from '../../helpers/stack.js';

const env = { BOARDROOM_WORKSPACE: DEMO_WORKSPACE, LOG_LEVEL: 'warn', TEMPORAL_ADDRESS: 'x:1' };

/** A stack that is "up" at once; `crash()` makes its worker stop with an error. */
function crashingStack() {
  let crash!: (err: Error) => void;
  let shutdowns = 0;
  const workerDone = new Promise<void>((_, reject) => {
    crash = (err) => reject(new WorkerStoppedError(err));
  });
  workerDone.catch(() => undefined);
  const stack = {
    client: {} as Client,
    db: {} as Stack['db'],
    worker: undefined,
    workerDone,
    devTemporal: undefined,
    uiUrl: undefined,
    async shutdown() {
      shutdowns += 1;
    },
  } satisfies Stack;
  const boot: typeof bootStack = async () => stack;
  return { boot, crash, shutdowns: () => shutdowns };
}

/** A boot that waits until its signal aborts, as a connect to a silent host would. */
const hangingBoot: typeof bootStack = (_config, _log, opts) =>
  new Promise((_, reject) => {
    opts.signal?.addEventListener('abort', () =>
      reject(new StartupAbortedError(opts.signal!.reason as NodeJS.Signals)),
    );
  });

describe('worker and start lifecycle', () => {
  it('worker: a crash of the worker is exit 1 with one line, after one shutdown', async () => {
    const fake = crashingStack();
    const deps = commandDeps(env);
    const serving = workerCommand({
      ...deps,
      envPath: undefined,
      boot: fake.boot,
      onStopRequest: () => {},
    });
    await expect.poll(() => deps.output.stderr).toContain('Worker polling');
    fake.crash(new Error('Shutdown grace time expired\n    at Worker.run (worker.js:1:1)'));
    await expect(serving).rejects.toThrow(
      'The worker stopped with an error: Shutdown grace time expired',
    );
    expect(fake.shutdowns()).toBe(1);
  });

  it('main: start-up that cannot reach Temporal is exit 1, one line, no stack', async () => {
    const out = captureOutput();
    // `worker` against a Temporal that accepts nothing: start-up fails instead of hanging.
    const code = await main(['node', 'boardroom', 'worker'], {
      env: {
        ...env,
        TEMPORAL_ADDRESS: '127.0.0.1:1',
        BOARDROOM_CONNECT_TIMEOUT_MS: '500',
        DATABASE_URL: 'postgres://u@127.0.0.1:1/x',
      },
      output: out,
    });
    expect(code).toBe(1);
    expect(out.stderr).toMatch(/^Cannot reach Temporal at 127\.0\.0\.1:1 /);
    expect(out.stderr).not.toMatch(/^\s+at /m);
  });

  it('start: a crash of the worker while serving is exit 1', async () => {
    const fake = crashingStack();
    const deps = commandDeps(env);
    // The worker dies as the stack comes up, before the first run is started.
    fake.crash(new Error('core panicked'));
    const started = startCommand(
      {},
      {
        ...deps,
        logFile: undefined,
        envPath: undefined,
        boot: fake.boot,
        onStopRequest: () => {},
      },
    );
    await expect(started).rejects.toThrow('The worker stopped with an error: core panicked');
    expect(fake.shutdowns()).toBe(1);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    'worker and start: the first %s during start-up ends it at once (exit %i)',
    async (signal, exitCode) => {
      for (const command of ['worker', 'start'] as const) {
        const deps = commandDeps(env);
        let stop: ((s?: NodeJS.Signals) => void) | undefined;
        const common = {
          ...deps,
          envPath: undefined,
          boot: hangingBoot,
          onStopRequest: (s: (sig?: NodeJS.Signals) => void) => void (stop = s),
        };
        const running =
          command === 'worker'
            ? workerCommand(common)
            : startCommand({ once: true }, { ...common, logFile: undefined });
        await expect.poll(() => stop).toBeDefined();
        await new Promise((r) => setTimeout(r, 50));
        stop!(signal);
        stop!(signal); // a second request changes nothing
        expect(await running).toBe(exitCode);
        expect(deps.output.stderr).toContain(`Stopped by ${signal} during start-up`);
      }
    },
  );
});
