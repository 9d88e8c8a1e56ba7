/**
 * The claim check (issue 15, item 4): the agents' reports and the composed briefing go
 * through Postgres, not the run's history. A run's history stays under 20 KB and holds no
 * company's figures, and the briefing it stores is the one the old path (the reports and
 * the briefing in the history) made from the same data.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import proto from '@temporalio/proto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../../src/activities/activities.js';
import { AGENTS } from '../../src/agents/registry.js';
import { Briefing } from '../../src/contract/briefing.js';
import { AGENT_NAMES, type AgentName } from '../../src/contract/report.js';
import { createLogger } from '../../src/logger.js';
import { ValidationError } from '../../src/shared/errors.js';
import { workspaceSources } from '../../src/sources/sources.js';
import {
  DEMO_WORKSPACE,
  closeStacksAfterEach,
  faultySources,
  uniqueCompanyId,
  type TestStack,
} from '../helpers/stack.js';

const { temporal } = proto;
type History = proto.temporal.api.history.v1.IHistory;
const stack = closeStacksAfterEach();
const MAX_HISTORY_BYTES = 20_000;
/** Figures and names of the demo company: none may appear in a run's history. */
const DEMO_SECRETS = ['Northwind', '15000', '180000', '"mrr"', 'Acme Corp', '# Morning briefing'];

/**
 * A history's size as Temporal counts it (its encoded bytes: what the server's history
 * limits and `historySizeBytes` measure, and what the ~182 KB of a run before was).
 */
function historyBytes(history: History): number {
  return temporal.api.history.v1.History.encode(
    temporal.api.history.v1.History.fromObject(history),
  ).finish().length;
}

/**
 * The history as JSON, payloads in base64 (as `temporal workflow show --output json` and
 * the UI's download give it): larger, as every event's own fields are spelled out.
 */
function historyJsonBytes(history: History): number {
  return Buffer.byteLength(
    JSON.stringify(temporal.api.history.v1.History.fromObject(history).toJSON()),
  );
}

/** Runs an activity in a mock activity context, typed by the activity's own signature. */
function inActivity<A extends unknown[], R>(
  env: MockActivityEnvironment,
  fn: (...args: A) => Promise<R>,
  ...args: A
): Promise<R> {
  return env.run(fn, ...args);
}

/** Every payload of the history, decoded: inputs, results, markers, search attributes. */
function payloadTexts(value: unknown, out: string[] = []): string[] {
  if (value === null || typeof value !== 'object') return out;
  if (value instanceof Uint8Array) {
    out.push(Buffer.from(value).toString('utf8'));
    return out;
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) payloadTexts(v, out);
  return out;
}

function activityTypes(history: History): string[] {
  return (history.events ?? [])
    .map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name)
    .filter((n): n is string => typeof n === 'string');
}

async function recordedHistory(file: string): Promise<History> {
  return temporal.api.history.v1.History.decode(
    gunzipSync(await readFile(path.resolve('tests/fixtures/histories', file))),
  );
}

function activitiesOn(s: TestStack, clock: () => Date, sources = workspaceFor(s)): Activities {
  return createActivities({
    repo: s.repo,
    sources,
    clock,
    log: createLogger({ level: 'silent', format: 'json' }),
    agents: AGENTS,
  });
}

function workspaceFor(s: TestStack) {
  return workspaceSources({ [s.companyId]: DEMO_WORKSPACE });
}

describe('a lean history: the claim check', () => {
  it('keeps a run under 20 KB with no figures in it, against ~180 KB before', async () => {
    const s = await stack();
    const result = await s.runBriefing({ searchAttributes: true });
    const history = await s.client.workflow.getHandle(result.workflowId).fetchHistory();

    const before = await recordedHistory('v3-complete.pb.gz');
    const bytes = historyBytes(history);
    const payloads = payloadTexts(history);
    const payloadBytes = payloads.reduce((n, t) => n + Buffer.byteLength(t), 0);
    console.log(
      `history bytes: before (v3-complete, the reports in the history) ${historyBytes(before)} ` +
        `(JSON ${historyJsonBytes(before)}, payloads ${payloadTexts(before).join('').length}); ` +
        `after (claim check) ${bytes} (JSON ${historyJsonBytes(history)}, payloads ${payloadBytes})`,
    );
    expect(bytes).toBeLessThan(MAX_HISTORY_BYTES);
    expect(historyBytes(before)).toBeGreaterThan(8 * MAX_HISTORY_BYTES);
    // What the run itself put in (inputs, results, markers): ids, statuses and counts.
    expect(payloadBytes).toBeLessThan(6_000);
    // Temporal's own count, from the run's last workflow task, agrees.
    const serverCount = (history.events ?? [])
      .map((e) => Number(e.workflowTaskStartedEventAttributes?.historySizeBytes ?? 0))
      .reduce((a, b) => Math.max(a, b), 0);
    expect(serverCount).toBeGreaterThan(0);
    expect(serverCount).toBeLessThan(MAX_HISTORY_BYTES);
    // The same check on a history of the old shape finds the figures: it can fail.
    const oldTexts = payloadTexts(before).join('\n');
    expect(DEMO_SECRETS.filter((t) => oldTexts.includes(t))).toEqual(DEMO_SECRETS);

    const texts = payloads.join('\n');
    expect(texts).toContain(result.workflowId);
    expect(DEMO_SECRETS.filter((t) => texts.includes(t))).toEqual([]);
    expect(activityTypes(history).sort()).toEqual(
      [...AGENT_NAMES.map(() => 'runAgentByRef'), 'composeAndSaveBriefing'].sort(),
    );
    const markers = (history.events ?? []).flatMap((e) =>
      e.markerRecordedEventAttributes ? [payloadTexts(e.markerRecordedEventAttributes).join()] : [],
    );
    expect(markers.some((m) => m.includes('claim-check'))).toBe(true);
    expect(markers.some((m) => m.includes('compose-and-save'))).toBe(true);

    // The run's result and its stored briefing are whole.
    expect(Object.values(result.agents)).toEqual(
      AGENT_NAMES.map(() => ({ status: 'ok', attempts: 1 })),
    );
    const stored = await s.repo.getBriefing(result.workflowId);
    expect(stored?.id).toBe(result.briefingId);
    expect(stored!.briefing.health).toBe(result.health);
    expect(stored!.briefing.agents.finance.metrics.mrr).toBe(15000);
    expect(stored!.briefing.companyName).toBe('Northwind Analytics');
    // The claim-check rows are gone once the briefing is saved.
    const left = await s.repo.pool.query(
      `SELECT (SELECT count(*)::int FROM run_reports WHERE workflow_id = $1) AS reports,
              (SELECT count(*)::int FROM run_briefings WHERE workflow_id = $1) AS briefings`,
      [result.workflowId],
    );
    expect(left.rows[0]).toEqual({ reports: 0, briefings: 0 });
  });

  it('stores the briefing the old path makes from the same data, field for field', async () => {
    const s = await stack();
    const result = await s.runBriefing({ energy: 'low' });
    const stored = (await s.repo.getBriefing(result.workflowId))!;
    const [runRow] = await s.repo.recentRuns(s.companyId, 1);
    const asOf = runRow!.asOf.toISOString();

    // The old path's agents: runAgent returns the report itself (the clock set to the
    // stored report's time; the duration is the one field a second computation changes).
    const env = new MockActivityEnvironment();
    for (const agent of AGENT_NAMES) {
      const storedReport = stored.briefing.agents[agent];
      const old = await inActivity(
        env,
        activitiesOn(s, () => new Date(storedReport.timestamp)).runAgent,
        {
          workflowId: result.workflowId,
          companyId: s.companyId,
          agent,
          asOf,
          today: result.briefingDate,
        },
      );
      expect({ ...old, durationMs: 0 }).toEqual({ ...storedReport, durationMs: 0 });
    }
    // The old path's CEO step: the reports in its input, the briefing in its result.
    const oldBriefing = await inActivity(
      env,
      activitiesOn(s, () => new Date(stored.briefing.generatedAt)).composeBriefing,
      {
        workflowId: result.workflowId,
        companyId: s.companyId,
        briefingDate: result.briefingDate,
        reports: stored.briefing.agents,
        energy: 'low',
      },
    );
    expect(Briefing.parse(oldBriefing)).toEqual(stored.briefing);
    expect(oldBriefing.markdown).toBe(stored.markdown);
    expect(oldBriefing.priorities.length).toBeGreaterThan(0);
  });

  it('a degraded run: the fallback stores its report, the history stays lean', async () => {
    const companyId = uniqueCompanyId('cc-degraded');
    const sources = faultySources(workspaceSources({ [companyId]: DEMO_WORKSPACE }), (agent) =>
      agent === 'hr'
        ? new ValidationError('hr.csv, line 2, field "salary": expected a number', {
            file: 'hr.csv',
            line: 2,
          })
        : undefined,
    );
    const s = await stack({ companyId, sources });
    const result = await s.runBriefing();
    expect(result.agents.hr).toEqual({ status: 'failed', attempts: 1 });
    expect(result.agents.finance).toEqual({ status: 'ok', attempts: 1 });

    const history = await s.client.workflow.getHandle(result.workflowId).fetchHistory();
    expect(historyBytes(history)).toBeLessThan(MAX_HISTORY_BYTES);
    const texts = payloadTexts(history).join('\n');
    expect(DEMO_SECRETS.filter((t) => texts.includes(t))).toEqual([]);
    expect(activityTypes(history)).toContain('loadFallbackReportByRef');

    const stored = (await s.repo.getBriefing(result.workflowId))!;
    expect(stored.briefing.agents.hr).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'hr.csv, line 2, field "salary": expected a number',
    });
    expect(stored.failedAgents).toEqual(['hr']);
  });
});

/** The run a save step is handed: a manual run of `s`'s company, started now. */
function manualRun(s: TestStack, workflowId: string, runId: string, briefingDate: string) {
  return {
    workflowId,
    runId,
    companyId: s.companyId,
    briefingDate,
    trigger: 'manual' as const,
    startedAt: new Date().toISOString(),
  };
}

describe('the claim-check store', () => {
  const report = (agent: AgentName, health: number) => ({
    agent,
    timestamp: '2026-11-26T07:00:00.000Z',
    dataAsOf: '2026-11-26T07:00:00.000Z',
    status: 'ok' as const,
    metrics: { zeta: 1, alpha: 2 },
    alerts: [],
    recommendations: [],
    health,
    healthReason: 'test',
    durationMs: 1,
    sourceCalls: 0,
    attempts: 1,
  });

  it('lets a newer attempt and the fallback overwrite, never a late older attempt', async () => {
    const s = await stack({ withWorker: false });
    const workflowId = `cc-store-${s.companyId}`;
    const put = (stage: 'agent' | 'fallback', attempt: number, health: number) =>
      s.repo.saveRunReport({
        workflowId,
        companyId: s.companyId,
        agent: 'sales',
        stage,
        attempt,
        report: report('sales', health),
      });
    const health = async () => (await s.repo.loadRunReports(workflowId)).sales?.health;
    try {
      await put('agent', 2, 20);
      expect(await health()).toBe(20);
      await put('agent', 1, 10); // a timed-out first attempt writing late
      expect(await health()).toBe(20);
      await put('agent', 3, 30);
      expect(await health()).toBe(30);
      await put('fallback', 1, 5);
      expect(await health()).toBe(5);
      await put('agent', 4, 40); // an agent's write after its fallback's
      expect(await health()).toBe(5);
      // The text comes back as written: key order too (the briefing lists metrics so).
      expect(Object.keys((await s.repo.loadRunReports(workflowId)).sales!.metrics)).toEqual([
        'zeta',
        'alpha',
      ]);
    } finally {
      await s.repo.clearRunClaims(workflowId);
    }
    expect(await s.repo.loadRunReports(workflowId)).toEqual({});
  });

  it('a save retried after its rows were cleared writes nothing and returns the same briefing', async () => {
    const s = await stack();
    const result = await s.runBriefing();
    const env = new MockActivityEnvironment({ attempt: 2 });
    const again = await inActivity(env, activitiesOn(s, () => new Date()).saveBriefingByRef, {
      run: manualRun(s, result.workflowId, 'a-retry', result.briefingDate),
    });
    expect(again).toEqual({
      briefingId: result.briefingId,
      created: false,
      deliveryPlan: { channels: [] },
    });
    expect(await s.repo.countBriefings(result.workflowId)).toBe(1);
  });

  it('a CEO step retried after its save committed writes nothing and answers as the first did', async () => {
    const s = await stack();
    const result = await s.runBriefing();
    const stored = (await s.repo.getBriefing(result.workflowId))!.briefing;
    const env = new MockActivityEnvironment({ attempt: 2 });
    const again = await inActivity(env, activitiesOn(s, () => new Date()).composeAndSaveBriefing, {
      run: manualRun(s, result.workflowId, 'a-retry', result.briefingDate),
    });
    expect(again).toEqual({
      briefingId: result.briefingId,
      created: false,
      health: result.health,
      risks: stored.risks.length,
      priorities: stored.priorities.length,
      deliveryPlan: { channels: [] },
    });
    expect(stored.risks.length + stored.priorities.length).toBeGreaterThan(0);
    expect(await s.repo.countBriefings(result.workflowId)).toBe(1);
  });

  it('a CEO step composes the stored reports and saves the briefing in one statement', async () => {
    const s = await stack({ withWorker: false });
    const workflowId = `cc-one-step-${s.companyId}`;
    for (const agent of AGENT_NAMES) {
      await s.repo.saveRunReport({
        workflowId,
        companyId: s.companyId,
        agent,
        stage: 'agent',
        attempt: 1,
        report: report(agent, agent === 'sales' ? 40 : 80),
      });
    }
    const saved = await inActivity(
      new MockActivityEnvironment(),
      activitiesOn(s, () => new Date()).composeAndSaveBriefing,
      {
        run: manualRun(s, workflowId, 'one-step-run', '2026-11-26'),
      },
    );
    const { briefing } = (await s.repo.getBriefing(workflowId))!;
    expect(saved).toEqual({
      briefingId: expect.any(Number),
      created: true,
      health: briefing.health,
      risks: briefing.risks.length,
      priorities: briefing.priorities.length,
      deliveryPlan: { channels: [] },
    });
    // The mean of 40 and five 80s, rounded: the stored reports are the ones composed.
    expect(briefing.health).toBe(73);
    expect(briefing.agents.sales.health).toBe(40);
    expect(await s.repo.loadRunReports(workflowId)).toEqual({});
    expect(await s.repo.loadRunBriefing(workflowId)).toBeUndefined();
    expect(await s.repo.countBriefings(workflowId)).toBe(1);
  });

  it('a composed briefing stored before run_briefings had a head is saved the old way', async () => {
    const s = await stack();
    const result = await s.runBriefing();
    const { briefing } = (await s.repo.getBriefing(result.workflowId))!;
    const workflowId = `${result.workflowId}-legacy`;
    await s.repo.saveRunBriefing({ workflowId, companyId: s.companyId, attempt: 1, briefing });
    await s.repo.pool.query(`UPDATE run_briefings SET head = NULL WHERE workflow_id = $1`, [
      workflowId,
    ]);
    const saved = await inActivity(
      new MockActivityEnvironment(),
      activitiesOn(s, () => new Date()).saveBriefingByRef,
      {
        run: manualRun(s, workflowId, 'a-legacy-run', result.briefingDate),
      },
    );
    expect(saved).toMatchObject({ created: true, deliveryPlan: { channels: [] } });
    expect((await s.repo.getBriefing(workflowId))!.briefing).toEqual(briefing);
    expect(await s.repo.loadRunBriefing(workflowId)).toBeUndefined();
  });

  it('a CEO step without the six stored reports fails for good, naming the missing', async () => {
    const s = await stack({ withWorker: false });
    const env = new MockActivityEnvironment();
    const workflowId = `cc-missing-${s.companyId}`;
    await s.repo.saveRunReport({
      workflowId,
      companyId: s.companyId,
      agent: 'finance',
      stage: 'agent',
      attempt: 1,
      report: report('finance', 80),
    });
    try {
      await expect(
        inActivity(env, activitiesOn(s, () => new Date()).composeBriefingByRef, {
          workflowId,
          companyId: s.companyId,
          briefingDate: '2026-11-26',
        }),
      ).rejects.toMatchObject({
        type: 'MissingReportError',
        nonRetryable: true,
        message: `No stored report of sales, operations, marketing, hr, customer-success for run ${workflowId}: the agents' step did not store them.`,
      });
      // The one-step CEO step too, and it saves nothing.
      await expect(
        inActivity(env, activitiesOn(s, () => new Date()).composeAndSaveBriefing, {
          run: manualRun(s, workflowId, 'a-missing-run', '2026-11-26'),
        }),
      ).rejects.toMatchObject({
        type: 'MissingReportError',
        nonRetryable: true,
        message: `No stored report of sales, operations, marketing, hr, customer-success for run ${workflowId}: the agents' step did not store them.`,
      });
      expect(await s.repo.countBriefings(workflowId)).toBe(0);
    } finally {
      await s.repo.clearRunClaims(workflowId);
    }
  });
});
