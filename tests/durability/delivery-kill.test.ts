/**
 * SIGKILL the worker in the middle of a delivery, start a new one: the run completes,
 * Slack has exactly one message and the webhook receiver exactly one delivery. Killed
 * after the providers accepted the briefing and before the rows were recorded, the
 * retries find the Slack message by its metadata (and post nothing) and post the webhook
 * again with the same X-Boardroom-Delivery, which the receiver drops; killed after the
 * rows were recorded, the retries find them and send nothing.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { startBriefing } from '../../src/client/run.js';
import type { DailyBriefingResult } from '../../src/shared/workflow-api.js';
import {
  DEMO_WORKSPACE,
  createTestStack,
  uniqueCompanyId,
  type TestStack,
} from '../helpers/stack.js';
import { startSlowWorker } from '../helpers/slow-worker.js';
import { webhookFixture, type WebhookServer } from '../delivery/webhook-fixture.js';
import { slackFixture } from '../delivery/slack-fixture.js';
import type { ChannelServer } from '../delivery/fixture.js';

const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-delivery-kill-'));
let child: ChildProcess | undefined;
const stacks: TestStack[] = [];
let hook: WebhookServer | undefined;
let chat: ChannelServer<'slack'> | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  for (const s of stacks.splice(0)) await s.close();
  await hook?.close();
  await chat?.close();
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

for (const step of ['deliver', 'recorded'] as const) {
  it(`a worker SIGKILLed ${step === 'deliver' ? 'between the sends and their records' : 'after the records'}: one Slack message, one webhook delivery`, async () => {
    hook = await webhookFixture.start();
    chat = await slackFixture.start();
    const workspace = await mkdtemp(path.join(tmp, 'ws-'));
    await cp(DEMO_WORKSPACE, workspace, { recursive: true });
    await writeFile(
      path.join(workspace, 'delivery.yaml'),
      stringify({ slack: chat.settings, webhook: hook.settings }),
    );
    const companyId = uniqueCompanyId(`kill-${step}`);
    const taskQueue = `test-kill-${randomUUID()}`;
    const slow = startSlowWorker({
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      DATABASE_URL: inject('databaseUrl'),
      WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      TASK_QUEUE: taskQueue,
      COMPANY_ID: companyId,
      WORKSPACE: workspace,
      SLOW_STEP: step,
      SLOW_MS: '120000',
      ...hook.env,
      ...chat.env,
    });
    child = slow.proc;
    await slow.waitFor((l) => l.includes('ready'));
    const client = await createTestStack({ companyId, withWorker: false });
    stacks.push(client);
    const handle = await startBriefing(client.client, {
      taskQueue,
      input: client.input({
        agentActivity: {
          heartbeatTimeoutMs: 10_000,
          initialRetryMs: 100,
          maxAttempts: 3,
          startToCloseTimeoutMs: 60_000,
        },
      }),
      now: new Date(),
    });
    const mark = step === 'deliver' ? 'sent' : 'recorded';
    await slow.waitFor((l) => l.includes(`${mark} webhook`) && l.includes(`${mark} slack`));
    slow.proc.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise((r) => slow.proc.once('exit', r));
    expect(hook.receiver.deliveries()).toHaveLength(1);
    expect(await chat.received()).toHaveLength(1);

    const replacement = await createTestStack({
      companyId,
      taskQueue,
      workspace,
      channels: { webhook: webhookFixture.channel, slack: slackFixture.channel },
      env: { ...hook.env, ...chat.env },
    });
    stacks.push(replacement);
    const result = (await handle.result()) as DailyBriefingResult;
    console.log(
      `kill ${step === 'deliver' ? 'between send and record' : 'after the record'}: the run completed ` +
        `${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill; ` +
        `${(await chat.received()).length} Slack message; ${hook.receiver.deliveries().length} webhook delivery, ` +
        `${hook.receiver.duplicates().length} duplicate answered`,
    );
    expect(result.deliveries).toMatchObject([
      { channel: 'slack', status: 'sent', ...(step === 'deliver' ? { alreadySent: true } : {}) },
      { channel: 'webhook', status: 'sent' },
    ]);
    expect(await chat.received()).toHaveLength(1);
    expect(hook.receiver.deliveries()).toHaveLength(1);
    expect(hook.receiver.duplicates()).toHaveLength(step === 'deliver' ? 1 : 0);
    const rows = await client.repo.listDeliveries(result.briefingId);
    expect(rows.map((r) => [r.channel, r.status, r.attempts])).toEqual(
      (['slack', 'webhook'] as const).map((c) => [c, 'sent', step === 'deliver' ? 2 : 1]),
    );
  });
}
