/**
 * What one company may hold on a worker: at most `max` of its activities run at once in
 * this worker process, so a company whose sources (or delivery channels) hang holds at
 * most `max` of the worker's activity slots and every other company keeps the rest.
 *
 * Why a wrapper and not only Temporal's fairness keys: fairness orders the dispatch of a
 * backlog, but an activity that has been dispatched and hangs keeps its worker slot until
 * its timeout, whatever its key. The slots are what a hanging company takes from the
 * others, so they are bounded here, where the company is known (every activity's input
 * carries its companyId).
 *
 * An activity over its company's limit first waits a short, bounded time for a permit
 * (one at a time per company; a healthy company's activities finish in well under a
 * second), heartbeating meanwhile. If none frees, or another already waits, it fails
 * with a retryable `CompanyBusy` ApplicationFailure that names the company and the limit,
 * with a `nextRetryDelay`: its slot goes to another company now, and Temporal retries it
 * later. Temporal counts that attempt (no API leaves a failed attempt out of
 * maximumAttempts, and the workflow's retry policies are not ours to change), so:
 *
 * - the default limit is one run's worth (DEFAULT_COMPANY_MAX_ACTIVITIES: the six agents
 *   at once; the steps after them are fewer), so a company's normal run never meets it;
 * - a company that meets it anyway (two of its runs at once) has one activity wait for
 *   a permit and the others refused, retried 5 s later when the first run's agents are
 *   long done: every agent succeeds, on its second attempt at worst (fleet.test.ts);
 * - only a company whose own activities keep every permit for the whole wait, and again
 *   at each retry, runs its agents' attempts out, into the usual fallback (its last good
 *   report, marked stale). That is the company whose sources are slow or stuck: its
 *   briefing degrades, and the others' do not wait for it.
 *
 * The steps that only read and write boardroom's own Postgres (fallbacks, the CEO step,
 * the save, the delivery plan) are never refused: refusing them frees no slot a hung
 * source holds, and a fallback or a save that runs out of attempts fails the company's
 * run instead of degrading it. They neither wait nor take a permit.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Logger } from '../logger.js';

export { DEFAULT_COMPANY_MAX_ACTIVITIES } from '../config.js';

/** The failure type of an activity refused because its company holds its limit. */
export const COMPANY_BUSY = 'CompanyBusy';

/**
 * The activities that take a permit: the ones that reach a company's own outside world
 * (its sources, its delivery channels), which may hang. Everything else passes through.
 */
export const BOUNDED_ACTIVITIES: readonly string[] = [
  'runAgent',
  'runAgentByRef',
  'deliverEmail',
  'deliverSlack',
  'deliverWebhook',
];

export interface CompanyLimitOptions {
  /** Activities of one company running at once in this worker (BOARDROOM_COMPANY_MAX_ACTIVITIES). */
  max: number;
  /**
   * How long an activity over its company's limit waits for a permit before CompanyBusy.
   * Long enough for a healthy company's activity to finish (an agent takes tens to a few
   * hundred milliseconds on the demo), short because a waiting activity holds a worker
   * slot too.
   * @default 1_000
   */
  waitMs?: number;
  /**
   * How many of a company's activities may wait at once; the next fails at once. With
   * `max` running, a company holds at most `max + maxWaiting` slots, the extra ones for at
   * most `waitMs` per attempt.
   * @default 1
   */
  maxWaiting?: number;
  /**
   * When Temporal retries a CompanyBusy attempt (its `nextRetryDelay`, instead of the
   * activity's backoff, which in tests is 50 ms): long enough for a stuck company's
   * retries to leave the slots to the others most of the time.
   * @default 5_000
   */
  retryAfterMs?: number;
  /** The activity names that take a permit. @default BOUNDED_ACTIVITIES */
  bounded?: readonly string[];
  /** Where a refusal is logged (one warning per refused attempt). */
  log?: Logger;
}

interface Waiter {
  grant: () => void;
}

/** Per-company permits: a count of running activities and a FIFO of the waiting ones. */
export class CompanyPermits {
  private readonly running = new Map<string, number>();
  private readonly waiting = new Map<string, Waiter[]>();

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1)
      throw new RangeError(
        `the per-company activity limit must be a whole number >= 1, got ${max}`,
      );
  }

  /** How many of `companyId`'s activities hold a permit now. */
  inFlight(companyId: string): number {
    return this.running.get(companyId) ?? 0;
  }

  /** How many of `companyId`'s activities wait for one. */
  queued(companyId: string): number {
    return this.waiting.get(companyId)?.length ?? 0;
  }

  /** A permit now, or undefined when the company holds `max`. */
  tryAcquire(companyId: string): (() => void) | undefined {
    const n = this.inFlight(companyId);
    if (n >= this.max) return undefined;
    this.running.set(companyId, n + 1);
    return this.releaser(companyId);
  }

  /**
   * A permit within `waitMs`, or undefined when none freed (or `maxWaiting` already
   * wait, or `signal` aborted: then it rejects with the signal's reason).
   */
  async acquire(
    companyId: string,
    opts: { waitMs: number; maxWaiting: number; signal?: AbortSignal },
  ): Promise<(() => void) | undefined> {
    const now = this.tryAcquire(companyId);
    if (now || opts.waitMs <= 0 || this.queued(companyId) >= opts.maxWaiting) return now;
    const queue = this.waiting.get(companyId) ?? [];
    this.waiting.set(companyId, queue);
    return new Promise((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        const i = queue.indexOf(waiter);
        if (i >= 0) queue.splice(i, 1);
        if (queue.length === 0 && this.waiting.get(companyId) === queue)
          this.waiting.delete(companyId);
      };
      const waiter: Waiter = {
        // The releasing activity hands its permit over: the count stays as it is.
        grant: () => {
          leave();
          resolve(this.releaser(companyId));
        },
      };
      const onAbort = () => {
        leave();
        reject(opts.signal?.reason);
      };
      const timer = setTimeout(() => {
        leave();
        resolve(undefined);
      }, opts.waitMs);
      queue.push(waiter);
      if (opts.signal?.aborted) onAbort();
      else opts.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private releaser(companyId: string): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.get(companyId)?.[0];
      if (next) return next.grant();
      const n = this.inFlight(companyId) - 1;
      if (n > 0) this.running.set(companyId, n);
      else this.running.delete(companyId);
    };
  }
}

/** The company an activity's input names, if it does. */
function companyOf(input: unknown): string | undefined {
  const id = (input as { companyId?: unknown } | null | undefined)?.companyId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any activity's signature
type ActivityFunction = (...args: any[]) => Promise<unknown>;

/**
 * `activities`, with each bounded one (opts.bounded) holding one of its company's
 * `opts.max` permits while it runs. The permits live in `permits` (one set per worker
 * process: pass the same to every worker of the process that should share the bound).
 */
export function limitPerCompany<A extends Record<string, ActivityFunction>>(
  activities: A,
  opts: CompanyLimitOptions,
  permits: CompanyPermits = new CompanyPermits(opts.max),
): A {
  const bounded = new Set(opts.bounded ?? BOUNDED_ACTIVITIES);
  const waitMs = opts.waitMs ?? 1_000;
  const maxWaiting = opts.maxWaiting ?? 1;
  const retryAfterMs = opts.retryAfterMs ?? 5_000;
  const wrapped: Record<string, ActivityFunction> = {};
  for (const [name, fn] of Object.entries(activities)) {
    if (!bounded.has(name)) {
      wrapped[name] = fn;
      continue;
    }
    wrapped[name] = async (...args: unknown[]) => {
      const companyId = companyOf(args[0]);
      if (companyId === undefined) return fn(...args);
      let release = permits.tryAcquire(companyId);
      if (!release) {
        const ctx = Context.current();
        // The agents' heartbeat timeout is seconds: keep it satisfied while waiting.
        ctx.heartbeat();
        const beat = setInterval(() => ctx.heartbeat(), 1_000);
        try {
          release = await permits.acquire(companyId, {
            waitMs,
            maxWaiting,
            signal: ctx.cancellationSignal,
          });
        } finally {
          clearInterval(beat);
        }
      }
      if (!release) {
        const { attempt, workflowExecution } = Context.current().info;
        opts.log?.warn(
          {
            company_id: companyId,
            activity: name,
            attempt,
            workflow_id: workflowExecution?.workflowId,
            in_flight: permits.inFlight(companyId),
            max: permits.max,
            retry_after_ms: retryAfterMs,
          },
          'company busy: activity refused on this worker',
        );
        throw ApplicationFailure.create({
          type: COMPANY_BUSY,
          message:
            `Company "${companyId}" already has ${permits.max} activities running on this worker ` +
            `(BOARDROOM_COMPANY_MAX_ACTIVITIES=${permits.max}); ${name} is retried in ` +
            `${Math.round(retryAfterMs / 1000)} s so the other companies keep their slots.`,
          nonRetryable: false,
          nextRetryDelay: retryAfterMs,
          details: [{ companyId, max: permits.max, activity: name }],
        });
      }
      try {
        return await fn(...args);
      } finally {
        release();
      }
    };
  }
  return wrapped as A;
}
