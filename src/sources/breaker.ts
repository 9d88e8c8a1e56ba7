/**
 * The circuit breaker's decision, pure: whether a run may call an API source now.
 * State lives in Postgres (source_breakers) so it survives restarts and every worker
 * sees the same; this only reads it.
 */
import type { BreakerRecord } from '../contract/resilience.js';
import type { ConnectorName } from './connectors/connector.js';

export interface ResilienceSettings {
  /** Reuse the source's last answer while it is younger than this (0: never). */
  cacheTtlMs: number;
  /** Consecutive failed runs that open the breaker. */
  failureThreshold: number;
  /** How long an open breaker waits before one probe call. */
  cooldownMs: number;
}

/**
 * Defaults per source: payments change slowly enough for an hour, a CRM for half of one.
 * Every connector must have an entry (a missing one does not compile).
 */
export const RESILIENCE_DEFAULTS: Record<ConnectorName, ResilienceSettings> = {
  stripe: { cacheTtlMs: 60 * 60_000, failureThreshold: 3, cooldownMs: 15 * 60_000 },
  hubspot: { cacheTtlMs: 30 * 60_000, failureThreshold: 3, cooldownMs: 15 * 60_000 },
  linear: { cacheTtlMs: 30 * 60_000, failureThreshold: 3, cooldownMs: 15 * 60_000 },
};

/**
 * `call`: closed (or unknown), go ahead. `probe`: open for longer than the cooldown, one
 * call decides. `skip`: open (or another worker is probing): serve the last good data.
 */
export function breakerDecision(
  b: BreakerRecord | undefined,
  now: Date,
  cooldownMs: number,
): 'call' | 'probe' | 'skip' {
  if (!b || b.state === 'closed') return 'call';
  if (b.state === 'half_open') {
    // A probe that never reported back (its worker died) must not block forever.
    return b.openedAt && now.getTime() - b.openedAt.getTime() >= 2 * cooldownMs ? 'probe' : 'skip';
  }
  return b.openedAt && now.getTime() - b.openedAt.getTime() >= cooldownMs ? 'probe' : 'skip';
}
