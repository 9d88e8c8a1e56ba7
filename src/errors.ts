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
