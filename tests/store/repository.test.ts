import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { z } from 'zod';
import { AGENT_NAMES, AgentReport, type AgentName } from '../../src/contract/report.js';
import { Briefing } from '../../src/contract/briefing.js';
import { composeBriefing } from '../../src/ceo/briefing.js';
import { Repository, overviewHead, type BriefingRunRecord } from '../../src/store/repository.js';

type ReportInput = Partial<z.input<typeof AgentReport>>;

let repo: Repository;
const companies: string[] = [];

function newCompany(): string {
  const id = `t-repo-${randomUUID().slice(0, 8)}`;
  companies.push(id);
  return id;
}

function newWorkflowId(companyId: string): string {
  return `briefing-${companyId}-${randomUUID().slice(0, 8)}`;
}

function report(agent: AgentName, over: ReportInput = {}): AgentReport {
  return AgentReport.parse({
    agent,
    timestamp: '2026-11-26T12:00:00.000Z',
    dataAsOf: '2026-11-26T06:00:00.000Z',
    status: 'ok',
    metrics: { value: 1 },
    alerts: [],
    recommendations: [],
    health: 80,
    durationMs: 12,
    sourceCalls: 2,
    ...over,
  });
}

function briefing(
  companyId: string,
  workflowId: string,
  over: Partial<Record<AgentName, ReportInput>> = {},
): Briefing {
  const reports = Object.fromEntries(AGENT_NAMES.map((a) => [a, report(a, over[a])])) as Record<
    AgentName,
    AgentReport
  >;
  // composeBriefing validates too; the explicit parse states what the helper guarantees.
  return Briefing.parse(
    composeBriefing({
      companyId,
      companyName: `Company ${companyId}`,
      workflowId,
      briefingDate: '2026-11-26',
      generatedAt: '2026-11-26T12:00:00.000Z',
      reports,
      founderTasks: [],
      goals: [],
      energy: 'medium',
    }),
  );
}

function run(companyId: string, workflowId: string): BriefingRunRecord {
  return {
    workflowId,
    runId: randomUUID(),
    companyId,
    briefingDate: '2026-11-26',
    trigger: 'manual',
    startedAt: new Date('2026-11-26T12:00:00.000Z'),
    durationMs: 1234,
  };
}

async function save(companyId: string, over: Partial<Record<AgentName, ReportInput>> = {}) {
  const workflowId = newWorkflowId(companyId);
  const b = briefing(companyId, workflowId, over);
  const saved = await repo.saveBriefing(run(companyId, workflowId), b);
  return { workflowId, briefing: b, ...saved };
}

async function count(table: 'briefings' | 'briefing_runs' | 'agent_reports', workflowId: string) {
  const { rows } = await repo.pool.query(
    `SELECT count(*)::int AS n FROM ${table} WHERE workflow_id = $1`,
    [workflowId],
  );
  return rows[0].n as number;
}

beforeAll(() => {
  repo = Repository.connect(inject('databaseUrl'), { max: 6 });
});

afterEach(async () => {
  for (const id of companies.splice(0)) {
    await repo.pool.query('DELETE FROM briefing_runs WHERE company_id = $1', [id]);
  }
});

afterAll(async () => {
  await repo.close();
});

describe('Repository.saveBriefing', () => {
  it('writes a workflow once: the second save returns the first id', async () => {
    const companyId = newCompany();
    const workflowId = newWorkflowId(companyId);
    const b = briefing(companyId, workflowId);
    const first = await repo.saveBriefing(run(companyId, workflowId), b);
    const second = await repo.saveBriefing(run(companyId, workflowId), b);
    expect(first.created).toBe(true);
    expect(Number.isInteger(first.briefingId)).toBe(true);
    expect(second).toEqual({ briefingId: first.briefingId, created: false });
    expect(await count('briefings', workflowId)).toBe(1);
    expect(await count('briefing_runs', workflowId)).toBe(1);
    expect(await count('agent_reports', workflowId)).toBe(6);
    expect(await repo.countBriefings(workflowId)).toBe(1);
  });

  it('writes one briefing when five saves of the same workflow race', async () => {
    const companyId = newCompany();
    const workflowId = newWorkflowId(companyId);
    const b = briefing(companyId, workflowId);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => repo.saveBriefing(run(companyId, workflowId), b)),
    );
    const ids = new Set(results.map((r) => r.briefingId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await count('briefings', workflowId)).toBe(1);
    expect(await count('briefing_runs', workflowId)).toBe(1);
    expect(await count('agent_reports', workflowId)).toBe(6);
  });

  it("records outcome 'complete' when every agent is ok", async () => {
    const companyId = newCompany();
    const { workflowId } = await save(companyId);
    const [summary] = await repo.listBriefings({ companyId });
    expect(summary).toMatchObject({
      workflowId,
      companyId,
      outcome: 'complete',
      staleAgents: [],
      failedAgents: [],
    });
  });

  it("records outcome 'degraded' with the stale and failed agents", async () => {
    const companyId = newCompany();
    const { workflowId } = await save(companyId, {
      finance: { status: 'stale', staleHours: 24, error: 'Stripe timed out' },
      hr: { status: 'stale', staleHours: 3 },
      marketing: { status: 'failed', error: 'campaigns.csv: file not found' },
    });
    const stored = await repo.getBriefing(workflowId);
    expect(stored).toMatchObject({
      workflowId,
      outcome: 'degraded',
      staleAgents: ['finance', 'hr'],
      failedAgents: ['marketing'],
    });
    const { rows } = await repo.pool.query(
      `SELECT agent, status, error FROM agent_reports WHERE workflow_id = $1 ORDER BY agent`,
      [workflowId],
    );
    expect(rows).toEqual([
      { agent: 'customer-success', status: 'ok', error: null },
      { agent: 'finance', status: 'stale', error: 'Stripe timed out' },
      { agent: 'hr', status: 'stale', error: null },
      { agent: 'marketing', status: 'failed', error: 'campaigns.csv: file not found' },
      { agent: 'operations', status: 'ok', error: null },
      { agent: 'sales', status: 'ok', error: null },
    ]);
  });
});

describe('the rows a save writes', () => {
  const degraded = {
    finance: { status: 'stale', staleHours: 24, error: 'Stripe timed out', metrics: { mrr: 2.5 } },
    hr: { metrics: { headcount: 12, attrition: null, eNps: -3.25 } },
    marketing: { status: 'failed', error: 'campaigns.csv: file not found', metrics: {} },
  } as const satisfies Partial<Record<AgentName, ReportInput>>;

  /** What the save is meant to write, computed here from the briefing alone. */
  function expectedRows(b: Briefing) {
    const reports = Object.values(b.agents);
    return {
      run: {
        outcome: reports.some((r) => r.status !== 'ok') ? 'degraded' : 'complete',
        stale_agents: reports.filter((r) => r.status === 'stale').map((r) => r.agent),
        failed_agents: reports.filter((r) => r.status === 'failed').map((r) => r.agent),
        duration_ms: 1234,
        trigger: 'manual',
      },
      reports: reports
        .map((r) => ({
          agent: r.agent,
          status: r.status,
          duration_ms: r.durationMs,
          attempts: r.attempts,
          source_calls: r.sourceCalls,
          data_as_of: new Date(r.dataAsOf),
          health: r.health,
          metrics: r.metrics,
          alerts: r.alerts,
          recommendations: r.recommendations,
          error: r.error ?? null,
          report: r,
        }))
        .sort((x, y) => x.agent.localeCompare(y.agent)),
      points: reports
        .filter((r) => r.status === 'ok')
        .flatMap((r) =>
          Object.entries(r.metrics).map(([metric, value]) => ({
            agent: r.agent,
            metric,
            value: value === null ? null : String(value),
          })),
        )
        .sort((x, y) => `${x.agent} ${x.metric}`.localeCompare(`${y.agent} ${y.metric}`)),
      briefing: { health: b.health, briefing: b, markdown: b.markdown, head: overviewHead(b) },
    };
  }

  async function storedRows(workflowId: string, companyId: string) {
    const q = async (sql: string) => (await repo.pool.query(sql, [workflowId])).rows;
    const [run] = await q(
      `SELECT outcome, stale_agents, failed_agents, duration_ms, trigger FROM briefing_runs WHERE workflow_id = $1`,
    );
    const reports = await q(
      `SELECT agent, status, duration_ms, attempts, source_calls, data_as_of, health, metrics,
              alerts, recommendations, error, report
         FROM agent_reports WHERE workflow_id = $1 ORDER BY agent`,
    );
    const points = (
      await repo.pool.query(
        `SELECT agent, metric, value::text AS value FROM metric_points
          WHERE workflow_id = $1 AND company_id = $2 ORDER BY agent, metric`,
        [workflowId, companyId],
      )
    ).rows;
    const [briefing] = await q(
      `SELECT health, briefing, markdown, head FROM briefings WHERE workflow_id = $1`,
    );
    return { run, reports, points, briefing };
  }

  it('saveBriefing writes the run, each report, the fresh metric points and the briefing with its head', async () => {
    const companyId = newCompany();
    const workflowId = newWorkflowId(companyId);
    const b = briefing(companyId, workflowId, degraded);
    await repo.saveBriefing(run(companyId, workflowId), b);
    const stored = await storedRows(workflowId, companyId);
    expect(stored).toEqual(expectedRows(b));
    // Fresh reports only: the stale finance and the failed marketing add no points.
    expect(stored.points.map((p) => p.agent)).not.toContain('finance');
    expect(stored.points).toContainEqual({ agent: 'hr', metric: 'attrition', value: null });
    expect(stored.points).toContainEqual({ agent: 'hr', metric: 'eNps', value: '-3.25' });
  });

  it('saveClaimedBriefing copies the claim-check rows into the same rows, then clears them', async () => {
    const companyId = newCompany();
    const workflowId = newWorkflowId(companyId);
    const b = briefing(companyId, workflowId, degraded);
    for (const r of Object.values(b.agents)) {
      await repo.saveRunReport({
        workflowId,
        companyId,
        agent: r.agent,
        stage: 'agent',
        attempt: 1,
        report: r,
      });
    }
    await repo.saveRunBriefing({ workflowId, companyId, attempt: 1, briefing: b });
    const saved = await repo.saveClaimedBriefing(run(companyId, workflowId));
    expect(saved).toEqual({ briefingId: expect.any(Number), created: true });
    expect(await storedRows(workflowId, companyId)).toEqual(expectedRows(b));
    expect(await repo.loadRunReports(workflowId)).toEqual({});
    expect(await repo.loadRunBriefing(workflowId)).toBeUndefined();
    // Again (a retried save): nothing written, the same id.
    expect(await repo.saveClaimedBriefing(run(companyId, workflowId))).toEqual({
      briefingId: saved!.briefingId,
      created: false,
    });
    expect(await count('agent_reports', workflowId)).toBe(6);
  });

  it('saveClaimedBriefing leaves a row stored without a head (before the column) to the caller', async () => {
    const companyId = newCompany();
    const workflowId = newWorkflowId(companyId);
    const b = briefing(companyId, workflowId);
    await repo.saveRunBriefing({ workflowId, companyId, attempt: 1, briefing: b });
    await repo.pool.query(`UPDATE run_briefings SET head = NULL WHERE workflow_id = $1`, [
      workflowId,
    ]);
    try {
      expect(await repo.saveClaimedBriefing(run(companyId, workflowId))).toBeUndefined();
      expect(await count('briefing_runs', workflowId)).toBe(0);
      expect(await repo.loadRunBriefing(workflowId)).toEqual(b);
    } finally {
      await repo.clearRunClaims(workflowId);
    }
  });
});

describe('Repository.findLastGoodReport', () => {
  it("returns the newest 'ok' report of the company, ignoring stale, failed and other companies", async () => {
    const companyId = newCompany();
    const other = newCompany();
    await save(companyId, { finance: { metrics: { mrr: 100 } } });
    await save(companyId, { finance: { metrics: { mrr: 200 }, health: 64 } });
    await save(companyId, { finance: { status: 'stale', staleHours: 24, metrics: { mrr: 300 } } });
    await save(companyId, { finance: { status: 'failed', metrics: { mrr: 400 } } });
    await save(other, { finance: { metrics: { mrr: 500 } } });

    const found = await repo.findLastGoodReport(companyId, 'finance');
    expect(found).toMatchObject({
      agent: 'finance',
      status: 'ok',
      metrics: { mrr: 200 },
      health: 64,
    });
    expect(found).toEqual(report('finance', { metrics: { mrr: 200 }, health: 64 }));
    expect((await repo.findLastGoodReport(other, 'finance'))?.metrics).toEqual({ mrr: 500 });
  });

  it('returns undefined when the company has no ok report of the agent', async () => {
    const companyId = newCompany();
    await save(companyId, { sales: { status: 'failed' } });
    expect(await repo.findLastGoodReport(companyId, 'sales')).toBeUndefined();
    expect(await repo.findLastGoodReport(newCompany(), 'finance')).toBeUndefined();
  });
});

describe('Repository reads', () => {
  it('lists, finds the latest and gets a briefing by id or workflow id', async () => {
    const companyId = newCompany();
    const other = newCompany();
    const first = await save(companyId);
    const second = await save(companyId, { hr: { status: 'stale', staleHours: 30 } });
    await save(other);

    const list = await repo.listBriefings({ companyId });
    expect(list.map((b) => [b.id, b.workflowId, b.outcome])).toEqual([
      [second.briefingId, second.workflowId, 'degraded'],
      [first.briefingId, first.workflowId, 'complete'],
    ]);
    expect(list[0]).toMatchObject({ companyId, briefingDate: '2026-11-26', health: 80 });
    expect(list[0]!.createdAt).toBeInstanceOf(Date);
    expect((await repo.listBriefings({ companyId, limit: 1 })).map((b) => b.id)).toEqual([
      second.briefingId,
    ]);

    const latest = await repo.latestBriefing(companyId);
    expect(latest?.id).toBe(second.briefingId);
    expect(latest?.briefing).toEqual(second.briefing);
    expect(latest?.markdown).toBe(second.briefing.markdown);
    expect(latest?.staleAgents).toEqual(['hr']);

    const byId = await repo.getBriefing(String(first.briefingId));
    expect(byId).toMatchObject({
      id: first.briefingId,
      workflowId: first.workflowId,
      companyId,
      outcome: 'complete',
    });
    expect(byId?.briefing).toEqual(first.briefing);
    const byWorkflow = await repo.getBriefing(first.workflowId);
    expect(byWorkflow).toEqual(byId);

    expect(await repo.getBriefing('999999999999')).toBeUndefined();
    expect(await repo.getBriefing(`no-such-${randomUUID()}`)).toBeUndefined();
    expect(await repo.latestBriefing(`t-repo-none-${randomUUID().slice(0, 8)}`)).toBeUndefined();
  });
});
