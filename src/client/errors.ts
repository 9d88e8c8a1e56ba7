/** Nothing to show (no briefing, no schedule): the message says how to make one. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}

/** A Ctrl-C or SIGTERM arrived during start-up: what had started is stopped again. */
export class StartupAbortedError extends Error {
  constructor(readonly signal: NodeJS.Signals | undefined) {
    super(`Stopped by ${signal ?? 'request'} during start-up; nothing was left running.`);
    this.name = 'StartupAbortedError';
  }
}

/** The worker stopped by itself with an error (logged with its stack). */
export class WorkerStoppedError extends Error {
  constructor(cause: Error) {
    super(`The worker stopped with an error: ${cause.message.split('\n')[0]}`, { cause });
    this.name = 'WorkerStoppedError';
  }
}

/**
 * No worker polled the run's task queue for the bounded wait: the run stays queued and
 * starts when one does. The message says how to start one and how to find the run.
 */
export class NoWorkerError extends Error {
  constructor(
    message: string,
    readonly workflowId: string,
  ) {
    super(message);
    this.name = 'NoWorkerError';
  }
}
