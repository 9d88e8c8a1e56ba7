/**
 * The repository as the activities use it: every call rides out a Postgres outage (a
 * failover, a restart, a network blip) by retrying inside the activity for a bounded
 * time, apart from the sources' own retry policy, so a short database blip does not
 * use up an agent's attempts and turn its report stale. A refusal that will repeat
 * (a NUL byte in a text, a missing table) becomes a StoreRejectedError at once.
 */
import type { Logger } from '../logger.js';
import type { Repository } from '../store/repository.js';
import { withStoreRetry, type StoreRetryOptions } from './failures.js';

const WHAT: Partial<Record<keyof Repository, string>> = {
  saveBriefing: 'save the briefing',
  saveClaimedBriefing: 'save the briefing',
  saveComposedBriefing: 'save the briefing',
  loadHistory: 'load the metric history',
  loadAllHistory: 'load the metric history',
  previousBriefing: 'read the previous briefing',
  findLastGoodReport: "read the agent's last good report",
  recordExecution: 'record the agent execution',
  recordSourceFailure: "record the source's failure",
  recordSourceSuccess: "record the source's success",
  getBreaker: "read the source's circuit breaker",
  claimProbe: "claim the source's probe",
  reopenBreaker: "re-open the source's circuit breaker",
  getCachedSource: "read the source's cache",
  putCachedSource: "write the source's cache",
  getBriefing: 'read the briefing',
  beginDelivery: 'record the delivery attempt',
  finishDelivery: "record the delivery's outcome",
  saveRunReport: "store the agent's report",
  loadRunReports: "read the run's agent reports",
  saveRunBriefing: 'store the composed briefing',
  loadRunBriefing: 'read the composed briefing',
  savedBriefingId: 'read the saved briefing',
  savedBriefingSummary: 'read the saved briefing',
  clearRunClaims: "clear the run's stored reports",
};

/** Methods that only manage the pool: passed through untouched. */
const PASS_THROUGH = new Set<PropertyKey>(['close', 'constructor', 'pool']);

export function resilientRepository(
  repo: Repository,
  opts: StoreRetryOptions & { log?: Logger } = {},
): Repository {
  const { log, ...retry } = opts;
  return new Proxy(repo, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || PASS_THROUGH.has(prop)) return value;
      const what = WHAT[prop as keyof Repository] ?? `run ${String(prop)}`;
      return (...args: unknown[]) =>
        withStoreRetry(
          what,
          () => (value as (...a: unknown[]) => Promise<unknown>).apply(target, args),
          {
            ...retry,
            onRetry: (err, attempt, delayMs) => {
              log?.warn(
                { step: String(prop), attempt, retry_in_ms: delayMs, error: err.message },
                'Postgres unreachable, retrying',
              );
              retry.onRetry?.(err, attempt, delayMs);
            },
          },
        );
    },
  });
}
