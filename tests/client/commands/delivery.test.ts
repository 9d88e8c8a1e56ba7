/**
 * `delivery test` and `briefing send` called directly: the test message goes through the
 * real channels to the local webhook receiver and Slack fake (e-mail only as a failure:
 * the SMTP fixture needs a CA the real channel does not trust); a re-send goes through
 * the suite's real Temporal and Postgres and is recorded as one.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { briefingSend } from '../../../src/client/commands/briefing.js';
import { deliveryTest } from '../../../src/client/commands/delivery.js';
import { NO_DELIVERY_LINE } from '../../../src/client/delivery-lines.js';
import { NotFoundError } from '../../../src/client/errors.js';
import { commandDeps, freePort, stackEnv } from '../../helpers/cli.js';
import { DEMO_WORKSPACE, closeStacksAfterEach } from '../../helpers/stack.js';
import { slackFixture, startSlackFixture } from '../../delivery/slack-fixture.js';
import { webhookFixture } from '../../delivery/webhook-fixture.js';
import { StillRunningError } from '../../../src/client/bounded-wait.js';

const stack = closeStacksAfterEach();
const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-delivery-cli-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** A copy of the demo workspace with this delivery.yaml (none when undefined). */
async function workspaceWith(delivery: object | undefined): Promise<string> {
  const dir = await mkdtemp(path.join(tmp, 'ws-'));
  await cp(DEMO_WORKSPACE, dir, { recursive: true });
  if (delivery) await writeFile(path.join(dir, 'delivery.yaml'), stringify(delivery));
  return dir;
}

const TEST_ID = /^test:demo:[0-9a-f-]{36}$/;

describe('delivery test', () => {
  it('sends one test message to each configured channel and says where', async () => {
    const [hook, chat] = await Promise.all([webhookFixture.start(), startSlackFixture()]);
    try {
      const workspace = await workspaceWith({ slack: chat.settings, webhook: hook.settings });
      const deps = commandDeps({ BOARDROOM_WORKSPACE: workspace, ...hook.env, ...chat.env });
      expect(await deliveryTest({}, deps)).toBe(0);
      const host = new URL(hook.receiver.url).host;
      // The channels run at once: the order of the lines is theirs.
      const lines = deps.output.stdout.split('\n').filter(Boolean).sort();
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^Slack: test message sent to #exec \(\d+\.\d+\)\.$/);
      // The receiver's own id for what it accepted.
      expect(lines[1]).toBe(`Webhook: test message sent to ${host} (whd_1).`);
      expect(deps.output.stderr).toBe('');

      const hooks = await hook.received();
      expect(hooks).toHaveLength(1);
      expect(hooks[0]!.deliveryId).toMatch(TEST_ID);
      expect(JSON.parse(hooks[0]!.text)).toMatchObject({
        test: true,
        company: { id: 'demo', name: 'Northwind Analytics' },
      });
      const posted = await chat.received();
      expect(posted).toHaveLength(1);
      expect(posted[0]!.deliveryId).toMatch(TEST_ID);
      expect(posted[0]!.deliveryId).not.toBe(hooks[0]!.deliveryId);
      expect(posted[0]!.text).toContain('Boardroom test for Northwind Analytics');
      // The receipt's ts is the message Slack stored.
      expect(lines[0]).toContain(`(${chat.fake.messages[0]!.ts})`);
      for (const secret of [...hook.secrets, ...chat.secrets]) {
        expect(deps.output.stdout).not.toContain(secret);
      }
    } finally {
      await Promise.all([hook.close(), chat.close()]);
    }
  });

  it('a bad Slack token fails with what to fix, never the token; --channel tests only that one', async () => {
    const [hook, chat] = await Promise.all([webhookFixture.start(), startSlackFixture()]);
    try {
      const workspace = await workspaceWith({ slack: chat.settings, webhook: hook.settings });
      const bad = chat.badCredentials();
      const deps = commandDeps({ BOARDROOM_WORKSPACE: workspace, ...hook.env, ...bad.env });
      expect(await deliveryTest({}, deps)).toBe(1);
      const lines = deps.output.stdout.split('\n').filter(Boolean).sort();
      expect(lines).toHaveLength(2);
      expect(lines[0]).toBe(
        'Slack: FAILED: the Slack token in SLACK_BOT_TOKEN is not valid: invalid_auth. ' +
          'Copy the Bot User OAuth Token (xoxb-...) from the app\'s "OAuth & Permissions" page',
      );
      expect(lines[1]).toBe(
        `Webhook: test message sent to ${new URL(hook.receiver.url).host} (whd_1).`,
      );
      for (const secret of [...Object.values(bad.env), ...chat.secrets]) {
        expect(deps.output.stdout).not.toContain(secret);
        expect(deps.output.stderr).not.toContain(secret);
      }
      expect(await chat.received()).toEqual([]);
      expect(await hook.received()).toHaveLength(1);

      const only = commandDeps({ BOARDROOM_WORKSPACE: workspace, ...hook.env, ...bad.env });
      expect(await deliveryTest({ channel: ['webhook'] }, only)).toBe(0);
      expect(only.output.stdout).toBe(
        `Webhook: test message sent to ${new URL(hook.receiver.url).host} (whd_2).\n`,
      );
      expect(await hook.received()).toHaveLength(2);
      expect(await chat.received()).toEqual([]);
    } finally {
      await Promise.all([hook.close(), chat.close()]);
    }
  });

  it('an SMTP server that is not there fails the e-mail, not the others', async () => {
    const hook = await webhookFixture.start();
    try {
      const port = await freePort();
      const workspace = await workspaceWith({
        email: {
          smtp_url_env: 'SMTP_URL',
          from: 'Boardroom <briefings@northwind.example>',
          to: ['founder@northwind.example'],
        },
        webhook: hook.settings,
      });
      const password = 'closed-port-s3cret';
      const deps = commandDeps({
        BOARDROOM_WORKSPACE: workspace,
        SMTP_URL: `smtp://briefings:${password}@127.0.0.1:${port}`,
        ...hook.env,
      });
      expect(await deliveryTest({}, deps)).toBe(1);
      const lines = deps.output.stdout.split('\n').filter(Boolean).sort();
      expect(lines).toHaveLength(2);
      expect(lines[0]).toBe(
        `E-mail: FAILED: could not connect to the SMTP server at 127.0.0.1:${port} (connection refused): ` +
          'is it running, and are the host and port in SMTP_URL right?',
      );
      expect(deps.output.stdout).not.toContain(password);
      expect(lines[1]).toBe(
        `Webhook: test message sent to ${new URL(hook.receiver.url).host} (whd_1).`,
      );
      expect(await hook.received()).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });

  it('without a delivery.yaml says how to set one up and exits 1', async () => {
    const workspace = await workspaceWith(undefined);
    const deps = commandDeps({ BOARDROOM_WORKSPACE: workspace });
    expect(await deliveryTest({}, deps)).toBe(1);
    expect(deps.output.stderr).toBe(`${NO_DELIVERY_LINE}\n`);
    expect(deps.output.stdout).toBe('');
  });
});

describe('briefing send', () => {
  it('re-sends a stored briefing through the worker, recorded as a re-send', async () => {
    const [hook, chat] = await Promise.all([webhookFixture.start(), startSlackFixture()]);
    try {
      const workspace = await workspaceWith({ slack: chat.settings, webhook: hook.settings });
      const s = await stack({
        workspace,
        channels: { slack: slackFixture.channel, webhook: webhookFixture.channel },
        env: { ...hook.env, ...chat.env },
      });
      const result = await s.runBriefing();
      expect(result.deliveries?.map((d) => [d.channel, d.status])).toEqual([
        ['slack', 'sent'],
        ['webhook', 'sent'],
      ]);

      const deps = commandDeps(stackEnv(s, { BOARDROOM_WORKSPACE: workspace }));
      expect(await briefingSend(String(result.briefingId), { channel: ['webhook'] }, deps)).toBe(0);
      const host = new URL(hook.receiver.url).host;
      const [first, second, ...rest] = deps.output.stderr.split('\n');
      expect(first).toMatch(
        new RegExp(
          `^Re-sending briefing #${result.briefingId} \\(\\d{4}-\\d{2}-\\d{2}\\) of "${s.companyId}":$`,
        ),
      );
      expect(second).toBe(`Webhook: sent to ${host} (id whd_2).`);
      expect(rest).toEqual(['']);

      const hooks = await hook.received();
      expect(hooks.map((h) => h.deliveryId)).toEqual([
        `${result.workflowId}:webhook`,
        expect.stringMatching(
          new RegExp(`^${result.workflowId}:webhook:resend:resend-${s.companyId}-`),
        ),
      ]);
      // Slack was not asked again.
      expect(await chat.received()).toHaveLength(1);
      const rows = await s.repo.listDeliveries(result.briefingId);
      expect(rows.map((r) => [r.channel, r.kind, r.status])).toEqual([
        ['slack', 'run', 'sent'],
        ['webhook', 'run', 'sent'],
        ['webhook', 'resend', 'sent'],
      ]);

      // The wait is bounded: past it the command stops waiting and says so; the re-send
      // itself goes on in Temporal and lands.
      const impatient = briefingSend(
        String(result.briefingId),
        { channel: ['webhook'], resultWaitMs: 1 },
        commandDeps(stackEnv(s, { BOARDROOM_WORKSPACE: workspace })),
      );
      await expect(impatient).rejects.toThrow(StillRunningError);
      await expect(impatient).rejects.toThrow(/^The re-send resend-\S+ is still running after 0 s/);
      await expect
        .poll(async () => (await s.repo.listDeliveries(result.briefingId)).length, {
          timeout: 20_000,
        })
        .toBe(4);
    } finally {
      await Promise.all([hook.close(), chat.close()]);
    }
  });

  it('an unknown briefing id is NotFoundError', async () => {
    const s = await stack({ withWorker: false });
    const deps = commandDeps(stackEnv(s));
    await expect(briefingSend('987654321', {}, deps)).rejects.toThrow(NotFoundError);
    await expect(briefingSend('987654321', {}, deps)).rejects.toThrow(
      'No briefing with id "987654321". See `npx boardroom briefing list`.',
    );
  });
});
