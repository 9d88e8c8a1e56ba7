/**
 * A bound on how long a command waits for a workflow it started. The workflow itself
 * goes on in Temporal; the command stops waiting and says where to look.
 */
import { BoardroomError } from '../shared/errors.js';

/** The run outlived the command's wait: it goes on in Temporal (not a failure of it). */
export class StillRunningError extends BoardroomError {
  readonly permanent = false;
}

/** `p`, or a StillRunningError with `message` once `ms` have passed. */
export async function boundedWait<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StillRunningError(message)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
