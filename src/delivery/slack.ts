/**
 * The Slack channel: the briefing's message (rendered by src/ceo/render-slack.ts) posted
 * through the official client (@slack/web-api), its details as thread replies.
 *
 * Exactly once: the message carries Slack message metadata with the delivery id. Before
 * posting, the channel reads its recent history (conversations.history with
 * include_all_metadata) and, when an earlier attempt's message is there, returns that
 * message's receipt instead of posting again, after adding any thread reply the earlier
 * attempt did not get to (each reply carries the delivery id and its part number). So a
 * retried activity, or a worker killed between "posted" and "recorded", posts nothing
 * twice. conversations.history takes a channel id, so a `#name` is resolved first
 * (conversations.list): on the very first send too, which is the attempt a crash can
 * repeat.
 *
 * The token needs chat:write, channels:history (groups:history for a private channel)
 * and, for a `#name`, channels:read (groups:read). An internal app's history calls are
 * rate-limited per tier 3 (50+ a minute); one send makes two to four calls.
 *
 * Retries are Temporal's, not the client's: the client's own retry is off, a 429 fails
 * at once with Slack's Retry-After, and every call has a timeout. Errors say what to fix
 * and never carry the token.
 */
import {
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
  type Logger,
  LogLevel,
} from '@slack/web-api';
import type { ChannelSettings, SlackBlock, SlackMessage } from '../contract/delivery.js';
import { DeliveryRejectedError, DeliveryUnavailableError } from '../shared/errors.js';
import {
  isBlank,
  type DeliveryChannel,
  type DeliveryContext,
  type DeliveryReceipt,
} from './channel.js';

/** The event type of the metadata that marks a briefing's message (and of its replies). */
export const SLACK_EVENT_TYPE = 'boardroom_briefing';
export const SLACK_PART_EVENT_TYPE = 'boardroom_briefing_part';
export const SLACK_TEST_EVENT_TYPE = 'boardroom_test';

/** One Web API call's bound: a hung Slack (or proxy) must not hold the activity. */
export const SLACK_TIMEOUT_MS = 10_000;
/** How far back an earlier attempt's message is looked for: a retried run resumes within hours. */
export const LOOK_BACK_MS = 2 * 24 * 60 * 60 * 1000;
/** At most this many of the newest messages (one page), however busy the channel. */
export const LOOK_BACK_MESSAGES = 100;
/** conversations.list pages read to resolve a `#name` (1,000 channels each). */
const MAX_LIST_PAGES = 20;

const DEFAULT_API_URL = 'https://slack.com/api/';
const CHANNEL_ID = /^[CGD][A-Z0-9]{8,}$/;

const AUTH_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'team_access_not_granted',
]);
const BUG_ERRORS = new Set([
  'msg_too_long',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_arguments',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_too_large',
  'metadata_must_be_sent_from_app',
  'too_many_attachments',
  'no_text',
  'invalid_array_arg',
]);
const TRANSIENT_ERRORS = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/** The client logs nothing: what matters is in the error we throw, and logs must not leak. */
const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

interface Call {
  settings: ChannelSettings['slack'];
  ctx: DeliveryContext;
  client: WebClient;
  token: string;
  /** Where the calls go, for messages: the API's origin without any credentials. */
  host: string;
}

export interface SlackChannelOptions {
  /** @default SLACK_TIMEOUT_MS */
  timeoutMs?: number;
  /** "Now", for the look-back window. @default Date.now */
  now?: () => number;
}

export function createSlackChannel(options: SlackChannelOptions = {}): DeliveryChannel<'slack'> {
  const timeoutMs = options.timeoutMs ?? SLACK_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  return {
    name: 'slack',
    async send(message, settings, ctx) {
      refuseBlank(message);
      const call = open(settings, ctx, timeoutMs);
      return guarded(call, async () => {
        const channel = await resolveChannel(call);
        const earlier = await findEarlier(call, channel, now());
        if (earlier) {
          await postMissingReplies(call, channel, earlier, message.thread);
          return { target: settings.channel, messageId: earlier, alreadySent: true };
        }
        const posted = await call.client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks as never,
          metadata: {
            event_type: SLACK_EVENT_TYPE,
            event_payload: { delivery_id: ctx.deliveryId },
          },
          unfurl_links: false,
          unfurl_media: false,
        });
        const ts = posted.ts;
        if (!ts)
          throw new DeliveryUnavailableError('Slack accepted the message but returned no ts');
        for (const [i, blocks] of message.thread.entries()) {
          await postReply(call, posted.channel ?? channel, ts, i, blocks);
        }
        return { target: settings.channel, messageId: ts };
      });
    },
    async sendTest(company, settings, ctx) {
      const call = open(settings, ctx, timeoutMs);
      return guarded(call, async () => {
        const who = await call.client.auth.test();
        // The same look-ups a briefing makes, so a missing scope shows now, not tomorrow.
        const channel = await resolveChannel(call);
        await call.client.conversations.history({ channel, limit: 1, include_all_metadata: true });
        const bot = who.user ? `@${who.user}` : 'the bot';
        const text =
          `Boardroom test for ${escape(company.name)}: this channel will receive the daily briefing ` +
          `(sent by ${escape(bot)}${who.team ? ` in ${escape(who.team)}` : ''}).`;
        const posted = await call.client.chat.postMessage({
          channel,
          text,
          blocks: [
            { type: 'section', text: { type: 'mrkdwn', text: `:white_check_mark: ${text}` } },
          ],
          metadata: {
            event_type: SLACK_TEST_EVENT_TYPE,
            event_payload: { delivery_id: ctx.deliveryId },
          },
          unfurl_links: false,
          unfurl_media: false,
        });
        return { target: settings.channel, messageId: posted.ts ?? '' };
      });
    },
  };
}

export const slackChannel: DeliveryChannel<'slack'> = createSlackChannel();

/** mrkdwn's three special characters (the test message quotes the company's name). */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function refuseBlank(message: SlackMessage): void {
  if (isBlank(message.text) || message.blocks.length === 0) {
    throw new DeliveryRejectedError('the briefing is empty: nothing was sent to Slack');
  }
  const tooMany = [message.blocks, ...message.thread].findIndex((b) => b.length > 50);
  if (tooMany >= 0) {
    throw new DeliveryRejectedError(
      `a bug in boardroom's Slack rendering: ${tooMany === 0 ? 'the message' : `thread reply ${tooMany}`} has more than Slack's 50 blocks; nothing was sent`,
    );
  }
}

function open(settings: ChannelSettings['slack'], ctx: DeliveryContext, timeoutMs: number): Call {
  const token = ctx.env[settings.token_env];
  if (!token || token.trim() === '') {
    throw new DeliveryRejectedError(
      `${settings.token_env} is not set: put the Slack bot token (xoxb-...) in the worker's environment`,
      { channel: settings.channel },
    );
  }
  const apiUrl = withSlash(settings.api_url ?? DEFAULT_API_URL);
  const signal = ctx.signal;
  const client = new WebClient(token.trim(), {
    slackApiUrl: apiUrl,
    timeout: timeoutMs,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logger: silent,
    // A relative method name only: never a call to another host with our token.
    allowAbsoluteUrls: false,
    ...(signal
      ? {
          fetch: (url, init) =>
            globalThis.fetch(url, {
              ...init,
              signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal,
            }),
        }
      : {}),
  });
  return { settings, ctx, client, token: token.trim(), host: origin(apiUrl) };
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** `https://slack.com`: the URL's scheme, host and port, never its credentials or path. */
function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the configured slack.api_url';
  }
}

/** A channel id as given, or the id of `#name` (conversations.list, every page up to a bound). */
async function resolveChannel(call: Call): Promise<string> {
  const wanted = call.settings.channel.trim();
  if (CHANNEL_ID.test(wanted)) return wanted;
  const name = wanted.replace(/^#/, '').toLowerCase();
  let cursor: string | undefined;
  // Private channels too when the token may list them (groups:read); public ones otherwise.
  let types = 'public_channel,private_channel';
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const list = () =>
      call.client.conversations.list({
        types,
        exclude_archived: true,
        limit: 1000,
        ...(cursor ? { cursor } : {}),
      });
    const res = await list().catch((error: unknown) => {
      const noGroups =
        page === 0 &&
        error instanceof WebAPIPlatformError &&
        error.data.error === 'missing_scope' &&
        (error.data as { needed?: unknown }).needed === 'groups:read';
      if (!noGroups) throw error;
      types = 'public_channel';
      return list();
    });
    const found = res.channels?.find((c) => c.name?.toLowerCase() === name);
    if (found?.id) return found.id;
    cursor = res.response_metadata?.next_cursor || undefined;
    if (!cursor) break;
  }
  throw channelNotFound(call.settings.channel);
}

/** The ts of an earlier attempt's message for this delivery within the look-back, if any. */
async function findEarlier(
  call: Call,
  channel: string,
  nowMs: number,
): Promise<string | undefined> {
  const res = await call.client.conversations.history({
    channel,
    limit: LOOK_BACK_MESSAGES,
    oldest: String(Math.floor((nowMs - LOOK_BACK_MS) / 1000)),
    include_all_metadata: true,
  });
  const mine = res.messages?.find(
    (m) =>
      m.metadata?.event_type === SLACK_EVENT_TYPE &&
      (m.metadata.event_payload as Record<string, unknown> | undefined)?.delivery_id ===
        call.ctx.deliveryId,
  );
  return mine?.ts;
}

async function postMissingReplies(
  call: Call,
  channel: string,
  ts: string,
  thread: SlackBlock[][],
): Promise<void> {
  if (thread.length === 0) return;
  const res = await call.client.conversations.replies({
    channel,
    ts,
    limit: 200,
    include_all_metadata: true,
  });
  const have = new Set(
    (res.messages ?? []).flatMap((m) => {
      const payload = m.metadata?.event_payload as Record<string, unknown> | undefined;
      return m.metadata?.event_type === SLACK_PART_EVENT_TYPE &&
        payload?.delivery_id === call.ctx.deliveryId
        ? [Number(payload.part)]
        : [];
    }),
  );
  for (const [i, blocks] of thread.entries()) {
    if (!have.has(i)) await postReply(call, channel, ts, i, blocks);
  }
}

async function postReply(
  call: Call,
  channel: string,
  ts: string,
  part: number,
  blocks: SlackBlock[],
): Promise<void> {
  await call.client.chat.postMessage({
    channel,
    thread_ts: ts,
    text: fallbackOf(blocks),
    blocks: blocks as never,
    metadata: {
      event_type: SLACK_PART_EVENT_TYPE,
      event_payload: { delivery_id: call.ctx.deliveryId, part },
    },
    unfurl_links: false,
    unfurl_media: false,
  });
}

/** A reply's notification text: its first block's text, first line, shortened. */
function fallbackOf(blocks: SlackBlock[]): string {
  const first = blocks.find(
    (b) => typeof (b.text as { text?: unknown } | undefined)?.text === 'string',
  );
  const text = ((first?.text as { text: string } | undefined)?.text ?? 'Briefing details').split(
    '\n',
  )[0]!;
  const clean = text.replace(/\*/g, '');
  return clean.length > 150 ? `${clean.slice(0, 149)}…` : clean;
}

function channelNotFound(channel: string): DeliveryRejectedError {
  return new DeliveryRejectedError(
    `Slack has no channel ${channel} the bot can see: check slack.channel in delivery.yaml ` +
      '(a #name or an id such as C0123456789); a private channel must invite the bot first',
    { channel },
  );
}

/** Runs the calls, turning every failure into a DeliveryRejected/UnavailableError without the token. */
async function guarded(call: Call, run: () => Promise<DeliveryReceipt>): Promise<DeliveryReceipt> {
  try {
    return await run();
  } catch (error) {
    const mapped = await mapError(call, error);
    // Belt and braces: whatever a provider echoed, the token never leaves this module.
    if (mapped.message.includes(call.token)) {
      mapped.message = mapped.message.split(call.token).join('[redacted]');
    }
    throw mapped;
  }
}

async function mapError(call: Call, error: unknown): Promise<Error> {
  const { settings } = call;
  if (error instanceof DeliveryRejectedError || error instanceof DeliveryUnavailableError)
    return error;
  if (error instanceof WebAPIRateLimitedError) {
    return new DeliveryUnavailableError(
      `Slack is rate-limiting boardroom: retry after ${error.retryAfter}s`,
      { retryAfterMs: error.retryAfter * 1000, channel: settings.channel },
    );
  }
  if (error instanceof WebAPIPlatformError) {
    const code = error.data.error;
    const ctx = { channel: settings.channel, slackError: code };
    if (AUTH_ERRORS.has(code)) {
      return new DeliveryRejectedError(
        `the Slack token in ${settings.token_env} is not valid: ${code}. ` +
          'Copy the Bot User OAuth Token (xoxb-...) from the app\'s "OAuth & Permissions" page',
        ctx,
      );
    }
    if (code === 'channel_not_found') return channelNotFound(settings.channel);
    if (code === 'not_in_channel') {
      const bot = await botName(call);
      return new DeliveryRejectedError(
        `the bot is not in ${settings.channel}: invite the bot: /invite @${bot} in ${settings.channel}`,
        ctx,
      );
    }
    if (code === 'is_archived') {
      return new DeliveryRejectedError(
        `${settings.channel} is archived: unarchive it or set another slack.channel in delivery.yaml`,
        ctx,
      );
    }
    if (code === 'missing_scope') {
      const data = error.data as { needed?: unknown; provided?: unknown };
      const needed = typeof data.needed === 'string' ? data.needed : 'chat:write';
      const provided = typeof data.provided === 'string' ? ` (it has ${data.provided})` : '';
      return new DeliveryRejectedError(
        `the Slack token in ${settings.token_env} lacks the scope ${needed}${provided}: add it under ` +
          '"OAuth & Permissions" and reinstall the app. Boardroom needs chat:write, channels:history ' +
          '(groups:history for a private channel) and, for a #name, channels:read (groups:read)',
        { ...ctx, needed },
      );
    }
    if (BUG_ERRORS.has(code)) {
      const detail = error.data.response_metadata?.messages?.slice(0, 2).join('; ');
      return new DeliveryRejectedError(
        `Slack refused the message (${code}${detail ? `: ${detail}` : ''}): a bug in boardroom's ` +
          'Slack rendering, please report it; the briefing is saved and can be re-sent',
        ctx,
      );
    }
    if (TRANSIENT_ERRORS.has(code)) {
      return new DeliveryUnavailableError(`Slack failed for now (${code}): will retry`, ctx);
    }
    return new DeliveryRejectedError(`Slack refused the message: ${code}`, ctx);
  }
  if (error instanceof WebAPIHTTPError) {
    const ctx = { channel: settings.channel, status: error.statusCode };
    if (error.statusCode >= 500 || error.statusCode === 408) {
      return new DeliveryUnavailableError(
        `Slack at ${call.host} answered HTTP ${error.statusCode}: will retry`,
        ctx,
      );
    }
    return new DeliveryRejectedError(
      `Slack at ${call.host} answered HTTP ${error.statusCode}: check slack.api_url in delivery.yaml`,
      ctx,
    );
  }
  if (error instanceof WebAPIRequestError) {
    const reason = requestReason(error.original);
    return new DeliveryUnavailableError(`could not reach Slack at ${call.host}: ${reason}`, {
      channel: settings.channel,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryUnavailableError(`Slack delivery failed: ${message}`, {
    channel: settings.channel,
  });
}

/** "timed out", "ECONNREFUSED", "cancelled": the cause's code, not its message (which may hold the URL). */
function requestReason(original: Error): string {
  if (original.name === 'TimeoutError') return `no answer within the timeout`;
  if (original.name === 'AbortError') return 'cancelled';
  const cause = (original as { cause?: { code?: unknown; name?: unknown } }).cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && cause.name === 'TimeoutError') return 'no answer within the timeout';
  return original.name || 'network error';
}

/** The bot's name for the /invite hint (auth.test), `yourbot` when that fails too. */
async function botName(call: Call): Promise<string> {
  try {
    const who = await call.client.auth.test();
    return who.user ?? 'yourbot';
  } catch {
    return 'yourbot';
  }
}
