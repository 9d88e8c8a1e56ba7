/**
 * Kill the worker process mid-run (SIGKILL: no shutdown, no cleanup), start a new
 * worker: the run completes, and exactly one briefing exists for it. Once during the
 * agents, once during the CEO step, once during the save; each prints how long the run
 * took to complete after the kill.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterEach, expect, inject, it } from 'vitest';
import { AGENT_NAMES } from '../../src/contract/report.js';
import { startBriefing } from '../../src/client/run.js';
import type { DailyBriefingInput, DailyBriefingResult } from '../../src/shared/workflow-api.js';
import {
  DEMO_WORKSPACE,
  createTestStack,
  uniqueCompanyId,
  type TestStack,
} from '../helpers/stack.js';
import { startSlowWorker } from '../helpers/slow-worker.js';

let child: ChildProcess | undefined;
let stack: TestStack | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  await stack?.close();
});

/** One kill: a worker slow in `step`, SIGKILLed there, a new worker started at once. */
async function killDuring(
  step: 'agents' | 'compose' | 'save',
  agentActivity: NonNullable<DailyBriefingInput['agentActivity']>,
) {
  const companyId = uniqueCompanyId(`kill-${step}`);
  const taskQueue = `test-kill-${randomUUID()}`;
  const slow = startSlowWorker({
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    DATABASE_URL: inject('databaseUrl'),
    WORKFLOW_BUNDLE: inject('workflowBundlePath'),
    TASK_QUEUE: taskQueue,
    COMPANY_ID: companyId,
    WORKSPACE: DEMO_WORKSPACE,
    SLOW_STEP: step,
    // Long enough that the step is surely still running when the worker dies.
    SLOW_MS: step === 'agents' ? '4000' : '120000',
  });
  child = slow.proc;
  await slow.waitFor((l) => l.includes('ready'));

  // A client only; the replacement worker comes after the kill.
  stack = await createTestStack({ companyId, withWorker: false });
  const handle = await startBriefing(stack.client, {
    taskQueue,
    input: stack.input({ agentActivity }),
    now: new Date(),
  });
  await slow.waitFor((l) =>
    step === 'agents'
      ? AGENT_NAMES.every((a) => l.includes(`started ${a}`))
      : l.includes(`started ${step}`),
  );
  slow.proc.kill('SIGKILL');
  const killedAt = Date.now();
  await new Promise((r) => slow.proc.once('exit', r));
  expect(await stack.repo.countBriefings(handle.workflowId)).toBe(0);

  const replacement = await createTestStack({ companyId, taskQueue });
  try {
    const result = (await handle.result()) as DailyBriefingResult;
    const recoverySeconds = (Date.now() - killedAt) / 1000;
    console.log(
      `kill during ${step}: the run completed ${recoverySeconds.toFixed(1)} s after the kill`,
    );
    expect(result.created).toBe(true);
    expect(await stack.repo.countBriefings(handle.workflowId)).toBe(1);
    const reports = await stack.repo.pool.query(
      `SELECT count(*)::int AS n FROM agent_reports WHERE workflow_id = $1`,
      [handle.workflowId],
    );
    expect(reports.rows[0].n).toBe(6);
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    return { result, recoverySeconds };
  } finally {
    // Both stacks share the company; the outer one cleans its rows up in afterEach.
    await replacement.close();
  }
}

it('a run whose worker is SIGKILLed mid-run completes on a new worker and writes one briefing', async () => {
  const { result, recoverySeconds } = await killDuring('agents', {
    heartbeatTimeoutMs: 2_000,
    initialRetryMs: 100,
    maxAttempts: 3,
    startToCloseTimeoutMs: 60_000,
  });
  expect(recoverySeconds).toBeLessThan(30);
  // Every agent was on the dead worker: each ran again, as attempt 2, on the new one.
  for (const a of AGENT_NAMES) expect(result.agents[a]).toEqual({ status: 'ok', attempts: 2 });
});

// The workflow's own timeouts for these steps (the run's agent options do not apply).
for (const step of ['compose', 'save'] as const) {
  it(`a worker SIGKILLed during the ${step === 'compose' ? 'CEO step' : 'save'} is replaced within about 15 s, one briefing`, async () => {
    const { result, recoverySeconds } = await killDuring(step, {
      // The agents are not the point here: a generous heartbeat, so none is retried on a busy machine.
      heartbeatTimeoutMs: 10_000,
      initialRetryMs: 100,
      maxAttempts: 3,
      startToCloseTimeoutMs: 60_000,
    });
    expect(recoverySeconds).toBeLessThan(20);
    // The agents had finished on the dead worker: none ran again.
    for (const a of AGENT_NAMES) expect(result.agents[a]).toEqual({ status: 'ok', attempts: 1 });
  });
}
