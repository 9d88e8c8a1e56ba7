/**
 * The Slack channel against a local Web API (tests/fakes/slack-server.ts), through the
 * official client: the message and its thread, exactly once across retries, every error
 * Slack answers mapped to what to fix, and the token in none of them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SlackMessage } from '../../src/contract/delivery.js';
import { composeBriefing } from '../../src/ceo/briefing.js';
import { renderSlack } from '../../src/ceo/render-slack.js';
import type { DeliveryContext } from '../../src/delivery/channel.js';
import {
  createSlackChannel,
  LOOK_BACK_MS,
  SLACK_EVENT_TYPE,
  SLACK_PART_EVENT_TYPE,
  slackChannel,
} from '../../src/delivery/slack.js';
import { DeliveryRejectedError, DeliveryUnavailableError } from '../../src/shared/errors.js';
import { refusingLocalUrl } from '../fakes/local-server.js';
import {
  startSlackServer,
  type SlackServer,
  type SlackServerOptions,
} from '../fakes/slack-server.js';
import { reports, task } from '../helpers/reports.js';
import { SLACK_TEST_TOKEN, slackFixture, startSlackFixture, visibleText } from './slack-fixture.js';

const TOKEN = SLACK_TEST_TOKEN;
const settingsFor = (fake: SlackServer, channel = '#exec') => ({
  token_env: 'SLACK_BOT_TOKEN',
  channel,
  api_url: fake.apiUrl,
});
const ctx = (over: Partial<DeliveryContext> = {}): DeliveryContext => ({
  deliveryId: 'wf-1:slack',
  env: { SLACK_BOT_TOKEN: TOKEN },
  ...over,
});

const message: SlackMessage = {
  text: 'Acme, 2026-11-26: health 80/100',
  blocks: [
    { type: 'header', text: { type: 'plain_text', text: 'Morning briefing: Acme, 2026-11-26' } },
    { type: 'section', text: { type: 'mrkdwn', text: '*Overall health 80/100*' } },
  ],
  thread: [
    [{ type: 'section', text: { type: 'mrkdwn', text: '*Alerts*\n• one' } }],
    [{ type: 'section', text: { type: 'mrkdwn', text: '*Next tasks*\n4. D' } }],
  ],
};

let servers: SlackServer[] = [];
async function start(options: Partial<SlackServerOptions> = {}): Promise<SlackServer> {
  const fake = await startSlackServer({ token: TOKEN, ...options });
  servers.push(fake);
  return fake;
}
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** The error `promise` rejects with, checked to hold no trace of the token. */
async function failure(promise: Promise<unknown>): Promise<Error & { context?: object }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error & { context?: object },
  );
  if (!error) throw new Error('expected a failure');
  const everything = `${error.message} ${JSON.stringify(error.context ?? {})} ${error.stack ?? ''}`;
  expect(everything).not.toContain(TOKEN);
  expect(everything).not.toContain('fixtureSecretToken');
  return error;
}

const top = (fake: SlackServer) =>
  fake.messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
const replies = (fake: SlackServer, ts: string) =>
  fake.messages.filter((m) => m.thread_ts === ts && m.ts !== ts);

describe('slackChannel.send', () => {
  it('posts one message with the delivery id in its metadata, the details as thread replies', async () => {
    const fake = await start();
    const receipt = await slackChannel.send(message, settingsFor(fake), ctx());
    const [posted] = top(fake);
    expect(receipt).toEqual({ target: '#exec', messageId: posted!.ts });
    expect(posted).toMatchObject({
      channel: 'C0EXEC00001',
      text: message.text,
      blocks: message.blocks,
      metadata: { event_type: SLACK_EVENT_TYPE, event_payload: { delivery_id: 'wf-1:slack' } },
    });
    expect(replies(fake, posted!.ts).map((r) => [r.text, r.metadata])).toEqual([
      [
        'Alerts',
        {
          event_type: SLACK_PART_EVENT_TYPE,
          event_payload: { delivery_id: 'wf-1:slack', part: 0 },
        },
      ],
      [
        'Next tasks',
        {
          event_type: SLACK_PART_EVENT_TYPE,
          event_payload: { delivery_id: 'wf-1:slack', part: 1 },
        },
      ],
    ]);
    // The look-back is bounded: one page of 100, two days, with the metadata asked for.
    const history = fake.calls.find((c) => c.method === 'conversations.history')!;
    expect(history.args).toMatchObject({
      channel: 'C0EXEC00001',
      limit: '100',
      include_all_metadata: 'true',
    });
    expect(Date.now() / 1000 - Number(history.args.oldest)).toBeGreaterThanOrEqual(
      LOOK_BACK_MS / 1000 - 1,
    );
    expect(Date.now() / 1000 - Number(history.args.oldest)).toBeLessThan(LOOK_BACK_MS / 1000 + 5);
  });

  it('resolves a #name through every page of conversations.list; an id needs no look-up', async () => {
    const channels = Array.from({ length: 7 }, (_, i) => ({
      id: `C0OTHER000${i}`,
      name: `other-${i}`,
    }));
    const fake = await start({
      channels: [...channels, { id: 'C0EXEC00001', name: 'exec' }],
      maxPage: 3,
    });
    await slackChannel.send(message, settingsFor(fake, '#Exec'), ctx());
    expect(fake.calls.filter((c) => c.method === 'conversations.list')).toHaveLength(3);
    expect(top(fake)[0]!.channel).toBe('C0EXEC00001');

    fake.calls.length = 0;
    await slackChannel.send(
      message,
      settingsFor(fake, 'C0OTHER0003'),
      ctx({ deliveryId: 'wf-2:slack' }),
    );
    expect(fake.calls.map((c) => c.method)).toEqual([
      'conversations.history',
      'chat.postMessage',
      'chat.postMessage',
      'chat.postMessage',
    ]);
  });

  it('sends once: a second attempt finds the first message by its metadata and posts nothing', async () => {
    const fake = await start();
    const first = await slackChannel.send(message, settingsFor(fake), ctx());
    const again = await slackChannel.send(message, settingsFor(fake), ctx());
    expect(again).toEqual({ ...first, alreadySent: true });
    expect(fake.messages).toHaveLength(3);
    // Another run's delivery is another message.
    const other = await slackChannel.send(
      message,
      settingsFor(fake),
      ctx({ deliveryId: 'wf-2:slack' }),
    );
    expect(other.alreadySent).toBeUndefined();
    expect(top(fake)).toHaveLength(2);
  });

  it('completes the thread of an attempt that failed half-way, repeating nothing', async () => {
    const fake = await start();
    // The message goes out, then Slack rate-limits its first reply.
    fake.failNext({ status: 429, retryAfter: 1 }, 'chat.postMessage', 1);
    const limited = await failure(slackChannel.send(message, settingsFor(fake), ctx()));
    expect(limited).toBeInstanceOf(DeliveryUnavailableError);
    expect(limited.context).toMatchObject({ retryAfterMs: 1000 });
    const [posted] = top(fake);
    expect(replies(fake, posted!.ts)).toHaveLength(0);
    // The retry finds the message and adds the two replies; the next one adds nothing.
    expect(await slackChannel.send(message, settingsFor(fake), ctx())).toEqual({
      target: '#exec',
      messageId: posted!.ts,
      alreadySent: true,
    });
    expect(replies(fake, posted!.ts).map((r) => r.text)).toEqual(['Alerts', 'Next tasks']);
    await slackChannel.send(message, settingsFor(fake), ctx());
    expect(fake.messages).toHaveLength(3);

    // The second reply fails (Slack down): the retry posts that one only.
    fake.failNext({ status: 503 }, 'chat.postMessage', 2);
    const other = ctx({ deliveryId: 'wf-2:slack' });
    expect(await failure(slackChannel.send(message, settingsFor(fake), other))).toBeInstanceOf(
      DeliveryUnavailableError,
    );
    const second = top(fake)[1]!;
    expect(replies(fake, second.ts).map((r) => r.text)).toEqual(['Alerts']);
    await slackChannel.send(message, settingsFor(fake), other);
    expect(replies(fake, second.ts).map((r) => r.text)).toEqual(['Alerts', 'Next tasks']);
    expect(top(fake)).toHaveLength(2);
  });

  it('a failed first post posts nothing; the retry posts once', async () => {
    const fake = await start();
    fake.failNext({ status: 503 });
    const error = await failure(slackChannel.send(message, settingsFor(fake), ctx()));
    expect(error).toBeInstanceOf(DeliveryUnavailableError);
    expect(error.message).toBe(
      `Slack at ${new URL(fake.apiUrl).origin} answered HTTP 503: will retry`,
    );
    expect(fake.messages).toHaveLength(0);
    const receipt = await slackChannel.send(message, settingsFor(fake), ctx());
    expect(receipt.alreadySent).toBeUndefined();
    expect(fake.messages).toHaveLength(3);
  });

  it('looks back two days only: an older message of the same id is not this run', async () => {
    const fake = await start();
    const now = Date.now();
    fake.seed({
      ts: `${Math.floor((now - LOOK_BACK_MS) / 1000) - 60}.000001`,
      channel: 'C0EXEC00001',
      text: 'old',
      metadata: { event_type: SLACK_EVENT_TYPE, event_payload: { delivery_id: 'wf-1:slack' } },
    });
    const receipt = await createSlackChannel({ now: () => now }).send(
      message,
      settingsFor(fake),
      ctx(),
    );
    expect(receipt.alreadySent).toBeUndefined();
    expect(top(fake)).toHaveLength(2);
  });

  it('passes a huge rendered briefing through Slack’s limit checks', async () => {
    const fake = await start();
    const huge = 'N&<'.repeat(3334);
    const b = composeBriefing({
      companyId: 'acme',
      companyName: huge,
      workflowId: 'wf-1',
      briefingDate: '2026-11-26',
      generatedAt: '2026-11-26T12:00:00.000Z',
      reports: reports({
        finance: {
          metrics: { mrr: 15000 },
          alerts: Array.from({ length: 300 }, (_, i) => ({
            id: `a${i}`,
            severity: 'warning' as const,
            message: `${i} ${huge}`,
            metric: `m${i}`,
            value: i,
            threshold: 0,
          })),
        },
      }),
      founderTasks: Array.from({ length: 300 }, (_, i) =>
        task({ id: `t${i}`, title: `${i} ${huge}` }),
      ),
      goals: [],
      energy: 'medium',
      risks: { rules: [] },
    });
    const rendered = renderSlack(b, { briefingUrl: 'https://app.example/b/1' });
    const receipt = await slackChannel.send(rendered, settingsFor(fake), ctx());
    expect(top(fake)).toHaveLength(1);
    expect(replies(fake, receipt.messageId)).toHaveLength(rendered.thread.length);
  });
});

describe('slackChannel errors', () => {
  it('a bad token is permanent and names the variable, never the token', async () => {
    const fake = await start();
    const error = await failure(
      slackChannel.send(
        message,
        settingsFor(fake),
        ctx({ env: { SLACK_BOT_TOKEN: 'xoxb-wrong' } }),
      ),
    );
    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect(error.message).toBe(
      'the Slack token in SLACK_BOT_TOKEN is not valid: invalid_auth. Copy the Bot User OAuth Token (xoxb-...) from the app\'s "OAuth & Permissions" page',
    );
    for (const code of ['not_authed', 'account_inactive', 'token_revoked']) {
      fake.failNext({ error: code }, 'conversations.list');
      const e = await failure(slackChannel.send(message, settingsFor(fake), ctx()));
      expect(e.message).toMatch(
        new RegExp(`^the Slack token in SLACK_BOT_TOKEN is not valid: ${code}\\.`),
      );
    }
  });

  it('an unset token variable is permanent', async () => {
    const fake = await start();
    const error = await failure(slackChannel.send(message, settingsFor(fake), ctx({ env: {} })));
    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect(error.message).toBe(
      "SLACK_BOT_TOKEN is not set: put the Slack bot token (xoxb-...) in the worker's environment",
    );
    expect(fake.calls).toHaveLength(0);
  });

  it('an unknown channel names it, by #name or by id', async () => {
    const fake = await start();
    const byName = await failure(slackChannel.send(message, settingsFor(fake, '#nope'), ctx()));
    expect(byName).toBeInstanceOf(DeliveryRejectedError);
    expect(byName.message).toBe(
      'Slack has no channel #nope the bot can see: check slack.channel in delivery.yaml (a #name or an id such as C0123456789); a private channel must invite the bot first',
    );
    const byId = await failure(slackChannel.send(message, settingsFor(fake, 'C0NOPE00000'), ctx()));
    expect(byId.message).toMatch(/^Slack has no channel C0NOPE00000 the bot can see/);
  });

  it('a bot outside the channel is told how to invite itself', async () => {
    const fake = await start({ channels: [{ id: 'C0EXEC00001', name: 'exec', isMember: false }] });
    const error = await failure(slackChannel.send(message, settingsFor(fake), ctx()));
    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect(error.message).toBe(
      'the bot is not in #exec: invite the bot: /invite @boardroom in #exec',
    );
  });

  it('a missing scope names the scope Slack says it needs', async () => {
    const fake = await start({ scopes: ['channels:read', 'channels:history'] });
    const error = await failure(slackChannel.send(message, settingsFor(fake), ctx()));
    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect(error.message).toMatch(
      /^the Slack token in SLACK_BOT_TOKEN lacks the scope chat:write \(it has channels:read,channels:history\): add it under "OAuth & Permissions"/,
    );
    // Without groups:read, a #name is looked for among the public channels.
    const noGroups = await start({ scopes: ['chat:write', 'channels:read', 'channels:history'] });
    await slackChannel.send(message, settingsFor(noGroups), ctx());
    expect(
      noGroups.calls.filter((c) => c.method === 'conversations.list').map((c) => c.args.types),
    ).toEqual(['public_channel,private_channel', 'public_channel']);
    const noHistory = await start({ scopes: ['chat:write', 'channels:read'] });
    const e = await failure(slackChannel.send(message, settingsFor(noHistory), ctx()));
    expect(e.message).toMatch(/lacks the scope channels:history/);
  });

  it('a message Slack finds too big is a bug, said so, and not retried', async () => {
    const fake = await start();
    const tooLong: SlackMessage = {
      ...message,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }],
    };
    const invalid = await failure(slackChannel.send(tooLong, settingsFor(fake), ctx()));
    expect(invalid).toBeInstanceOf(DeliveryRejectedError);
    expect(invalid.message).toBe(
      "Slack refused the message (invalid_blocks: [ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]): a bug in boardroom's Slack rendering, please report it; the briefing is saved and can be re-sent",
    );
    fake.failNext({ error: 'msg_too_long' });
    const long = await failure(slackChannel.send(message, settingsFor(fake), ctx()));
    expect(long).toBeInstanceOf(DeliveryRejectedError);
    expect(long.message).toMatch(
      /^Slack refused the message \(msg_too_long\): a bug in boardroom's Slack rendering/,
    );
    // More than 50 blocks never leaves the machine.
    fake.calls.length = 0;
    const many = { ...message, blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) };
    const e = await failure(slackChannel.send(many, settingsFor(fake), ctx()));
    expect(e.message).toMatch(
      /^a bug in boardroom's Slack rendering: the message has more than Slack's 50 blocks/,
    );
    expect(fake.calls).toHaveLength(0);
  });

  it('a blank message is refused before any call', async () => {
    const fake = await start();
    const e = await failure(
      slackChannel.send({ text: ' \n', blocks: [], thread: [] }, settingsFor(fake), ctx()),
    );
    expect(e).toBeInstanceOf(DeliveryRejectedError);
    expect(e.message).toBe('the briefing is empty: nothing was sent to Slack');
    expect(fake.calls).toHaveLength(0);
  });

  it('429, 5xx, a refused connection, a hung server and a cancel are transient', async () => {
    const fake = await start();
    fake.failNext({ status: 429, retryAfter: 7 });
    const limited = await failure(slackChannel.send(message, settingsFor(fake), ctx()));
    expect(limited).toBeInstanceOf(DeliveryUnavailableError);
    expect(limited.message).toBe('Slack is rate-limiting boardroom: retry after 7s');
    expect(limited.context).toMatchObject({ retryAfterMs: 7000 });

    fake.failNext({ error: 'internal_error' }, 'conversations.history');
    const internal = await failure(slackChannel.send(message, settingsFor(fake), ctx()));
    expect(internal).toBeInstanceOf(DeliveryUnavailableError);

    const down = await refusingLocalUrl();
    const refused = await failure(
      slackChannel.send(message, { ...settingsFor(fake), api_url: `${down}/api/` }, ctx()),
    );
    expect(refused).toBeInstanceOf(DeliveryUnavailableError);
    expect(refused.message).toBe(`could not reach Slack at ${down}: ECONNREFUSED`);

    fake.failNext({ hang: true }, 'conversations.list');
    const quick = createSlackChannel({ timeoutMs: 300 });
    const started = Date.now();
    const hung = await failure(quick.send(message, settingsFor(fake), ctx()));
    expect(hung).toBeInstanceOf(DeliveryUnavailableError);
    expect(hung.message).toBe(
      `could not reach Slack at ${new URL(fake.apiUrl).origin}: no answer within the timeout`,
    );
    expect(Date.now() - started).toBeLessThan(3000);

    fake.failNext({ hang: true }, 'conversations.list');
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const cancelled = await failure(
      slackChannel.send(message, settingsFor(fake), ctx({ signal: abort.signal })),
    );
    expect(cancelled).toBeInstanceOf(DeliveryUnavailableError);
    expect(cancelled.message).toMatch(/: cancelled$/);
    expect(top(fake)).toHaveLength(0);
  });
});

describe('slackChannel.sendTest', () => {
  it('says which bot and workspace, after the look-ups a briefing needs', async () => {
    const fake = await start();
    const receipt = await slackChannel.sendTest(
      { id: 'acme', name: 'Acme & <Co>' },
      settingsFor(fake),
      ctx({ deliveryId: 'test:slack' }),
    );
    expect(fake.calls.map((c) => c.method)).toEqual([
      'auth.test',
      'conversations.list',
      'conversations.history',
      'chat.postMessage',
    ]);
    const [posted] = fake.messages;
    expect(receipt).toEqual({ target: '#exec', messageId: posted!.ts });
    expect(posted!.text).toBe(
      'Boardroom test for Acme &amp; &lt;Co&gt;: this channel will receive the daily briefing (sent by @boardroom in Northwind).',
    );
  });

  it('fails like send, naming what to fix', async () => {
    const fake = await start({ channels: [{ id: 'C0EXEC00001', name: 'exec', isMember: false }] });
    const e = await failure(
      slackChannel.sendTest({ id: 'acme', name: 'Acme' }, settingsFor(fake), ctx()),
    );
    expect(e.message).toBe('the bot is not in #exec: invite the bot: /invite @boardroom in #exec');
  });
});

describe('slackFixture', () => {
  it('reports what arrived, and fails the next post as asked', async () => {
    const server = await slackFixture.start();
    try {
      const send = (id: string) =>
        slackFixture.channel.send(message, server.settings, { deliveryId: id, env: server.env });
      await send('wf-1:slack');
      server.failNext('transient');
      const t = await failure(send('wf-2:slack'));
      expect(t).toBeInstanceOf(DeliveryUnavailableError);
      expect(t.context).toMatchObject({ retryAfterMs: 1000 });
      server.failNext('permanent');
      expect(await failure(send('wf-2:slack'))).toBeInstanceOf(DeliveryRejectedError);
      await send('wf-2:slack');
      const bad = server.badCredentials();
      const b = await failure(
        slackFixture.channel.send(message, bad.settings, {
          deliveryId: 'wf-3:slack',
          env: bad.env,
        }),
      );
      expect(b).toBeInstanceOf(DeliveryRejectedError);
      const received = await server.received();
      expect(received.map((r) => r.deliveryId)).toEqual(['wf-1:slack', 'wf-2:slack']);
      expect(received[0]!.text).toBe(
        'Acme, 2026-11-26: health 80/100\nMorning briefing: Acme, 2026-11-26\n*Overall health 80/100*',
      );
    } finally {
      await server.close();
    }
  });

  it('visibleText reads text, blocks, fields and context elements', async () => {
    const server = await startSlackFixture();
    await server.close();
    expect(
      visibleText({
        text: 'a',
        blocks: [
          { type: 'section', text: { text: 'b' }, fields: [{ text: 'c' }] },
          { type: 'context', elements: [{ text: 'd' }] },
        ],
      }),
    ).toBe('a\nb\nc\nd');
  });
});
