/**
 * Permanent errors are permanent in every activity, not only the agents': the CEO step,
 * the fallback and the save fail once, and the run fails at once with the named error
 * (its type and message), instead of retrying the same refusal for minutes.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { startBriefing } from '../../src/client/run.js';
import { AGENT_NAMES } from '../../src/contract/enums.js';
import { ValidationError } from '../../src/shared/errors.js';
import { workspaceSources, type Sources } from '../../src/sources/sources.js';
import {
  DEMO_WORKSPACE,
  closeStacksAfterEach,
  faultySources,
  uniqueCompanyId,
  type TestStack,
} from '../helpers/stack.js';

const stack = closeStacksAfterEach();

/** Runs one briefing; returns how it ended and how long it took. */
async function runToEnd(
  s: TestStack,
  overrides: Parameters<TestStack['input']>[0] = {},
): Promise<{ ms: number; type?: string; message?: string; created?: boolean }> {
  const t0 = Date.now();
  const handle = await startBriefing(s.client, {
    taskQueue: s.taskQueue,
    input: s.input(overrides),
    now: new Date(),
  });
  try {
    const result = (await handle.result()) as { created: boolean };
    return { ms: Date.now() - t0, created: result.created };
  } catch (err) {
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const cause = (err as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    return {
      ms: Date.now() - t0,
      type: (cause as ApplicationFailure).type ?? undefined,
      message: cause!.message,
    };
  }
}

const attemptsOf = (s: TestStack, step: string) => s.logLines.filter((l) => l.step === step).length;

function demoWith(
  companyId: string,
  edit: (c: Awaited<ReturnType<Sources['loadCompany']>>) => void,
) {
  const base = workspaceSources({ [companyId]: DEMO_WORKSPACE });
  return {
    ...base,
    loadCompany: async (id: string) => {
      const company = await base.loadCompany(id);
      edit(company);
      return company;
    },
  } satisfies Sources;
}

describe('permanent errors after the agents', () => {
  it('a NUL byte that reaches the save fails the run once with StoreRejectedError, in seconds', async () => {
    const companyId = uniqueCompanyId('nul');
    // Validation strips control characters; this source skips it, as a buggy connector might.
    const s = await stack({
      companyId,
      sources: demoWith(companyId, (c) => (c.profile.name = 'North\0wind')),
    });
    const end = await runToEnd(s);
    expect(end.type).toBe('StoreRejectedError');
    expect(end.message).toMatch(
      /^The CEO step failed: Postgres refused to save the briefing \(SQLSTATE 22(021|P05)/,
    );
    expect(end.message).toMatch(/NUL byte/);
    expect(end.ms).toBeLessThan(10_000);
    // Saved once (an attempt that fails logs nothing): no briefing, no half-written run.
    const { rows } = await s.repo.pool.query(
      `SELECT count(*)::int AS n FROM briefing_runs WHERE company_id = $1`,
      [companyId],
    );
    expect(rows[0].n).toBe(0);
  });

  it('a company file the CEO step cannot read fails the run with its ValidationError, not retried', async () => {
    const companyId = uniqueCompanyId('ceo-bad');
    let calls = 0;
    const base = workspaceSources({ [companyId]: DEMO_WORKSPACE });
    const s = await stack({
      companyId,
      sources: {
        ...base,
        loadCompany: async () => {
          calls++;
          throw new ValidationError('company.yaml, line 3, field "name": expected a text', {
            file: 'company.yaml',
            line: 3,
          });
        },
      },
    });
    const end = await runToEnd(s);
    expect(end).toMatchObject({
      type: 'ValidationError',
      message: 'The CEO step failed: company.yaml, line 3, field "name": expected a text',
    });
    // Once per agent (for its currency; a failure there leaves USD), once by the CEO step: not retried.
    expect(calls).toBe(AGENT_NAMES.length + 1);
    expect(end.ms).toBeLessThan(10_000);
  });

  it('an unknown risk rule in ceo.yaml names ceo.yaml, not "Activity task failed"', async () => {
    const companyId = uniqueCompanyId('risk-rule');
    const s = await stack({
      companyId,
      sources: demoWith(companyId, (c) => (c.ceo.riskThresholds = { 'moon-phase.threshold': 3 })),
    });
    const end = await runToEnd(s);
    expect(end.type).toBe('ValidationError');
    expect(end.message).toMatch(/^The CEO step failed: ceo\.yaml, field "risks": unknown rule/);
    expect(attemptsOf(s, 'composeBriefing')).toBe(0);
    expect(end.ms).toBeLessThan(10_000);
  });

  it('a sources.yaml the fallback cannot read still gives a briefing with each agent failed and why', async () => {
    const companyId = uniqueCompanyId('src-bad');
    const bad = new ValidationError('sources.yaml, line 2, field "agents": unknown key "legal"', {
      file: 'sources.yaml',
      line: 2,
    });
    const base = faultySources(workspaceSources({ [companyId]: DEMO_WORKSPACE }), () => bad);
    const s = await stack({
      companyId,
      sources: { ...base, sourceOf: async () => Promise.reject(bad) },
    });
    const end = await runToEnd(s);
    expect(end.created).toBe(true);
    expect(end.ms).toBeLessThan(10_000);
    const stored = await s.repo.latestBriefing(companyId);
    for (const r of Object.values(stored!.briefing.agents)) {
      expect(r).toMatchObject({ status: 'failed', error: bad.message, attempts: 1 });
    }
  });

  it('an unknown time zone fails the run with a ConfigError instead of failing workflow tasks for ever', async () => {
    const s = await stack();
    for (const timeZone of ['Mars/Olympus', '']) {
      const end = await runToEnd(s, { timeZone });
      expect(end.type).toBe('ConfigError');
      expect(end.message).toContain(`Unknown time zone "${timeZone}"`);
      expect(end.ms).toBeLessThan(5_000);
    }
  });

  it('an error of the pure CEO code is not retried: the same input fails the same way', async () => {
    const companyId = uniqueCompanyId('ceo-throw');
    const s = await stack({
      companyId,
      sources: demoWith(companyId, (c) => {
        // Not an array: the composition's own code throws a TypeError on it.
        (c as { founderTasks: unknown }).founderTasks = 42;
      }),
    });
    const end = await runToEnd(s);
    expect(end.type).toBe('TypeError');
    expect(end.message).toMatch(
      /^The CEO step failed: The CEO step failed on this run's input \(TypeError/,
    );
    expect(end.ms).toBeLessThan(10_000);
  });
});
