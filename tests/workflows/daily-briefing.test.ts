/**
 * The briefing workflow on a real Temporal dev server and a real Postgres.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_NAMES } from '../../src/agents/contract.js';
import { SourceUnavailableError, ValidationError } from '../../src/errors.js';
import { workspaceSources } from '../../src/sources/sources.js';
import {
  DEMO_WORKSPACE,
  createTestStack,
  faultySources,
  uniqueCompanyId,
  type TestStack,
} from '../helpers/stack.js';

let stacks: TestStack[] = [];
afterEach(async () => {
  await Promise.all(stacks.map((s) => s.close()));
  stacks = [];
});

async function stack(...args: Parameters<typeof createTestStack>) {
  const s = await createTestStack(...args);
  stacks.push(s);
  return s;
}

describe('dailyBriefingWorkflow', () => {
  it('runs all six agents and writes exactly one briefing with their reports', async () => {
    const s = await stack();
    const result = await s.runBriefing();

    expect(result.created).toBe(true);
    expect(Object.values(result.agents).map((a) => a.status)).toEqual(AGENT_NAMES.map(() => 'ok'));
    expect(await s.repo.countBriefings(result.workflowId)).toBe(1);

    const stored = await s.repo.getBriefing(result.workflowId);
    expect(stored?.id).toBe(result.briefingId);
    const b = stored!.briefing;
    expect(b.agents.finance.metrics.mrr).toBe(15000);
    expect(b.agents.finance.metrics.arr).toBe(180000);
    expect(b.agents.finance.metrics.customers).toBe(45);
    expect(b.agents.sales.metrics.openDeals).toBe(12);
    expect(b.agents.operations.metrics.activeProjects).toBe(4);
    expect(b.agents.hr.metrics.headcount).toBe(12);
    expect(b.priorities).toHaveLength(3);
    expect(b.priorities[0]).toMatchObject({
      title: 'Close Acme Corp deal ($50K ARR)',
      score: 86.5,
      rank: 1,
    });
    expect(stored!.markdown).toContain('# Morning briefing');

    const reports = await s.repo.pool.query(
      `SELECT agent, status, attempts FROM agent_reports WHERE workflow_id = $1 ORDER BY agent`,
      [result.workflowId],
    );
    expect(reports.rows).toHaveLength(6);
    expect(reports.rows.every((r) => r.status === 'ok' && r.attempts === 1)).toBe(true);

    // One structured log line and one execution row per agent execution.
    const executions = await s.repo.listExecutions(result.workflowId);
    expect(executions.map((e) => e.agent).sort()).toEqual([...AGENT_NAMES].sort());
    const agentLines = s.logLines.filter(
      (l) => l.msg === 'agent run' && l.workflowId === result.workflowId,
    );
    expect(agentLines).toHaveLength(6);
    for (const line of agentLines) {
      expect(line).toMatchObject({ success: true, attempt: 1 });
      expect(typeof line.duration_ms).toBe('number');
      expect(line.metrics_count).toBeGreaterThanOrEqual(3);
      expect(typeof line.timestamp).toBe('string');
    }
  });

  it('retries an agent that throws twice, then reports it ok with its attempt count', async () => {
    const companyId = uniqueCompanyId('flaky');
    const sources = faultySources(
      workspaceSources({ [companyId]: DEMO_WORKSPACE }),
      (agent, call) =>
        agent === 'sales' && call <= 2
          ? new SourceUnavailableError(`CRM timed out (call ${call})`)
          : undefined,
    );
    const s = await stack({ companyId, sources });
    const result = await s.runBriefing();

    expect(sources.calls.sales).toBe(3);
    expect(result.agents.sales).toEqual({ status: 'ok', attempts: 3 });
    expect(result.agents.finance).toEqual({ status: 'ok', attempts: 1 });
    const executions = (await s.repo.listExecutions(result.workflowId)).filter(
      (e) => e.agent === 'sales',
    );
    expect(executions.map((e) => [e.attempt, e.success])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(executions[0]!.error).toBe('CRM timed out (call 1)');
    const stored = await s.repo.getBriefing(result.workflowId);
    expect(stored!.briefing.agents.sales.attempts).toBe(3);
  });

  it('falls back to the last good report of an agent that keeps failing, and says so', async () => {
    const companyId = uniqueCompanyId('stale');
    let financeDown = false;
    const sources = faultySources(workspaceSources({ [companyId]: DEMO_WORKSPACE }), (agent) =>
      agent === 'finance' && financeDown ? new SourceUnavailableError('Stripe is down') : undefined,
    );
    const s = await stack({ companyId, sources });
    const good = await s.runBriefing();
    expect(good.agents.finance.status).toBe('ok');

    financeDown = true;
    const degraded = await s.runBriefing();
    expect(degraded.agents.finance).toEqual({ status: 'stale', attempts: 3 });
    expect(degraded.created).toBe(true);

    const b = (await s.repo.getBriefing(degraded.workflowId))!.briefing;
    expect(b.agents.finance.status).toBe('stale');
    expect(b.agents.finance.metrics.mrr).toBe(15000); // served from the last good report
    expect(b.agents.finance.error).toBe('Stripe is down');
    expect(b.dataNotes).toEqual([
      expect.stringMatching(/^Finance data is stale \(last updated \d+m ago\): Stripe is down$/),
    ]);
    const summary = (await s.repo.listBriefings({ companyId }))[0]!;
    expect(summary).toMatchObject({
      outcome: 'degraded',
      staleAgents: ['finance'],
      failedAgents: [],
    });
  });

  it('reports an agent with no earlier report as failed and still writes the briefing', async () => {
    const companyId = uniqueCompanyId('failed');
    const sources = faultySources(workspaceSources({ [companyId]: DEMO_WORKSPACE }), (agent) =>
      agent === 'hr' ? new SourceUnavailableError('HRIS unreachable') : undefined,
    );
    const s = await stack({ companyId, sources });
    const result = await s.runBriefing();
    expect(result.agents.hr).toEqual({ status: 'failed', attempts: 3 });
    const stored = (await s.repo.getBriefing(result.workflowId))!;
    expect(stored.briefing.dataNotes).toEqual([
      'HR failed and has no earlier report to fall back on: HRIS unreachable',
    ]);
    expect(stored.markdown).toContain('| HR | failed | n/a |');
  });

  it('does not retry a validation error', async () => {
    const companyId = uniqueCompanyId('invalid');
    const sources = faultySources(workspaceSources({ [companyId]: DEMO_WORKSPACE }), (agent) =>
      agent === 'marketing'
        ? new ValidationError('marketing.csv, line 4, field "spend_cents": expected an integer', {
            file: 'marketing.csv',
            line: 4,
            field: 'spend_cents',
          })
        : undefined,
    );
    const s = await stack({ companyId, sources });
    const result = await s.runBriefing();
    expect(sources.calls.marketing).toBe(1);
    expect(result.agents.marketing).toEqual({ status: 'failed', attempts: 1 });
    const executions = (await s.repo.listExecutions(result.workflowId)).filter(
      (e) => e.agent === 'marketing',
    );
    expect(executions).toHaveLength(1);
    expect(executions[0]).toMatchObject({ success: false, errorType: 'ValidationError' });
    const b = (await s.repo.getBriefing(result.workflowId))!.briefing;
    expect(b.agents.marketing.error).toContain('marketing.csv, line 4, field "spend_cents"');
  });

  it('answers the progress query while agents run', async () => {
    const companyId = uniqueCompanyId('progress');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const base = workspaceSources({ [companyId]: DEMO_WORKSPACE });
    const s = await stack({
      companyId,
      sources: {
        loadCompany: (id) => base.loadCompany(id),
        async loadAgentInput(id, agent) {
          if (agent.name === 'operations') await gate;
          return base.loadAgentInput(id, agent);
        },
      },
    });
    const { startBriefing } = await import('../../src/client/run.js');
    const { progressQuery } = await import('../../src/shared/workflow-api.js');
    const handle = await startBriefing(s.client, {
      taskQueue: s.taskQueue,
      input: s.input(),
      now: new Date(),
    });
    let progress = await handle.query(progressQuery);
    for (
      let i = 0;
      i < 100 && Object.values(progress.agents).filter((a) => a.phase === 'done').length < 5;
      i++
    ) {
      await new Promise((r) => setTimeout(r, 50));
      progress = await handle.query(progressQuery);
    }
    expect(progress.step).toBe('agents');
    expect(progress.agents.operations.phase).toBe('running');
    expect(progress.agents.finance.phase).toBe('done');
    release();
    await handle.result();
    expect((await handle.query(progressQuery)).step).toBe('done');
    await s.repo.pool.query(`DELETE FROM briefing_runs WHERE workflow_id = $1`, [
      handle.workflowId,
    ]);
  });
});
