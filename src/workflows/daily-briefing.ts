/**
 * The daily briefing: six department agents in parallel, each a retried activity; an
 * agent that still fails falls back to its last good report; then the CEO step
 * composes the briefing and an idempotent save writes it. Deterministic: all I/O is
 * in activities, and time comes from the workflow clock.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities/activities.js';
import { AGENT_NAMES, type AgentName } from '../contract/enums.js';
import type { AgentReport } from '../contract/report.js';
import { NON_RETRYABLE_ERROR_TYPES } from '../shared/errors.js';
import { calendarDate } from '../shared/time-zone.js';
import {
  BRIEFING_DATE_SEARCH_ATTRIBUTE,
  COMPANY_SEARCH_ATTRIBUTE,
  OUTCOME_SEARCH_ATTRIBUTE,
  STALE_AGENTS_SEARCH_ATTRIBUTE,
  DEFAULT_AGENT_ACTIVITY,
  agentActivityId,
  progressQuery,
  type AgentProgress,
  type BriefingOutcome,
  type BriefingProgress,
  type DailyBriefingInput,
  type DailyBriefingResult,
} from '../shared/workflow-api.js';

// Store and CEO steps: retried until Postgres is back (the save is idempotent).
const { composeBriefing, saveBriefing, loadFallbackReport } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
  },
});

export async function dailyBriefingWorkflow(
  input: DailyBriefingInput,
): Promise<DailyBriefingResult> {
  const info = workflowInfo();
  const opts = { ...DEFAULT_AGENT_ACTIVITY, ...input.agentActivity };
  // One proxy per agent so each activity has a readable id (`agent:finance`), which the
  // CLI's progress view and the Temporal UI show.
  const agentActivity = (agent: AgentName) =>
    proxyActivities<Activities>({
      activityId: agentActivityId(agent),
      startToCloseTimeout: opts.startToCloseTimeoutMs,
      heartbeatTimeout: opts.heartbeatTimeoutMs,
      retry: {
        maximumAttempts: opts.maxAttempts,
        initialInterval: opts.initialRetryMs,
        backoffCoefficient: 2,
        nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
      },
    }).runAgent;

  // Workflow time is deterministic on replay; the run's "as of" is its start.
  const asOf = new Date(info.startTime);
  const briefingDate = calendarDate(asOf, input.timeZone);
  const progress: BriefingProgress = {
    step: 'agents',
    briefingDate,
    agents: Object.fromEntries(AGENT_NAMES.map((a) => [a, { phase: 'pending' }])) as Record<
      AgentName,
      AgentProgress
    >,
  };
  setHandler(progressQuery, () => progress);
  // Only when the caller checked the namespace has them: an unknown attribute fails the
  // workflow task (and a run started before this option existed replays unchanged).
  if (input.searchAttributes === true) {
    upsertSearchAttributes([
      { key: COMPANY_SEARCH_ATTRIBUTE, value: input.companyId },
      { key: BRIEFING_DATE_SEARCH_ATTRIBUTE, value: briefingDate },
      { key: OUTCOME_SEARCH_ATTRIBUTE, value: 'running' satisfies BriefingOutcome },
    ]);
  }

  const reports = await Promise.all(
    AGENT_NAMES.map(async (agent): Promise<AgentReport> => {
      progress.agents[agent] = { phase: 'running' };
      try {
        const report = await agentActivity(agent)({
          workflowId: info.workflowId,
          companyId: input.companyId,
          agent,
          asOf: asOf.toISOString(),
          today: briefingDate,
          ...(input.fresh ? { fresh: true } : {}),
        });
        progress.agents[agent] = { phase: 'done', attempts: report.attempts };
        return report;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        const cause = err.cause;
        const nonRetryable = cause instanceof ApplicationFailure && cause.nonRetryable;
        const error = cause?.message ?? err.message;
        const attempts = nonRetryable ? 1 : opts.maxAttempts;
        progress.agents[agent] = { phase: 'failed', attempts, error };
        const fallback = await loadFallbackReport({
          workflowId: info.workflowId,
          errorType: cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined,
          companyId: input.companyId,
          agent,
          asOf: asOf.toISOString(),
          error,
          attempts,
        });
        progress.agents[agent] = {
          phase: fallback.status === 'stale' ? 'stale' : 'failed',
          attempts,
          error,
        };
        return fallback;
      }
    }),
  );

  progress.step = 'composing';
  const briefing = await composeBriefing({
    workflowId: info.workflowId,
    companyId: input.companyId,
    briefingDate,
    reports: Object.fromEntries(reports.map((r) => [r.agent, r])) as Record<AgentName, AgentReport>,
    ...(input.energy ? { energy: input.energy } : {}),
  });

  progress.step = 'saving';
  const saved = await saveBriefing({
    run: {
      workflowId: info.workflowId,
      runId: info.runId,
      companyId: input.companyId,
      briefingDate,
      trigger: input.trigger,
      startedAt: asOf.toISOString(),
    },
    briefing,
  });
  progress.step = 'done';

  if (input.searchAttributes === true) {
    const staleAgents = reports.filter((r) => r.status !== 'ok').map((r) => r.agent);
    const outcome: BriefingOutcome = staleAgents.length > 0 ? 'degraded' : 'complete';
    upsertSearchAttributes([
      { key: OUTCOME_SEARCH_ATTRIBUTE, value: outcome },
      ...(staleAgents.length > 0
        ? [{ key: STALE_AGENTS_SEARCH_ATTRIBUTE, value: staleAgents }]
        : []),
    ]);
  }

  return {
    workflowId: info.workflowId,
    briefingId: saved.briefingId,
    briefingDate,
    health: briefing.health,
    created: saved.created,
    agents: Object.fromEntries(
      reports.map((r) => [r.agent, { status: r.status, attempts: r.attempts }]),
    ) as DailyBriefingResult['agents'],
  };
}
