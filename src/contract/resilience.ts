/**
 * A source's circuit breaker as stored in Postgres and read by the sources' guard.
 */
import type { BreakerState } from './enums.js';

export interface BreakerRecord {
  state: BreakerState;
  consecutiveFailures: number;
  openedAt: Date | undefined;
  lastError: string | undefined;
}
