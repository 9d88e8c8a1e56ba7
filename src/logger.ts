/**
 * One logger for the app and the Temporal worker: JSON lines in production, readable
 * lines on a terminal. Known secret fields are redacted wherever they appear.
 */
import { pino, type Logger as PinoLogger } from 'pino';
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

export function createLogger(opts: {
  level: string;
  format: 'json' | 'pretty';
  destination?: NodeJS.WritableStream;
}): Logger {
  const base = {
    level: opts.level,
    base: undefined,
    redact: { paths: REDACT, censor: '[redacted]' },
  };
  if (opts.format === 'pretty') {
    return pino(
      base,
      pretty({
        colorize: Boolean(
          (opts.destination ?? process.stderr) === process.stderr && process.stderr.isTTY,
        ),
        destination: opts.destination ?? process.stderr,
        sync: true,
        ignore: 'pid,hostname',
        translateTime: 'HH:MM:ss.l',
      }),
    );
  }
  return pino(
    { ...base, timestamp: pino.stdTimeFunctions.isoTime },
    (opts.destination ?? process.stderr) as pino.DestinationStream,
  );
}
