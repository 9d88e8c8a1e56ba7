/**
 * `boardroom worker`: a worker alone, for a real cluster (TEMPORAL_ADDRESS and
 * DATABASE_URL), until stopped.
 *
 * Exit codes: 0 after a requested stop (Ctrl-C, SIGTERM) while serving; 1 when start-up
 * fails (nothing is left running) or the worker crashes, so a supervisor restarts it;
 * 130 or 143 when a stop interrupts start-up.
 */
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { signalExitCode, stopRequests, type OnStopRequest } from '../context.js';
import { StartupAbortedError } from '../errors.js';
import type { Output } from '../output.js';
import { bootStack } from '../stack.js';
import { loadWorkspaceCompany } from '../workflow-input.js';

export interface WorkerDeps {
  config: Config;
  log: Logger;
  output: Output;
  /** PATH, to find the `temporal` CLI. */
  envPath: string | undefined;
  /** Brings up the worker and its connections. @default bootStack */
  boot?: typeof bootStack;
  /** @default stopOnSignals (Ctrl-C, SIGTERM) */
  onStopRequest?: OnStopRequest;
}

export async function workerCommand(deps: WorkerDeps): Promise<number> {
  const { config, output } = deps;
  const stop = stopRequests(deps.onStopRequest);
  try {
    // The worker resolves the company's workspace for every run: check it before booting.
    await loadWorkspaceCompany(config);
    if (!config.temporal.address)
      output.say(`TEMPORAL_ADDRESS is not set: connecting to the local dev server.`);
    // A worker never starts a dev server: without an address it joins the local one.
    const stack = await (deps.boot ?? bootStack)(
      {
        ...config,
        temporal: {
          ...config.temporal,
          address: config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`,
        },
      },
      deps.log,
      { envPath: deps.envPath, withWorker: true, onProgress: output.say, signal: stop.signal },
    );
    try {
      if (stop.signal.aborted) throw new StartupAbortedError(stop.signal.reason as NodeJS.Signals);
      output.say(
        `Worker polling task queue "${config.temporal.taskQueue}" in namespace "${config.temporal.namespace}". Ctrl-C to stop.`,
      );
      // A crash rejects workerDone: exit 1, after the shutdown below.
      await Promise.race([stack.workerDone, stop.stopped]);
      return 0;
    } finally {
      await stack.shutdown();
    }
  } catch (err) {
    if (err instanceof StartupAbortedError) {
      output.say(err.message);
      return signalExitCode(err.signal);
    }
    throw err;
  }
}
