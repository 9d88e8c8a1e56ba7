/**
 * What every command gets: the validated config, the logger, and where to write.
 */
import path from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import type { Output } from './output.js';

export interface CommandDeps {
  config: Config;
  log: Logger;
  output: Output;
}

export interface CliSetup {
  config: Config;
  log: Logger;
  /** Where the log lines go when not on the screen; undefined: the screen (stderr). */
  logFile: string | undefined;
}

/**
 * On a terminal, log lines (warnings too, and the Temporal SDK's own) go to a file and
 * the screen shows progress and the outcome; elsewhere they are JSON lines on stderr.
 */
export function loadCliSetup(
  env: Record<string, string | undefined>,
  opts: { cwd: string; isTTY: boolean },
): CliSetup {
  const config = loadConfig(env, opts);
  const logFile =
    config.log.file ?? (opts.isTTY ? path.join(config.dataDir, 'boardroom.log') : undefined);
  return {
    config,
    log: createLogger({
      ...config.log,
      ...(logFile ? { file: logFile } : {}),
      // LOG_FILE off a terminal (a service): its supervisor still sees warnings on stderr.
      ...(logFile && opts.isTTY ? { consoleLevel: 'silent' as const } : {}),
    }),
    logFile,
  };
}

/**
 * Long-running commands hand over their `stop` before they boot anything, so that the
 * first Ctrl-C or SIGTERM is honoured at any moment (during start-up it aborts it). The
 * default wires it to SIGINT and SIGTERM, once: a second Ctrl-C kills the process as
 * usual.
 */
export type OnStopRequest = (stop: (signal?: NodeJS.Signals) => void) => void;

export const stopOnSignals: OnStopRequest = (stop) => {
  const handler = (signal: NodeJS.Signals) => {
    // Once for both: the next signal of either kind gets Node's default (exit at once).
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
    stop(signal);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
};

/** The exit code of a process stopped by `signal`, as shells report it (130 for SIGINT). */
export function signalExitCode(signal: NodeJS.Signals | undefined): number {
  return signal === 'SIGTERM' ? 143 : 130;
}

/**
 * The first Ctrl-C or SIGTERM, at any moment: during start-up it aborts `signal`; later
 * `stopped` resolves with the signal. Wired before anything boots.
 */
export function stopRequests(onStopRequest: OnStopRequest | undefined): {
  signal: AbortSignal;
  stopped: Promise<NodeJS.Signals>;
} {
  const controller = new AbortController();
  let resolve!: (s: NodeJS.Signals) => void;
  const stopped = new Promise<NodeJS.Signals>((r) => (resolve = r));
  (onStopRequest ?? stopOnSignals)((signal = 'SIGINT') => {
    if (controller.signal.aborted) return; // a second request changes nothing
    controller.abort(signal);
    resolve(signal);
  });
  return { signal: controller.signal, stopped };
}
