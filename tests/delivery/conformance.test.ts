/**
 * The delivery conformance suite: every channel (e-mail, Slack, webhook) passes the same
 * checks against its real local server (tests/delivery/*-fixture.ts), with the message
 * the activity would send it (renderForChannel) for the demo's real briefing.
 *
 * Each channel's server lives for the whole describe block, so counts are taken per
 * delivery id (a fresh one per test) rather than from an empty server.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderForChannel } from '../../src/activities/deliver.js';
import { composeBriefing } from '../../src/ceo/briefing.js';
import { previewBriefing } from '../../src/client/preview.js';
import type { Briefing } from '../../src/contract/briefing.js';
import { deliveryId, type ChannelName } from '../../src/contract/delivery.js';
import { AGENT_NAMES } from '../../src/contract/report.js';
import type { DeliveryContext, DeliveryReceipt } from '../../src/delivery/channel.js';
import {
  BoardroomError,
  DeliveryRejectedError,
  DeliveryUnavailableError,
} from '../../src/shared/errors.js';
import { workspaceSources } from '../../src/sources/sources.js';
import { reports } from '../helpers/reports.js';
import { emailFixture } from './email-fixture.js';
import type { ChannelFixture, ChannelServer, ReceivedMessage } from './fixture.js';
import { slackFixture } from './slack-fixture.js';
import { webhookFixture } from './webhook-fixture.js';

const briefing = await previewBriefing({
  sources: workspaceSources({ demo: path.resolve('examples/demo-workspace') }),
  companyId: 'demo',
  today: '2026-11-26',
  asOf: new Date('2026-11-26T12:00:00Z'),
  now: new Date('2026-11-26T12:00:00Z'),
});
const COMPANY = briefing.companyName;
const FIRST_PRIORITY = briefing.priorities[0]!.title;

/** Nothing to read: refused before any channel sends it. */
const blank: Briefing = { ...briefing, markdown: '' };

/** All six agents failed: still delivered, saying so. */
const allFailed: Briefing = composeBriefing({
  companyId: briefing.companyId,
  companyName: COMPANY,
  workflowId: 'briefing-demo-2026-11-26-all-failed',
  briefingDate: '2026-11-26',
  generatedAt: '2026-11-26T12:00:00.000Z',
  reports: reports(
    Object.fromEntries(
      AGENT_NAMES.map((a) => [
        a,
        { status: 'failed' as const, health: 0, healthReason: 'source down' },
      ]),
    ),
  ),
  founderTasks: [],
  goals: ['revenue'],
  energy: 'medium',
  risks: { rules: [] },
  history: {},
});

/**
 * How each channel's text says that all agents failed: the renderers' own sentence for
 * e-mail and Slack; the webhook's body is the briefing JSON, whose every department says
 * `failed` and whose Markdown counts them.
 */
const saysAllFailed: Record<ChannelName, (text: string) => void> = {
  email: (text) => expect(text).toContain('No department data today: all six agents failed'),
  slack: (text) => expect(text).toContain('No department data today: all six agents failed.'),
  webhook: (text) => {
    const body = JSON.parse(text) as Briefing;
    expect(AGENT_NAMES.map((a) => body.agents[a].status)).toEqual(AGENT_NAMES.map(() => 'failed'));
    expect(body.markdown).toContain('department data: 6 failed');
  },
};

const fixtures: { name: ChannelName; fixture: ChannelFixture }[] = [
  { name: 'email', fixture: emailFixture as unknown as ChannelFixture },
  { name: 'slack', fixture: slackFixture as unknown as ChannelFixture },
  { name: 'webhook', fixture: webhookFixture as unknown as ChannelFixture },
];

describe.each(fixtures)('$name channel conformance', ({ name, fixture }) => {
  const { channel } = fixture;
  let server: ChannelServer;
  /** Everything the channel returned or threw: none may carry a secret. */
  const receipts: DeliveryReceipt[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    server = await fixture.start();
  });
  afterAll(async () => {
    await server?.close();
  });

  /** A fresh delivery id, as a run's: `<workflow id>:<channel>`. */
  const freshId = () => deliveryId(`briefing-demo-2026-11-26-${randomUUID()}`, name);
  const ctx = (id: string, env = server.env): DeliveryContext => ({ deliveryId: id, env });
  const withId = async (id: string): Promise<ReceivedMessage[]> =>
    (await server.received()).filter((m) => m.deliveryId === id);

  async function send(b: Briefing, id: string, creds = server): Promise<DeliveryReceipt> {
    const receipt = await channel.send(
      renderForChannel(name, b),
      creds.settings,
      ctx(id, creds.env),
    );
    receipts.push(receipt);
    return receipt;
  }

  /** The error a send rejects with, kept for the secret check. */
  async function failure(attempt: () => Promise<unknown>): Promise<Error> {
    const error = await attempt().then(
      () => {
        throw new Error('expected the delivery to fail');
      },
      (e: unknown) => e,
    );
    errors.push(error);
    return error as Error;
  }

  function expectGoodReceipt(receipt: DeliveryReceipt): void {
    expect(receipt.target).not.toBe('');
    expect(receipt.messageId).not.toBe('');
    expect(typeof receipt.target).toBe('string');
    expect(typeof receipt.messageId).toBe('string');
  }

  it('send delivers exactly one message with the delivery id, the company and the first priority', async () => {
    const id = freshId();
    const receipt = await send(briefing, id);
    expectGoodReceipt(receipt);
    expect(receipt.alreadySent).not.toBe(true);
    const got = await withId(id);
    expect(got).toHaveLength(1);
    expect(got[0]!.text).toContain(COMPANY);
    expect(got[0]!.text).toContain(FIRST_PRIORITY);
  });

  it('sending the same delivery id again never reaches the receiver as a second delivery', async () => {
    const id = freshId();
    const before = (await server.received()).length;
    const first = await send(briefing, id);
    const second = await send(briefing, id);
    const after = await server.received();
    const added = after.slice(before);
    if (name === 'email') {
      // The documented e-mail window (docs/delivery.md, "Exactly once"): SMTP cannot be
      // asked what arrived, so a second send is a second mail with the same Message-ID,
      // which the reader's client shows once.
      expect(added).toHaveLength(2);
      expect(added.map((m) => m.deliveryId)).toEqual([id, id]);
      expect(second.messageId).toBe(first.messageId);
    } else if (name === 'slack') {
      // The channel finds its own message by the metadata and posts nothing.
      expect(second).toEqual({ ...first, alreadySent: true });
      expect(added.map((m) => m.deliveryId)).toEqual([id]);
    } else {
      // The receiver dedupes on X-Boardroom-Delivery.
      expect(added.map((m) => m.deliveryId)).toEqual([id]);
      expect(second.alreadySent).toBe(true);
    }
  });

  it('a permanent refusal, a transient failure and bad credentials are told apart; then it works again', async () => {
    const id = freshId();

    server.failNext('permanent');
    const permanent = await failure(() => send(briefing, id));
    expect(permanent).toBeInstanceOf(DeliveryRejectedError);
    expect((permanent as DeliveryRejectedError).permanent).toBe(true);

    server.failNext('transient');
    const transient = await failure(() => send(briefing, id));
    expect(transient).toBeInstanceOf(DeliveryUnavailableError);
    expect((transient as DeliveryUnavailableError).permanent).toBe(false);

    const bad = { ...server, ...server.badCredentials() };
    const refused = await failure(() => send(briefing, id, bad));
    expect(refused).toBeInstanceOf(DeliveryRejectedError);

    expect(await withId(id)).toEqual([]);
    expectGoodReceipt(await send(briefing, id));
    expect(await withId(id)).toHaveLength(1);
  });

  it('a blank briefing is refused before anything is sent', async () => {
    const id = freshId();
    const before = (await server.received()).length;
    const error = await failure(async () =>
      channel.send(renderForChannel(name, blank), server.settings, ctx(id)),
    );
    expect(error).toBeInstanceOf(DeliveryRejectedError);
    expect(error.message).toContain('empty');
    expect(await server.received()).toHaveLength(before);
  });

  it('a briefing whose six agents all failed is sent, and says so', async () => {
    const id = freshId();
    expectGoodReceipt(await send(allFailed, id));
    const got = await withId(id);
    expect(got).toHaveLength(1);
    expect(got[0]!.text).toContain(COMPANY);
    saysAllFailed[name](got[0]!.text);
  });

  it('sendTest sends a short message with its own delivery id', async () => {
    const id = `test:${randomUUID()}`;
    const receipt = await channel.sendTest(
      { id: briefing.companyId, name: COMPANY },
      server.settings,
      ctx(id),
    );
    receipts.push(receipt);
    expectGoodReceipt(receipt);
    const got = await withId(id);
    expect(got).toHaveLength(1);
    expect(got[0]!.text).toContain(COMPANY);
    expect(got[0]!.text.length).toBeLessThan(1000);
  });

  it('no secret appears in any receipt, error message, error context or stack', () => {
    // The tests above must have produced something to look at, or this proves nothing.
    expect(receipts.length).toBeGreaterThanOrEqual(6);
    expect(errors.length).toBe(4);
    expect(server.secrets.length).toBeGreaterThan(0);
    const seen = [
      ...receipts.map((r) => JSON.stringify(r)),
      ...errors.flatMap((e) => {
        const err = e as Error;
        return [
          err.message,
          String(err),
          err.stack ?? '',
          JSON.stringify(err instanceof BoardroomError ? err.context : {}),
          JSON.stringify(err),
        ];
      }),
    ].join('\n');
    for (const secret of server.secrets) expect(seen).not.toContain(secret);
  });
});
