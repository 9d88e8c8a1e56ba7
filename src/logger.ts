/**
 * One logger for the app and the Temporal worker: JSON lines in production, readable
 * lines on a terminal. Known secret fields are redacted wherever they appear.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';

export type Logger = PinoLogger;

const REDACT = [
  'password',
  'apiKey',
  'token',
  'authorization',
  'databaseUrl',
  '*.password',
  '*.apiKey',
  '*.token',
  '*.authorization',
  '*.databaseUrl',
];

export interface LoggerOptions {
  level: string;
  format: 'json' | 'pretty';
  destination?: NodeJS.WritableStream;
  /**
   * Also write every line, as JSON, to this file; the console then shows only lines at
   * `consoleLevel` and above.
   */
  file?: string;
  /**
   * With `file`: the lowest level the console still shows. `silent` keeps the console
   * free of log lines (the CLI on a terminal: a person sees progress and the outcome,
   * the log file has the rest, the Temporal SDK's own warnings included).
   * @default 'warn'
   */
  consoleLevel?: pino.LevelWithSilent;
}

export function createLogger(opts: LoggerOptions): Logger {
  const base = {
    level: opts.level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
  };
  const out = opts.destination ?? process.stderr;
  const console: DestinationStream =
    opts.format === 'pretty'
      ? pretty({
          colorize: out === process.stderr && Boolean(process.stderr.isTTY),
          destination: out,
          sync: true,
          ignore: 'pid,hostname',
          translateTime: 'HH:MM:ss.l',
        })
      : (out as DestinationStream);
  if (!opts.file) return pino(base, console);
  const consoleLevel = opts.consoleLevel ?? 'warn';
  return pino(
    base,
    pino.multistream([
      ...(consoleLevel === 'silent' ? [] : [{ level: consoleLevel, stream: console }]),
      {
        level: opts.level as pino.Level,
        stream: pino.destination({ dest: opts.file, mkdir: true, sync: true }),
      },
    ]),
  );
}

/**
 * Log fields are snake_case everywhere (docs/observability.md lists them); the Temporal
 * SDK's metadata is camelCase (`workflowId`, `activityType`), so forwarded lines are
 * renamed on the way in: one vocabulary per line.
 */
export function snakeCaseFields(meta: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(meta).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]),
  );
}
