/**
 * `boardroom start`: bring up what is not configured, a worker and the daily schedule;
 * run a briefing now and print it; keep serving until stopped (or exit, with `once`).
 */
import type { Logger } from '../../logger.js';
import type { Config } from '../../config.js';
import { emitBriefing, type BriefingOutputOptions } from '../briefing-output.js';
import { stopOnSignals, type OnStopRequest } from '../context.js';
import type { Output } from '../output.js';
import { progressPrinter } from '../progress-printer.js';
import { followRun, startBriefing } from '../run.js';
import { ensureSchedule } from '../schedule.js';
import { bootStack } from '../stack.js';
import { runUrl } from '../temporal.js';
import { timeZoneFor, workflowInput } from '../workflow-input.js';

export interface StartOptions extends BriefingOutputOptions {
  /** Exit after printing the first briefing. */
  once?: boolean;
}

export interface StartDeps {
  config: Config;
  log: Logger;
  output: Output;
  /** Shown at start-up, so the person knows where the log lines went. */
  logFile: string | undefined;
  /** PATH, to find the `temporal` CLI. */
  envPath: string | undefined;
  /** Brings up the stack. @default bootStack */
  boot?: typeof bootStack;
  /** @default stopOnSignals (Ctrl-C, SIGTERM) */
  onStopRequest?: OnStopRequest;
}

export async function startCommand(opts: StartOptions, deps: StartDeps): Promise<number> {
  const t0 = performance.now();
  const { config, output } = deps;
  const { say } = output;
  const stack = await (deps.boot ?? bootStack)(config, deps.log, {
    envPath: deps.envPath,
    withWorker: true,
    onProgress: say,
  });
  if (stack.uiUrl) say(`Temporal UI: ${stack.uiUrl}`);
  if (deps.logFile) say(`Logs: ${deps.logFile}`);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      say('Shutting down ...');
      await stack.shutdown();
    })());
  (deps.onStopRequest ?? stopOnSignals)(() => void stop());
  try {
    const timeZone = await timeZoneFor(config);
    const input = await workflowInput(config, timeZone, 'schedule', stack.client, say);
    const outcome = await ensureSchedule(stack.client, {
      companyId: config.company.id,
      cron: config.schedule.cron,
      timeZone,
      taskQueue: config.temporal.taskQueue,
      input,
    });
    say(
      `Daily schedule ${outcome}: "${config.schedule.cron}" (${timeZone}) for company "${config.company.id}".`,
    );
    const handle = await startBriefing(stack.client, {
      taskQueue: config.temporal.taskQueue,
      input: { ...input, trigger: 'manual' },
      now: new Date(),
    });
    const printer = progressPrinter(output);
    const result = await followRun(handle, printer.update);
    printer.end();
    const stored = await stack.db.repo.getBriefing(String(result.briefingId));
    if (!stored) throw new Error(`briefing ${result.briefingId} was not found after the run`);
    await emitBriefing(stored, opts, output);
    say(
      `Briefing #${result.briefingId} ready in ${((performance.now() - t0) / 1000).toFixed(1)}s.`,
    );
    say(`Inspect the run: ${runUrl(stack.uiUrl, config.temporal.namespace, handle.workflowId)}`);
    if (!opts.once) {
      say('Running: the worker serves the daily schedule and `npx boardroom run`. Ctrl-C to stop.');
      await stack.workerDone;
    }
    await stop();
    return 0;
  } catch (err) {
    await stop();
    throw err;
  }
}
