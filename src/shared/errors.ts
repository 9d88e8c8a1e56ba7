/**
 * The few named errors boardroom raises. Each carries the context a person needs to
 * fix the cause; `permanent` errors are never retried by Temporal.
 */
export abstract class BoardroomError extends Error {
  abstract readonly permanent: boolean;
  constructor(
    message: string,
    readonly context: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The environment or a flag is wrong. */
export class ConfigError extends BoardroomError {
  readonly permanent = true;
}

/** A source's data does not match its schema: names the file, line and field. */
export class ValidationError extends BoardroomError {
  readonly permanent = true;
  constructor(
    message: string,
    readonly location: { file: string; line?: number; field?: string },
  ) {
    super(message, location);
  }
}

/** A source could not be reached or answered with a transient failure: worth a retry. */
export class SourceUnavailableError extends BoardroomError {
  readonly permanent = false;
}

/** A required service (Temporal, Postgres) is not reachable. */
export class ServiceUnavailableError extends BoardroomError {
  readonly permanent = false;
}

/**
 * A source rejected our credentials or permissions (401/403): retrying will not help,
 * a person must fix the key. The message says what to check.
 */
export class SourceAuthError extends BoardroomError {
  readonly permanent = true;
}

/**
 * A source answered with a shape we do not understand (a field missing or of another
 * type): the API changed or the account is configured unusually. Names the object and
 * the field. Not retried.
 */
export class SourceSchemaError extends BoardroomError {
  readonly permanent = true;
}

/** A source is reachable but says the request is wrong (400, 404): configuration. */
export class SourceRequestError extends BoardroomError {
  readonly permanent = true;
}

/**
 * A source is down, slow or rate-limiting (5xx, timeouts, resets, 429): Temporal retries.
 * `retryAfterMs` carries a 429's Retry-After.
 */
export class SourceTransientError extends SourceUnavailableError {
  constructor(message: string, context: Record<string, unknown> & { retryAfterMs?: number } = {}) {
    super(message, context);
  }
}

/**
 * A source's circuit breaker is open: the run does not call it and the agent serves
 * its last good report at once. Not retried within the run.
 */
export class CircuitOpenError extends BoardroomError {
  readonly permanent = true;
}

/**
 * Postgres refused what we asked it to store or run (a data exception such as text with
 * a NUL byte, SQLSTATE class 22; a constraint; a missing table): the same statement will
 * be refused again, so it is not retried. Carries the SQLSTATE as `context.sqlState`.
 */
export class StoreRejectedError extends BoardroomError {
  readonly permanent = true;
}

/**
 * A delivery channel refused the message for a reason a retry cannot fix: bad
 * credentials (SMTP auth, Slack `invalid_auth`), an unknown channel or recipient, a bot
 * not in the channel, a webhook's 4xx. The message says what to fix; never the secret.
 */
export class DeliveryRejectedError extends BoardroomError {
  readonly permanent = true;
}

/**
 * A delivery channel is down, slow, rate-limiting or dropped the connection (SMTP 4xx,
 * connection refused, Slack 429 or 5xx, webhook 408/429/5xx): Temporal retries.
 * `retryAfterMs` carries a Retry-After.
 */
export class DeliveryUnavailableError extends BoardroomError {
  readonly permanent = false;
  constructor(message: string, context: Record<string, unknown> & { retryAfterMs?: number } = {}) {
    super(message, context);
  }
}

/** Every named error class, by name: what a failure's `type` can be. */
export const ERROR_CLASSES = {
  StoreRejectedError,
  ConfigError,
  ValidationError,
  SourceUnavailableError,
  ServiceUnavailableError,
  SourceAuthError,
  SourceSchemaError,
  SourceRequestError,
  SourceTransientError,
  CircuitOpenError,
  DeliveryRejectedError,
  DeliveryUnavailableError,
} as const;

/**
 * The error types Temporal must not retry: every class above whose `permanent` is true.
 * Workflows pass this as `nonRetryableErrorTypes`, so a new permanent error class is
 * never retried without anyone editing a list by hand.
 */
export const NON_RETRYABLE_ERROR_TYPES: readonly string[] = Object.values(ERROR_CLASSES)
  // `permanent` is an instance field: a throwaway instance tells.
  .filter((C) => new (C as new (message: string) => BoardroomError)('').permanent)
  .map((C) => C.name);
