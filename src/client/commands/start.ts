/**
 * `boardroom start`: bring up what is not configured, a worker and the daily schedule;
 * run a briefing now and print it; keep serving until stopped (or exit, with `once`).
 *
 * Exit codes: 0 after `once` or a requested stop while serving; 1 when start-up fails
 * (nothing is left running), the run fails or the worker crashes; 130 (Ctrl-C) or 143
 * (SIGTERM) when a stop interrupts start-up or the first run.
 */
import type { Logger } from '../../logger.js';
import type { Config } from '../../config.js';
import { ensureDemoHistory } from '../demo.js';
import { deliveryLines } from '../delivery-lines.js';
import { checkOutOption, emitBriefing, type BriefingOutputOptions } from '../briefing-output.js';
import { signalExitCode, stopRequests, type OnStopRequest } from '../context.js';
import { StartupAbortedError } from '../errors.js';
import type { Output } from '../output.js';
import { progressPrinter } from '../progress-printer.js';
import { followRun, startBriefing } from '../run.js';
import { ensureSchedule } from '../schedule.js';
import { bootStack, type Stack } from '../stack.js';
import { runUrl } from '../temporal.js';
import { timeZoneFor, workflowInput } from '../workflow-input.js';
import { serveWeb } from '../web.js';
import { checkExposure, type WebServer } from '../../web/server.js';

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
  const stop = stopRequests(deps.onStopRequest);
  let stack: Stack;
  try {
    // Before anything boots: a bad --out, a missing workspace or a bad company.yaml says so at once.
    await checkOutOption(opts);
    // Serving the web app on an open address without a token is refused before anything starts.
    if (!opts.once)
      checkExposure({ host: config.web.host, token: config.web.token, insecureNoAuth: false });
    const timeZone = await timeZoneFor(config);
    stack = await (deps.boot ?? bootStack)(config, deps.log, {
      envPath: deps.envPath,
      withWorker: true,
      onProgress: say,
      signal: stop.signal,
    });
    if (stop.signal.aborted) {
      await stack.shutdown();
      throw new StartupAbortedError(stop.signal.reason as NodeJS.Signals);
    }
    if (stack.uiUrl) say(`Temporal UI: ${stack.uiUrl}`);
    let web: WebServer | undefined;
    if (!opts.once) {
      try {
        web = await serveWeb(
          config,
          deps.log,
          { repo: stack.db.repo, client: stack.client, uiUrl: stack.uiUrl },
          { host: config.web.host, port: config.web.port, insecureNoAuth: false },
        );
        say(`Web app: ${web.url}${config.web.token ? ' (sign in with BOARDROOM_WEB_TOKEN)' : ''}`);
      } catch (err) {
        // The briefing does not depend on it: say why and go on.
        say(`Web app not served: ${(err as Error).message}`);
      }
    }
    if (deps.logFile) say(`Logs: ${deps.logFile}`);
    let serving = false;
    const served = (async () => {
      const input = await workflowInput(config, timeZone, 'schedule', stack.client, say);
      const outcome = await ensureSchedule(stack.client, {
        companyId: config.company.id,
        cron: config.schedule.cron,
        timeZone,
        taskQueue: config.temporal.taskQueue,
        jitterMinutes: config.schedule.jitterMinutes,
        input,
      });
      say(
        `Daily schedule ${outcome}: "${config.schedule.cron}" (${timeZone}) for company "${config.company.id}".`,
      );
      await ensureDemoHistory(stack.client, stack.db.repo, {
        config,
        input,
        timeZone,
        now: new Date(),
        output,
        signal: stop.signal,
      });
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
      for (const line of deliveryLines(result)) say(line);
      say(
        `Briefing #${result.briefingId} ready in ${((performance.now() - t0) / 1000).toFixed(1)}s.`,
      );
      say(`Inspect the run: ${runUrl(stack.uiUrl, config.temporal.namespace, handle.workflowId)}`);
      if (opts.once) return;
      serving = true;
      say('Running: the worker serves the daily schedule and `npx boardroom run`. Ctrl-C to stop.');
      await stack.workerDone;
    })();
    served.catch(() => undefined); // a stop may win the race below
    try {
      // The first of: done (or the worker stopped), a crash of the worker, a stop request.
      const signal = await Promise.race([
        served.then(() => undefined),
        stack.workerDone.then(() => undefined),
        stop.stopped,
      ]);
      return signal && !serving ? signalExitCode(signal) : 0;
    } finally {
      say('Shutting down ...');
      await web?.close();
      await stack.shutdown();
    }
  } catch (err) {
    if (err instanceof StartupAbortedError) {
      say(err.message);
      return signalExitCode(err.signal);
    }
    throw err;
  }
}
