/**
 * The daily briefing: six department agents in parallel, each a retried activity; an
 * agent that still fails falls back to its last good report; then the CEO step
 * composes the briefing and an idempotent save writes it. Deterministic: all I/O is
 * in activities, and time comes from the workflow clock. The reports and the briefing
 * travel through Postgres, not the history (the claim check): a run's history holds
 * ids, statuses and counts, a few KB, and no company's figures.
 */
import {
  ActivityFailure,
  type ActivityOptions,
  ApplicationFailure,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type {
  Activities,
  FallbackInput,
  RunAgentInput,
  SavedBriefingResult,
} from '../activities/activities.js';
import { AGENT_NAMES, type AgentName } from '../contract/enums.js';
import type { AgentReport } from '../contract/report.js';
import { NON_RETRYABLE_ERROR_TYPES } from '../shared/errors.js';
import { TIME_ZONE_EXPECTED, calendarDate, isTimeZone } from '../shared/time-zone.js';
import {
  BRIEFING_DATE_SEARCH_ATTRIBUTE,
  COMPANY_SEARCH_ATTRIBUTE,
  OUTCOME_SEARCH_ATTRIBUTE,
  STALE_AGENTS_SEARCH_ATTRIBUTE,
  SCHEDULED_START_TIME_SEARCH_ATTRIBUTE,
  DEFAULT_AGENT_ACTIVITY,
  DELIVERY_ACTIVITIES,
  agentActivityId,
  progressQuery,
  type AgentProgress,
  type BriefingOutcome,
  type BriefingProgress,
  type DailyBriefingInput,
  type DailyBriefingResult,
  type DeliveryChannelName,
  type DeliveryOutcome,
} from '../shared/workflow-api.js';

/**
 * The CEO step, the fallback and the save. They heartbeat every half timeout, so a worker that
 * dies mid-step is noticed after STEP_HEARTBEAT_TIMEOUT and the step moves to another
 * worker (measured: ~10 s from the kill to the step running again, against 61-65 s when
 * only the one-minute start-to-close timeout could tell). Each attempt itself rides out
 * a Postgres outage of up to 30 s (src/activities/resilient-repository.ts); the attempts
 * here cover a longer one (the save is idempotent). Permanent errors (NON_RETRYABLE_ERROR_TYPES:
 * a bad ceo.yaml, text Postgres refuses) are not retried: the run fails with that error.
 */
const STEP_HEARTBEAT_TIMEOUT = '5 seconds';
const {
  composeBriefing,
  saveBriefing,
  loadFallbackReport,
  composeBriefingByRef,
  saveBriefingByRef,
  composeAndSaveBriefing,
  loadFallbackReportByRef,
} = proxyActivities<Activities>({
  // Bounds a live but stuck worker; the store retries inside an attempt take up to ~45 s.
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: STEP_HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
  },
});

/** Which channels to deliver to: quick, and retried like the other steps. */
export const { planDeliveries } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
  },
});

/**
 * One activity per channel, each with its own retries: a failing Slack never blocks the
 * e-mail, and the briefing is saved before any of them starts. An attempt is bounded by
 * its start-to-close timeout (the channels bound their own connects and reads too).
 */
export function deliveryActivity(channel: DeliveryChannelName) {
  const activities = proxyActivities<Activities>(
    deliveryActivityOptions(channel, `deliver:${channel}`),
  );
  return activities[DELIVERY_ACTIVITIES[channel].name];
}

/** A channel's send: its own retry policy (DELIVERY_ACTIVITIES), for a briefing or a portfolio. */
export function deliveryActivityOptions(channel: DeliveryChannelName, activityId: string) {
  const policy = DELIVERY_ACTIVITIES[channel];
  return {
    activityId,
    startToCloseTimeout: '1 minute',
    heartbeatTimeout: STEP_HEARTBEAT_TIMEOUT,
    retry: {
      initialInterval: policy.initialRetryMs,
      backoffCoefficient: 2,
      maximumInterval: '30 seconds',
      maximumAttempts: policy.maxAttempts,
      nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
    },
  } satisfies ActivityOptions;
}

/** A channel that failed for good: the run still succeeds, and says what failed. */
export function failedDelivery(channel: DeliveryChannelName, err: unknown): DeliveryOutcome {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  const message = cause instanceof Error ? cause.message : String(cause);
  return {
    channel,
    status: 'failed',
    attempts:
      cause instanceof ApplicationFailure && cause.nonRetryable
        ? 1
        : DELIVERY_ACTIVITIES[channel].maxAttempts,
    error: message,
    errorType:
      cause instanceof ApplicationFailure
        ? (cause.type ?? 'Error')
        : ((cause as Error)?.name ?? 'Error'),
  };
}

/**
 * Runs a step; when it fails for good, fails the run with the step's own error (its
 * message and type, e.g. ValidationError), not the SDK's "Activity task failed".
 */
async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const cause = err.cause;
    throw ApplicationFailure.create({
      message: `${what} failed: ${cause?.message ?? err.message}`,
      type:
        cause instanceof ApplicationFailure
          ? (cause.type ?? 'Error')
          : (cause?.name ?? 'ActivityFailure'),
      nonRetryable: true,
      cause: err,
    });
  }
}

/**
 * The moment the briefing describes: a backfilled day's `asOf`; for a run a schedule
 * started, its scheduled time, so a catch-up run after an outage (or a schedule backfill)
 * describes its own day, not the moment a worker picked it up; else the run's start.
 * All three are fixed in the history, so replay computes the same.
 */
function briefingAsOf(input: DailyBriefingInput, info: ReturnType<typeof workflowInfo>): Date {
  if (input.asOf !== undefined) {
    const t = Date.parse(input.asOf);
    if (!Number.isFinite(t)) {
      throw ApplicationFailure.create({
        type: 'ValidationError',
        nonRetryable: true,
        message: `The run's asOf "${String(input.asOf).slice(0, 40)}" is not an ISO time (e.g. 2026-11-26T07:00:00Z).`,
      });
    }
    return new Date(t);
  }
  const scheduled = info.typedSearchAttributes.get(SCHEDULED_START_TIME_SEARCH_ATTRIBUTE);
  if (scheduled instanceof Date && Number.isFinite(scheduled.getTime())) return scheduled;
  return new Date(info.startTime);
}

/** What the workflow reads of an agent's outcome, whether it holds the report or a reference. */
type AgentOutcome = Pick<AgentReport, 'agent' | 'status' | 'attempts'>;

/**
 * The six agents at once, each falling back to its last good report when it fails for
 * good; `run` and `fallback` are the activities (the reports themselves, or references).
 */
async function runAgents<R extends AgentOutcome>(
  progress: BriefingProgress,
  maxAttempts: number,
  run: Omit<RunAgentInput, 'agent'>,
  activities: {
    agent: (agent: AgentName) => (input: RunAgentInput) => Promise<R>;
    fallback: (input: FallbackInput) => Promise<R>;
  },
): Promise<R[]> {
  return Promise.all(
    AGENT_NAMES.map(async (agent): Promise<R> => {
      progress.agents[agent] = { phase: 'running' };
      try {
        const report = await activities.agent(agent)({ ...run, agent });
        progress.agents[agent] = { phase: 'done', attempts: report.attempts };
        return report;
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        const cause = err.cause;
        const nonRetryable = cause instanceof ApplicationFailure && cause.nonRetryable;
        const error = cause?.message ?? err.message;
        const attempts = nonRetryable ? 1 : maxAttempts;
        progress.agents[agent] = { phase: 'failed', attempts, error };
        const fallback = await step(`Serving the ${agent} agent's last good report`, () =>
          activities.fallback({
            workflowId: run.workflowId,
            errorType: cause instanceof ApplicationFailure ? (cause.type ?? undefined) : undefined,
            companyId: run.companyId,
            agent,
            asOf: run.asOf,
            error,
            attempts,
          }),
        );
        progress.agents[agent] = {
          phase: fallback.status === 'stale' ? 'stale' : 'failed',
          attempts,
          error,
        };
        return fallback;
      }
    }),
  );
}

export async function dailyBriefingWorkflow(
  input: DailyBriefingInput,
): Promise<DailyBriefingResult> {
  const info = workflowInfo();
  const opts = { ...DEFAULT_AGENT_ACTIVITY, ...input.agentActivity };
  // One proxy per agent so each activity has a readable id (`agent:finance`), which the
  // CLI's progress view and the Temporal UI show.
  const agentActivities = (agent: AgentName) =>
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
    });

  // An unknown zone would fail every workflow task (retried for ever): fail the run instead.
  if (!isTimeZone(input.timeZone)) {
    throw ApplicationFailure.create({
      type: 'ConfigError',
      nonRetryable: true,
      message:
        `Unknown time zone "${input.timeZone}" (from --timezone, BOARDROOM_TIMEZONE or company.yaml's ` +
        `"timezone"): ${TIME_ZONE_EXPECTED}.`,
    });
  }
  const asOf = briefingAsOf(input, info);
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

  // The claim check: agents, fallbacks and the CEO step write their reports and the
  // briefing to Postgres and hand on references, so the history holds no figures. A run
  // recorded before it replays the old steps, which carried the reports themselves.
  const claimCheck = patched('claim-check');
  const agentRun = {
    workflowId: info.workflowId,
    companyId: input.companyId,
    asOf: asOf.toISOString(),
    today: briefingDate,
    ...(input.fresh ? { fresh: true } : {}),
  };
  const run = {
    workflowId: info.workflowId,
    runId: info.runId,
    companyId: input.companyId,
    briefingDate,
    trigger: input.trigger,
    startedAt: new Date(info.startTime).toISOString(),
    asOf: asOf.toISOString(),
  };
  const compose = {
    workflowId: info.workflowId,
    companyId: input.companyId,
    briefingDate,
    ...(input.energy ? { energy: input.energy } : {}),
  };
  let reports: AgentOutcome[];
  let health: number;
  let saved: SavedBriefingResult;
  if (claimCheck) {
    reports = await runAgents(progress, opts.maxAttempts, agentRun, {
      agent: (agent) => agentActivities(agent).runAgentByRef,
      fallback: loadFallbackReportByRef,
    });
    progress.step = 'composing';
    // Since `compose-and-save`, one step composes and saves: one activity (and its
    // workflow task) fewer a run. Runs recorded before it replay the two steps.
    if (patched('compose-and-save')) {
      const result = await step('The CEO step', () =>
        composeAndSaveBriefing({ run, ...(input.energy ? { energy: input.energy } : {}) }),
      );
      ({ health } = result);
      saved = result;
    } else {
      ({ health } = await step('The CEO step', () => composeBriefingByRef(compose)));
      progress.step = 'saving';
      saved = await step('Saving the briefing', () => saveBriefingByRef({ run }));
    }
  } else {
    const full = await runAgents(progress, opts.maxAttempts, agentRun, {
      agent: (agent) => agentActivities(agent).runAgent,
      fallback: loadFallbackReport,
    });
    reports = full;
    progress.step = 'composing';
    const briefing = await step('The CEO step', () =>
      composeBriefing({
        ...compose,
        reports: Object.fromEntries(full.map((r) => [r.agent, r])) as Record<
          AgentName,
          AgentReport
        >,
      }),
    );
    health = briefing.health;
    progress.step = 'saving';
    saved = await step('Saving the briefing', () => saveBriefing({ run, briefing }));
  }

  // Runs recorded before delivery existed replay without these commands. A backfilled
  // past day is stored, not delivered: nobody wants last quarter's briefings in the inbox.
  let deliveries: DeliveryOutcome[] | undefined;
  let deliveryProblem: string | undefined;
  if (patched('deliveries') && input.trigger !== 'backfill') {
    progress.step = 'delivering';
    // The save returns the plan; a run recorded before it did asks for it here.
    const plan = saved.deliveryPlan ?? (await planDeliveries({ companyId: input.companyId }));
    deliveryProblem = plan.problem;
    deliveries = await Promise.all(
      plan.channels.map((channel) =>
        deliveryActivity(channel)({
          workflowId: info.workflowId,
          companyId: input.companyId,
          briefingId: saved.briefingId,
        }).catch((err: unknown) => failedDelivery(channel, err)),
      ),
    );
  }
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
    health,
    created: saved.created,
    agents: Object.fromEntries(
      reports.map((r) => [r.agent, { status: r.status, attempts: r.attempts }]),
    ) as DailyBriefingResult['agents'],
    ...(deliveries ? { deliveries } : {}),
    ...(deliveryProblem ? { deliveryProblem } : {}),
  };
}
