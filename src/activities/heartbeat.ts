import { Context } from '@temporalio/activity';

/**
 * Heartbeats until stopped: a worker that dies mid-step stops heartbeating, so Temporal
 * moves the step to another worker after the heartbeat timeout instead of waiting out
 * the whole start-to-close timeout. The beats come every half heartbeat timeout
 * (a second without one), the first one too, not at the start: the timeout counts from the
 * start anyway, so a dead worker is noticed as soon, and a step that ends within half
 * its timeout (nearly all do, even on a loaded worker: a run's agents wait seconds for
 * the CPU when 50 runs share it) costs the server no heartbeat at all, where each beat is
 * a request and a state write on the server.
 */
export function keepHeartbeating(): () => void {
  const ctx = Context.current();
  const everyMs = Math.max(250, (ctx.info.heartbeatTimeoutMs ?? 2000) / 2);
  const timer = setInterval(() => ctx.heartbeat(), everyMs);
  return () => clearInterval(timer);
}
