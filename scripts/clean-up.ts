/**
 * What the benchmark scripts share: a bound on every wait, and a clean-up that undoes
 * everything a run made (processes, servers, databases, folders), in reverse order, even
 * on an error or Ctrl-C.
 */

/** `p`, or an error naming `what` once `ms` have passed. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export interface CleanUps {
  /** Something to undo at the end (`what` is said if it fails). */
  push(step: { what: string; run: () => Promise<unknown> }): void;
  /** Undoes every step, newest first, each within 30 s; once, however often it is called. */
  run(): Promise<void>;
}

/**
 * The clean-up steps, run on Ctrl-C and SIGTERM too (then the process exits 130). With
 * `quietAfterSignal`, errors of the runs still in flight (their connections closing) no
 * longer crash the process before the clean-up has finished.
 */
export function cleanUps(
  note: (line: string) => void,
  opts: { quietAfterSignal?: boolean } = {},
): CleanUps {
  const steps: { what: string; run: () => Promise<unknown> }[] = [];
  let cleaning: Promise<void> | undefined;
  const run = (): Promise<void> =>
    (cleaning ??= (async () => {
      for (const step of steps.reverse()) {
        await within(step.run(), 30_000, `clean-up: ${step.what}`).catch((err: Error) =>
          note(`clean-up failed (${step.what}): ${err.message}`),
        );
      }
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      note(`${signal}: cleaning up`);
      if (opts.quietAfterSignal) {
        process.on('uncaughtException', () => {});
        process.on('unhandledRejection', () => {});
      }
      void run().finally(() => process.exit(130));
    });
  return { push: (step) => steps.push(step), run };
}
