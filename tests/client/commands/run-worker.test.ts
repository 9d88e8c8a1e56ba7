/**
 * `runCommand` and the workers that serve it: a bounded wait while nobody polls (the
 * run id said, `--wait` to keep waiting), and a warning when the polling worker serves
 * with other settings than the CLI's (the worker announces them in its identity).
 */
import os from 'node:os';
import { NativeConnection, Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { createActivities } from '../../../src/activities/activities.js';
import { AGENTS } from '../../../src/agents/registry.js';
import { runCommand } from '../../../src/client/commands/run.js';
import { NoWorkerError } from '../../../src/client/errors.js';
import { Briefing } from '../../../src/contract/briefing.js';
import { loadConfig } from '../../../src/config.js';
import { workspaceSources } from '../../../src/sources/sources.js';
import {
  parseWorkerIdentity,
  settingsDifferences,
  workerIdentity,
  workerSettings,
  type WorkerSettings,
} from '../../../src/worker/identity.js';
import { commandDeps, stackEnv } from '../../helpers/cli.js';
import { DEMO_WORKSPACE, closeStacksAfterEach } from '../../helpers/stack.js';

const stack = closeStacksAfterEach();

/** A worker on `taskQueue` that announces `settings` (and really serves the demo workspace). */
async function announcingWorker(
  companyId: string,
  taskQueue: string,
  settings: WorkerSettings,
  repo: Parameters<typeof createActivities>[0]['repo'],
) {
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  const worker = await Worker.create({
    connection,
    taskQueue,
    identity: workerIdentity(settings),
    workflowBundle: { codePath: inject('workflowBundlePath') },
    activities: createActivities({
      repo,
      sources: workspaceSources({ [companyId]: DEMO_WORKSPACE }),
      clock: () => new Date(),
      log: commandDeps({}).log,
      agents: AGENTS,
    }),
  });
  const running = worker.run();
  return async () => {
    worker.shutdown();
    await running;
    await connection.close();
  };
}

describe('run and its workers', () => {
  it('gives up after BOARDROOM_RUN_WAIT_MS without a worker: exit 1, the run id and what to do', async () => {
    const s = await stack({ withWorker: false });
    const deps = commandDeps(stackEnv(s, { BOARDROOM_RUN_WAIT_MS: '1500' }));
    const t0 = Date.now();
    const run = runCommand({ progress: true }, deps);
    await expect(run).rejects.toThrow(NoWorkerError);
    expect(Date.now() - t0).toBeLessThan(8_000);
    const err = (await run.catch((e: unknown) => e)) as NoWorkerError;
    const started = /^Started (\S+)$/m.exec(deps.output.stderr)?.[1];
    expect(started).toBe(err.workflowId);
    expect(deps.output.stderr).toContain(
      `No worker is polling task queue "${s.taskQueue}": the run waits until one does (up to 2 s; --wait for longer).`,
    );
    expect(err.message).toBe(
      `No worker polled task queue "${s.taskQueue}" for 2 s: stopped waiting. The run ${started} stays queued ` +
        'and runs when a worker starts (`npm start`, or `npx boardroom worker`); then ' +
        `\`npx boardroom briefing show ${started}\`. Pass --wait to keep waiting.`,
    );
  });

  it('with --wait it keeps waiting past the bound, and finishes once a worker starts', async () => {
    const s = await stack({ withWorker: false });
    const deps = commandDeps(stackEnv(s, { BOARDROOM_RUN_WAIT_MS: '1000' }));
    const run = runCommand({ progress: false, json: true, wait: true }, deps);
    await new Promise((r) => setTimeout(r, 3_000));
    const worker = await stack({ companyId: s.companyId, taskQueue: s.taskQueue });
    expect(await run).toBe(0);
    expect(Briefing.parse(JSON.parse(deps.output.stdout)).companyId).toBe(worker.companyId);
    expect(deps.output.stderr).not.toContain('(up to');
  });

  it('warns when the worker that polls serves another workspace and database than the CLI', async () => {
    const s = await stack({ withWorker: false });
    const env = stackEnv(s);
    const stop = await announcingWorker(
      s.companyId,
      s.taskQueue,
      {
        company: s.companyId,
        workspace: '/srv/elsewhere/acme',
        database: 'db.example:5432/other',
        host: os.hostname(),
      },
      s.repo,
    );
    try {
      const deps = commandDeps(env);
      expect(await runCommand({ progress: false }, deps)).toBe(0);
      const warnings = deps.output.stderr.split('\n').filter((l) => l.startsWith('Warning:'));
      expect(warnings).toEqual([
        expect.stringMatching(
          new RegExp(
            `^Warning: worker \\d+@\\S+ serves with other settings: workspace: the worker reads /srv/elsewhere/acme, this CLI ${DEMO_WORKSPACE}\\.$`,
          ),
        ),
        expect.stringMatching(
          /^Warning: worker \d+@\S+ serves with other settings: database: the worker saves to db\.example:5432\/other, this CLI reads \S+\.$/,
        ),
      ]);
    } finally {
      await stop();
    }
  });

  it('a worker announces its settings without a password; the CLI compares them', () => {
    const config = loadConfig(
      {
        DATABASE_URL: 'postgres://app:pa@ss@db.internal:5432/boardroom',
        BOARDROOM_COMPANY_ID: 'acme',
        BOARDROOM_WORKSPACE: '/srv/acme',
      },
      { cwd: '/srv' },
    );
    const mine = workerSettings(config, 'host-a');
    const identity = workerIdentity(mine, 42);
    expect(identity).toBe(
      '42@host-a boardroom {"company":"acme","workspace":"/srv/acme","database":"db.internal:5432/boardroom","host":"host-a"}',
    );
    expect(identity).not.toContain('pa@ss');
    expect(parseWorkerIdentity(identity)).toEqual(mine);
    expect(parseWorkerIdentity('42@host-a')).toBeUndefined();
    expect(settingsDifferences(mine, mine)).toEqual([]);
    const embedded = workerSettings(loadConfig({}, { cwd: '/srv' }), 'host-b');
    expect(settingsDifferences(embedded, { ...embedded, host: 'host-c' })).toEqual([
      'database: the worker saves to embedded Postgres in /srv/.data on host-c, this CLI reads embedded Postgres in /srv/.data',
    ]);
    expect(settingsDifferences(mine, { ...mine, company: 'demo' })).toEqual([
      'company: the worker serves "demo", this CLI asks for "acme"',
    ]);
  });
});
