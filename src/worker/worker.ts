/**
 * Builds a worker: the briefing workflow plus activities built once from their deps.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { NativeConnection, Runtime, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/activities.js';
import { DEFAULT_COMPANY_MAX_ACTIVITIES, type Config } from '../config.js';
import { snakeCaseFields, type Logger } from '../logger.js';
import { ServiceUnavailableError } from '../shared/errors.js';
import { limitPerCompany, type CompanyLimitOptions } from './company-limit.js';
import { bundleWorkflowsApart } from './bundle-workflows.js';

/** The workflows' entry: index.ts beside src's modules, index.js in a build (dist/). */
export const WORKFLOWS_PATH = fileURLToPath(
  new URL(`../workflows/index${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url),
);

let runtimeInstalled = false;

/**
 * Sends the Temporal SDK's own logs through our logger and, with `metricsAddress`
 * (`ip:port`, see metricsAddressFrom), serves the SDK's metrics for Prometheus on
 * `http://<metricsAddress>/metrics`. Once per process: later calls do nothing (until
 * `shutdownTemporalRuntime`).
 *
 * The SDK's own Ctrl-C and SIGTERM handlers are left out: the commands own the signals
 * (context.ts stopOnSignals) and stop the worker in order; the SDK's handlers would
 * swallow the first signal of a process whose start-up had failed.
 */
export function installTemporalRuntime(log: Logger, opts: { metricsAddress?: string } = {}): void {
  // Ours already, or another's (a test's, an embedding program's): that one stays as it is.
  if (runtimeInstalled || Runtime._instance) return;
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
    shutdownSignals: [],
    telemetryOptions: {
      logging: { filter: 'WARN', forward: {} },
      ...(opts.metricsAddress
        ? { metrics: { prometheus: { bindAddress: opts.metricsAddress } } }
        : {}),
    },
  });
}

/**
 * Shuts the SDK's native runtime down once everything that used it is closed: an
 * installed runtime keeps the process alive, even when start-up failed before any worker
 * existed. Safe to call when none was installed.
 */
export async function shutdownTemporalRuntime(): Promise<void> {
  if (!runtimeInstalled) return;
  runtimeInstalled = false;
  await Runtime._instance?.shutdown();
}

/**
 * The worker's connection, within `config.connectTimeoutMs` (BOARDROOM_CONNECT_TIMEOUT_MS):
 * a ServiceUnavailableError that says what to do when Temporal cannot be reached. A
 * connection that arrives after the deadline is closed.
 */
export async function connectWorker(config: Config, address: string): Promise<NativeConnection> {
  const connecting = NativeConnection.connect({
    ...config.temporal.connect.connectionOptions,
    address,
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${config.connectTimeoutMs} ms`)),
      config.connectTimeoutMs,
    );
  });
  try {
    return await Promise.race([connecting, deadline]);
  } catch (err) {
    void connecting.then((late) => late.close()).catch(() => {});
    throw new ServiceUnavailableError(
      `The worker cannot reach Temporal at ${address} (${firstLine(err)}). ` +
        'Check TEMPORAL_ADDRESS, or start the stack with `npm start`.',
      { address },
    );
  } finally {
    clearTimeout(timer);
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
}

export interface BoardroomWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /**
   * Prebuilt bundle (tests build it once). @default src/workflows bundled at start, in a
   * child process (bundle-workflows.ts), so webpack's memory does not stay with the worker
   */
  workflowBundle?: WorkflowBundleOption;
  shutdownGraceTimeMs?: number;
  /** The worker's Temporal identity (identity.ts: which settings it serves with). */
  identity?: string;
  /**
   * Activities of one company running at once on this worker (company-limit.ts), from
   * BOARDROOM_COMPANY_MAX_ACTIVITIES; `false` serves without the bound (tests prove
   * with it that the bound is what keeps a hanging company from the others' slots).
   * @default DEFAULT_COMPANY_MAX_ACTIVITIES
   */
  companyMaxActivities?: number | false;
  /** The rest of the per-company bound's settings (waits, retry delay). @default company-limit.ts's */
  companyLimit?: Omit<CompanyLimitOptions, 'max' | 'log'>;
  /** The worker's activity slots (the SDK's maxConcurrentActivityTaskExecutions). @default 100 */
  maxConcurrentActivities?: number;
  /**
   * Runs kept in the sticky cache (the SDK's maxCachedWorkflows, BOARDROOM_WORKER_CACHED_WORKFLOWS).
   * @default the SDK's: from V8's heap limit
   */
  maxCachedWorkflows?: number;
}

/**
 * How long a run's next workflow task waits on the sticky queue of the worker that ran
 * its last one before any worker may take it. The SDK's 10 s is all dead time when that
 * worker was killed; a live worker picks its sticky tasks up in milliseconds, and one
 * that misses 3 s only costs a replay elsewhere. Measured with the kill tests: a run
 * killed mid-delivery completes ~17 s after the kill with 10 s, ~10 s with 3 s.
 */
export const STICKY_QUEUE_TIMEOUT_MS = 3_000;

export async function createBoardroomWorker(opts: BoardroomWorkerOptions): Promise<Worker> {
  const workflowBundle = opts.workflowBundle ?? {
    code: await bundleWorkflowsApart({ workflowsPath: WORKFLOWS_PATH }),
  };
  return Worker.create({
    stickyQueueScheduleToStartTimeout: STICKY_QUEUE_TIMEOUT_MS,
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: boundedActivities(opts),
    workflowBundle,
    shutdownGraceTime: opts.shutdownGraceTimeMs ?? 10_000,
    ...(opts.identity ? { identity: opts.identity } : {}),
    ...(opts.maxCachedWorkflows ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
    ...(opts.maxConcurrentActivities
      ? { maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivities }
      : {}),
  });
}

/** The activities, each company's bounded to its share of this worker's slots. */
function boundedActivities(opts: BoardroomWorkerOptions) {
  const activities = createActivities(opts.deps);
  const max = opts.companyMaxActivities ?? DEFAULT_COMPANY_MAX_ACTIVITIES;
  if (max === false) return activities;
  // One set of permits per worker: a process runs one worker (`npm start`, `boardroom worker`).
  return limitPerCompany(activities, { ...opts.companyLimit, max, log: opts.deps.log });
}
