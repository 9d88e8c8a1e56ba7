/**
 * The workflow's activities: thin glue of load -> compute -> save. Built once per
 * worker by `createActivities(deps)`; workflows import only their type.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { AgentReport, AgentResult, type AgentName, type EnergyDemand } from '../contract/report.js';
import { type Briefing } from '../contract/briefing.js';
import type { AgentDefinition } from '../contract/agent.js';
import { composeBriefing as composeBriefingPure } from '../ceo/briefing.js';
import { companyComposeInput } from './compose-input.js';
import { unknownOverrides } from '../ceo/risk-engine.js';
import { RISK_RULES } from '../ceo/risks.js';
import {
  BoardroomError,
  CircuitOpenError,
  SourceTransientError,
  ValidationError,
} from '../shared/errors.js';
import type { Logger } from '../logger.js';
import type { Sources } from '../sources/sources.js';
import type { BriefingRunRecord, Repository, SavedBriefing } from '../store/repository.js';

export interface ActivityDeps {
  repo: Repository;
  sources: Sources;
  clock: () => Date;
  log: Logger;
  /** The agents to run; the registry in production, stand-ins in some tests. */
  agents: Record<AgentName, AgentDefinition>;
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

export interface SaveBriefingInput {
  run: Omit<BriefingRunRecord, 'startedAt' | 'durationMs'> & { startedAt: string };
  briefing: Briefing;
}

/** How far back agents see their own history: a year and a month, for year-over-year. */
const HISTORY_DAYS = 400;

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Turns our errors into Temporal failures: permanent ones are not retried, and a
 * rate-limited source's Retry-After becomes the delay before the next attempt.
 */
function toFailure(err: unknown): unknown {
  if (err instanceof BoardroomError && err.permanent) {
    return ApplicationFailure.create({
      message: err.message,
      type: err.name,
      nonRetryable: true,
      details: [err.context],
    });
  }
  if (err instanceof SourceTransientError && typeof err.context.retryAfterMs === 'number') {
    return ApplicationFailure.create({
      message: err.message,
      type: err.name,
      nonRetryable: false,
      details: [err.context],
      nextRetryDelay: Math.max(1, err.context.retryAfterMs),
    });
  }
  return err;
}

export function createActivities({ repo, sources, clock, log, agents }: ActivityDeps) {
  return {
    /** Loads one department's data, computes its report and records the attempt. */
    async runAgent(input: RunAgentInput): Promise<AgentReport> {
      const { attempt } = Context.current().info;
      const startedAt = clock();
      const t0 = performance.now();
      const agent = agents[input.agent];
      // A worker that dies mid-load stops heartbeating, so Temporal retries elsewhere
      // after the heartbeat timeout instead of waiting out the whole activity timeout.
      const heartbeat = setInterval(() => Context.current().heartbeat(), 1000);
      const facts = {
        agent: input.agent,
        company_id: input.companyId,
        workflow_id: input.workflowId,
        attempt,
      };
      try {
        Context.current().heartbeat();
        const [loaded, history] = await Promise.all([
          sources.loadAgentInput(input.companyId, agent, {
            today: input.today,
            asOf: new Date(input.asOf),
            signal: Context.current().cancellationSignal,
            ...(input.fresh ? { fresh: true } : {}),
          }),
          repo.loadHistory(input.companyId, input.agent, {
            since: shiftDate(input.today, -HISTORY_DAYS),
            before: input.today,
          }),
        ]);
        const result = AgentResult.parse(
          agent.compute(loaded.input, { asOf: new Date(input.asOf), today: input.today, history }),
        );
        const durationMs = Math.round(performance.now() - t0);
        const report: AgentReport = {
          ...result,
          agent: input.agent,
          timestamp: clock().toISOString(),
          status: 'ok',
          durationMs,
          sourceCalls: loaded.sourceCalls,
          attempts: attempt,
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
        const metricsCount = Object.keys(result.metrics).length;
        await repo.recordExecution({
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
        });
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
        clearInterval(heartbeat);
      }
    },

    /**
     * After an agent has failed for good: its last good report, marked stale with its
     * age, or a failed report when it never succeeded.
     */
    async loadFallbackReport(input: FallbackInput): Promise<AgentReport> {
      const asOf = new Date(input.asOf);
      // A run in which the agent's API failed for good counts toward opening its breaker.
      const api = await sources.sourceOf?.(input.companyId, input.agent);
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
    },

    /** The CEO step: risks, priorities, key metrics and the briefing (pure code inside). */
    async composeBriefing(input: ComposeBriefingInput): Promise<Briefing> {
      const [company, history, previous] = await Promise.all([
        sources.loadCompany(input.companyId),
        repo.loadAllHistory(input.companyId, {
          since: shiftDate(input.briefingDate, -HISTORY_DAYS),
          before: input.briefingDate,
        }),
        repo.previousBriefing(input.companyId, input.workflowId),
      ]).catch((err) => {
        throw toFailure(err);
      });
      const unknown = unknownOverrides(RISK_RULES, company.ceo.riskThresholds);
      if (unknown.length > 0) {
        throw toFailure(
          new ValidationError(
            `ceo.yaml, field "risks": unknown rule or threshold ${unknown.join(', ')} (see docs/risks.md for the rules and their thresholds)`,
            { file: 'ceo.yaml', field: `risks.${unknown[0]}` },
          ),
        );
      }
      const t0 = performance.now();
      const { riskOverrides, ...fromCompany } = companyComposeInput(
        company,
        input.briefingDate,
        input.energy,
      );
      const briefing = composeBriefingPure({
        ...fromCompany,
        companyId: input.companyId,
        workflowId: input.workflowId,
        briefingDate: input.briefingDate,
        generatedAt: clock().toISOString(),
        reports: input.reports,
        history,
        ...(previous ? { previous } : {}),
        risks: { rules: RISK_RULES, overrides: riskOverrides },
      });
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
    },

    /** Idempotent: keyed on the workflow id, a retried save writes nothing twice. */
    async saveBriefing(input: SaveBriefingInput): Promise<SavedBriefing> {
      const startedAt = new Date(input.run.startedAt);
      const saved = await repo.saveBriefing(
        {
          ...input.run,
          startedAt,
          durationMs: Math.max(0, clock().getTime() - startedAt.getTime()),
        },
        input.briefing,
      );
      log.info(
        {
          step: 'saveBriefing',
          workflow_id: input.run.workflowId,
          company_id: input.run.companyId,
          attempt: Context.current().info.attempt,
          briefing_id: saved.briefingId,
          created: saved.created,
        },
        saved.created ? 'briefing saved' : 'briefing already saved',
      );
      return saved;
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
