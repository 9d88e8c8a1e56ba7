/**
 * Builds a worker: the briefing workflow plus activities built once from their deps.
 */
import { fileURLToPath } from 'node:url';
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { NativeConnection, Runtime, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/activities.js';
import type { Config } from '../config.js';
import { snakeCaseFields, type Logger } from '../logger.js';

export const WORKFLOWS_PATH = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

let runtimeInstalled = false;

/**
 * Sends the Temporal SDK's own logs through our logger and, with `metricsAddress`
 * (`ip:port`, see metricsAddressFrom), serves the SDK's metrics for Prometheus on
 * `http://<metricsAddress>/metrics`. Once per process: later calls do nothing.
 */
export function installTemporalRuntime(log: Logger, opts: { metricsAddress?: string } = {}): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  // The SDK is chatty at info (bundle sizes, worker state); keep it at warn unless debugging.
  const sdkLog = log.child(
    { from: 'temporal' },
    { level: ['debug', 'trace'].includes(log.level) ? log.level : 'warn' },
  );
  const forward = (level: LogLevel, message: string, meta?: LogMetadata) =>
    sdkLog[level.toLowerCase() as 'trace' | 'debug' | 'info' | 'warn' | 'error'](
      snakeCaseFields(meta ?? {}),
      message,
    );
  const logger: TemporalLogger = {
    log: forward,
    trace: (m, meta) => forward('TRACE', m, meta),
    debug: (m, meta) => forward('DEBUG', m, meta),
    info: (m, meta) => forward('INFO', m, meta),
    warn: (m, meta) => forward('WARN', m, meta),
    error: (m, meta) => forward('ERROR', m, meta),
  };
  Runtime.install({
    logger,
    telemetryOptions: {
      logging: { filter: 'WARN', forward: {} },
      ...(opts.metricsAddress
        ? { metrics: { prometheus: { bindAddress: opts.metricsAddress } } }
        : {}),
    },
  });
}

export async function connectWorker(config: Config, address: string): Promise<NativeConnection> {
  return NativeConnection.connect({ ...config.temporal.connect.connectionOptions, address });
}

export interface BoardroomWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Prebuilt bundle (tests build it once); default: bundle src/workflows at start. */
  workflowBundle?: WorkflowBundleOption;
  shutdownGraceTimeMs?: number;
}

export async function createBoardroomWorker(opts: BoardroomWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: createActivities(opts.deps),
    ...(opts.workflowBundle
      ? { workflowBundle: opts.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH }),
    shutdownGraceTime: opts.shutdownGraceTimeMs ?? 10_000,
  });
}
