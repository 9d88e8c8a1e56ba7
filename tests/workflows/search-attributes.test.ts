/**
 * The runs' search attributes on a real Temporal dev server: what a run upserts, that
 * `workflow list` finds runs by them, and the helpers that check and register them.
 */
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { describe, expect, it } from 'vitest';
import {
  ensureSearchAttributes,
  namespaceHasSearchAttributes,
} from '../../src/client/search-attributes.js';
import { SourceUnavailableError, ValidationError } from '../../src/shared/errors.js';
import {
  BOARDROOM_SEARCH_ATTRIBUTES,
  BRIEFING_DATE_SEARCH_ATTRIBUTE,
  COMPANY_SEARCH_ATTRIBUTE,
  OUTCOME_SEARCH_ATTRIBUTE,
  STALE_AGENTS_SEARCH_ATTRIBUTE,
} from '../../src/shared/workflow-api.js';
import { workspaceSources } from '../../src/sources/sources.js';
import {
  DEMO_WORKSPACE,
  closeStacksAfterEach,
  faultySources,
  uniqueCompanyId,
} from '../helpers/stack.js';

const stack = closeStacksAfterEach();

/** List visibility lags the run a little: poll until `count` runs match (or ~5 s pass). */
async function listRuns(
  client: Client,
  query: string,
  count: number,
): Promise<WorkflowExecutionInfo[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found: WorkflowExecutionInfo[] = [];
    for await (const w of client.workflow.list({ query })) found.push(w);
    if (found.length >= count || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('search attributes', () => {
  it('a complete run carries company, date and outcome, and list queries find it', async () => {
    const s = await stack();
    const result = await s.runBriefing({ searchAttributes: true });

    const d = await s.client.workflow.getHandle(result.workflowId).describe();
    expect(d.typedSearchAttributes.get(COMPANY_SEARCH_ATTRIBUTE)).toBe(s.companyId);
    expect(d.typedSearchAttributes.get(BRIEFING_DATE_SEARCH_ATTRIBUTE)).toBe(result.briefingDate);
    expect(result.briefingDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(d.typedSearchAttributes.get(OUTCOME_SEARCH_ATTRIBUTE)).toBe('complete');
    expect(d.typedSearchAttributes.get(STALE_AGENTS_SEARCH_ATTRIBUTE)).toBeUndefined();

    const found = await listRuns(
      s.client,
      `BoardroomCompany = '${s.companyId}' AND BriefingOutcome = 'complete'`,
      1,
    );
    expect(found.map((w) => w.workflowId)).toEqual([result.workflowId]);
    const byDate = await listRuns(
      s.client,
      `BoardroomCompany = '${s.companyId}' AND BriefingDate = '${result.briefingDate}'`,
      1,
    );
    expect(byDate.map((w) => w.workflowId)).toEqual([result.workflowId]);
    expect(
      await listRuns(
        s.client,
        `BoardroomCompany = '${s.companyId}' AND BriefingOutcome = 'degraded'`,
        0,
      ),
    ).toEqual([]);
  });

  it('a degraded run names its stale and failed agents', async () => {
    const companyId = uniqueCompanyId('sa-stale');
    let financeDown = false;
    const sources = faultySources(workspaceSources({ [companyId]: DEMO_WORKSPACE }), (agent) =>
      agent === 'finance' && financeDown ? new SourceUnavailableError('Stripe is down') : undefined,
    );
    const s = await stack({ companyId, sources });
    const good = await s.runBriefing({ searchAttributes: true });
    financeDown = true;
    const degraded = await s.runBriefing({ searchAttributes: true });
    expect(degraded.agents.finance.status).toBe('stale');

    const d = await s.client.workflow.getHandle(degraded.workflowId).describe();
    expect(d.typedSearchAttributes.get(OUTCOME_SEARCH_ATTRIBUTE)).toBe('degraded');
    expect(d.typedSearchAttributes.get(STALE_AGENTS_SEARCH_ATTRIBUTE)).toEqual(['finance']);

    const stale = await listRuns(
      s.client,
      `BoardroomCompany = '${companyId}' AND StaleAgents = 'finance'`,
      1,
    );
    expect(stale.map((w) => w.workflowId)).toEqual([degraded.workflowId]);
    const complete = await listRuns(
      s.client,
      `BoardroomCompany = '${companyId}' AND BriefingOutcome = 'complete'`,
      1,
    );
    expect(complete.map((w) => w.workflowId)).toEqual([good.workflowId]);
    // The list result carries the attributes too (what the Temporal UI shows).
    expect(stale[0]!.typedSearchAttributes.get(OUTCOME_SEARCH_ATTRIBUTE)).toBe('degraded');
  });

  it('an agent that fails with no good report to fall back on counts as well', async () => {
    const companyId = uniqueCompanyId('sa-failed');
    const sources = faultySources(workspaceSources({ [companyId]: DEMO_WORKSPACE }), (agent) =>
      agent === 'hr' ? new ValidationError('team.csv is broken', { file: 'team.csv' }) : undefined,
    );
    const s = await stack({ companyId, sources });
    const result = await s.runBriefing({ searchAttributes: true });
    expect(result.agents.hr.status).toBe('failed');

    const d = await s.client.workflow.getHandle(result.workflowId).describe();
    expect(d.typedSearchAttributes.get(OUTCOME_SEARCH_ATTRIBUTE)).toBe('degraded');
    expect(d.typedSearchAttributes.get(STALE_AGENTS_SEARCH_ATTRIBUTE)).toEqual(['hr']);
  });

  it('a run with searchAttributes off (or absent) carries none of them', async () => {
    const s = await stack();
    const off = await s.runBriefing({ searchAttributes: false });
    const absent = await s.runBriefing();
    for (const run of [off, absent]) {
      const d = await s.client.workflow.getHandle(run.workflowId).describe();
      for (const key of BOARDROOM_SEARCH_ATTRIBUTES) {
        expect(d.typedSearchAttributes.get(key)).toBeUndefined();
      }
    }
    expect(await listRuns(s.client, `BoardroomCompany = '${s.companyId}'`, 0)).toEqual([]);
  });
});

describe('namespaceHasSearchAttributes / ensureSearchAttributes', () => {
  it('sees the attributes the test server registered', async () => {
    const s = await stack({ withWorker: false });
    expect(await namespaceHasSearchAttributes(s.client)).toBe(true);
    expect(await namespaceHasSearchAttributes(s.client, 'default')).toBe(true);
    expect(await ensureSearchAttributes(s.client)).toBe(true);
  });

  it('registers them on a namespace that lacks them', async () => {
    const s = await stack({ withWorker: false });
    const namespace = `test-sa-${randomUUID().slice(0, 8)}`;
    await s.client.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    // A new namespace reaches the frontend's cache within a few seconds.
    await waitFor(() => s.client.workflowService.describeNamespace({ namespace }));

    expect(await namespaceHasSearchAttributes(s.client, namespace)).toBe(false);
    const refused: string[] = [];
    expect(
      await ensureSearchAttributes(s.client, namespace, { onRefused: (r) => refused.push(r) }),
    ).toBe(true);
    expect(refused).toEqual([]);
    expect(await namespaceHasSearchAttributes(s.client, namespace)).toBe(true);
    // Idempotent: a second call finds them and adds nothing.
    expect(await ensureSearchAttributes(s.client, namespace)).toBe(true);
  });

  it('returns false, without throwing, when the server refuses', async () => {
    const s = await stack({ withWorker: false });
    const refused: string[] = [];
    expect(
      await ensureSearchAttributes(s.client, `no-such-namespace-${randomUUID().slice(0, 8)}`, {
        onRefused: (r) => refused.push(r),
      }),
    ).toBe(false);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/no-such-namespace/);
  });
});

async function waitFor(fn: () => Promise<unknown>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fn();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
