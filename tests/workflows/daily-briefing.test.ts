/**
 * The briefing workflow on a real Temporal dev server and a real Postgres.
 */
import { describe, expect, it } from 'vitest';
import { AGENT_NAMES } from '../../src/contract/report.js';
import {
  SourceAuthError,
  SourceTransientError,
  SourceUnavailableError,
  ValidationError,
} from '../../src/shared/errors.js';
import { workspaceSources } from '../../src/sources/sources.js';
import {
  DEMO_WORKSPACE,
  closeStacksAfterEach,
  faultySources,
  uniqueCompanyId,
} from '../helpers/stack.js';

const stack = closeStacksAfterEach();

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
      (l) => l.msg === 'agent run' && l.workflow_id === result.workflowId,
    );
    // And one line per CEO step.
    expect(
      s.logLines.filter((l) => l.workflow_id === result.workflowId && l.step).map((l) => l.step),
    ).toEqual(['composeBriefing', 'saveBriefing']);
    expect(agentLines).toHaveLength(6);
    // One vocabulary: every field of every line is snake_case (docs/observability.md).
    const fields = new Set(s.logLines.flatMap((l) => Object.keys(l)));
    expect([...fields].filter((k) => !/^[a-z][a-z0-9_]*$/.test(k))).toEqual([]);
    for (const line of agentLines) {
      expect(line).toMatchObject({ success: true, attempt: 1 });
      expect(typeof line.duration_ms).toBe('number');
      expect(line.metrics_count).toBeGreaterThanOrEqual(3);
      expect(typeof line.started_at).toBe('string');
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
    expect(b.dataNotes[0]).toMatch(
      /^Finance data is stale, from \d{1,2}:\d{2} (today|yesterday|on \d{4}-\d{2}-\d{2}) \(\w+ old\): Stripe is down\. Risks judged on it: .*Decisions on stale finance data/,
    );
    // The stale-data rule fires and says what to do.
    expect(b.risks.find((r) => r.id === 'decision-on-stale-finance')).toMatchObject({
      basedOnStaleData: true,
    });
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
    expect(stored.briefing.dataNotes[0]).toBe(
      'HR failed and has no earlier report to fall back on: HRIS unreachable',
    );
    // The risks that need HR's figures say they could not be judged, in one line.
    expect(stored.briefing.dataNotes).toContainEqual(
      expect.stringMatching(
        /^\d+ risks not evaluated \(HR data is unavailable \(failed\)\): Burnout/,
      ),
    );
    expect(stored.briefing.unevaluatedRisks.map((u) => u.id)).toContain('burnout-with-open-roles');
    expect(stored.markdown).toContain('| HR | failed | n/a |');
  });

  it('still writes a briefing when every source is down, and says so for each', async () => {
    const companyId = uniqueCompanyId('all-down');
    const sources = faultySources(
      workspaceSources({ [companyId]: DEMO_WORKSPACE }),
      (agent) => new SourceUnavailableError(`${agent} source unreachable`),
    );
    const s = await stack({ companyId, sources });
    const result = await s.runBriefing();
    expect(Object.values(result.agents).map((a) => a.status)).toEqual(
      AGENT_NAMES.map(() => 'failed'),
    );
    const b = (await s.repo.getBriefing(result.workflowId))!.briefing;
    expect(b.health).toBe(0);
    for (const agent of AGENT_NAMES) {
      expect(b.dataNotes).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `failed and has no earlier report to fall back on: ${agent} source unreachable$`,
          ),
        ),
      );
    }
    expect(b.priorities.map((t) => t.source)).toEqual(['founder', 'founder', 'founder']);
  });

  it("waits out a rate-limited source's Retry-After before the next attempt", async () => {
    const companyId = uniqueCompanyId('retry-after');
    const sources = faultySources(
      workspaceSources({ [companyId]: DEMO_WORKSPACE }),
      (agent, call) =>
        agent === 'sales' && call === 1
          ? new SourceTransientError('HubSpot rate limit (429)', { retryAfterMs: 2000 })
          : undefined,
    );
    const s = await stack({ companyId, sources });
    const result = await s.runBriefing(); // the retry policy's own first interval is 50 ms
    expect(result.agents.sales).toEqual({ status: 'ok', attempts: 2 });
    const [first, second] = (await s.repo.listExecutions(result.workflowId)).filter(
      (e) => e.agent === 'sales',
    );
    const gap = second!.startedAt.getTime() - (first!.startedAt.getTime() + first!.durationMs);
    expect(gap).toBeGreaterThanOrEqual(1900);
  });

  it('does not retry a source that rejects the credentials', async () => {
    const companyId = uniqueCompanyId('auth');
    const sources = faultySources(workspaceSources({ [companyId]: DEMO_WORKSPACE }), (agent) =>
      agent === 'finance'
        ? new SourceAuthError(
            'STRIPE_API_KEY is rejected (401): check the key mode and its read permissions',
          )
        : undefined,
    );
    const s = await stack({ companyId, sources });
    const result = await s.runBriefing();
    expect(sources.calls.finance).toBe(1);
    expect(result.agents.finance).toEqual({ status: 'failed', attempts: 1 });
    const b = (await s.repo.getBriefing(result.workflowId))!.briefing;
    expect(b.dataNotes[0]).toBe(
      'Finance failed and has no earlier report to fall back on: STRIPE_API_KEY is rejected (401): check the key mode and its read permissions',
    );
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

describe('metric history', () => {
  it('stores fresh metrics as a time series and gives agents their earlier figures', async () => {
    const { AGENTS } = await import('../../src/agents/registry.js');
    const { previousValue, valueDaysAgo } = await import('../../src/shared/history.js');
    const { defineAgent } = await import('../../src/contract/agent.js');
    const companyId = uniqueCompanyId('history');
    // A finance agent that also reports what history told it.
    const finance = AGENTS.finance;
    const historyAware = defineAgent({
      ...finance,
      compute(input, ctx) {
        const result = finance.compute(input, ctx);
        return {
          ...result,
          metrics: {
            ...result.metrics,
            seenPreviousMrr: previousValue(ctx.history, 'mrr') ?? null,
            seenMrr30DaysAgo: valueDaysAgo(ctx.history, 'mrr', ctx.today, 30) ?? null,
            seenHistoryDays: ctx.history.length,
          },
        };
      },
    });
    const s = await stack({ companyId, agents: { ...AGENTS, finance: historyAware } });
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    await s.repo.pool.query(
      `INSERT INTO metric_points (company_id, as_of_date, agent, metric, value, workflow_id)
       VALUES ($1, $2, 'finance', 'mrr', 14250.5, 'seed'), ($1, $3, 'finance', 'mrr', 12000, 'seed'),
              ($1, $4, 'finance', 'mrr', 99999, 'seed-too-old')`,
      [companyId, daysAgo(1), daysAgo(31), daysAgo(500)],
    );

    const result = await s.runBriefing();
    const b = (await s.repo.getBriefing(result.workflowId))!.briefing;
    // The briefing's key metrics read the same history: MRR moved 15000 - 14250.5 since yesterday.
    expect(b.keyMetrics.find((m) => m.key === 'mrr')).toMatchObject({
      value: 15000,
      previous: 14250.5,
      previousDate: daysAgo(1),
      change: 749.5,
      series: [
        { date: daysAgo(31), value: 12000 },
        { date: daysAgo(1), value: 14250.5 },
        { date: result.briefingDate, value: 15000 },
      ],
    });
    expect(b.changes).toEqual(['First briefing for this company: nothing to compare with yet.']);
    const second = (await s.repo.getBriefing((await s.runBriefing()).workflowId))!.briefing;
    expect(second.changes).toEqual([`No material change since ${result.briefingDate}.`]);
    expect(b.agents.finance.metrics).toMatchObject({
      seenPreviousMrr: 14250.5,
      seenMrr30DaysAgo: 12000,
      seenHistoryDays: 2, // the 500-day-old point is outside the window
    });

    // Today's fresh figures joined the series, exactly as reported.
    const { rows } = await s.repo.pool.query(
      `SELECT agent, count(*)::int AS n FROM metric_points
        WHERE company_id = $1 AND as_of_date = $2 GROUP BY agent ORDER BY agent`,
      [companyId, result.briefingDate],
    );
    expect(rows.map((r) => r.agent)).toEqual([...AGENT_NAMES].sort());
    for (const r of rows)
      expect(r.n).toBe(Object.keys(b.agents[r.agent as keyof typeof b.agents].metrics).length);
    const history = await s.repo.loadHistory(companyId, 'finance', {
      since: daysAgo(40),
      before: daysAgo(-1),
    });
    // (The run's date is computed in UTC, like daysAgo(0).)
    expect(history.map((h) => h.date)).toEqual([daysAgo(31), daysAgo(1), result.briefingDate]);
    expect(history.at(-1)!.metrics.mrr).toBe(15000);
    await s.repo.pool.query(`DELETE FROM metric_points WHERE company_id = $1`, [companyId]);
  });

  it('does not add a stale fallback to the time series', async () => {
    const companyId = uniqueCompanyId('history-stale');
    let down = false;
    const sources = faultySources(workspaceSources({ [companyId]: DEMO_WORKSPACE }), (agent) =>
      agent === 'sales' && down ? new SourceUnavailableError('CRM down') : undefined,
    );
    const s = await stack({ companyId, sources });
    const first = await s.runBriefing();
    await s.repo.pool.query(`DELETE FROM metric_points WHERE company_id = $1`, [companyId]);
    down = true;
    const second = await s.runBriefing();
    expect(second.agents.sales.status).toBe('stale');
    const { rows } = await s.repo.pool.query(
      `SELECT DISTINCT agent FROM metric_points WHERE company_id = $1 ORDER BY agent`,
      [companyId],
    );
    expect(rows.map((r) => r.agent)).toEqual(AGENT_NAMES.filter((a) => a !== 'sales').sort());
    expect(first.briefingDate).toBe(second.briefingDate);
    await s.repo.pool.query(`DELETE FROM metric_points WHERE company_id = $1`, [companyId]);
  });
});
