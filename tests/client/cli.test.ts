/**
 * The CLI against the suite's Temporal and Postgres, with a worker in this process:
 * `run`, `briefing`, `schedule`, and errors a person can act on.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Briefing } from '../../src/contract/briefing.js';
import { SourceUnavailableError } from '../../src/shared/errors.js';
import { workspaceSources } from '../../src/sources/sources.js';
import {
  DEMO_WORKSPACE,
  createTestStack,
  faultySources,
  uniqueCompanyId,
  type TestStack,
} from '../helpers/stack.js';
import { runCli } from '../helpers/cli.js';

let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

function envFor(s: TestStack): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: s.taskQueue,
    DATABASE_URL: inject('databaseUrl'),
    BOARDROOM_COMPANY_ID: s.companyId,
    BOARDROOM_WORKSPACE: DEMO_WORKSPACE,
    LOG_LEVEL: 'warn',
  };
}

describe('boardroom CLI', () => {
  it('run --json triggers a run, shows per-agent progress, prints the briefing; briefing reads it back', async () => {
    stack = await createTestStack();
    const env = envFor(stack);
    const run = await runCli(['run', '--json'], env);
    expect(run.code, run.stderr).toBe(0);
    const b = Briefing.parse(JSON.parse(run.stdout));
    expect(b.companyId).toBe(stack.companyId);
    expect(b.agents.finance.metrics.mrr).toBe(15000);
    // Progress lines (stderr is not a TTY here: one line per change) end with all six done.
    expect(run.stderr).toMatch(
      /✔ Finance {2}✔ Sales {2}✔ Operations {2}✔ Marketing {2}✔ HR {2}✔ Customer success/,
    );

    const latest = await runCli(['briefing', 'latest'], env);
    expect(latest.code).toBe(0);
    expect(latest.stdout.trimEnd()).toBe(b.markdown.trimEnd());

    const list = await runCli(['briefing', 'list', '--company', stack.companyId], env);
    expect(list.stdout.split('\n')[1]).toMatch(
      new RegExp(`^\\d+ +\\d{4}-\\d\\d-\\d\\d +${stack.companyId} +\\d+ +complete +`),
    );

    const show = await runCli(['briefing', 'show', b.workflowId, '--json'], env);
    expect(JSON.parse(show.stdout)).toEqual(JSON.parse(run.stdout));

    const missing = await runCli(['briefing', 'show', '999999999'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No briefing with id "999999999"');
  });

  it('run --energy scores with that energy; briefing show --format html|md|json --out writes files', async () => {
    stack = await createTestStack();
    const env = envFor(stack);
    const run = await runCli(['run', '--energy', 'low', '--json', '--no-progress'], env);
    expect(run.code, run.stderr).toBe(0);
    const b = Briefing.parse(JSON.parse(run.stdout));
    expect(b.scoring).toMatchObject({ energy: 'low', energySource: '--energy' });
    expect(b.markdown).toContain('Scored with energy **low** (--energy)');

    const dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-out-'));
    try {
      for (const format of ['html', 'md', 'json'] as const) {
        const file = path.join(dir, `briefing.${format}`);
        const r = await runCli(
          ['briefing', 'show', String(b.workflowId), '--format', format, '--out', file],
          env,
        );
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(
          new RegExp(`Wrote briefing #\\d+ \\(${format}, \\d+ bytes\\) to ${file}`),
        );
        const text = await readFile(file, 'utf8');
        if (format === 'html') {
          expect(text.startsWith('<!doctype html>')).toBe(true);
          expect(text).toContain('<h1>Morning briefing: Northwind Analytics</h1>');
        }
        if (format === 'md') expect(text).toBe(b.markdown);
        if (format === 'json') expect(JSON.parse(text)).toEqual(JSON.parse(run.stdout));
      }
      const bad = await runCli(['briefing', 'show', String(b.workflowId), '--format', 'pdf'], env);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain(
        "argument 'pdf' is invalid. Allowed choices are md, json, html.",
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('run shows an agent being retried, then failed over to its last good report', async () => {
    const companyId = uniqueCompanyId('cli-retry');
    let salesDown = false;
    const sources = faultySources(
      workspaceSources({ [companyId]: DEMO_WORKSPACE }),
      (agent, call) => {
        if (agent === 'finance' && call === 1)
          return new SourceUnavailableError('Stripe timed out');
        if (agent === 'sales' && salesDown) return new SourceUnavailableError('HubSpot is down');
        return undefined;
      },
    );
    stack = await createTestStack({ companyId, sources });
    await stack.runBriefing(); // a good sales report to fall back on
    salesDown = true;
    sources.calls.finance = 0;
    const run = await runCli(['run'], {
      ...envFor(stack),
      BOARDROOM_AGENT_RETRY_INITIAL_MS: '1500',
    });
    expect(run.code, run.stderr).toBe(0);
    // Progress lines as they changed: finance retried, then done after 2 attempts;
    // sales retried, then served stale.
    expect(run.stderr).toMatch(/… Finance \(retry 2\)/);
    expect(run.stderr).toMatch(/… Sales \(retry 2\)/);
    expect(run.stderr).toMatch(/✔ Finance \(2 attempts\) {2}⚠ Sales \(3 attempts\).*\| done/);
    // The data note's wording is the data-ages fix of issue 11 (when the data is from).
    expect(run.stdout).toMatch(/Sales data is stale, from .+ \(\S+ old\): HubSpot is down/);
  });

  it('run says when no worker is polling, and finishes once one starts', async () => {
    const client = await createTestStack({ withWorker: false });
    stack = client;
    const child = spawn(process.execPath, [path.resolve('bin/boardroom.js'), 'run', '--json'], {
      env: { PATH: process.env.PATH, ...envFor(client) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const warned = new Promise<void>((resolve) =>
      child.stderr.on('data', (d) => {
        stderr += d;
        if (stderr.includes('No worker is polling')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await warned;
    expect(stderr).toContain(`No worker is polling task queue "${client.taskQueue}"`);
    const worker = await createTestStack({
      companyId: client.companyId,
      taskQueue: client.taskQueue,
    });
    try {
      expect(await exited).toBe(0);
      expect(JSON.parse(stdout).companyId).toBe(client.companyId);
    } finally {
      await worker.close();
    }
  });

  it('worker serves runs on its task queue and stops cleanly on SIGINT', async () => {
    stack = await createTestStack({ withWorker: false });
    const child = spawn(process.execPath, [path.resolve('bin/boardroom.js'), 'worker'], {
      env: { PATH: process.env.PATH, ...envFor(stack) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    await new Promise<void>((resolve) =>
      child.stderr.on('data', (d) => {
        stderr += d;
        if (stderr.includes('Worker polling')) resolve();
      }),
    );
    try {
      const result = await stack.runBriefing();
      expect(Object.values(result.agents).every((a) => a.status === 'ok')).toBe(true);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain(`Worker polling task queue "${stack.taskQueue}"`);
    // Closed once, in order: no step fails (no "Client already closed").
    expect(stderr).not.toContain('shutdown step failed');
    expect(stderr).not.toContain('already closed');
  });

  it('schedule create is idempotent; describe, pause, unpause, trigger and delete work', async () => {
    stack = await createTestStack();
    const env = envFor(stack);
    try {
      const created = await runCli(
        ['schedule', 'create', '--cron', '30 6 * * 1-5', '--timezone', 'Europe/Berlin'],
        env,
      );
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toContain(`Schedule created: "30 6 * * 1-5" (Europe/Berlin)`);
      const again = await runCli(
        ['schedule', 'create', '--cron', '30 6 * * 1-5', '--timezone', 'Europe/Berlin'],
        env,
      );
      expect(again.stdout).toContain('Schedule updated');
      const ids: string[] = [];
      for await (const s of stack.client.schedule.list())
        if (s.scheduleId.includes(stack.companyId)) ids.push(s.scheduleId);
      expect(ids).toEqual([`boardroom-daily-${stack.companyId}`]);

      const paused = await runCli(['schedule', 'pause', '--note', 'holiday'], env);
      expect(paused.code).toBe(0);
      expect((await runCli(['schedule', 'describe'], env)).stdout).toContain(
        'state:      paused (holiday)',
      );
      await runCli(['schedule', 'unpause'], env);
      const described = await runCli(['schedule', 'describe'], env);
      expect(described.stdout).toContain('state:      active');
      expect(described.stdout).toContain('cron:       30 6 * * 1-5');
      expect(described.stdout).toContain('time zone:  Europe/Berlin');

      const triggered = await runCli(['schedule', 'trigger'], env);
      expect(triggered.code).toBe(0);
      let briefings = await stack.repo.listBriefings({ companyId: stack.companyId });
      for (let i = 0; i < 100 && briefings.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        briefings = await stack.repo.listBriefings({ companyId: stack.companyId });
      }
      expect(briefings).toHaveLength(1);
      expect(briefings[0]!.workflowId).toMatch(
        new RegExp(`^briefing-${stack.companyId}-scheduled-`),
      );
      const run = await stack.repo.pool.query(
        `SELECT trigger FROM briefing_runs WHERE workflow_id = $1`,
        [briefings[0]!.workflowId],
      );
      expect(run.rows[0].trigger).toBe('schedule');

      const deleted = await runCli(['schedule', 'delete'], env);
      expect(deleted.code).toBe(0);
      const gone = await runCli(['schedule', 'describe'], env);
      expect(gone.code).toBe(1);
      expect(gone.stderr).toContain(`No schedule for company "${stack.companyId}". Create it with`);
    } finally {
      await stack.client.schedule
        .getHandle(`boardroom-daily-${stack.companyId}`)
        .delete()
        .catch(() => {});
    }
  });

  it('status says all good after a clean run with a schedule, and what needs attention otherwise', async () => {
    stack = await createTestStack();
    const env = envFor(stack);
    const before = await runCli(['status'], env);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('no briefing yet: run `npx boardroom run` or `npm start`');
    expect(before.stdout).toContain(
      'no daily schedule: create it with `npx boardroom schedule create`',
    );
    try {
      expect((await runCli(['schedule', 'create'], env)).code).toBe(0);
      const run = await stack.runBriefing();
      const after = await runCli(['status'], env);
      expect(after.code, after.stdout).toBe(0);
      expect(after.stdout).toContain(
        `Last run: #${run.briefingId} ${run.workflowId} (manual) complete`,
      );
      expect(after.stdout).toMatch(/✔ finance {10}attempt 1, \d+ ms, 3 source calls/);
      expect(after.stdout).toMatch(
        /Schedule: active, next run \d{4}-\d\d-\d\d 07:00 \(America\/New_York\)/,
      );
      expect(after.stdout.trim().endsWith('All good.')).toBe(true);
      const json = JSON.parse((await runCli(['status', '--json'], env)).stdout);
      expect(json).toMatchObject({
        companyId: stack.companyId,
        attention: [],
        lastRun: { outcome: 'complete' },
      });
      expect(json.agents).toHaveLength(6);
    } finally {
      await stack.client.schedule
        .getHandle(`boardroom-daily-${stack.companyId}`)
        .delete()
        .catch(() => {});
    }
  });

  it('explains what to do when Temporal is not reachable, or the environment is wrong', async () => {
    const down = await runCli(['run'], { TEMPORAL_ADDRESS: '127.0.0.1:1', LOG_LEVEL: 'warn' });
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('Cannot reach Temporal at 127.0.0.1:1');
    expect(down.stderr).toContain('Start the stack with `npm start`');

    const bad = await runCli(['briefing', 'list'], { BOARDROOM_AGENT_MAX_ATTEMPTS: 'lots' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('BOARDROOM_AGENT_MAX_ATTEMPTS');

    const help = await runCli(['schedule', '--help'], {});
    expect(help.code).toBe(0);
    for (const sub of ['create', 'describe', 'trigger', 'pause', 'unpause', 'delete'])
      expect(help.stdout).toContain(sub);
  });
});
