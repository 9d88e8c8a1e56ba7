/**
 * What an API's HTTP status means for boardroom, the same for every connector:
 *
 * | status                          | kind           | error                                    |
 * | ------------------------------- | -------------- | ---------------------------------------- |
 * | 401                             | `unauthorized` | SourceAuthError (permanent)              |
 * | 403                             | `forbidden`    | SourceAuthError (permanent)              |
 * | 429                             | `rate-limited` | SourceTransientError with `retryAfterMs` |
 * | 5xx, 408, 409, 423, 425         | `unavailable`  | SourceTransientError                     |
 * | any other (400, 404, ...)       | `rejected`     | SourceRequestError (permanent)           |
 *
 * Timeouts, resets and unreachable hosts are `unavailable` too (`networkErrorCode` helps
 * to tell them). Connectors word the message (which key, which permission, which
 * setting); the kind decides the class.
 */
import {
  SourceAuthError,
  SourceRequestError,
  SourceTransientError,
  type BoardroomError,
} from '../../../shared/errors.js';

export type StatusKind = 'unauthorized' | 'forbidden' | 'rate-limited' | 'unavailable' | 'rejected';

/**
 * 4xx that clear by themselves: a request timeout, a conflicting concurrent request (Stripe's
 * lock_timeout), a locked resource, "too early".
 */
const TRANSIENT_CLIENT_STATUSES: ReadonlySet<number> = new Set([408, 409, 423, 425]);

export function statusKind(status: number): StatusKind {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rate-limited';
  if (status >= 500 || TRANSIENT_CLIENT_STATUSES.has(status)) return 'unavailable';
  return 'rejected';
}

export type ErrorContext = Record<string, unknown> & { retryAfterMs?: number };

/** The error class of a kind (see the table above). */
export function errorOfKind(
  kind: StatusKind,
  message: string,
  context: ErrorContext = {},
): BoardroomError {
  switch (kind) {
    case 'unauthorized':
    case 'forbidden':
      return new SourceAuthError(message, context);
    case 'rate-limited':
    case 'unavailable':
      return new SourceTransientError(message, context);
    case 'rejected':
      return new SourceRequestError(message, context);
  }
}

/**
 * The error for an HTTP status: `explain` words it for its kind (and gives `retryAfterMs`
 * for `rate-limited`).
 */
export function errorForStatus(
  status: number,
  explain: (kind: StatusKind) => { message: string; context?: ErrorContext },
): BoardroomError {
  const kind = statusKind(status);
  const { message, context } = explain(kind);
  return errorOfKind(kind, message, context);
}

/**
 * The system error code (ECONNRESET, ECONNREFUSED, UND_ERR_SOCKET, ...) of a failed
 * request, looking through `cause` (fetch wraps it in a TypeError); undefined if none.
 */
export function networkErrorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e !== null && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
