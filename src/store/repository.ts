/**
 * All of boardroom's SQL. Every method takes and returns validated domain types.
 */
import pg from 'pg';
import type { z } from 'zod';
import type { BreakerRecord } from '../contract/resilience.js';
import { AgentReport, type AgentName, type MetricSnapshot } from '../contract/report.js';
import { Briefing } from '../contract/briefing.js';
import { HeadCash, Portfolio } from '../contract/portfolio.js';

export interface BriefingRunRecord {
  workflowId: string;
  runId: string;
  companyId: string;
  briefingDate: string;
  trigger: BriefingTrigger;
  /** When the run started (its duration is measured from here). */
  startedAt: Date;
  /** The moment the briefing describes: the scheduled or backfilled time. @default startedAt */
  asOf?: Date;
  durationMs: number;
}

/** What started a run: the daily schedule, a person (`run`, `start`), or `backfill`. */
export type BriefingTrigger = 'schedule' | 'manual' | 'backfill';

export interface AgentExecutionRecord {
  workflowId: string;
  companyId: string;
  agent: AgentName;
  attempt: number;
  startedAt: Date;
  durationMs: number;
  success: boolean;
  metricsCount: number;
  sourceCalls: number;
  error?: string | undefined;
  errorType?: string | undefined;
  /** `workspace`, or the API it read. */
  source?: string | undefined;
  cacheHit?: boolean | undefined;
  breakerState?: string | undefined;
}

export interface BriefingSummary {
  id: number;
  workflowId: string;
  companyId: string;
  briefingDate: string;
  health: number;
  createdAt: Date;
  outcome: 'complete' | 'degraded';
  staleAgents: string[];
  failedAgents: string[];
}

export interface StoredBriefing extends BriefingSummary {
  briefing: Briefing;
  markdown: string;
}

/** One delivery of a briefing to a channel (the `deliveries` table). */
export interface DeliveryRecord {
  id: number;
  briefingId: number;
  companyId: string;
  workflowId: string;
  channel: 'email' | 'slack' | 'webhook';
  deliveryKey: string;
  kind: 'run' | 'resend' | 'test';
  target: string | undefined;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  messageId: string | undefined;
  error: string | undefined;
  errorType: string | undefined;
  updatedAt: Date;
  sentAt: Date | undefined;
}

/** The parts of a briefing its 30-second head is made of. */
export const BriefingOverviewHead = Briefing.pick({
  companyId: true,
  companyName: true,
  currency: true,
  briefingDate: true,
  health: true,
  priorities: true,
  risks: true,
  unevaluatedRisks: true,
  keyMetrics: true,
}).extend({ tasks: Briefing.shape.tasks.default([]), cash: HeadCash.optional() });
export type BriefingOverviewHead = z.infer<typeof BriefingOverviewHead>;

/** A registered company (the `companies` table). */
export interface CompanyRecord {
  id: string;
  name: string;
  currency: string;
  timeZone: string;
  /** Its workspace folder, absolute. */
  workspace: string;
  /** Its daily schedule's cron, in `timeZone`. */
  cron: string;
  createdAt: Date;
}

const COMPANY_COLUMNS = 'id, name, currency, time_zone, workspace, cron, created_at';

function toCompany(r: Record<string, unknown>): CompanyRecord {
  return {
    id: r.id as string,
    name: r.name as string,
    currency: r.currency as string,
    timeZone: r.time_zone as string,
    workspace: r.workspace as string,
    cron: r.cron as string,
    createdAt: r.created_at as Date,
  };
}

/** How many of a key number's newest points the stored head keeps (the head's trend reads 14). */
export const HEAD_SERIES_POINTS = 14;

/** What `briefings.head` holds: the head's parts, each key number's series cut to its newest points. */
export function overviewHead(b: Briefing): BriefingOverviewHead {
  return {
    companyId: b.companyId,
    companyName: b.companyName,
    currency: b.currency,
    briefingDate: b.briefingDate,
    health: b.health,
    priorities: b.priorities,
    risks: b.risks,
    unevaluatedRisks: b.unevaluatedRisks,
    keyMetrics: b.keyMetrics.map((m) => ({ ...m, series: m.series.slice(-HEAD_SERIES_POINTS) })),
    tasks: [],
    cash: headCash(b),
  };
}

/** The finance report's cash balance in cents (the portfolio's cash), null when it failed. */
function headCash(b: Briefing): HeadCash {
  const finance = b.agents.finance;
  const balance = finance?.metrics.cashBalance;
  if (!finance || finance.status === 'failed' || balance === undefined) return null;
  return {
    cents: typeof balance === 'number' ? Math.round(balance * 100) : null,
    stale: finance.status === 'stale',
  };
}

/** A company's newest briefing, as the Today page shows it. */
export interface BriefingOverview extends BriefingSummary {
  head: BriefingOverviewHead;
}

/** A run that wrote a briefing (the `briefing_runs` row with its briefing's summary). */
export interface RunRecord extends BriefingSummary {
  runId: string;
  trigger: BriefingTrigger;
  durationMs: number;
  startedAt: Date;
  completedAt: Date;
  asOf: Date;
}

/** Who wrote a run's stored report: the agent's activity, or its fallback after it failed for good. */
export type RunReportStage = 'agent' | 'fallback';
const RUN_REPORT_STAGES: Record<RunReportStage, number> = { agent: 0, fallback: 1 };

export interface SavedBriefing {
  briefingId: number;
  /** False when this workflow had already saved its briefing (a retry or a replay). */
  created: boolean;
}

/** How long to wait for a new connection to Postgres (BOARDROOM_CONNECT_TIMEOUT_MS at start-up). */
export const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;
/** How long one query may go without an answer before it fails (and is retried). */
export const DEFAULT_QUERY_TIMEOUT_MS = 15_000;

/** `($first, ..), (..)`: the placeholders of `rows` rows of `width` values, from `$first` on. */
function placeholders(rows: number, width: number, first = 1): string {
  return Array.from(
    { length: rows },
    (_, i) =>
      `(${Array.from({ length: width }, (_, j) => `$${first + i * width + j}`).join(', ')})`,
  ).join(', ');
}

/** agent_executions' columns and VALUES from parameter `$first` on (executionParams' order). */
const EXECUTION_VALUES = (first: number) =>
  `(workflow_id, company_id, agent, attempt, started_at, duration_ms, success,
    metrics_count, source_calls, error, error_type, source, cache_hit, breaker_state)
   VALUES ${placeholders(1, 14, first)}
   ON CONFLICT (workflow_id, agent, attempt) DO NOTHING`;

function executionParams(e: AgentExecutionRecord): unknown[] {
  return [
    e.workflowId,
    e.companyId,
    e.agent,
    e.attempt,
    e.startedAt,
    e.durationMs,
    e.success,
    e.metricsCount,
    e.sourceCalls,
    e.error ?? null,
    e.errorType ?? null,
    e.source ?? 'workspace',
    e.cacheHit ?? false,
    e.breakerState ?? null,
  ];
}

/** saveBriefing's parameters $1-$8 (saveBriefingSql). */
function runParams(run: BriefingRunRecord): unknown[] {
  return [
    run.workflowId,
    run.runId,
    run.companyId,
    run.briefingDate,
    run.trigger,
    run.startedAt,
    run.durationMs,
    run.asOf ?? run.startedAt,
  ];
}

/**
 * The save as one statement, from `source` (one row: the briefing and its head as json):
 * the run (its outcome from its reports' statuses), the reports, the fresh reports'
 * metric points (a stale fallback repeats old figures, so it adds none) and the briefing,
 * unless the workflow's run is already there; then the id of the briefing it saved.
 * `json_each` keeps the order the reports were written in (the stale and failed lists
 * keep the agents' order); each report is parsed once, to jsonb, for the rest. `more` adds data-modifying CTEs that may read `run` (this
 * statement wrote the run) and `earlier` (the workflow had saved before).
 */
function saveBriefingSql(source: string, more = ''): string {
  return `WITH source AS (${source}),
    reports AS (
      SELECT a.value::jsonb AS r, a.ord
        FROM source, json_each(source.briefing -> 'agents') WITH ORDINALITY AS a(key, value, ord)
    ),
    run AS (
      INSERT INTO briefing_runs
        (workflow_id, run_id, company_id, briefing_date, trigger, outcome, stale_agents,
         failed_agents, started_at, duration_ms, as_of)
      SELECT $1, $2, $3, $4, $5,
             CASE WHEN bool_and(r ->> 'status' = 'ok') IS FALSE THEN 'degraded' ELSE 'complete' END,
             COALESCE(array_agg(r ->> 'agent' ORDER BY ord) FILTER (WHERE r ->> 'status' = 'stale'), '{}'),
             COALESCE(array_agg(r ->> 'agent' ORDER BY ord) FILTER (WHERE r ->> 'status' = 'failed'), '{}'),
             $6, $7, $8
        FROM reports
      HAVING EXISTS (SELECT 1 FROM source)
      ON CONFLICT (workflow_id) DO NOTHING
      RETURNING workflow_id
    ),
    stored_reports AS (
      INSERT INTO agent_reports
        (workflow_id, agent, company_id, status, duration_ms, attempts, source_calls,
         data_as_of, health, metrics, alerts, recommendations, error, report)
      SELECT $1, r ->> 'agent', $3, r ->> 'status', (r ->> 'durationMs')::integer,
             (r ->> 'attempts')::integer, (r ->> 'sourceCalls')::integer,
             (r ->> 'dataAsOf')::timestamptz, (r ->> 'health')::real, r -> 'metrics',
             r -> 'alerts', r -> 'recommendations', r ->> 'error', r
        FROM reports WHERE EXISTS (SELECT 1 FROM run)
    ),
    points AS (
      INSERT INTO metric_points (company_id, as_of_date, agent, metric, value, workflow_id)
      SELECT $3, $4, r ->> 'agent', m.key,
             CASE WHEN jsonb_typeof(m.value) = 'null' THEN NULL ELSE (m.value #>> '{}')::numeric END, $1
        FROM reports, jsonb_each(reports.r -> 'metrics') AS m
       WHERE r ->> 'status' = 'ok' AND EXISTS (SELECT 1 FROM run)
      ON CONFLICT (company_id, agent, as_of_date, metric)
      DO UPDATE SET value = EXCLUDED.value, workflow_id = EXCLUDED.workflow_id, recorded_at = now()
    ),
    saved AS (
      INSERT INTO briefings (workflow_id, company_id, briefing_date, health, briefing, markdown, head)
      SELECT $1, $3, $4, (briefing ->> 'health')::real, briefing::jsonb, briefing ->> 'markdown', head::jsonb
        FROM source WHERE EXISTS (SELECT 1 FROM run)
      RETURNING id
    ),
    earlier AS (
      SELECT id FROM briefings WHERE workflow_id = $1 AND NOT EXISTS (SELECT 1 FROM run)
    )${more}
    SELECT id::text, true AS created FROM saved
    UNION ALL
    SELECT id::text, false AS created FROM earlier`;
}

export class Repository {
  constructor(readonly pool: pg.Pool) {}

  /**
   * Every wait on the database is bounded: a new connection within
   * `connectionTimeoutMs`, each query's answer within `queryTimeoutMs` (a server that
   * stops answering mid-query, as in a failover, fails the query instead of hanging it;
   * the activities then retry, see src/activities/resilient-repository.ts).
   */
  static connect(
    url: string,
    opts: { max?: number; connectionTimeoutMs?: number; queryTimeoutMs?: number } = {},
  ): Repository {
    const pool = new pg.Pool({
      connectionString: url,
      max: opts.max ?? 10,
      connectionTimeoutMillis: opts.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      query_timeout: opts.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
      keepAlive: true,
    });
    // An idle client that loses its server (a restart) must not crash the process.
    pool.on('error', () => {});
    return new Repository(pool);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  async recordExecution(e: AgentExecutionRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO agent_executions ${EXECUTION_VALUES(1)}`,
      executionParams(e),
    );
  }

  async listExecutions(workflowId: string): Promise<AgentExecutionRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT workflow_id, company_id, agent, attempt, started_at, duration_ms, success,
              metrics_count, source_calls, error, error_type, source, cache_hit, breaker_state
         FROM agent_executions WHERE workflow_id = $1 ORDER BY agent, attempt`,
      [workflowId],
    );
    return rows.map(toExecution);
  }

  /** The newest report of `agent` for `companyId` that was computed successfully. */
  async findLastGoodReport(companyId: string, agent: AgentName): Promise<AgentReport | undefined> {
    const { rows } = await this.pool.query(
      `SELECT report FROM agent_reports
        WHERE company_id = $1 AND agent = $2 AND status = 'ok'
        ORDER BY created_at DESC LIMIT 1`,
      [companyId, agent],
    );
    return rows[0] ? AgentReport.parse(rows[0].report) : undefined;
  }

  /**
   * Writes the run, its agent reports, their metric points and its briefing in one
   * statement (so, one transaction), once per workflow id: a second call for the same
   * workflow writes nothing and returns the first briefing's id.
   */
  saveBriefing(run: BriefingRunRecord, briefing: Briefing): Promise<SavedBriefing> {
    return this.insertBriefing(run, briefing);
  }

  /**
   * saveBriefing for the run's claim check: the briefing just composed is written with
   * the run, its reports and points, and the run's claim-check rows (its agents' reports)
   * go, all in one statement. Once per workflow id, like saveBriefing.
   */
  saveComposedBriefing(run: BriefingRunRecord, briefing: Briefing): Promise<SavedBriefing> {
    return this.insertBriefing(
      run,
      briefing,
      `, cleared_reports AS (DELETE FROM run_reports WHERE workflow_id = $1),
         cleared AS (DELETE FROM run_briefings WHERE workflow_id = $1)`,
    );
  }

  /** saveBriefingSql on the briefing itself, with `more` statements in the same one. */
  private async insertBriefing(
    run: BriefingRunRecord,
    briefing: Briefing,
    more = '',
  ): Promise<SavedBriefing> {
    const saved = await this.pool.query<{ id: string; created: boolean }>(
      saveBriefingSql(`SELECT $9::json AS briefing, $10::json AS head`, more),
      [...runParams(run), JSON.stringify(briefing), JSON.stringify(overviewHead(briefing))],
    );
    return this.savedOrRaced(run.workflowId, saved.rows[0]);
  }

  /** A saved briefing's id, health and counts, by its run's workflow id. */
  async savedBriefingSummary(
    workflowId: string,
  ): Promise<
    { briefingId: number; health: number; risks: number; priorities: number } | undefined
  > {
    const { rows } = await this.pool.query(
      `SELECT id, health, jsonb_array_length(briefing -> 'risks') AS risks,
              jsonb_array_length(briefing -> 'priorities') AS priorities
         FROM briefings WHERE workflow_id = $1`,
      [workflowId],
    );
    const row = rows[0];
    return row
      ? {
          briefingId: Number(row.id),
          health: Number(row.health),
          risks: Number(row.risks),
          priorities: Number(row.priorities),
        }
      : undefined;
  }

  /**
   * saveBriefing for a run whose composed briefing is in its claim-check rows: Postgres
   * copies it (the reports, points and head with it) from run_briefings and then drops the
   * run's claim-check rows, all in one statement, so nothing of the briefing passes through
   * the worker (measured: the save ~9.5 -> ~2 ms of the worker's CPU). Undefined when there
   * is nothing to copy and nothing found saved: the rows are gone, were stored before
   * run_briefings had a head, or a save of the same run committed while this one waited
   * (the caller then takes loadRunBriefing and saveBriefing, or finds the saved id).
   */
  async saveClaimedBriefing(run: BriefingRunRecord): Promise<SavedBriefing | undefined> {
    const clear = (table: string) =>
      `DELETE FROM ${table}
        WHERE workflow_id = $1 AND (EXISTS (SELECT 1 FROM run) OR EXISTS (SELECT 1 FROM earlier))`;
    const { rows } = await this.pool.query<{ id: string; created: boolean }>(
      saveBriefingSql(
        `SELECT briefing, head FROM run_briefings WHERE workflow_id = $1 AND head IS NOT NULL`,
        `, cleared_reports AS (${clear('run_reports')}), cleared AS (${clear('run_briefings')})`,
      ),
      runParams(run),
    );
    return rows[0] ? { briefingId: Number(rows[0].id), created: rows[0].created } : undefined;
  }

  /**
   * The statement's answer, or (none: a save of the same workflow committed while this one
   * waited on its row, after this statement's snapshot was taken) the id it saved.
   */
  private async savedOrRaced(
    workflowId: string,
    row: { id: string; created: boolean } | undefined,
  ): Promise<SavedBriefing> {
    if (row) return { briefingId: Number(row.id), created: row.created };
    const briefingId = await this.savedBriefingId(workflowId);
    if (briefingId === undefined)
      throw new Error(`The briefing of ${workflowId} was neither saved nor found saved.`);
    return { briefingId, created: false };
  }

  /** An agent's stored figures for a company, oldest first, on dates in [since, before). */
  async loadHistory(
    companyId: string,
    agent: AgentName,
    range: { since: string; before: string },
  ): Promise<MetricSnapshot[]> {
    return (await this.queryHistory(companyId, range, agent))[agent] ?? [];
  }

  /** Every agent's stored figures for a company on dates in [since, before), by agent. */
  loadAllHistory(
    companyId: string,
    range: { since: string; before: string },
  ): Promise<Partial<Record<AgentName, MetricSnapshot[]>>> {
    return this.queryHistory(companyId, range);
  }

  private async queryHistory(
    companyId: string,
    range: { since: string; before: string },
    agent?: AgentName,
  ): Promise<Partial<Record<AgentName, MetricSnapshot[]>>> {
    const { rows } = await this.pool.query(
      `SELECT agent, to_char(as_of_date, 'YYYY-MM-DD') AS date, metric, value
         FROM metric_points
        WHERE company_id = $1 AND as_of_date >= $2 AND as_of_date < $3
          AND ($4::text IS NULL OR agent = $4)
        ORDER BY agent, as_of_date, metric`,
      [companyId, range.since, range.before, agent ?? null],
    );
    const out: Partial<Record<AgentName, MetricSnapshot[]>> = {};
    for (const r of rows) addPoint((out[r.agent as AgentName] ??= []), r);
    return out;
  }

  /**
   * The briefing "what changed" compares with: the company's newest one dated on or
   * before `briefingDate`, other than `exceptWorkflowId`'s. By date, not by when it was
   * written: a backfilled day compares with the day before it, not with today.
   */
  async previousBriefing(
    companyId: string,
    exceptWorkflowId: string,
    briefingDate?: string,
  ): Promise<Briefing | undefined> {
    const { rows } = await this.pool.query(
      `SELECT briefing FROM briefings
        WHERE company_id = $1 AND workflow_id <> $2
          AND ($3::date IS NULL OR briefing_date <= $3::date)
        ORDER BY briefing_date DESC, created_at DESC, id DESC LIMIT 1`,
      [companyId, exceptWorkflowId, briefingDate ?? null],
    );
    return rows[0] ? Briefing.parse(rows[0].briefing) : undefined;
  }

  async listBriefings(
    opts: { companyId?: string; limit?: number } = {},
  ): Promise<BriefingSummary[]> {
    const { rows } = await this.pool.query(
      `${SUMMARY_SELECT}
        WHERE ($1::text IS NULL OR b.company_id = $1)
        ORDER BY b.briefing_date DESC, b.created_at DESC, b.id DESC LIMIT $2`,
      [opts.companyId ?? null, opts.limit ?? 20],
    );
    return rows.map(toSummary);
  }

  async latestBriefing(companyId?: string): Promise<StoredBriefing | undefined> {
    const { rows } = await this.pool.query(
      `${FULL_SELECT}
        WHERE ($1::text IS NULL OR b.company_id = $1)
        ORDER BY b.briefing_date DESC, b.created_at DESC, b.id DESC LIMIT 1`,
      [companyId ?? null],
    );
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  /** By numeric id or by workflow id. */
  async getBriefing(idOrWorkflowId: string): Promise<StoredBriefing | undefined> {
    const byId = /^\d+$/.test(idOrWorkflowId);
    const { rows } = await this.pool.query(
      `${FULL_SELECT} WHERE ${byId ? 'b.id = $1::bigint' : 'b.workflow_id = $1'}`,
      [idOrWorkflowId],
    );
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  /** The newest execution of each agent for a company (what `boardroom status` shows). */
  async latestExecutions(companyId: string): Promise<AgentExecutionRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT DISTINCT ON (agent) workflow_id, company_id, agent, attempt, started_at, duration_ms,
              success, metrics_count, source_calls, error, error_type, source, cache_hit, breaker_state
         FROM agent_executions WHERE company_id = $1
        ORDER BY agent, started_at DESC, attempt DESC`,
      [companyId],
    );
    return rows.map(toExecution);
  }

  /**
   * The delivery's row, created pending on its first attempt, with that attempt counted:
   * a retried or resumed run gets its earlier row back (and sees whether it was sent).
   */
  async beginDelivery(d: {
    briefingId: number;
    companyId: string;
    workflowId: string;
    channel: DeliveryRecord['channel'];
    deliveryKey: string;
    kind: DeliveryRecord['kind'];
  }): Promise<DeliveryRecord> {
    const { rows } = await this.pool.query(
      `INSERT INTO deliveries (briefing_id, company_id, workflow_id, channel, delivery_key, kind, status, attempts)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', 1)
       ON CONFLICT (briefing_id, channel, delivery_key) DO UPDATE
         SET attempts = deliveries.attempts + CASE WHEN deliveries.status = 'sent' THEN 0 ELSE 1 END,
             updated_at = CASE WHEN deliveries.status = 'sent' THEN deliveries.updated_at ELSE now() END
       RETURNING ${DELIVERY_COLUMNS}`,
      [d.briefingId, d.companyId, d.workflowId, d.channel, d.deliveryKey, d.kind],
    );
    return toDelivery(rows[0]);
  }

  /** Records the outcome of the delivery's current attempt. */
  async finishDelivery(
    id: number,
    outcome:
      | { status: 'sent'; target: string; messageId: string }
      | { status: 'failed' | 'pending'; target?: string; error: string; errorType: string },
  ): Promise<DeliveryRecord> {
    const { rows } = await this.pool.query(
      `UPDATE deliveries
          SET status = $2, target = COALESCE($3, target), message_id = COALESCE($4, message_id),
              error = $5, error_type = $6, updated_at = now(),
              sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END
        WHERE id = $1
        RETURNING ${DELIVERY_COLUMNS}`,
      [
        id,
        outcome.status,
        outcome.target ?? null,
        outcome.status === 'sent' ? outcome.messageId : null,
        outcome.status === 'sent' ? null : outcome.error,
        outcome.status === 'sent' ? null : outcome.errorType,
      ],
    );
    return toDelivery(rows[0]);
  }

  /**
   * Every delivery of a briefing, by channel, each channel's own before its re-sends
   * (oldest first): the channels' activities run at once, so insertion order is no order.
   */
  async listDeliveries(briefingId: number): Promise<DeliveryRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE briefing_id = $1
        ORDER BY channel, kind <> 'run', id`,
      [briefingId],
    );
    return rows.map(toDelivery);
  }

  /** The company's newest delivery per channel (what `status` shows). */
  async latestDeliveries(companyId: string): Promise<DeliveryRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT DISTINCT ON (channel) ${DELIVERY_COLUMNS} FROM deliveries
        WHERE company_id = $1 AND kind <> 'test'
        ORDER BY channel, updated_at DESC, id DESC`,
      [companyId],
    );
    return rows.map(toDelivery);
  }

  /** The days in [from, to] on which the company already has a briefing (backfill skips them). */
  async briefingDates(
    companyId: string,
    range: { from: string; to: string },
  ): Promise<Set<string>> {
    const { rows } = await this.pool.query(
      `SELECT DISTINCT to_char(briefing_date, 'YYYY-MM-DD') AS date FROM briefings
        WHERE company_id = $1 AND briefing_date >= $2::date AND briefing_date <= $3::date`,
      [companyId, range.from, range.to],
    );
    return new Set(rows.map((r) => r.date as string));
  }

  /** The company's newest briefing run, with its outcome and duration. */
  async latestRun(
    companyId: string,
  ): Promise<
    (BriefingSummary & { durationMs: number; trigger: string; completedAt: Date }) | undefined
  > {
    const { rows } = await this.pool.query(
      `${SUMMARY_SELECT.replace('SELECT ', 'SELECT r.duration_ms, r.trigger, r.completed_at, ')}
        WHERE b.company_id = $1 ORDER BY r.completed_at DESC LIMIT 1`,
      [companyId],
    );
    const r = rows[0];
    return r
      ? {
          ...toSummary(r),
          durationMs: r.duration_ms,
          trigger: r.trigger,
          completedAt: r.completed_at,
        }
      : undefined;
  }

  async getBreaker(companyId: string, source: string): Promise<BreakerRecord | undefined> {
    const { rows } = await this.pool.query(
      `SELECT state, consecutive_failures, opened_at, last_error
         FROM source_breakers WHERE company_id = $1 AND source = $2`,
      [companyId, source],
    );
    const r = rows[0];
    return r
      ? {
          state: r.state,
          consecutiveFailures: r.consecutive_failures,
          openedAt: r.opened_at ?? undefined,
          lastError: r.last_error ?? undefined,
        }
      : undefined;
  }

  async listBreakers(companyId: string): Promise<(BreakerRecord & { source: string })[]> {
    const { rows } = await this.pool.query(
      `SELECT source, state, consecutive_failures, opened_at, last_error
         FROM source_breakers WHERE company_id = $1 ORDER BY source`,
      [companyId],
    );
    return rows.map((r) => ({
      source: r.source,
      state: r.state,
      consecutiveFailures: r.consecutive_failures,
      openedAt: r.opened_at ?? undefined,
      lastError: r.last_error ?? undefined,
    }));
  }

  /** A good answer closes the breaker and clears the failure count. */
  async recordSourceSuccess(companyId: string, source: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO source_breakers (company_id, source, state, consecutive_failures)
       VALUES ($1, $2, 'closed', 0)
       ON CONFLICT (company_id, source) DO UPDATE
         SET state = 'closed', consecutive_failures = 0, last_failed_workflow = NULL,
             opened_at = NULL, updated_at = now()`,
      [companyId, source],
    );
  }

  /**
   * A run in which the source failed for good. Counted once per workflow (two agents
   * may share the source); opens the breaker at `threshold`. Returns the new state.
   */
  async recordSourceFailure(
    companyId: string,
    source: string,
    workflowId: string,
    error: string,
    threshold: number,
  ): Promise<BreakerRecord> {
    const { rows } = await this.pool.query(
      `INSERT INTO source_breakers (company_id, source, state, consecutive_failures, last_failed_workflow, last_error, opened_at)
       VALUES ($1, $2, CASE WHEN 1 >= $5 THEN 'open' ELSE 'closed' END, 1, $3, $4,
               CASE WHEN 1 >= $5 THEN now() END)
       ON CONFLICT (company_id, source) DO UPDATE SET
         consecutive_failures = source_breakers.consecutive_failures
           + CASE WHEN source_breakers.last_failed_workflow IS DISTINCT FROM $3 THEN 1 ELSE 0 END,
         last_failed_workflow = $3,
         last_error = $4,
         state = CASE
           WHEN source_breakers.state = 'open' THEN 'open'
           WHEN source_breakers.consecutive_failures
                + CASE WHEN source_breakers.last_failed_workflow IS DISTINCT FROM $3 THEN 1 ELSE 0 END >= $5
             THEN 'open'
           ELSE source_breakers.state END,
         opened_at = CASE
           WHEN source_breakers.state <> 'open' AND source_breakers.consecutive_failures
                + CASE WHEN source_breakers.last_failed_workflow IS DISTINCT FROM $3 THEN 1 ELSE 0 END >= $5
             THEN now()
           ELSE source_breakers.opened_at END,
         updated_at = now()
       RETURNING state, consecutive_failures, opened_at, last_error`,
      [companyId, source, workflowId, error, threshold],
    );
    const r = rows[0];
    return {
      state: r.state,
      consecutiveFailures: r.consecutive_failures,
      openedAt: r.opened_at ?? undefined,
      lastError: r.last_error ?? undefined,
    };
  }

  /** Claims the one probe of an open breaker; false when another worker already has it. */
  async claimProbe(companyId: string, source: string, staleProbeBefore: Date): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE source_breakers SET state = 'half_open', opened_at = now(), updated_at = now()
        WHERE company_id = $1 AND source = $2
          AND (state = 'open' OR (state = 'half_open' AND opened_at < $3))`,
      [companyId, source, staleProbeBefore],
    );
    return rowCount === 1;
  }

  /** A failed probe: open again, for another cooldown. */
  async reopenBreaker(companyId: string, source: string, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE source_breakers SET state = 'open', opened_at = now(), last_error = $3, updated_at = now()
        WHERE company_id = $1 AND source = $2`,
      [companyId, source, error],
    );
  }

  async getCachedSource(
    companyId: string,
    agent: string,
    source: string,
  ): Promise<
    { fetchedAt: Date; datasets: Record<string, unknown>; sourceCalls: number } | undefined
  > {
    const { rows } = await this.pool.query(
      `SELECT fetched_at, datasets, source_calls FROM source_cache
        WHERE company_id = $1 AND agent = $2 AND source = $3`,
      [companyId, agent, source],
    );
    const r = rows[0];
    return r
      ? { fetchedAt: r.fetched_at, datasets: r.datasets, sourceCalls: r.source_calls }
      : undefined;
  }

  async putCachedSource(
    companyId: string,
    agent: string,
    source: string,
    entry: { fetchedAt: Date; datasets: Record<string, unknown>; sourceCalls: number },
  ): Promise<void> {
    await this.pool.query(
      `INSERT INTO source_cache (company_id, agent, source, fetched_at, datasets, source_calls)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (company_id, agent, source) DO UPDATE
         SET fetched_at = EXCLUDED.fetched_at, datasets = EXCLUDED.datasets, source_calls = EXCLUDED.source_calls`,
      [
        companyId,
        agent,
        source,
        entry.fetchedAt,
        JSON.stringify(entry.datasets),
        entry.sourceCalls,
      ],
    );
  }

  async listCache(
    companyId: string,
  ): Promise<{ agent: string; source: string; fetchedAt: Date }[]> {
    const { rows } = await this.pool.query(
      `SELECT agent, source, fetched_at FROM source_cache WHERE company_id = $1 ORDER BY source, agent`,
      [companyId],
    );
    return rows.map((r) => ({ agent: r.agent, source: r.source, fetchedAt: r.fetched_at }));
  }

  // ---- What the web app reads (src/web/): pages of summaries, never a whole history. ----

  /**
   * Each company's newest briefing, without the bulky parts the head does not need
   * (departments, every task, the Markdown): the Today page of many companies.
   */
  async latestBriefings(): Promise<BriefingOverview[]> {
    // Each company's newest id first (an index scan), then only those rows' heads.
    const { rows } = await this.pool.query(
      `SELECT ${SUMMARY_COLUMNS},
              COALESCE(b.head, b.briefing - '{agents,tasks,markdown,alerts,dataNotes,changes,scoring}'::text[]) AS head
         FROM (SELECT DISTINCT ON (company_id) id FROM briefings
                ORDER BY company_id, briefing_date DESC, created_at DESC, id DESC) newest
         JOIN briefings b USING (id) JOIN briefing_runs r USING (workflow_id)
        ORDER BY b.company_id`,
    );
    return rows.map((r) => ({ ...toSummary(r), head: BriefingOverviewHead.parse(r.head) }));
  }

  /** The name and currency of the company's newest briefing (from its small head). */
  async companyFacts(companyId: string): Promise<{ name: string; currency: string } | undefined> {
    const { rows } = await this.pool.query(
      `SELECT COALESCE(head, briefing)->>'companyName' AS name, COALESCE(head, briefing)->>'currency' AS currency
         FROM briefings WHERE company_id = $1
        ORDER BY briefing_date DESC, created_at DESC, id DESC LIMIT 1`,
      [companyId],
    );
    return rows[0] ? { name: rows[0].name, currency: rows[0].currency ?? 'USD' } : undefined;
  }

  /** The company's briefing of `date` (the newest, when the day was run more than once). */
  async briefingOn(companyId: string, date: string): Promise<StoredBriefing | undefined> {
    const { rows } = await this.pool.query(
      `${FULL_SELECT}
        WHERE b.company_id = $1 AND b.briefing_date = $2::date
        ORDER BY b.created_at DESC, b.id DESC LIMIT 1`,
      [companyId, date],
    );
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  /** The dates of the company's briefings just before and just after `date`. */
  async adjacentBriefingDates(
    companyId: string,
    date: string,
  ): Promise<{ previous: string | undefined; next: string | undefined }> {
    const { rows } = await this.pool.query(
      `SELECT (SELECT to_char(max(briefing_date), 'YYYY-MM-DD') FROM briefings
                WHERE company_id = $1 AND briefing_date < $2::date) AS previous,
              (SELECT to_char(min(briefing_date), 'YYYY-MM-DD') FROM briefings
                WHERE company_id = $1 AND briefing_date > $2::date) AS next`,
      [companyId, date],
    );
    return { previous: rows[0]?.previous ?? undefined, next: rows[0]?.next ?? undefined };
  }

  /** One page of the company's briefings, newest day first, with the count of all that match. */
  async briefingPage(
    companyId: string,
    opts: {
      from?: string | undefined;
      to?: string | undefined;
      outcome?: 'complete' | 'degraded' | undefined;
      limit: number;
      offset: number;
    },
  ): Promise<{ total: number; rows: (BriefingSummary & { trigger: BriefingTrigger })[] }> {
    const { rows } = await this.pool.query(
      `${SUMMARY_SELECT.replace('SELECT ', 'SELECT r.trigger, count(*) OVER () AS total, ')}
        WHERE b.company_id = $1
          AND ($2::date IS NULL OR b.briefing_date >= $2::date)
          AND ($3::date IS NULL OR b.briefing_date <= $3::date)
          AND ($4::text IS NULL OR r.outcome = $4)
        ORDER BY b.briefing_date DESC, b.created_at DESC, b.id DESC
        LIMIT $5 OFFSET $6`,
      [
        companyId,
        opts.from ?? null,
        opts.to ?? null,
        opts.outcome ?? null,
        opts.limit,
        opts.offset,
      ],
    );
    if (rows.length === 0 && opts.offset > 0) {
      // Past the last page: the total still says how many there are.
      const { rows: n } = await this.pool.query(
        `SELECT count(*)::int AS total FROM briefings b JOIN briefing_runs r USING (workflow_id)
          WHERE b.company_id = $1
            AND ($2::date IS NULL OR b.briefing_date >= $2::date)
            AND ($3::date IS NULL OR b.briefing_date <= $3::date)
            AND ($4::text IS NULL OR r.outcome = $4)`,
        [companyId, opts.from ?? null, opts.to ?? null, opts.outcome ?? null],
      );
      return { total: n[0].total, rows: [] };
    }
    return {
      total: rows[0] ? Number(rows[0].total) : 0,
      rows: rows.map((r) => ({ ...toSummary(r), trigger: r.trigger as BriefingTrigger })),
    };
  }

  /** The company's newest runs that wrote a briefing, newest first. */
  async recentRuns(companyId: string, limit: number): Promise<RunRecord[]> {
    const { rows } = await this.pool.query(
      `${SUMMARY_SELECT.replace('SELECT ', 'SELECT r.run_id, r.trigger, r.duration_ms, r.started_at, r.completed_at, r.as_of, ')}
        WHERE b.company_id = $1 ORDER BY r.completed_at DESC, b.id DESC LIMIT $2`,
      [companyId, limit],
    );
    return rows.map((r) => ({
      ...toSummary(r),
      runId: r.run_id as string,
      trigger: r.trigger as BriefingTrigger,
      durationMs: Number(r.duration_ms),
      startedAt: r.started_at as Date,
      completedAt: r.completed_at as Date,
      asOf: r.as_of as Date,
    }));
  }

  /** Every agent attempt of these runs, by run, in agent and attempt order. */
  async executionsOf(workflowIds: readonly string[]): Promise<AgentExecutionRecord[]> {
    if (workflowIds.length === 0) return [];
    const { rows } = await this.pool.query(
      `SELECT workflow_id, company_id, agent, attempt, started_at, duration_ms, success, metrics_count,
              source_calls, error, error_type, source, cache_hit, breaker_state
         FROM agent_executions WHERE workflow_id = ANY($1::text[])
        ORDER BY workflow_id, agent, attempt`,
      [workflowIds],
    );
    return rows.map(toExecution);
  }

  /** Every delivery of these briefings, as listDeliveries orders them. */
  async deliveriesOf(briefingIds: readonly number[]): Promise<DeliveryRecord[]> {
    if (briefingIds.length === 0) return [];
    const { rows } = await this.pool.query(
      `SELECT ${DELIVERY_COLUMNS} FROM deliveries WHERE briefing_id = ANY($1::bigint[])
        ORDER BY briefing_id, channel, kind <> 'run', id`,
      [briefingIds],
    );
    return rows.map(toDelivery);
  }

  /**
   * One agent's stored figures for `metrics` (all of them when absent) since `since`
   * (the whole history when absent), oldest first: what the trend charts draw.
   */
  async metricHistory(
    companyId: string,
    agent: AgentName,
    opts: { metrics?: readonly string[]; since?: string } = {},
  ): Promise<MetricSnapshot[]> {
    const { rows } = await this.pool.query(
      `SELECT to_char(as_of_date, 'YYYY-MM-DD') AS date, metric, value
         FROM metric_points
        WHERE company_id = $1 AND agent = $2
          AND ($3::date IS NULL OR as_of_date >= $3::date)
          AND ($4::text[] IS NULL OR metric = ANY($4::text[]))
        ORDER BY as_of_date, metric`,
      [companyId, agent, opts.since ?? null, opts.metrics ?? null],
    );
    const out: MetricSnapshot[] = [];
    for (const r of rows) addPoint(out, r);
    return out;
  }

  /**
   * One agent's stored series of `metrics` since `since`, oldest first, by metric: one row
   * per metric (arrays), not one per point, so a year of a page's charts is a few rows.
   */
  async metricSeries(
    companyId: string,
    agent: AgentName,
    opts: { metrics: readonly string[]; since?: string | undefined },
  ): Promise<Record<string, { date: string; value: number | null }[]>> {
    const { rows } = await this.pool.query(
      `SELECT metric, array_agg(to_char(as_of_date, 'YYYY-MM-DD') ORDER BY as_of_date) AS dates,
              array_agg(value ORDER BY as_of_date) AS vals
         FROM metric_points
        WHERE company_id = $1 AND agent = $2 AND metric = ANY($3::text[])
          AND ($4::date IS NULL OR as_of_date >= $4::date)
        GROUP BY metric`,
      [companyId, agent, opts.metrics, opts.since ?? null],
    );
    const out: Record<string, { date: string; value: number | null }[]> = {};
    for (const r of rows) {
      const dates = r.dates as string[];
      const vals = r.vals as (string | null)[];
      out[r.metric] = dates.map((date, i) => ({
        date,
        value: vals[i] === null ? null : Number(vals[i]),
      }));
    }
    return out;
  }

  /** The company's first and last dates with stored figures (the trend pages' "all"). */
  async historySpan(companyId: string): Promise<{ first: string; last: string } | undefined> {
    const { rows } = await this.pool.query(
      // The briefings' dates (every briefing stores its figures): two index probes, where
      // metric_points would read every point of the company.
      `SELECT to_char(min(briefing_date), 'YYYY-MM-DD') AS first, to_char(max(briefing_date), 'YYYY-MM-DD') AS last
         FROM briefings WHERE company_id = $1`,
      [companyId],
    );
    return rows[0]?.first ? { first: rows[0].first, last: rows[0].last } : undefined;
  }

  // ---- The companies registry (`boardroom companies`). ----

  /** Registers a company; false when its id is taken (nothing changes then). */
  async addCompany(c: Omit<CompanyRecord, 'createdAt'>): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO companies (id, name, currency, time_zone, workspace, cron)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      [c.id, c.name, c.currency, c.timeZone, c.workspace, c.cron],
    );
    return rowCount === 1;
  }

  async listCompanies(): Promise<CompanyRecord[]> {
    const { rows } = await this.pool.query(`SELECT ${COMPANY_COLUMNS} FROM companies ORDER BY id`);
    return rows.map(toCompany);
  }

  async getCompany(id: string): Promise<CompanyRecord | undefined> {
    const { rows } = await this.pool.query(
      `SELECT ${COMPANY_COLUMNS} FROM companies WHERE id = $1`,
      [id],
    );
    return rows[0] ? toCompany(rows[0]) : undefined;
  }

  /** Removes the company's registration (not its briefings); false when it was not there. */
  async removeCompany(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`DELETE FROM companies WHERE id = $1`, [id]);
    return rowCount === 1;
  }

  async countBriefings(workflowId: string): Promise<number> {
    const { rows } = await this.pool.query(
      `SELECT count(*)::int AS n FROM briefings WHERE workflow_id = $1`,
      [workflowId],
    );
    return rows[0].n;
  }

  // ---- The claim check (run_reports, run_briefings): a run's reports and composed ----
  // ---- briefing between its steps, so its Temporal history carries only references. ----
  // They hand on exactly what the step that made them wrote (the `json` column keeps the
  // text and its key order; no schema pass adds or drops a field): the next step sees what
  // the history used to carry.

  /**
   * Stores one agent's report of a run in progress. A retried attempt overwrites its
   * predecessor's; a late write of an earlier attempt, or the agent's own write after its
   * fallback's, changes nothing (stage: the agent's own report, then its fallback).
   * With `execution`, the attempt is recorded in the same statement: one round trip, and
   * the attempt is recorded a success only if its report was stored.
   */
  async saveRunReport(r: {
    workflowId: string;
    companyId: string;
    agent: AgentName;
    stage: RunReportStage;
    attempt: number;
    report: AgentReport;
    execution?: AgentExecutionRecord;
  }): Promise<void> {
    const store = `INSERT INTO run_reports (workflow_id, agent, company_id, stage, attempt, report)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workflow_id, agent) DO UPDATE
         SET stage = EXCLUDED.stage, attempt = EXCLUDED.attempt, report = EXCLUDED.report,
             updated_at = now()
       WHERE (EXCLUDED.stage, EXCLUDED.attempt) >= (run_reports.stage, run_reports.attempt)`;
    const params = [
      r.workflowId,
      r.agent,
      r.companyId,
      RUN_REPORT_STAGES[r.stage],
      r.attempt,
      JSON.stringify(r.report),
    ];
    if (!r.execution) {
      await this.pool.query(store, params);
      return;
    }
    await this.pool.query(
      `WITH stored AS (${store} RETURNING 1)
       INSERT INTO agent_executions ${EXECUTION_VALUES(params.length + 1)}`,
      [...params, ...executionParams(r.execution)],
    );
  }

  /** The reports stored for a run so far, by agent. */
  async loadRunReports(workflowId: string): Promise<Partial<Record<AgentName, AgentReport>>> {
    const { rows } = await this.pool.query(
      `SELECT agent, report FROM run_reports WHERE workflow_id = $1 ORDER BY agent`,
      [workflowId],
    );
    return Object.fromEntries(rows.map((r) => [r.agent as AgentName, r.report as AgentReport]));
  }

  /** Stores a run's composed briefing; as with the reports, only a newer attempt overwrites. */
  async saveRunBriefing(b: {
    workflowId: string;
    companyId: string;
    attempt: number;
    briefing: Briefing;
  }): Promise<void> {
    await this.pool.query(
      `INSERT INTO run_briefings (workflow_id, company_id, attempt, briefing, head)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (workflow_id) DO UPDATE
         SET attempt = EXCLUDED.attempt, briefing = EXCLUDED.briefing, head = EXCLUDED.head,
             updated_at = now()
       WHERE EXCLUDED.attempt >= run_briefings.attempt`,
      [
        b.workflowId,
        b.companyId,
        b.attempt,
        JSON.stringify(b.briefing),
        JSON.stringify(overviewHead(b.briefing)),
      ],
    );
  }

  /** A run's composed briefing, until its save has cleared it. */
  async loadRunBriefing(workflowId: string): Promise<Briefing | undefined> {
    const { rows } = await this.pool.query(
      `SELECT briefing FROM run_briefings WHERE workflow_id = $1`,
      [workflowId],
    );
    return rows[0] ? (rows[0].briefing as Briefing) : undefined;
  }

  /** The id of the briefing a run saved, if it has. */
  async savedBriefingId(workflowId: string): Promise<number | undefined> {
    const { rows } = await this.pool.query(`SELECT id FROM briefings WHERE workflow_id = $1`, [
      workflowId,
    ]);
    return rows[0] ? Number(rows[0].id) : undefined;
  }

  /** Drops a run's claim-check rows: its saved briefing and agent_reports hold them now. */
  async clearRunClaims(workflowId: string): Promise<void> {
    await this.pool.query(
      `WITH reports AS (DELETE FROM run_reports WHERE workflow_id = $1)
       DELETE FROM run_briefings WHERE workflow_id = $1`,
      [workflowId],
    );
  }

  // ---- The portfolio briefing's sends (`boardroom portfolio send`). ----

  /**
   * Stores the portfolio a workflow composed, once: a retried step, or a later run under
   * the same workflow id, gets the first one back (`created` false), so every channel of
   * the day delivers the same figures.
   */
  async savePortfolio(p: {
    workflowId: string;
    date: string;
    companies: number;
    portfolio: Portfolio;
  }): Promise<{ id: number; created: boolean; companies: number }> {
    const inserted = await this.pool.query(
      `INSERT INTO portfolio_briefings (workflow_id, portfolio_date, companies, portfolio)
       VALUES ($1, $2, $3, $4) ON CONFLICT (workflow_id) DO NOTHING RETURNING id, companies`,
      [p.workflowId, p.date, p.companies, JSON.stringify(p.portfolio)],
    );
    if (inserted.rows[0])
      return { id: Number(inserted.rows[0].id), created: true, companies: p.companies };
    const { rows } = await this.pool.query(
      `SELECT id, companies FROM portfolio_briefings WHERE workflow_id = $1`,
      [p.workflowId],
    );
    return { id: Number(rows[0].id), created: false, companies: Number(rows[0].companies) };
  }

  async getPortfolio(id: number): Promise<{ date: string; portfolio: Portfolio } | undefined> {
    const { rows } = await this.pool.query(
      `SELECT to_char(portfolio_date, 'YYYY-MM-DD') AS date, portfolio
         FROM portfolio_briefings WHERE id = $1`,
      [id],
    );
    return rows[0]
      ? { date: rows[0].date, portfolio: Portfolio.parse(rows[0].portfolio) }
      : undefined;
  }

  /**
   * The day's delivery on a channel, found or begun (pending, one more attempt); a row
   * that says sent is returned as it is: nothing is to be sent again.
   */
  async beginPortfolioDelivery(d: {
    portfolioId: number;
    workflowId: string;
    date: string;
    channel: PortfolioDeliveryRecord['channel'];
    deliveryKey: string;
  }): Promise<PortfolioDeliveryRecord> {
    const { rows } = await this.pool.query(
      `INSERT INTO portfolio_deliveries (portfolio_id, workflow_id, portfolio_date, channel, delivery_key, status, attempts)
       VALUES ($1, $2, $3, $4, $5, 'pending', 1)
       ON CONFLICT (delivery_key) DO UPDATE
         SET attempts = portfolio_deliveries.attempts + CASE WHEN portfolio_deliveries.status = 'sent' THEN 0 ELSE 1 END,
             updated_at = CASE WHEN portfolio_deliveries.status = 'sent' THEN portfolio_deliveries.updated_at ELSE now() END
       RETURNING ${PORTFOLIO_DELIVERY_COLUMNS}`,
      [d.portfolioId, d.workflowId, d.date, d.channel, d.deliveryKey],
    );
    return toPortfolioDelivery(rows[0]);
  }

  async finishPortfolioDelivery(
    id: number,
    outcome:
      | { status: 'sent'; target: string; messageId: string }
      | { status: 'failed' | 'pending'; error: string; errorType: string },
  ): Promise<PortfolioDeliveryRecord> {
    const sent = outcome.status === 'sent';
    const { rows } = await this.pool.query(
      `UPDATE portfolio_deliveries
          SET status = $2, target = COALESCE($3, target), message_id = COALESCE($4, message_id),
              error = $5, error_type = $6, updated_at = now(),
              sent_at = CASE WHEN $2 = 'sent' THEN now() ELSE sent_at END
        WHERE id = $1
        RETURNING ${PORTFOLIO_DELIVERY_COLUMNS}`,
      [
        id,
        outcome.status,
        sent ? outcome.target : null,
        sent ? outcome.messageId : null,
        sent ? null : outcome.error,
        sent ? null : outcome.errorType,
      ],
    );
    return toPortfolioDelivery(rows[0]);
  }

  /** The deliveries of the portfolio of `date`, by channel. */
  async portfolioDeliveries(date: string): Promise<PortfolioDeliveryRecord[]> {
    const { rows } = await this.pool.query(
      `SELECT ${PORTFOLIO_DELIVERY_COLUMNS} FROM portfolio_deliveries
        WHERE portfolio_date = $1 ORDER BY channel`,
      [date],
    );
    return rows.map(toPortfolioDelivery);
  }
}

/** One channel's delivery of a day's portfolio (the `portfolio_deliveries` table). */
export interface PortfolioDeliveryRecord {
  id: number;
  portfolioId: number;
  workflowId: string;
  date: string;
  channel: 'email' | 'slack' | 'webhook';
  deliveryKey: string;
  target: string | undefined;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  messageId: string | undefined;
  error: string | undefined;
  sentAt: Date | undefined;
}

const PORTFOLIO_DELIVERY_COLUMNS = `id, portfolio_id, workflow_id,
  to_char(portfolio_date, 'YYYY-MM-DD') AS portfolio_date, channel, delivery_key, target, status,
  attempts, message_id, error, sent_at`;

function toPortfolioDelivery(r: Row): PortfolioDeliveryRecord {
  return {
    id: Number(r.id),
    portfolioId: Number(r.portfolio_id),
    workflowId: r.workflow_id as string,
    date: r.portfolio_date as string,
    channel: r.channel as PortfolioDeliveryRecord['channel'],
    deliveryKey: r.delivery_key as string,
    target: (r.target as string | null) ?? undefined,
    status: r.status as PortfolioDeliveryRecord['status'],
    attempts: Number(r.attempts),
    messageId: (r.message_id as string | null) ?? undefined,
    error: (r.error as string | null) ?? undefined,
    sentAt: (r.sent_at as Date | null) ?? undefined,
  };
}

const SUMMARY_COLUMNS = `b.id, b.workflow_id, b.company_id, to_char(b.briefing_date, 'YYYY-MM-DD') AS briefing_date,
       b.health, b.created_at, r.outcome, r.stale_agents, r.failed_agents`;
const SUMMARY_SELECT = `SELECT ${SUMMARY_COLUMNS} FROM briefings b JOIN briefing_runs r USING (workflow_id)`;
const FULL_SELECT = `SELECT ${SUMMARY_COLUMNS}, b.briefing, b.markdown
  FROM briefings b JOIN briefing_runs r USING (workflow_id)`;

type Row = Record<string, unknown>;

const DELIVERY_COLUMNS = `id, briefing_id, company_id, workflow_id, channel, delivery_key, kind, target,
  status, attempts, message_id, error, error_type, updated_at, sent_at`;

function toDelivery(r: Row): DeliveryRecord {
  return {
    id: Number(r.id),
    briefingId: Number(r.briefing_id),
    companyId: r.company_id as string,
    workflowId: r.workflow_id as string,
    channel: r.channel as DeliveryRecord['channel'],
    deliveryKey: r.delivery_key as string,
    kind: r.kind as DeliveryRecord['kind'],
    target: (r.target as string | null) ?? undefined,
    status: r.status as DeliveryRecord['status'],
    attempts: Number(r.attempts),
    messageId: (r.message_id as string | null) ?? undefined,
    error: (r.error as string | null) ?? undefined,
    errorType: (r.error_type as string | null) ?? undefined,
    updatedAt: r.updated_at as Date,
    sentAt: (r.sent_at as Date | null) ?? undefined,
  };
}

function toExecution(r: Row): AgentExecutionRecord {
  return {
    workflowId: r.workflow_id as string,
    companyId: r.company_id as string,
    agent: r.agent as AgentName,
    attempt: r.attempt as number,
    startedAt: r.started_at as Date,
    durationMs: r.duration_ms as number,
    success: r.success as boolean,
    metricsCount: r.metrics_count as number,
    sourceCalls: r.source_calls as number,
    error: (r.error as string | null) ?? undefined,
    errorType: (r.error_type as string | null) ?? undefined,
    source: r.source as string,
    cacheHit: r.cache_hit as boolean,
    breakerState: (r.breaker_state as string | null) ?? undefined,
  };
}

function toSummary(r: Row): BriefingSummary {
  return {
    id: Number(r.id),
    workflowId: r.workflow_id as string,
    companyId: r.company_id as string,
    briefingDate: r.briefing_date as string,
    health: Number(r.health),
    createdAt: r.created_at as Date,
    outcome: r.outcome as 'complete' | 'degraded',
    staleAgents: r.stale_agents as string[],
    failedAgents: r.failed_agents as string[],
  };
}

/** A metric_points row into date-ordered snapshots: a new one when the date changes. */
function addPoint(list: MetricSnapshot[], r: Row): void {
  let snap = list.at(-1);
  if (!snap || snap.date !== r.date) list.push((snap = { date: r.date as string, metrics: {} }));
  snap.metrics[r.metric as string] = r.value === null ? null : Number(r.value);
}

function toStored(r: Row): StoredBriefing {
  return { ...toSummary(r), briefing: Briefing.parse(r.briefing), markdown: r.markdown as string };
}
