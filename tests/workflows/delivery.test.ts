/**
 * Delivery on the real stack: after the save, one activity per configured channel sends
 * the briefing to a real local server (SMTP, webhook receiver); each is recorded in the
 * `deliveries` table; a failing channel never blocks another nor the saved briefing; a
 * repeated delivery of one run sends nothing twice; a re-send is recorded as one.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { DEMO_WORKSPACE, closeStacksAfterEach } from '../helpers/stack.js';
import { emailFixture } from '../delivery/email-fixture.js';
import { webhookFixture } from '../delivery/webhook-fixture.js';
import { slackFixture } from '../delivery/slack-fixture.js';
import { RESEND_WORKFLOW_TYPE, type ResendBriefingResult } from '../../src/shared/workflow-api.js';

const stack = closeStacksAfterEach();
const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-delivery-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function workspaceWith(delivery: object): Promise<string> {
  const dir = await mkdtemp(path.join(tmp, 'ws-'));
  await cp(DEMO_WORKSPACE, dir, { recursive: true });
  await writeFile(path.join(dir, 'delivery.yaml'), stringify(delivery));
  return dir;
}

describe('delivery after the save', () => {
  it('sends to each channel once, records it, and a re-send is recorded as one', async () => {
    const [mail, hook, chat] = await Promise.all([
      emailFixture.start(),
      webhookFixture.start(),
      slackFixture.start(),
    ]);
    try {
      const workspace = await workspaceWith({
        email: mail.settings,
        slack: chat.settings,
        webhook: hook.settings,
      });
      const s = await stack({
        workspace,
        channels: {
          email: emailFixture.channel,
          slack: slackFixture.channel,
          webhook: webhookFixture.channel,
        },
        env: {
          ...mail.env,
          ...hook.env,
          ...chat.env,
          BOARDROOM_WEB_URL: 'https://boardroom.example.com/',
        },
      });
      const t0 = Date.now();
      const result = await s.runBriefing();
      const runMs = Date.now() - t0;
      expect(result.deliveries?.map((d) => [d.channel, d.status])).toEqual([
        ['email', 'sent'],
        ['slack', 'sent'],
        ['webhook', 'sent'],
      ]);
      // What delivery adds to a run (printed, not asserted): each channel's send, in parallel.
      const sends = s.logLines.filter((l) => l.msg === 'briefing delivered');
      console.log(
        `run with 3 channels: ${runMs} ms; sends ` +
          sends.map((l) => `${String(l.channel)} ${String(l.duration_ms)} ms`).join(', '),
      );
      // No secret in the worker's log lines either.
      const logged = JSON.stringify(s.logLines);
      for (const secret of [...mail.secrets, ...hook.secrets, ...chat.secrets])
        expect(logged).not.toContain(secret);
      const posted = await chat.received();
      expect(posted.map((p) => p.deliveryId)).toEqual([`${result.workflowId}:slack`]);
      expect(posted[0]!.text).toContain('Northwind Analytics');
      const email = result.deliveries!.find((d) => d.channel === 'email')!;
      expect(email.target).toBe('founder@northwind.example, coo@northwind.example');
      const mails = await mail.received();
      expect(mails).toHaveLength(1);
      expect(mails[0]!.deliveryId).toBe(`${result.workflowId}:email`);
      expect(mails[0]!.text).toContain('Northwind Analytics');
      // The messages link to the briefing in the web app (BOARDROOM_WEB_URL).
      const link = `https://boardroom.example.com/companies/${s.companyId}/briefings/${(await s.repo.getBriefing(String(result.briefingId)))!.briefingDate}`;
      expect(mails[0]!.text).toContain(link);
      expect(JSON.stringify(posted[0])).toContain(link);
      const hooks = await hook.received();
      expect(hooks.map((h) => h.deliveryId)).toEqual([`${result.workflowId}:webhook`]);
      expect(JSON.parse(hooks[0]!.text).workflowId).toBe(result.workflowId);

      const rows = await s.repo.listDeliveries(result.briefingId);
      expect(rows.map((r) => [r.channel, r.kind, r.status, r.attempts])).toEqual([
        ['email', 'run', 'sent', 1],
        ['slack', 'run', 'sent', 1],
        ['webhook', 'run', 'sent', 1],
      ]);
      // No secret reached Postgres or the run's history.
      const stored = JSON.stringify(rows);
      const history = JSON.stringify(
        await s.client.workflow.getHandle(result.workflowId).fetchHistory(),
      );
      for (const secret of [...mail.secrets, ...hook.secrets, ...chat.secrets]) {
        expect(stored).not.toContain(secret);
        expect(history).not.toContain(secret);
      }

      // On purpose, once more: a re-send of its own, recorded as such.
      const handle = await s.client.workflow.start(RESEND_WORKFLOW_TYPE, {
        taskQueue: s.taskQueue,
        workflowId: `resend-${s.companyId}-1`,
        args: [
          {
            companyId: s.companyId,
            briefingId: result.briefingId,
            briefingWorkflowId: result.workflowId,
            channels: ['webhook'],
          },
        ],
      });
      const resent = (await handle.result()) as ResendBriefingResult;
      expect(resent.deliveries.map((d) => [d.channel, d.status])).toEqual([['webhook', 'sent']]);
      expect(await hook.received()).toHaveLength(2);
      expect(await mail.received()).toHaveLength(1);
      const after = await s.repo.listDeliveries(result.briefingId);
      expect(after.map((r) => [r.channel, r.kind])).toEqual([
        ['email', 'run'],
        ['slack', 'run'],
        ['webhook', 'run'],
        ['webhook', 'resend'],
      ]);
      expect(await chat.received()).toHaveLength(1);
    } finally {
      await Promise.all([mail.close(), hook.close(), chat.close()]);
    }
  });

  it('a channel that fails for good is reported, the others and the briefing are not held up', async () => {
    const [mail, hook] = await Promise.all([emailFixture.start(), webhookFixture.start()]);
    try {
      const workspace = await workspaceWith({ email: mail.settings, webhook: hook.settings });
      const bad = hook.badCredentials();
      const s = await stack({
        workspace,
        channels: { email: emailFixture.channel, webhook: webhookFixture.channel },
        env: { ...mail.env, ...bad.env },
      });
      const result = await s.runBriefing();
      expect(await s.repo.countBriefings(result.workflowId)).toBe(1);
      const byChannel = Object.fromEntries(result.deliveries!.map((d) => [d.channel, d]));
      expect(byChannel.email?.status).toBe('sent');
      expect(byChannel.webhook).toMatchObject({
        status: 'failed',
        attempts: 1,
        errorType: 'DeliveryRejectedError',
      });
      expect(byChannel.webhook?.error).toMatch(/401/);
      for (const secret of [...hook.secrets, ...Object.values(bad.env)]) {
        expect(JSON.stringify(result)).not.toContain(secret);
      }
      const rows = await s.repo.listDeliveries(result.briefingId);
      expect(rows.find((r) => r.channel === 'webhook')).toMatchObject({
        status: 'failed',
        errorType: 'DeliveryRejectedError',
      });
    } finally {
      await Promise.all([mail.close(), hook.close()]);
    }
  });

  it('a backfilled day is stored, not delivered', async () => {
    const hook = await webhookFixture.start();
    try {
      const workspace = await workspaceWith({ webhook: hook.settings });
      const s = await stack({
        workspace,
        channels: { webhook: webhookFixture.channel },
        env: hook.env,
      });
      const result = await s.runBriefing({ trigger: 'backfill', asOf: '2026-11-19T07:00:00.000Z' });
      expect(result.briefingDate).toBe('2026-11-19');
      expect(result.deliveries).toBeUndefined();
      expect(await hook.received()).toHaveLength(0);
      expect(await s.repo.listDeliveries(result.briefingId)).toEqual([]);
    } finally {
      await hook.close();
    }
  });

  it('retries a channel that is down, then delivers once', async () => {
    const hook = await webhookFixture.start();
    try {
      const workspace = await workspaceWith({ webhook: hook.settings });
      const s = await stack({
        workspace,
        channels: { webhook: webhookFixture.channel },
        env: hook.env,
      });
      hook.failNext('transient');
      const result = await s.runBriefing();
      expect(result.deliveries).toMatchObject([
        { channel: 'webhook', status: 'sent', attempts: 2 },
      ]);
      expect(await hook.received()).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });

  it('a bad delivery.yaml delivers nothing and says why; the briefing is saved', async () => {
    const workspace = await workspaceWith({ email: { smtp_url_env: 'SMTP_URL', to: [] } });
    const s = await stack({ workspace });
    const t0 = Date.now();
    const result = await s.runBriefing();
    console.log(`run with no channel: ${Date.now() - t0} ms`);
    expect(await s.repo.countBriefings(result.workflowId)).toBe(1);
    expect(result.deliveries).toEqual([]);
    expect(result.deliveryProblem).toMatch(/delivery\.yaml, line \d+, field "email\./);
  });
});
