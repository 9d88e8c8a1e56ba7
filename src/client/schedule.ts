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
import {
  WORKFLOW_TYPE,
  scheduleId,
  scheduledWorkflowIdPrefix,
  type DailyBriefingInput,
} from '../shared/workflow-api.js';

export interface ScheduleSettings {
  companyId: string;
  cron: string;
  timeZone: string;
  taskQueue: string;
  input: DailyBriefingInput;
}

/** Creates the schedule, or updates it in place when it exists: safe to call on every start. */
export async function ensureSchedule(
  client: Client,
  s: ScheduleSettings,
): Promise<'created' | 'updated'> {
  const spec = { cronExpressions: [s.cron], timezone: s.timeZone };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: WORKFLOW_TYPE,
    workflowId: scheduledWorkflowIdPrefix(s.companyId),
    taskQueue: s.taskQueue,
    args: [s.input],
    // Temporal stores cron as calendars; keep the expression as given, for people.
    memo: { cron: s.cron },
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

export function scheduleHandle(client: Client, companyId: string) {
  return client.schedule.getHandle(scheduleId(companyId));
}

export function describeScheduleText(d: ScheduleDescription): string {
  const spec = d.spec as { timezone?: string };
  const cron = (d.action as { memo?: { cron?: string } }).memo?.cron;
  const next = d.info.nextActionTimes.slice(0, 3).map((t) => t.toISOString());
  const recent = d.info.recentActions
    .slice(-3)
    .map((a) => `${a.takenAt.toISOString()} -> ${a.action.workflow.workflowId}`);
  return [
    `Schedule ${d.scheduleId}`,
    `  state:      ${d.state.paused ? `paused${d.state.note ? ` (${d.state.note})` : ''}` : 'active'}`,
    `  time zone:  ${spec.timezone ?? 'UTC'}`,
    `  cron:       ${cron ?? JSON.stringify(d.spec)}`,
    `  overlap:    ${d.policies.overlap}`,
    `  next runs:  ${next.join(', ') || 'none'}`,
    `  recent:     ${recent.join('\n              ') || 'none yet'}`,
  ].join('\n');
}
