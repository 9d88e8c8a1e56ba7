import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { z } from 'zod';
import { AGENT_NAMES, AgentReport, type AgentName } from '../../src/contract/report.js';
import { Briefing } from '../../src/contract/briefing.js';
import { composeBriefing } from '../../src/ceo/briefing.js';
import { Repository, type BriefingRunRecord } from '../../src/store/repository.js';

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
