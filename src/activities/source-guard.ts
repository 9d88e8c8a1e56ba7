/**
 * The circuit breaker and the TTL cache around API sources, with their state in
 * Postgres so they survive restarts and every worker shares them.
 */
import { CircuitOpenError } from '../shared/errors.js';
import type { Logger } from '../logger.js';
import { breakerDecision } from '../sources/breaker.js';
import type { SourceGuard } from '../sources/sources.js';
import type { Repository } from '../store/repository.js';
import { resilientRepository } from './resilient-repository.js';

export function createSourceGuard(deps: {
  repo: Repository;
  clock: () => Date;
  log: Logger;
}): SourceGuard {
  const { clock, log } = deps;
  // Breaker and cache reads ride out a short Postgres outage like the rest of the activity.
  const repo = resilientRepository(deps.repo, { log });
  return async ({ companyId, agent, source, settings, when }, load) => {
    const now = clock();
    const breaker = await repo.getBreaker(companyId, source);
    let decision = breakerDecision(breaker, now, settings.cooldownMs);
    if (decision === 'probe') {
      // One worker probes; the others keep serving the last good data.
      const claimed = await repo.claimProbe(
        companyId,
        source,
        new Date(now.getTime() - 2 * settings.cooldownMs),
      );
      if (!claimed) decision = 'skip';
    }
    if (decision === 'skip') {
      throw new CircuitOpenError(
        `${source} circuit breaker is open since ${breaker?.openedAt?.toISOString() ?? 'now'} after ` +
          `${breaker?.consecutiveFailures ?? '?'} failed runs (last error: ${breaker?.lastError ?? 'unknown'}); ` +
          `serving the last good data, next probe after the ${Math.round(settings.cooldownMs / 60_000)}-minute cooldown`,
        { source, companyId },
      );
    }
    if (decision === 'call' && !when.fresh && settings.cacheTtlMs > 0) {
      const cached = await repo.getCachedSource(companyId, agent, source);
      const age = cached ? now.getTime() - cached.fetchedAt.getTime() : Infinity;
      if (cached && age >= 0 && age < settings.cacheTtlMs) {
        return {
          datasets: cached.datasets,
          sourceCalls: 0,
          dataAsOf: cached.fetchedAt,
          cacheAgeMs: age,
        };
      }
    }
    let result;
    try {
      result = await load();
    } catch (err) {
      if (decision === 'probe') {
        await repo.reopenBreaker(companyId, source, (err as Error).message);
        log.warn(
          { company_id: companyId, agent, source, breaker_state: 'open' },
          'probe failed: circuit re-opened',
        );
        throw new CircuitOpenError(
          `${source} probe failed, circuit breaker re-opened: ${(err as Error).message}`,
          { source, companyId },
        );
      }
      throw err;
    }
    if (decision === 'probe' || (breaker && breaker.consecutiveFailures > 0)) {
      await repo.recordSourceSuccess(companyId, source);
      if (decision === 'probe')
        log.info(
          { company_id: companyId, agent, source, breaker_state: 'closed' },
          'probe succeeded: circuit closed',
        );
    }
    // Business rows only: the connector never puts credentials in its data sets.
    await repo.putCachedSource(companyId, agent, source, {
      fetchedAt: clock(),
      datasets: result.datasets,
      sourceCalls: result.sourceCalls,
    });
    return result;
  };
}
