/**
 * One interface for every delivery channel (e-mail, Slack, webhook), and one conformance
 * suite that each passes (tests/delivery/conformance.test.ts).
 *
 * A channel is I/O only: it gets the message the CEO layer rendered for it
 * (src/ceo/render-email.ts, render-slack.ts; the webhook's body is the briefing JSON)
 * and its settings, reads its secrets from
 * `env` when it sends, and throws DeliveryRejectedError (permanent: fix the settings)
 * or DeliveryUnavailableError (transient: retried). No secret ever appears in what it
 * returns or throws.
 */
import type { ChannelMessages, ChannelName, ChannelSettings } from '../contract/delivery.js';

export interface DeliveryContext {
  /** deliveryId(workflowId, channel): stable across retries, resumes and re-sends of one run. */
  deliveryId: string;
  /** The environment the secrets are read from (the worker's). */
  env: Record<string, string | undefined>;
  /** Aborted when the activity is cancelled or times out. */
  signal?: AbortSignal;
  /** A link to the briefing (the web app), when there is one. */
  briefingUrl?: string;
}

export interface DeliveryReceipt {
  /** Where it went, without secrets: `founder@x.example, coo@x.example`, `#exec`, `hooks.example.com`. */
  target: string;
  /** The provider's id: the Message-ID, the Slack message's ts, the receiver's answer or the delivery id. */
  messageId: string;
  /** True when an earlier attempt had already delivered it (found by the delivery id): nothing sent now. */
  alreadySent?: boolean;
}

export interface DeliveryChannel<N extends ChannelName = ChannelName> {
  name: N;
  /**
   * Delivers the briefing once. A channel that can tell (Slack: a message carrying the
   * delivery id in its metadata) returns the earlier delivery's receipt instead of
   * sending again.
   */
  send(
    message: ChannelMessages[N],
    settings: ChannelSettings[N],
    ctx: DeliveryContext,
  ): Promise<DeliveryReceipt>;
  /** A short test message (`boardroom delivery test`): proves the settings and the secrets. */
  sendTest(
    company: { id: string; name: string },
    settings: ChannelSettings[N],
    ctx: DeliveryContext,
  ): Promise<DeliveryReceipt>;
}

/**
 * Never blank: a message with nothing to read is refused before any channel sends it
 * (an empty render is a bug upstream, not something to deliver).
 */
export function isBlank(text: string): boolean {
  return text.replace(/\s+/g, '').length === 0;
}
