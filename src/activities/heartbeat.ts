import { Context } from '@temporalio/activity';

/**
 * Heartbeats every second until stopped: a worker that dies mid-step stops heartbeating,
 * so Temporal moves the step to another worker after the heartbeat timeout instead of
 * waiting out the whole start-to-close timeout. The first beat comes after a second, not
 * at the start: the heartbeat timeout counts from the start anyway, and most steps end
 * well within a second, so they cost the server no heartbeat at all (a beat at the start
 * was a request and a state write on the server for each of a run's eight activities).
 */
export function keepHeartbeating(): () => void {
  const timer = setInterval(() => Context.current().heartbeat(), 1000);
  return () => clearInterval(timer);
}
