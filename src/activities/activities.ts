/**
 * The workflow's activities: thin glue of load -> compute -> save. Built once per
 * worker by `createActivities(deps)`; workflows import only their type.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  AGENT_NAMES,
  AgentReport,
  AgentResult,
  type AgentName,
  type EnergyDemand,
  type MetricSnapshot,
} from '../contract/report.js';
import { type Briefing } from '../contract/briefing.js';
import type { AgentDefinition } from '../contract/agent.js';
import { composeBriefing as composeBriefingPure } from '../ceo/briefing.js';
import { companyComposeInput } from './compose-input.js';
import { unknownOverrides } from '../ceo/risk-engine.js';
import { RISK_RULES } from '../ceo/risks.js';
import { addDays } from '../shared/dates.js';
import { CircuitOpenError, ValidationError } from '../shared/errors.js';
import type { Logger } from '../logger.js';
import type { LoadedInput as LoadedAgentInput } from '../sources/workspace.js';
import type { CompanyData, Sources } from '../sources/sources.js';
import type {
  AgentExecutionRecord,
  BriefingRunRecord,
  Repository,
  SavedBriefing,
} from '../store/repository.js';
import {
  deterministicFailure,
  namedStoreError,
  toFailure,
  workspaceFailure,
  type StoreRetryOptions,
} from './failures.js';
import { resilientRepository } from './resilient-repository.js';
import { createDeliveryActivities, type DeliveryChannels } from './deliver.js';
import { createPortfolioActivities } from './portfolio.js';
import type { AgentReportRef, BriefingRef, DeliveryPlan } from '../shared/workflow-api.js';
import { CHANNELS } from '../delivery/index.js';
import { keepHeartbeating } from './heartbeat.js';

export interface ActivityDeps {
  repo: Repository;
  sources: Sources;
  clock: () => Date;
  log: Logger;
  /** The agents to run; the registry in production, stand-ins in some tests. */
  agents: Record<AgentName, AgentDefinition>;
  /** The delivery channels. @default CHANNELS (src/delivery/index.ts): e-mail, Slack, webhook */
  channels?: DeliveryChannels;
  /** The environment the channels read their secrets from. @default {} (nothing configured) */
  env?: Record<string, string | undefined>;
  /**
   * How long each activity rides out an unreachable Postgres before failing the attempt
   * (default: STORE_RETRY_BUDGET_MS, 30 s with backoff from 250 ms to 3 s).
   */
  storeRetry?: StoreRetryOptions;
}

export interface RunAgentInput {
  workflowId: string;
  companyId: string;
  agent: AgentName;
  /** Skip the API sources' cache (`boardroom run --fresh`). */
  fresh?: boolean;
  /** ISO time the briefing is for; the same for every agent of a run. */
  asOf: string;
  today: string;
}

export interface FallbackInput {
  workflowId: string;
  companyId: string;
  agent: AgentName;
  /** The failure's type (e.g. SourceTransientError, CircuitOpenError). */
  errorType?: string;
  asOf: string;
  error: string;
  attempts: number;
}

export interface ComposeBriefingInput {
  workflowId: string;
  companyId: string;
  briefingDate: string;
  reports: Record<AgentName, AgentReport>;
  /** From `boardroom run --energy`. */
  energy?: EnergyDemand;
}

/** The claim-check CEO step's input: the reports are the run's stored ones (run_reports). */
export type ComposeBriefingByRefInput = Omit<ComposeBriefingInput, 'reports'>;

/** The save's result: the briefing's id, and the channels to deliver it to. */
export interface SavedBriefingResult extends SavedBriefing {
  /** Absent from runs recorded before the save returned it: they ask `planDeliveries`. */
  deliveryPlan?: DeliveryPlan;
}

export interface SaveBriefingInput {
  run: Omit<BriefingRunRecord, 'startedAt' | 'asOf' | 'durationMs'> & {
    startedAt: string;
    /** Omitted by runs recorded before backfill existed: their start. */
    asOf?: string;
  };
  briefing: Briefing;
}

/** The claim-check save's input: the briefing is the run's stored one (run_briefings). */
export type SaveBriefingByRefInput = Pick<SaveBriefingInput, 'run'>;

/** The CEO step and the save in one: the run, and what the founder asked of `--energy`. */
export interface ComposeAndSaveBriefingInput extends SaveBriefingByRefInput {
  energy?: EnergyDemand;
}

/** What the workflow keeps of the composed and saved briefing: its id, counts and plan. */
export type ComposedBriefingResult = SavedBriefingResult & BriefingRef;

/** How far back agents see their own history: a year and a month, for year-over-year. */
export const HISTORY_DAYS = 400;

/**
 * The largest activity result or input we hand to Temporal. Its server refuses a payload
 * over 2 MB (and then the step would be retried until its attempts run out), so a
 * briefing or report bigger than this is refused here, naming its largest part.
 */
export const MAX_PAYLOAD_BYTES = 1_500_000;

/** Where a briefing's parts come from, to name the file to shorten. */
const PART_SOURCES: Record<string, { file: string; field?: string }> = {
  goals: { file: 'goals.yaml', field: 'goals' },
  companyName: { file: 'company.yaml', field: 'name' },
  tasks: { file: 'tasks.csv' },
  priorities: { file: 'tasks.csv' },
};

function checkPayloadSize(value: object, what: string): void {
  const bytes = Buffer.byteLength(JSON.stringify(value));
  if (bytes <= MAX_PAYLOAD_BYTES) return;
  const parts = Object.entries(value)
    .map(([k, v]) => [k, Buffer.byteLength(JSON.stringify(v) ?? '')] as const)
    .sort((a, b) => b[1] - a[1]);
  const [part, partBytes] = parts[0] ?? ['?', 0];
  const from = PART_SOURCES[part] ?? { file: 'the workspace' };
  const mb = (n: number) => `${(n / 1_000_000).toFixed(1)} MB`;
  throw new ValidationError(
    `${what} would be ${mb(bytes)}, over the ${mb(MAX_PAYLOAD_BYTES)} a run can carry; its largest part is ` +
      `"${part}" (${mb(partBytes)}), from ${from.file}. Shorten it (docs/workspace.md lists the size limits).`,
    { file: from.file, ...(from.field ? { field: from.field } : {}) },
  );
}

/**
 * An agent's report from its loaded input: the pure computation, validated, with the
 * run's facts around it. What the activity returns, and what `boardroom preview` shows.
 */
export function computeAgentReport(
  agent: AgentDefinition,
  loaded: LoadedAgentInput,
  run: {
    asOf: string;
    today: string;
    history: MetricSnapshot[];
    currency?: string;
    now: Date;
    durationMs: number;
    attempt: number;
  },
): AgentReport {
  const result = AgentResult.parse(
    agent.compute(loaded.input, {
      asOf: new Date(run.asOf),
      today: run.today,
      history: run.history,
      ...(run.currency ? { currency: run.currency } : {}),
    }),
  );
  return {
    ...result,
    // The data's own age (file times, the API's fetch, the cache's fetch), not the run's.
    dataAsOf: dataTimeOf(loaded, run.asOf, run.now),
    agent: agent.name,
    timestamp: run.now.toISOString(),
    status: 'ok',
    durationMs: run.durationMs,
    sourceCalls: loaded.sourceCalls,
    attempts: run.attempt,
    ...(loaded.origin
      ? {
          source: loaded.origin.source,
          breaker: 'closed' as const,
          ...(loaded.origin.cacheAgeMs !== undefined
            ? { cacheAgeMs: loaded.origin.cacheAgeMs }
            : {}),
        }
      : {}),
  };
}

/** The loaded data's own time, or the run's when the load did not say (no file read). */
function dataTimeOf(loaded: { dataAsOf?: Date | undefined }, asOf: string, now: Date): string {
  const t = loaded.dataAsOf?.getTime();
  if (t === undefined || !Number.isFinite(t) || t <= 0) return asOf;
  // A file touched after the run began is as fresh as now, never from the future.
  return new Date(Math.min(t, now.getTime())).toISOString();
}

/**
 * The CEO step on a company's settings: its risk thresholds checked (a ValidationError
 * naming ceo.yaml's field), then the pure composition. The activity's, and `preview`'s.
 */
export function composeCompanyBriefing(
  company: CompanyData,
  run: {
    companyId: string;
    workflowId: string;
    briefingDate: string;
    generatedAt: string;
    reports: Record<AgentName, AgentReport>;
    history: Partial<Record<AgentName, MetricSnapshot[]>>;
    previous?: Briefing;
    energy?: EnergyDemand;
  },
): Briefing {
  const unknown = unknownOverrides(RISK_RULES, company.ceo.riskThresholds);
  if (unknown.length > 0) {
    throw new ValidationError(
      `ceo.yaml, field "risks": unknown rule or threshold ${unknown.join(', ')} (see docs/risks.md for the rules and their thresholds)`,
      { file: 'ceo.yaml', field: `risks.${unknown[0]}` },
    );
  }
  const { riskOverrides, ...fromCompany } = companyComposeInput(
    company,
    run.briefingDate,
    run.energy,
  );
  return composeBriefingPure({
    ...fromCompany,
    companyId: run.companyId,
    workflowId: run.workflowId,
    briefingDate: run.briefingDate,
    generatedAt: run.generatedAt,
    reports: run.reports,
    history: run.history,
    ...(run.previous ? { previous: run.previous } : {}),
    risks: { rules: RISK_RULES, overrides: riskOverrides },
  });
}

export function createActivities(deps: ActivityDeps) {
  const { sources, clock, log, agents } = deps;
  const repo = resilientRepository(deps.repo, { ...deps.storeRetry, log });
  const delivery = createDeliveryActivities({
    repo,
    sources,
    log,
    channels: deps.channels ?? CHANNELS,
    env: deps.env ?? {},
  });
  return {
    ...delivery,
    ...createPortfolioActivities({ ...deps, repo }),
    /** Loads one department's data, computes its report and records the attempt. */
    runAgent: (input: RunAgentInput): Promise<AgentReport> => agentReport(input),

    /**
     * The claim-check runAgent: the report goes to Postgres (before the attempt is
     * recorded a success) and only its reference goes back to the workflow.
     */
    async runAgentByRef(input: RunAgentInput): Promise<AgentReportRef> {
      const report = await agentReport(input, (r, execution) =>
        repo.saveRunReport({
          workflowId: input.workflowId,
          companyId: input.companyId,
          agent: input.agent,
          stage: 'agent',
          attempt: execution.attempt,
          report: r,
          execution,
        }),
      );
      return reportRef(report);
    },

    /**
     * After an agent has failed for good: its last good report, marked stale with its
     * age, or a failed report when it never succeeded.
     */
    async loadFallbackReport(input: FallbackInput): Promise<AgentReport> {
      const stopHeartbeat = keepHeartbeating();
      try {
        return await fallbackReport(input);
      } catch (err) {
        throw toFailure(err);
      } finally {
        stopHeartbeat();
      }
    },

    /** The claim-check fallback: stores the fallback report over the agent's, returns its reference. */
    async loadFallbackReportByRef(input: FallbackInput): Promise<AgentReportRef> {
      const stopHeartbeat = keepHeartbeating();
      try {
        const report = await fallbackReport(input);
        await repo.saveRunReport({
          workflowId: input.workflowId,
          companyId: input.companyId,
          agent: input.agent,
          stage: 'fallback',
          attempt: Context.current().info.attempt,
          report,
        });
        return reportRef(report);
      } catch (err) {
        throw toFailure(err);
      } finally {
        stopHeartbeat();
      }
    },

    /** The CEO step: risks, priorities, key metrics and the briefing (pure code inside). */
    async composeBriefing(input: ComposeBriefingInput): Promise<Briefing> {
      const stopHeartbeat = keepHeartbeating();
      try {
        return await compose(input);
      } finally {
        stopHeartbeat();
      }
    },

    /**
     * The claim-check CEO step: reads the run's six stored reports, composes, stores the
     * briefing for the save and returns its reference.
     */
    async composeBriefingByRef(input: ComposeBriefingByRefInput): Promise<BriefingRef> {
      const stopHeartbeat = keepHeartbeating();
      try {
        const { reports, missing } = await runReports(input.workflowId).catch((err) => {
          throw toFailure(err);
        });
        if (!reports) throw missingReports(missing, input.workflowId);
        const briefing = await compose({ ...input, reports });
        await repo
          .saveRunBriefing({
            workflowId: input.workflowId,
            companyId: input.companyId,
            attempt: Context.current().info.attempt,
            briefing,
          })
          .catch((err) => {
            throw toFailure(namedStoreError(err, 'store the composed briefing'));
          });
        return {
          health: briefing.health,
          risks: briefing.risks.length,
          priorities: briefing.priorities.length,
        };
      } finally {
        stopHeartbeat();
      }
    },

    /**
     * The CEO step and the save as one step (a run's step since the `compose-and-save`
     * patch): reads the run's six stored reports, composes the briefing and writes it,
     * with the run, its reports and points, clearing the run's claim-check rows, in one
     * statement. One activity fewer a run than compose-then-save: one task fewer on the
     * server and the worker, and the briefing is written once, not stored for a second
     * step to copy. Idempotent on the workflow id: an attempt after the save committed
     * finds the reports gone and the briefing saved, and writes nothing.
     */
    async composeAndSaveBriefing(
      input: ComposeAndSaveBriefingInput,
    ): Promise<ComposedBriefingResult> {
      const stopHeartbeat = keepHeartbeating();
      try {
        const { workflowId, companyId, briefingDate } = input.run;
        const { reports, missing } = await runReports(workflowId);
        if (!reports) {
          const earlier = await repo.savedBriefingSummary(workflowId);
          if (earlier && missing.length === AGENT_NAMES.length) {
            // An earlier attempt saved it (and cleared the reports) but its answer was lost.
            const { briefingId, ...counts } = earlier;
            const saved = { briefingId, created: false };
            logSaved(input.run, saved);
            return { ...saved, ...counts, deliveryPlan: await delivery.planDeliveries(input.run) };
          }
          throw missingReports(missing, workflowId);
        }
        const briefing = await compose({
          workflowId,
          companyId,
          briefingDate,
          reports,
          ...(input.energy ? { energy: input.energy } : {}),
        });
        const saved = await repo.saveComposedBriefing(runRecord(input.run), briefing);
        logSaved(input.run, saved);
        return {
          ...saved,
          health: briefing.health,
          risks: briefing.risks.length,
          priorities: briefing.priorities.length,
          deliveryPlan: await delivery.planDeliveries(input.run),
        };
      } catch (err) {
        throw toFailure(namedStoreError(err, 'save the briefing'));
      } finally {
        stopHeartbeat();
      }
    },

    /**
     * Idempotent: keyed on the workflow id, a retried save writes nothing twice. Returns
     * the delivery plan too, so the workflow needs no round trip of its own for it.
     */
    async saveBriefing(input: SaveBriefingInput): Promise<SavedBriefingResult> {
      const stopHeartbeat = keepHeartbeating();
      try {
        const saved = await save(input);
        return { ...saved, deliveryPlan: await delivery.planDeliveries(input.run) };
      } catch (err) {
        throw toFailure(namedStoreError(err, 'save the briefing'));
      } finally {
        stopHeartbeat();
      }
    },

    /**
     * The claim-check save: the composed briefing comes from Postgres, and once saved its
     * claim-check rows go. Idempotent like saveBriefing: a retry after the rows went finds
     * the saved briefing and writes nothing.
     */
    async saveBriefingByRef(input: SaveBriefingByRefInput): Promise<SavedBriefingResult> {
      const stopHeartbeat = keepHeartbeating();
      try {
        const { workflowId } = input.run;
        // Postgres copies the claim-check rows into place and clears them, in one statement.
        let saved = await repo.saveClaimedBriefing(runRecord(input.run));
        if (saved) {
          logSaved(input.run, saved);
        } else {
          // Nothing copied: rows stored before run_briefings had a head, or none left.
          const briefing = await repo.loadRunBriefing(workflowId);
          if (briefing) {
            saved = await save({ run: input.run, briefing });
          } else {
            const briefingId = await repo.savedBriefingId(workflowId);
            if (briefingId === undefined) {
              throw ApplicationFailure.create({
                type: 'MissingBriefingError',
                nonRetryable: true,
                message: `No composed briefing stored for run ${workflowId}: the CEO step did not store it.`,
              });
            }
            saved = { briefingId, created: false };
            logSaved(input.run, saved);
          }
          await repo.clearRunClaims(workflowId);
        }
        return { ...saved, deliveryPlan: await delivery.planDeliveries(input.run) };
      } catch (err) {
        throw toFailure(namedStoreError(err, 'save the briefing'));
      } finally {
        stopHeartbeat();
      }
    },
  };

  /**
   * One attempt of an agent: load, compute, check, then `store` the report (the claim
   * check) with the attempt's record, in one statement, so a failed store is a failed
   * attempt; without `store`, only the record.
   */
  async function agentReport(
    input: RunAgentInput,
    store?: (report: AgentReport, execution: AgentExecutionRecord) => Promise<void>,
  ): Promise<AgentReport> {
    const { attempt } = Context.current().info;
    const startedAt = clock();
    const t0 = performance.now();
    const agent = agents[input.agent];
    const stopHeartbeat = keepHeartbeating();
    const facts = {
      agent: input.agent,
      company_id: input.companyId,
      workflow_id: input.workflowId,
      attempt,
    };
    try {
      const [loaded, history, currency] = await Promise.all([
        sources.loadAgentInput(input.companyId, agent, {
          today: input.today,
          asOf: new Date(input.asOf),
          signal: Context.current().cancellationSignal,
          ...(input.fresh ? { fresh: true } : {}),
        }),
        repo.loadHistory(input.companyId, input.agent, {
          since: addDays(input.today, -HISTORY_DAYS),
          before: input.today,
        }),
        // Money in the agent's messages is written in the company's currency; the
        // company files are the CEO step's to judge, so a problem there leaves USD.
        Promise.resolve()
          .then(() => sources.loadCompany(input.companyId))
          .then(
            (c) => c.profile.currency,
            () => undefined,
          ),
      ]);
      const computed = computeAgentReport(agent, loaded, {
        asOf: input.asOf,
        today: input.today,
        history,
        ...(currency ? { currency } : {}),
        now: clock(),
        durationMs: 0,
        attempt,
      });
      const durationMs = Math.round(performance.now() - t0);
      const report: AgentReport = { ...computed, durationMs };
      checkPayloadSize(report, `The ${input.agent} report`);
      const metricsCount = Object.keys(report.metrics).length;
      const execution: AgentExecutionRecord = {
        workflowId: input.workflowId,
        companyId: input.companyId,
        agent: input.agent,
        attempt,
        startedAt,
        durationMs,
        success: true,
        metricsCount,
        sourceCalls: loaded.sourceCalls,
        source: loaded.origin?.source ?? 'workspace',
        cacheHit: loaded.origin?.cacheAgeMs !== undefined,
        breakerState: loaded.origin ? 'closed' : undefined,
      };
      if (store) await store(report, execution);
      else await repo.recordExecution(execution);
      log.info(
        {
          ...facts,
          started_at: startedAt.toISOString(),
          duration_ms: durationMs,
          success: true,
          metrics_count: metricsCount,
          source_calls: loaded.sourceCalls,
          source: loaded.origin?.source ?? 'workspace',
          cache_hit: loaded.origin?.cacheAgeMs !== undefined,
          ...(loaded.origin ? { breaker_state: 'closed' } : {}),
        },
        'agent run',
      );
      return report;
    } catch (err) {
      const durationMs = Math.round(performance.now() - t0);
      const e = err as Error;
      const api = await sources.sourceOf?.(input.companyId, input.agent).catch(() => undefined);
      const breakerState = api ? (e instanceof CircuitOpenError ? 'open' : 'closed') : undefined;
      log.warn(
        {
          ...facts,
          started_at: startedAt.toISOString(),
          duration_ms: durationMs,
          success: false,
          metrics_count: 0,
          source: api?.source ?? 'workspace',
          breaker_state: breakerState,
          error: e.message,
          error_type: e.name,
        },
        'agent run failed',
      );
      await repo
        .recordExecution({
          workflowId: input.workflowId,
          companyId: input.companyId,
          agent: input.agent,
          attempt,
          startedAt,
          durationMs,
          success: false,
          metricsCount: 0,
          sourceCalls: 0,
          error: e.message,
          errorType: e.name,
          source: api?.source ?? 'workspace',
          cacheHit: false,
          breakerState,
        })
        .catch((dbErr: Error) =>
          log.error({ ...facts, error: dbErr.message }, 'could not record agent execution'),
        );
      throw toFailure(err);
    } finally {
      stopHeartbeat();
    }
  }

  /** The run's six stored reports, or the agents whose report is not stored. */
  async function runReports(
    workflowId: string,
  ): Promise<{ reports?: Record<AgentName, AgentReport>; missing: AgentName[] }> {
    const stored = await repo.loadRunReports(workflowId);
    const missing = AGENT_NAMES.filter((a) => !stored[a]);
    if (missing.length > 0) return { missing };
    return { reports: stored as Record<AgentName, AgentReport>, missing };
  }

  async function fallbackReport(input: FallbackInput): Promise<AgentReport> {
    const asOf = new Date(input.asOf);
    // A run in which the agent's API failed for good counts toward opening its breaker.
    // A sources.yaml that cannot be read (the agent's own error, most likely) names no API.
    const api = await sources.sourceOf?.(input.companyId, input.agent).catch((err: Error) => {
      log.warn(
        {
          step: 'loadFallbackReport',
          workflow_id: input.workflowId,
          company_id: input.companyId,
          agent: input.agent,
          error: err.message,
          error_type: err.name,
        },
        'could not tell which source the agent reads',
      );
      return undefined;
    });
    const breaker =
      api && input.errorType !== 'CircuitOpenError'
        ? (
            await repo.recordSourceFailure(
              input.companyId,
              api.source,
              input.workflowId,
              input.error,
              api.settings.failureThreshold,
            )
          ).state
        : api
          ? ('open' as const)
          : undefined;
    if (api) {
      log.warn(
        {
          step: 'loadFallbackReport',
          workflow_id: input.workflowId,
          company_id: input.companyId,
          agent: input.agent,
          source: api.source,
          breaker_state: breaker,
          error: input.error,
          error_type: input.errorType,
        },
        'agent fell back to its last good report',
      );
    }
    const last = await repo.findLastGoodReport(input.companyId, input.agent);
    if (last) {
      // Age since boardroom last computed it successfully: that is when it was last updated.
      const ageHours = Math.max(0, (asOf.getTime() - Date.parse(last.timestamp)) / 3_600_000);
      return {
        ...last,
        status: 'stale',
        attempts: input.attempts,
        staleHours: Math.round(ageHours * 10) / 10,
        error: input.error,
        note: `serving the report of ${last.timestamp}`,
        ...(api ? { source: api.source, breaker } : {}),
      };
    }
    return AgentReport.parse({
      agent: input.agent,
      timestamp: clock().toISOString(),
      dataAsOf: input.asOf,
      status: 'failed',
      metrics: {},
      alerts: [],
      recommendations: [],
      health: 0,
      healthReason: 'no data',
      durationMs: 0,
      sourceCalls: 0,
      attempts: input.attempts,
      error: input.error,
      ...(api ? { source: api.source, breaker } : {}),
    });
  }

  async function compose(input: ComposeBriefingInput): Promise<Briefing> {
    const [company, history, previous] = await Promise.all([
      sources.loadCompany(input.companyId).catch((err: unknown) => {
        throw workspaceFailure(err, 'company files');
      }),
      repo.loadAllHistory(input.companyId, {
        since: addDays(input.briefingDate, -HISTORY_DAYS),
        before: input.briefingDate,
      }),
      repo.previousBriefing(input.companyId, input.workflowId, input.briefingDate),
    ]).catch((err) => {
      throw toFailure(err);
    });
    const t0 = performance.now();
    let briefing: Briefing;
    try {
      briefing = composeCompanyBriefing(company, {
        companyId: input.companyId,
        workflowId: input.workflowId,
        briefingDate: input.briefingDate,
        generatedAt: clock().toISOString(),
        reports: input.reports,
        history,
        ...(previous ? { previous } : {}),
        ...(input.energy ? { energy: input.energy } : {}),
      });
      checkPayloadSize(briefing, 'The briefing');
    } catch (err) {
      // A bad ceo.yaml names its field; any other error is pure code on this input:
      // every attempt would fail the same way.
      throw err instanceof ValidationError
        ? toFailure(err)
        : deterministicFailure(err, 'The CEO step');
    }
    log.info(
      {
        step: 'composeBriefing',
        workflow_id: input.workflowId,
        company_id: input.companyId,
        duration_ms: Math.round(performance.now() - t0),
        success: true,
        attempt: Context.current().info.attempt,
        risks: briefing.risks.length,
        risks_not_evaluated: briefing.unevaluatedRisks.length,
        tasks: briefing.tasks.length,
        health: briefing.health,
      },
      'briefing composed',
    );
    return briefing;
  }

  async function save(input: SaveBriefingInput): Promise<SavedBriefing> {
    const saved = await repo.saveBriefing(runRecord(input.run), input.briefing);
    logSaved(input.run, saved);
    return saved;
  }

  /** The run as the store records it: its duration measured to now. */
  function runRecord(run: SaveBriefingInput['run']): BriefingRunRecord {
    const startedAt = new Date(run.startedAt);
    return {
      ...run,
      startedAt,
      asOf: new Date(run.asOf ?? run.startedAt),
      durationMs: Math.max(0, clock().getTime() - startedAt.getTime()),
    };
  }

  function logSaved(run: SaveBriefingInput['run'], saved: SavedBriefing): void {
    log.info(
      {
        step: 'saveBriefing',
        workflow_id: run.workflowId,
        company_id: run.companyId,
        attempt: Context.current().info.attempt,
        briefing_id: saved.briefingId,
        created: saved.created,
      },
      saved.created ? 'briefing saved' : 'briefing already saved',
    );
  }
}

/** A CEO step without all six stored reports: it would fail the same way every attempt. */
function missingReports(missing: readonly AgentName[], workflowId: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'MissingReportError',
    nonRetryable: true,
    message: `No stored report of ${missing.join(', ')} for run ${workflowId}: the agents' step did not store them.`,
  });
}

/** What the workflow keeps of a stored report: its identity, status and counts, no figures. */
export function reportRef(report: AgentReport): AgentReportRef {
  return {
    agent: report.agent,
    status: report.status,
    attempts: report.attempts,
    health: report.health,
    alerts: report.alerts.length,
    metricsCount: Object.keys(report.metrics).length,
  };
}

export type Activities = ReturnType<typeof createActivities>;
