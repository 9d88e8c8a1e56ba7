/**
 * The Slack channel's conformance fixture: the channel pointed (slack.api_url) at the
 * local Web API of tests/fakes/slack-server.ts, channel `#exec`.
 *
 * `received()` lists the top-level messages (a briefing's thread replies belong to its
 * one message and are not counted as deliveries), each with the delivery id from its
 * metadata and its visible text (the notification text and every block's text).
 */
import { slackChannel } from '../../src/delivery/slack.js';
import type { ChannelFixture, ChannelServer, ReceivedMessage } from './fixture.js';
import { startSlackServer, type SlackServer, type StoredMessage } from '../fakes/slack-server.js';

export const SLACK_TEST_TOKEN = 'xoxb-1111111111-2222222222-fixtureSecretToken0123';

/** A message's visible text: its `text` and the text of its blocks and fields. */
export function visibleText(m: Pick<StoredMessage, 'text' | 'blocks'>): string {
  const parts = [m.text];
  for (const b of (m.blocks ?? []) as Record<string, unknown>[]) {
    const text = (b.text as { text?: string } | undefined)?.text;
    if (text) parts.push(text);
    for (const f of (b.fields as { text: string }[] | undefined) ?? []) parts.push(f.text);
    for (const e of (b.elements as { text?: string }[] | undefined) ?? []) {
      if (e.text) parts.push(e.text);
    }
  }
  return parts.join('\n');
}

export interface SlackChannelServer extends ChannelServer<'slack'> {
  /** The fake itself, for the Slack tests' own checks. */
  fake: SlackServer;
}

export async function startSlackFixture(): Promise<SlackChannelServer> {
  const fake = await startSlackServer({ token: SLACK_TEST_TOKEN });
  const settings = { token_env: 'SLACK_BOT_TOKEN', channel: '#exec', api_url: fake.apiUrl };
  return {
    fake,
    settings,
    env: { SLACK_BOT_TOKEN: SLACK_TEST_TOKEN },
    secrets: [SLACK_TEST_TOKEN],
    received: async (): Promise<ReceivedMessage[]> =>
      fake.messages
        .filter((m) => !m.thread_ts || m.thread_ts === m.ts)
        .map((m) => ({
          deliveryId: String(m.metadata?.event_payload.delivery_id ?? ''),
          text: visibleText(m),
        })),
    failNext(kind) {
      fake.failNext(
        kind === 'permanent' ? { error: 'channel_not_found' } : { status: 429, retryAfter: 1 },
      );
    },
    badCredentials: () => ({
      settings,
      env: { SLACK_BOT_TOKEN: 'xoxb-0000000000-0000000000-notTheRightToken' },
    }),
    close: () => fake.close(),
  };
}

export const slackFixture: ChannelFixture<'slack'> = {
  channel: slackChannel,
  start: startSlackFixture,
};
