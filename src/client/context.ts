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

/** On a terminal, log lines go to a file and the screen shows progress and warnings. */
export function loadCliSetup(
  env: Record<string, string | undefined>,
  opts: { cwd: string; isTTY: boolean },
): CliSetup {
  const config = loadConfig(env, opts);
  const logFile =
    config.log.file ?? (opts.isTTY ? path.join(config.dataDir, 'boardroom.log') : undefined);
  return {
    config,
    log: createLogger({ ...config.log, ...(logFile ? { file: logFile } : {}) }),
    logFile,
  };
}

/**
 * Long-running commands hand over their `stop` once the stack is up; the default wires
 * it to Ctrl-C and SIGTERM (each once: a second Ctrl-C kills the process as usual).
 */
export type OnStopRequest = (stop: () => void) => void;

export const stopOnSignals: OnStopRequest = (stop) => {
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};
