/**
 * Which errors are worth a retry, and how they reach Temporal. One classification for
 * every activity: our named errors say so themselves (`permanent`); Postgres's by their
 * SQLSTATE class; the rest are retried (bounded by the activity's retry policy).
 */
import { ApplicationFailure } from '@temporalio/activity';
import {
  BoardroomError,
  ServiceUnavailableError,
  SourceTransientError,
  DeliveryUnavailableError,
  StoreRejectedError,
} from '../shared/errors.js';

/**
 * SQLSTATE classes a retry can cure: connection exceptions (08), a rolled-back
 * transaction (40: serialization failure, deadlock), insufficient resources (53),
 * lock not available (55P03), operator intervention (57: admin shutdown, starting up,
 * cancelled by statement_timeout), system errors (58) and internal errors (XX). Every
 * other class (22 data exception, 23 constraint, 42 syntax or missing object, ...) is
 * refused again on every attempt.
 */
const TRANSIENT_SQLSTATE = /^(08|40|53|57|58|XX)|^55P03$/;

/** Socket-level failures on the way to Postgres (or anything else on the network). */
const TRANSIENT_NET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EADDRNOTAVAIL',
]);

/** What pg throws without a code when the connection dies or a timeout fires. */
const TRANSIENT_PG_MESSAGES = [
  'Connection terminated',
  'connection timeout',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error',
  'Connection ended unexpectedly',
  'server closed the connection unexpectedly',
  'the database system is',
];

function sqlStateOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** A Postgres error that another attempt can cure: the server or the way to it is down. */
export function isTransientStoreError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof ServiceUnavailableError) return true;
  const sqlState = sqlStateOf(err);
  if (sqlState) return TRANSIENT_SQLSTATE.test(sqlState);
  const code = (err as NodeJS.ErrnoException).code;
  if (code && TRANSIENT_NET_CODES.has(code)) return true;
  if (err instanceof AggregateError) return err.errors.some(isTransientStoreError);
  return TRANSIENT_PG_MESSAGES.some((m) => err.message.includes(m));
}

/**
 * A Postgres refusal that will repeat (SQLSTATE outside the transient classes) as a
 * named error; anything else unchanged.
 */
export function namedStoreError(err: unknown, what: string): unknown {
  const sqlState = sqlStateOf(err);
  if (!sqlState || TRANSIENT_SQLSTATE.test(sqlState) || err instanceof BoardroomError) return err;
  const hint = sqlState.startsWith('22')
    ? ' The data holds a value Postgres cannot store (a NUL byte or an invalid character in a text, a number out of range): fix it in the source it came from.'
    : sqlState.startsWith('42')
      ? ' The database schema does not match this version of boardroom: run `boardroom start` (or `boardroom worker`) once so it migrates.'
      : '';
  return new StoreRejectedError(
    `Postgres refused to ${what} (SQLSTATE ${sqlState}: ${(err as Error).message}).${hint}`,
    { sqlState },
  );
}

/**
 * Turns our errors into Temporal failures: permanent ones are not retried (their type
 * is the error's class name, which the workflows' policies list as non-retryable), and
 * a rate-limited source's Retry-After becomes the delay before the next attempt.
 */
export function toFailure(err: unknown): unknown {
  if (err instanceof BoardroomError && err.permanent) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.name,
      nonRetryable: true,
      details: [err.context],
    });
  }
  if (
    (err instanceof SourceTransientError || err instanceof DeliveryUnavailableError) &&
    typeof err.context.retryAfterMs === 'number'
  ) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.name,
      nonRetryable: false,
      details: [err.context],
      nextRetryDelay: Math.max(1, err.context.retryAfterMs),
    });
  }
  return err;
}

/**
 * An error thrown by pure code (the CEO step's composition) on the activity's input:
 * the same input fails the same way on every attempt, so it is not retried. Keeps the
 * error's class name as the failure's type.
 */
export function deterministicFailure(err: unknown, step: string): unknown {
  if (err instanceof BoardroomError) return toFailure(err);
  const e = err instanceof Error ? err : new Error(String(err));
  return ApplicationFailure.create({
    message: `${step} failed on this run's input (${e.name}: ${e.message}); retrying would fail the same way`,
    type: e.name,
    nonRetryable: true,
  });
}

/** File-system failures that repeat until a person changes the folder. */
const PERMANENT_FS_CODES = new Set([
  'EISDIR',
  'ENOENT',
  'ENOTDIR',
  'EACCES',
  'EPERM',
  'ELOOP',
  'ENAMETOOLONG',
]);

/**
 * An error reading the workspace's files: our named errors as they say; a file that is
 * a directory, missing or unreadable, or a parser's own error on the file's content
 * (e.g. the YAML library's alias limit) is permanent too: the files do not change
 * between attempts. Network and other errors stay retryable.
 */
export function workspaceFailure(err: unknown, what: string): unknown {
  if (err instanceof BoardroomError) return toFailure(err);
  if (!(err instanceof Error)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const deterministic =
    (code !== undefined && PERMANENT_FS_CODES.has(code)) ||
    (code === undefined &&
      [ReferenceError, TypeError, RangeError, SyntaxError].some((C) => err instanceof C));
  if (!deterministic) return err;
  return ApplicationFailure.create({
    message: `Reading the ${what} failed (${code ?? err.name}: ${err.message}); fix the workspace folder and run again`,
    type: err.name === 'Error' && code ? code : err.name,
    nonRetryable: true,
  });
}

export interface StoreRetryOptions {
  /**
   * How long to keep retrying a store that is down, from the first failure.
   * @default 30_000 (a managed Postgres fails over in 10-30 s)
   */
  budgetMs?: number;
  /** @default 250 */
  initialDelayMs?: number;
  /** @default 3_000 */
  maxDelayMs?: number;
  /** Called before each wait (the activity heartbeats meanwhile). */
  onRetry?: (err: Error, attempt: number, delayMs: number) => void;
  signal?: AbortSignal;
}

/** The default budget, exported for the docs and the tests. */
export const STORE_RETRY_BUDGET_MS = 30_000;

/**
 * Runs `fn`, retrying it while Postgres is unreachable (isTransientStoreError) with a
 * doubling delay, for at most `budgetMs`; then throws the last error as a
 * ServiceUnavailableError (retryable by the activity's own policy). `fn` must be safe to
 * repeat (every repository write is keyed or idempotent).
 */
export async function withStoreRetry<T>(
  what: string,
  fn: () => Promise<T>,
  opts: StoreRetryOptions = {},
): Promise<T> {
  const budgetMs = opts.budgetMs ?? STORE_RETRY_BUDGET_MS;
  let delay = opts.initialDelayMs ?? 250;
  const maxDelay = opts.maxDelayMs ?? 3_000;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransientStoreError(err)) throw namedStoreError(err, what);
      const left = budgetMs - (Date.now() - started);
      if (left <= 0 || opts.signal?.aborted) {
        throw new ServiceUnavailableError(
          `Postgres is unreachable: could not ${what} for ${Math.round((Date.now() - started) / 1000)} s ` +
            `(${(err as Error).message}). Check that the database is up; the run retries.`,
          { attempts: attempt },
        );
      }
      const wait = Math.min(delay, maxDelay, left);
      opts.onRetry?.(err as Error, attempt, wait);
      await new Promise((r) => setTimeout(r, wait));
      delay *= 2;
    }
  }
}
