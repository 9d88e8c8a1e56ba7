/**
 * `boardroom worker`: a worker alone, for a real cluster (TEMPORAL_ADDRESS and
 * DATABASE_URL), until stopped.
 */
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import { stopOnSignals, type OnStopRequest } from '../context.js';
import type { Output } from '../output.js';
import { bootStack } from '../stack.js';

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
    { envPath: deps.envPath, withWorker: true, onProgress: output.say },
  );
  output.say(
    `Worker polling task queue "${config.temporal.taskQueue}" in namespace "${config.temporal.namespace}". Ctrl-C to stop.`,
  );
  (deps.onStopRequest ?? stopOnSignals)(() => void stack.shutdown());
  await stack.workerDone;
  await stack.shutdown();
  return 0;
}
