/**
 * The webhook channel's fixture for the conformance suite: a real local receiver that
 * verifies signatures and dedupes on the delivery id (tests/fakes/webhook-receiver.ts).
 */
import type { WebhookDelivery } from '../../src/contract/delivery.js';
import { webhookChannel } from '../../src/delivery/webhook.js';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.js';
import type { ChannelFixture, ChannelServer } from './fixture.js';

export interface WebhookServer extends ChannelServer<'webhook'> {
  /** The receiver itself: its duplicates, every request and its headers. */
  receiver: WebhookReceiver;
}

export interface WebhookFixture extends ChannelFixture<'webhook'> {
  start(): Promise<WebhookServer>;
}

const settings: WebhookDelivery = {
  url_env: 'BOARDROOM_WEBHOOK_URL',
  secret_env: 'BOARDROOM_WEBHOOK_SECRET',
};

export const webhookFixture: WebhookFixture = {
  channel: webhookChannel,
  async start() {
    const receiver = await startWebhookReceiver();
    const env = { BOARDROOM_WEBHOOK_URL: receiver.url, BOARDROOM_WEBHOOK_SECRET: receiver.secret };
    return {
      receiver,
      settings,
      env,
      // The URL's path and query count as secrets: a real one is often a token.
      secrets: [receiver.secret, receiver.urlToken],
      // The receiver dedupes: a repeated delivery id is answered, not delivered again.
      received: async () =>
        receiver.deliveries().map((d) => ({ deliveryId: d.deliveryId, text: d.body })),
      failNext(kind) {
        receiver.answerNext(kind === 'permanent' ? { status: 410 } : { status: 503 });
      },
      badCredentials: () => ({
        settings,
        env: { ...env, BOARDROOM_WEBHOOK_SECRET: 'whsec_not-the-receivers-secret' },
      }),
      close: () => receiver.close(),
    };
  },
};
