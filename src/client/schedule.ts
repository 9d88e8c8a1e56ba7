/**
 * The daily schedule: Temporal's own cron, one per company, overlap SKIP (a slow run
 * never stacks up behind itself).
 */
import {
  ScheduleAlreadyRunning,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
} from '@temporalio/client';
import { calendarDate } from '../shared/time-zone.js';
import { localTime } from './local-time.js';
import {
  WORKFLOW_TYPE,
  scheduleId,
  scheduledWorkflowIdPrefix,
  type DailyBriefingInput,
} from '../shared/workflow-api.js';
import { companyPriority } from '../worker/fairness.js';

export interface ScheduleSettings {
  companyId: string;
  cron: string;
  timeZone: string;
  taskQueue: string;
  input: DailyBriefingInput;
  /** Each run starts up to this many minutes after its cron time (BOARDROOM_SCHEDULE_JITTER_MINUTES). @default 0 */
  jitterMinutes?: number;
}

/** Creates the schedule, or updates it in place when it exists: safe to call on every start. */
export async function ensureSchedule(
  client: Client,
  s: ScheduleSettings,
): Promise<'created' | 'updated'> {
  const spec = {
    cronExpressions: [s.cron],
    timezone: s.timeZone,
    ...(s.jitterMinutes ? { jitter: `${s.jitterMinutes}m` as const } : {}),
  };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: WORKFLOW_TYPE,
    workflowId: scheduledWorkflowIdPrefix(s.companyId),
    taskQueue: s.taskQueue,
    args: [s.input],
    // Temporal stores cron as calendars; keep the expression as given, for people.
    memo: { cron: s.cron },
    // The company as the fairness key (src/worker/fairness.ts); SDK 1.24 sends it,
    // though its type for a schedule's action leaves `priority` out.
    priority: companyPriority(s.companyId),
  };
  try {
    await client.schedule.create({
      scheduleId: scheduleId(s.companyId),
      spec,
      action,
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      memo: { companyId: s.companyId },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId(s.companyId)).update((prev) => ({
      ...prev,
      spec,
      action,
      policies: { ...prev.policies, overlap: ScheduleOverlapPolicy.SKIP },
    }));
    return 'updated';
  }
}

export { localTime };

export function scheduleHandle(client: Client, companyId: string) {
  return client.schedule.getHandle(scheduleId(companyId));
}

/** The schedule's time zone (the company's when boardroom created it), else UTC. */
export function scheduleTimeZone(d: Pick<ScheduleDescription, 'spec'>): string {
  return (d.spec as { timezone?: string }).timezone || 'UTC';
}

export function describeScheduleText(d: ScheduleDescription): string {
  const zone = scheduleTimeZone(d);
  const cron = (d.action as { memo?: { cron?: string } }).memo?.cron;
  const next = d.state.paused
    ? [`none while paused`]
    : d.info.nextActionTimes.slice(0, 3).map((t) => localTime(t, zone));
  const recent = d.info.recentActions
    .slice(-3)
    .map((a) => `${localTime(a.takenAt, zone)} -> ${a.action.workflow.workflowId}`);
  return [
    `Schedule ${d.scheduleId}`,
    `  state:      ${d.state.paused ? `paused${d.state.note ? ` (${d.state.note})` : ''}` : 'active'}`,
    `  time zone:  ${zone}`,
    `  cron:       ${cron ?? JSON.stringify(d.spec)}`,
    ...(d.spec.jitter
      ? [`  jitter:     up to ${Math.round(d.spec.jitter / 60_000)} min after it`]
      : []),
    `  overlap:    ${d.policies.overlap}`,
    `  next runs:  ${next.join(', ') || 'none'}`,
    `  recent:     ${recent.join('\n              ') || 'none yet'}`,
  ].join('\n');
}

/** What `schedule trigger` did: started a run, or why it did not. */
export type TriggerOutcome =
  | { kind: 'started'; workflowId: string; alsoSkipped: number }
  | { kind: 'in-flight'; workflowId: string }
  | { kind: 'ran-today'; workflowId: string; takenAt: Date; timeZone: string }
  | { kind: 'skipped' }
  | { kind: 'unconfirmed' };

/**
 * Starts a scheduled run now, keeping one run per company and day unless `allowOverlap`:
 * not while a run of the schedule is in flight, nor when today's (in the schedule's zone)
 * has run. The trigger itself goes with the schedule's SKIP, so two triggers at the same
 * moment start one run, and the schedule's counters then tell what happened (within
 * `confirmWithinMs`).
 */
export async function triggerSchedule(
  client: Client,
  companyId: string,
  opts: { allowOverlap: boolean; now?: () => Date; confirmWithinMs?: number },
): Promise<TriggerOutcome> {
  const now = opts.now ?? (() => new Date());
  const handle = scheduleHandle(client, companyId);
  const before = await handle.describe();
  if (!opts.allowOverlap) {
    const running = before.info.runningActions[0];
    if (running) return { kind: 'in-flight', workflowId: running.workflow.workflowId };
    const zone = scheduleTimeZone(before);
    const today = calendarDate(now(), zone);
    const ranToday = before.info.recentActions
      .filter((a) => calendarDate(a.takenAt, zone) === today)
      .at(-1);
    if (ranToday)
      return {
        kind: 'ran-today',
        workflowId: ranToday.action.workflow.workflowId,
        takenAt: ranToday.takenAt,
        timeZone: zone,
      };
  }
  await handle.trigger(
    opts.allowOverlap ? ScheduleOverlapPolicy.ALLOW_ALL : ScheduleOverlapPolicy.SKIP,
  );
  const deadline = Date.now() + (opts.confirmWithinMs ?? 10_000);
  let settled = false;
  for (;;) {
    const after = await handle.describe();
    const taken = after.info.numActionsTaken - before.info.numActionsTaken;
    const skipped = after.info.numActionsSkippedOverlap - before.info.numActionsSkippedOverlap;
    const seen = new Set(before.info.recentActions.map((a) => a.action.workflow.workflowId));
    const started = after.info.recentActions.filter((a) => !seen.has(a.action.workflow.workflowId));
    if (taken > 0 && started.length > 0) {
      // A trigger sent at the same moment is counted a little later: give it a moment,
      // so both callers say what happened rather than each claiming the run.
      if (skipped === 0 && !settled && Date.now() < deadline) {
        settled = true;
        await new Promise((r) => setTimeout(r, 1_000));
        continue;
      }
      return {
        kind: 'started',
        workflowId: started.at(-1)!.action.workflow.workflowId,
        alsoSkipped: skipped,
      };
    }
    if (skipped > 0 && taken === 0) return { kind: 'skipped' };
    if (Date.now() > deadline) return { kind: 'unconfirmed' };
    await new Promise((r) => setTimeout(r, 200));
  }
}
