/**
 * What each delivery channel's test fixture gives the conformance suite
 * (tests/delivery/conformance.test.ts): the channel, settings and environment that point
 * it at a local server reproducing its provider, and what that server received.
 */
import type { ChannelName, ChannelSettings } from '../../src/contract/delivery.js';
import type { DeliveryChannel } from '../../src/delivery/channel.js';

export interface ReceivedMessage {
  /** The delivery id the message carried (Message-ID base, Slack metadata, X-Boardroom-Delivery). */
  deliveryId: string;
  /** The message's visible text (text part, Slack text + blocks' text, the JSON body). */
  text: string;
}

export interface ChannelServer<N extends ChannelName = ChannelName> {
  settings: ChannelSettings[N];
  /** The environment holding the secrets the settings name. */
  env: Record<string, string>;
  /** The secrets' values, which must appear in nothing the channel returns, throws or logs. */
  secrets: string[];
  /** Every message the server accepted, in order (duplicates included: the suite counts them). */
  received(): Promise<ReceivedMessage[]>;
  /** The next send fails: `permanent` as the provider refuses (auth, 4xx, 5xx SMTP), `transient` as it is down or rate-limits. */
  failNext(kind: 'permanent' | 'transient'): void;
  /** Settings and env whose credentials the provider refuses. */
  badCredentials(): { settings: ChannelSettings[N]; env: Record<string, string> };
  close(): Promise<void>;
}

export interface ChannelFixture<N extends ChannelName = ChannelName> {
  channel: DeliveryChannel<N>;
  start(): Promise<ChannelServer<N>>;
}
