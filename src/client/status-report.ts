/**
 * `boardroom status` without the I/O: from what was read (sources, Postgres, Temporal)
 * to the report (its JSON) and the text a person reads.
 */
import type { BreakerRecord } from '../contract/resilience.js';
import type { SourceCheck } from '../sources/sources.js';
import type { AgentExecutionRecord, BriefingSummary, DeliveryRecord } from '../store/repository.js';
import { degradedAgents } from './briefing-output.js';
import { localTime } from './local-time.js';
import { sourceCheckLine } from './source-checks.js';

export type BreakerStatus = BreakerRecord & { source: string };

export interface CacheEntry {
  agent: string;
  source: string;
  fetchedAt: Date;
}

export type LastRun = BriefingSummary & { durationMs: number; trigger: string; completedAt: Date };

/** The schedule as Temporal describes it, or why it could not be read. */
export type ScheduleFacts =
  | {
      kind: 'found';
      paused: boolean;
      note: string | undefined;
      nextRun: string | undefined;
      /** The schedule's zone (the company's); UTC when it has none. */
      timeZone?: string;
    }
  | { kind: 'missing' }
  | { kind: 'error'; message: string };

/** What status reads from the three systems, before any judgement. */
export interface StatusFacts {
  companyId: string;
  sources: SourceCheck[];
  /** Why the sources could not be checked at all (an invalid sources.yaml, ...). */
  sourcesError: string | undefined;
  breakers: BreakerStatus[];
  cache: CacheEntry[];
  lastRun: LastRun | undefined;
  /** Each agent's last execution. */
  agents: AgentExecutionRecord[];
  /** The newest delivery per channel (none before the first delivery). */
  deliveries?: DeliveryRecord[];
  schedule: ScheduleFacts;
}

/** `boardroom status --json`. */
export interface StatusReport {
  companyId: string;
  sources: SourceCheck[];
  breakers: BreakerStatus[];
  cache: (CacheEntry & { ageMinutes: number })[];
  lastRun: LastRun | undefined;
  agents: AgentExecutionRecord[];
  /** The newest delivery per channel: e-mail, Slack, webhook. */
  deliveries: DeliveryRecord[];
  /**
   * `state` is `active` or `paused: <note>`; `nextRun` (ISO) only while active, and
   * `nextRunLocal` the same instant in `timeZone`, the schedule's (the company's).
   */
  schedule:
    | { state: string; nextRun: string | undefined; nextRunLocal?: string; timeZone?: string }
    | undefined;
  /** What a person should look at; empty: all good (exit 0). */
  attention: string[];
}

const breakerState = (b: BreakerStatus) => b.state.replace('_', '-');

/** What needs a person, in the order status lists it: sources, breakers, runs, schedule. */
export function needsAttention(facts: StatusFacts): string[] {
  const attention: string[] = [];
  if (facts.sourcesError !== undefined) attention.push(`sources: ${facts.sourcesError}`);
  for (const c of facts.sources) if (!c.ok) attention.push(`${c.source}: ${c.message}`);
  for (const b of facts.breakers) {
    if (b.state !== 'closed') {
      attention.push(
        `${b.source} circuit breaker is ${breakerState(b)} since ${b.openedAt?.toISOString()} ` +
          `after ${b.consecutiveFailures} failed runs: ${b.lastError ?? ''}`,
      );
    }
  }
  const { lastRun } = facts;
  if (!lastRun) attention.push('no briefing yet: run `npx boardroom run` or `npm start`');
  else if (lastRun.outcome !== 'complete')
    attention.push(`last run degraded: ${degradedAgents(lastRun).join(', ')}`);
  for (const e of facts.agents)
    if (!e.success)
      attention.push(`${e.agent}: last attempt failed: ${e.error ?? 'unknown error'}`);
  for (const d of facts.deliveries ?? []) {
    if (d.status === 'failed')
      attention.push(
        `${d.channel} delivery of briefing #${d.briefingId} failed: ${d.error ?? 'unknown error'} ` +
          `(\`npx boardroom delivery test --channel ${d.channel}\`, then \`npx boardroom briefing send ${d.briefingId} --channel ${d.channel}\`)`,
      );
  }
  const { schedule } = facts;
  if (schedule.kind === 'missing')
    attention.push('no daily schedule: create it with `npx boardroom schedule create`');
  else if (schedule.kind === 'error') attention.push(schedule.message);
  else if (schedule.paused)
    attention.push(`the schedule is paused${schedule.note ? `: ${schedule.note}` : ''}`);
  return attention;
}

export function statusReport(facts: StatusFacts, now: Date): StatusReport {
  const { schedule } = facts;
  return {
    companyId: facts.companyId,
    sources: facts.sources,
    breakers: facts.breakers,
    cache: facts.cache.map((c) => ({
      ...c,
      ageMinutes: Math.round((now.getTime() - c.fetchedAt.getTime()) / 60_000),
    })),
    lastRun: facts.lastRun,
    agents: facts.agents,
    deliveries: facts.deliveries ?? [],
    schedule: schedule.kind === 'found' ? scheduleState(schedule) : undefined,
    attention: needsAttention(facts),
  };
}

function scheduleState(s: Extract<ScheduleFacts, { kind: 'found' }>): StatusReport['schedule'] {
  const timeZone = s.timeZone ?? 'UTC';
  if (s.paused)
    return { state: `paused${s.note ? `: ${s.note}` : ''}`, nextRun: undefined, timeZone };
  return {
    state: 'active',
    nextRun: s.nextRun,
    ...(s.nextRun ? { nextRunLocal: localTime(new Date(s.nextRun), timeZone) } : {}),
    timeZone,
  };
}

/** The text `boardroom status` prints; `workspace` is the company's folder. */
export function renderStatus(report: StatusReport, workspace: string): string {
  const { breakers, cache, lastRun, schedule, attention, deliveries } = report;
  const lines = [
    `Company ${report.companyId} (${workspace})`,
    'Sources:',
    ...report.sources.map((c) => `  ${sourceCheckLine(c)}`),
  ];
  if (breakers.length > 0) {
    const each = breakers.map(
      (b) =>
        `${b.source} ${breakerState(b)}${b.consecutiveFailures ? ` (${b.consecutiveFailures} failed runs)` : ''}`,
    );
    lines.push(`Circuit breakers: ${each.join(', ')}`);
  }
  if (cache.length > 0) {
    lines.push(
      `Cache: ${cache.map((c) => `${c.source}/${c.agent} ${c.ageMinutes} min old`).join(', ')}`,
    );
  }
  lines.push(
    lastRun
      ? `Last run: #${lastRun.id} ${lastRun.workflowId} (${lastRun.trigger}) ${lastRun.outcome}, ` +
          `health ${Math.round(lastRun.health)}, ${(lastRun.durationMs / 1000).toFixed(1)}s, finished ${lastRun.completedAt.toISOString()}`
      : 'Last run: none yet',
    'Agents (last execution):',
    ...report.agents.map(
      (e) =>
        `  ${e.success ? '✔' : '✘'} ${e.agent.padEnd(16)} attempt ${e.attempt}, ${e.durationMs} ms, ` +
        `${e.sourceCalls} source calls, ${e.startedAt.toISOString()}${e.error ? `: ${e.errorType ?? 'Error'}: ${e.error}` : ''}`,
    ),
    ...(deliveries.length > 0
      ? [
          'Deliveries (last per channel):',
          ...deliveries.map(
            (d) =>
              `  ${d.status === 'sent' ? '✔' : d.status === 'failed' ? '✘' : '…'} ${d.channel.padEnd(8)} ` +
              `${d.status} briefing #${d.briefingId}${d.target ? ` to ${d.target}` : ''}, ${d.attempts} attempt(s), ` +
              `${(d.sentAt ?? d.updatedAt).toISOString()}${d.kind === 'resend' ? ' (re-send)' : ''}` +
              `${d.error && d.status !== 'sent' ? `: ${d.errorType ?? 'Error'}: ${d.error}` : ''}`,
          ),
        ]
      : []),
    !schedule
      ? 'Schedule: unknown'
      : schedule.state === 'active'
        ? `Schedule: active, next run ${schedule.nextRunLocal ?? schedule.nextRun ?? 'none'}`
        : `Schedule: ${schedule.state}`,
    attention.length === 0
      ? 'All good.'
      : `Needs attention:\n${attention.map((a) => `  - ${a}`).join('\n')}`,
  );
  return `${lines.join('\n')}\n`;
}
