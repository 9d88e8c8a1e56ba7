/**
 * `startCommand` called directly, on the suite's Temporal and Postgres in place of the
 * stack it would boot: it creates the schedule, runs a briefing, prints it, and then
 * exits (`once`) or serves until stopped.
 */
import { describe, expect, it } from 'vitest';
import { startCommand } from '../../../src/client/commands/start.js';
import { Briefing } from '../../../src/contract/briefing.js';
import { ConfigError } from '../../../src/shared/errors.js';
import { bootFromTestStack, commandDeps, freePort, stackEnv } from '../../helpers/cli.js';
import { closeStacksAfterEach, type TestStack } from '../../helpers/stack.js';

const stack = closeStacksAfterEach();

async function deleteSchedule(s: TestStack) {
  await s.client.schedule
    .getHandle(`boardroom-daily-${s.companyId}`)
    .delete()
    .catch(() => {});
}

describe('startCommand', () => {
  it('once: creates the daily schedule, prints the briefing, says where to inspect the run, shuts down', async () => {
    const s = await stack();
    const fake = bootFromTestStack(s);
    const deps = commandDeps(stackEnv(s));
    try {
      const code = await startCommand(
        { once: true, json: true },
        {
          ...deps,
          logFile: '/tmp/boardroom.log',
          envPath: '/usr/bin',
          boot: fake.boot,
          onStopRequest: () => {},
        },
      );
      expect(code).toBe(0);
      const b = Briefing.parse(JSON.parse(deps.output.stdout));
      expect(b.companyId).toBe(s.companyId);
      expect(fake.boots).toHaveLength(1);
      expect(fake.boots[0]!.opts).toMatchObject({ envPath: '/usr/bin', withWorker: true });
      const stderr = deps.output.stderr;
      expect(stderr).toMatch(/^Logs: \/tmp\/boardroom.log\n/);
      expect(stderr).toContain(
        `Daily schedule created: "0 7 * * *" (America/New_York) for company "${s.companyId}".\n`,
      );
      expect(stderr).toMatch(/Briefing #\d+ ready in \d+\.\ds\.\n/);
      expect(stderr).toContain(
        `Inspect the run: temporal workflow show --workflow-id ${b.workflowId}\n`,
      );
      expect(stderr).not.toContain('Running:');
      expect(stderr.endsWith('Shutting down ...\n')).toBe(true);
      expect(fake.shutdowns).toBe(1);
    } finally {
      await deleteSchedule(s);
    }
  });

  it('without once: keeps serving (the web app too) until stopped, then shuts down once and exits 0', async () => {
    const s = await stack();
    const fake = bootFromTestStack(s);
    const webPort = await freePort();
    const deps = commandDeps(
      stackEnv(s, { BOARDROOM_TIMEZONE: 'Europe/Berlin', BOARDROOM_WEB_PORT: String(webPort) }),
    );
    let stop: (() => void) | undefined;
    try {
      const started = startCommand(
        {},
        {
          ...deps,
          logFile: undefined,
          envPath: undefined,
          boot: fake.boot,
          onStopRequest: (s) => (stop = s),
        },
      );
      await expect
        .poll(() => deps.output.stderr, { timeout: 30_000 })
        .toContain('Running: the worker serves the daily schedule');
      expect(deps.output.stderr).toContain('Daily schedule created: "0 7 * * *" (Europe/Berlin)');
      expect(deps.output.stdout).toContain('# Morning briefing: Northwind Analytics');
      // The web app, printed beside the stack's links, serves the briefing just made.
      const web = `http://127.0.0.1:${webPort}`;
      expect(deps.output.stderr).toContain(`Web app: ${web}\n`);
      const page = await fetch(`${web}/companies/${s.companyId}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Morning briefing: Northwind Analytics');
      stop!();
      stop!(); // a second Ctrl-C while shutting down changes nothing
      expect(await started).toBe(0);
      // ... and it stopped with the rest.
      await expect(fetch(`${web}/healthz`)).rejects.toThrow();
      expect(fake.shutdowns).toBe(1);
      expect(deps.output.stderr.match(/Shutting down/g)).toHaveLength(1);
    } finally {
      await deleteSchedule(s);
    }
  });

  it('refuses, before booting anything, to serve the web app on an open address without a token', async () => {
    const s = await stack();
    const fake = bootFromTestStack(s);
    const deps = commandDeps(stackEnv(s, { BOARDROOM_WEB_HOST: '0.0.0.0' }));
    const started = startCommand(
      {},
      { ...deps, logFile: undefined, envPath: undefined, boot: fake.boot, onStopRequest: () => {} },
    );
    await expect(started).rejects.toThrow(ConfigError);
    await expect(started).rejects.toThrow(/BOARDROOM_WEB_TOKEN/);
    expect(fake.boots).toHaveLength(0);
  });
});
