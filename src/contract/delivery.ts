/**
 * delivery.yaml: where a company's briefing goes after each run (optional file; no file,
 * no delivery). Secrets are never in the file: it names the environment variables that
 * hold them (`*_env`), which the worker reads when it sends.
 */
import { z } from 'zod';

/** An environment variable's name, as the shells write them. */
const envName = () =>
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name, e.g. SMTP_URL');

/** A single address, `name@host`, or `Name <name@host>`. */
const mailbox = z
  .string()
  .max(320)
  .regex(
    /^(?:[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/,
    'an e-mail address, e.g. founder@example.com or "Name <founder@example.com>"',
  );

export const EmailDelivery = z.strictObject({
  /** The variable holding `smtp(s)://user:pass@host:port`. */
  smtp_url_env: envName(),
  from: mailbox,
  to: z.array(mailbox).min(1).max(50),
});
export type EmailDelivery = z.output<typeof EmailDelivery>;

export const SlackDelivery = z.strictObject({
  /** The variable holding a bot token (xoxb-...) with chat:write. */
  token_env: envName(),
  /** `#name` or a channel id (C0123456789). */
  channel: z.string().min(1).max(80),
  /**
   * The Web API's base URL, for a proxy (or the tests' local server).
   * @default 'https://slack.com/api/'
   */
  api_url: z.url({ protocol: /^https?$/ }).optional(),
});
export type SlackDelivery = z.output<typeof SlackDelivery>;

export const WebhookDelivery = z.strictObject({
  /** The variable holding the receiver's URL (https://...). */
  url_env: envName(),
  /** The variable holding the HMAC-SHA256 secret that signs each body. */
  secret_env: envName(),
});
export type WebhookDelivery = z.output<typeof WebhookDelivery>;

export const DeliverySettings = z.strictObject({
  email: EmailDelivery.optional(),
  slack: SlackDelivery.optional(),
  webhook: WebhookDelivery.optional(),
});
export type DeliverySettings = z.output<typeof DeliverySettings>;

export const CHANNEL_NAMES = ['email', 'slack', 'webhook'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** The settings of each channel, by name. */
export interface ChannelSettings {
  email: EmailDelivery;
  slack: SlackDelivery;
  webhook: WebhookDelivery;
}

/**
 * The stable id of one briefing's delivery to one channel: the Slack message's metadata,
 * the webhook's `X-Boardroom-Delivery`, the base of the e-mail's Message-ID.
 */
export function deliveryId(workflowId: string, channel: ChannelName): string {
  return `${workflowId}:${channel}`;
}

/**
 * What the CEO layer's renderers hand a channel (the delivery layer renders nothing
 * itself): the e-mail's parts, the Slack message's blocks, the webhook's body. Built by
 * src/ceo/render-email.ts and render-slack.ts; the activity passes them on.
 */
export interface EmailMessage {
  subject: string;
  /** The plain-text part. */
  text: string;
  /** The HTML part: table layout, inline styles, images only as `cid:` references. */
  html: string;
  /** Charts to attach inline, each referenced in `html` as `cid:<cid>`; rendered to PNG by the channel. */
  images: { cid: string; svg: string; alt: string }[];
}

/** Block Kit objects, as Slack's Web API takes them (kept loose: Slack validates them). */
export type SlackBlock = Record<string, unknown>;

export interface SlackMessage {
  /** The notification text (and the fallback where blocks do not show). */
  text: string;
  /** The top message: at most 50 blocks. */
  blocks: SlackBlock[];
  /** The rest, posted as replies in the message's thread (each at most 50 blocks). */
  thread: SlackBlock[][];
}

export interface WebhookMessage {
  /** The briefing's JSON (docs/briefing.schema.json), exactly the bytes that are signed. */
  body: string;
}

export interface ChannelMessages {
  email: EmailMessage;
  slack: SlackMessage;
  webhook: WebhookMessage;
}
