/**
 * A local Slack Web API for the tests, answering the way Slack does: every answer is
 * HTTP 200 with `{ ok: true, ... }` or `{ ok: false, error: 'channel_not_found' }`, except
 * a rate limit (HTTP 429 with Retry-After). It checks the Bearer token, parses the
 * form-encoded bodies @slack/web-api sends (JSON-valued fields included), refuses blocks
 * that break Block Kit's limits like Slack (`invalid_blocks`, `msg_too_long`), keeps the
 * messages per channel with their metadata and threads, and serves auth.test,
 * conversations.list (cursor pages), conversations.history and conversations.replies
 * (metadata only with include_all_metadata=true), chat.postMessage.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocally } from './local-server.js';

export interface FakeChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  /** Is the bot a member (may it read and post)? Default true. */
  isMember?: boolean;
}

export interface StoredMessage {
  type: 'message';
  ts: string;
  channel: string;
  text: string;
  blocks?: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  thread_ts?: string;
  reply_count?: number;
  bot_id: string;
  user: string;
}

/** What the next matching call answers instead of its normal answer. */
export type SlackFailure =
  | { error: string; extra?: Record<string, unknown> }
  | { status: 429; retryAfter: number }
  | { status: number; body?: string }
  | { hang: true };

export interface SlackServerOptions {
  token: string;
  channels?: FakeChannel[];
  /** conversations.list's largest page (Slack caps `limit` at 1,000). */
  maxPage?: number;
  team?: string;
  botName?: string;
  /** The scopes the token has; a method needing another answers missing_scope. */
  scopes?: string[];
}

export interface SlackServer {
  /** The Web API base URL (`http://127.0.0.1:<port>/api/`), for `slackApiUrl`. */
  apiUrl: string;
  /** Every message posted, in order, thread replies included. */
  messages: StoredMessage[];
  /** Every call, in order: method name and its parsed arguments (no token). */
  calls: { method: string; args: Record<string, unknown> }[];
  /**
   * The next call of `method` (default chat.postMessage) answers `failure`; with `skip`,
   * the call after `skip` more that succeed (1: the first thread reply after a message).
   */
  failNext(failure: SlackFailure, method?: string, skip?: number): void;
  /** Adds a message as if someone (or an earlier run) posted it. */
  seed(message: Omit<StoredMessage, 'type' | 'bot_id' | 'user'>): void;
  close(): Promise<void>;
}

const DEFAULT_SCOPES = [
  'chat:write',
  'channels:read',
  'groups:read',
  'channels:history',
  'groups:history',
];

const NEEDS: Record<string, string> = {
  'chat.postMessage': 'chat:write',
  'conversations.list': 'channels:read',
  'conversations.history': 'channels:history',
  'conversations.replies': 'channels:history',
};

/** Why Slack would refuse these blocks, or undefined: the limits the renderer must keep. */
export function blockKitError(blocks: unknown): string | undefined {
  if (!Array.isArray(blocks)) return 'blocks must be an array';
  if (blocks.length > 50) return 'must be less than 51 items [json-pointer:/blocks]';
  for (const [i, b] of (blocks as Record<string, unknown>[]).entries()) {
    const at = `[json-pointer:/blocks/${i}`;
    const text = b.text as { type?: string; text?: unknown } | undefined;
    switch (b.type) {
      case 'header':
        if (text?.type !== 'plain_text') return `must be plain_text ${at}/text]`;
        if (typeof text.text !== 'string' || text.text.length === 0)
          return `empty text ${at}/text]`;
        if (text.text.length > 150) return `must be less than 151 characters ${at}/text/text]`;
        break;
      case 'section': {
        const fields = b.fields as { text?: unknown }[] | undefined;
        if (!text && !fields) return `must provide text or fields ${at}]`;
        if (text && (typeof text.text !== 'string' || text.text.length === 0))
          return `empty text ${at}/text]`;
        if (text && (text.text as string).length > 3000)
          return `must be less than 3001 characters ${at}/text/text]`;
        if (fields && fields.length > 10) return `must be less than 11 items ${at}/fields]`;
        for (const [j, f] of (fields ?? []).entries()) {
          if (typeof f.text !== 'string' || f.text.length > 2000)
            return `must be less than 2001 characters ${at}/fields/${j}/text]`;
        }
        break;
      }
      case 'context': {
        const elements = b.elements as { text?: unknown }[] | undefined;
        if (!elements || elements.length === 0 || elements.length > 10)
          return `must have 1 to 10 elements ${at}/elements]`;
        for (const [j, e] of elements.entries()) {
          if (typeof e.text !== 'string' || e.text.length > 3000)
            return `must be less than 3001 characters ${at}/elements/${j}/text]`;
        }
        break;
      }
      case 'divider':
        break;
      default:
        return `unsupported type ${String(b.type)} ${at}/type]`;
    }
  }
  return undefined;
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json'))
    return JSON.parse(raw || '{}') as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(raw));
}

/** A form field that @slack/web-api JSON-encodes (blocks, metadata), or the value itself. */
function jsonField(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof value !== 'string') return { ok: true, value };
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch {
    return { ok: false };
  }
}

export async function startSlackServer(options: SlackServerOptions): Promise<SlackServer> {
  const channels: FakeChannel[] = options.channels ?? [
    { id: 'C0EXEC00001', name: 'exec' },
    { id: 'C0GENERAL01', name: 'general' },
  ];
  const scopes = options.scopes ?? DEFAULT_SCOPES;
  const maxPage = options.maxPage ?? 1000;
  const messages: StoredMessage[] = [];
  const calls: SlackServer['calls'] = [];
  const failures: { method: string; failure: SlackFailure; skip: number }[] = [];
  let clock = Math.floor(Date.now() / 1000);
  let counter = 0;
  const nextTs = () => {
    const now = Math.floor(Date.now() / 1000);
    clock = Math.max(clock, now);
    counter++;
    return `${clock}.${String(counter).padStart(6, '0')}`;
  };
  const botId = 'B0BOARDROOM';
  const botUser = 'U0BOARDROOM';

  const findChannel = (ref: unknown) => {
    const s = typeof ref === 'string' ? ref : '';
    return channels.find((c) => c.id === s || `#${c.name}` === s || c.name === s);
  };

  const visible = (m: StoredMessage, withMetadata: boolean) => {
    const { metadata, ...rest } = m;
    return withMetadata && metadata ? { ...rest, metadata } : rest;
  };

  function handle(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://northwind.slack.com/',
          team: options.team ?? 'Northwind',
          user: options.botName ?? 'boardroom',
          team_id: 'T0NORTHWIND',
          user_id: botUser,
          bot_id: botId,
        };
      case 'conversations.list': {
        const limit = Math.min(Number(args.limit ?? 100) || 100, maxPage);
        const start = args.cursor
          ? Number(Buffer.from(String(args.cursor), 'base64').toString())
          : 0;
        const types = String(args.types ?? 'public_channel').split(',');
        const listed = channels.filter((c) =>
          c.isPrivate ? types.includes('private_channel') && c.isMember !== false : true,
        );
        const page = listed.slice(start, start + limit);
        const next =
          start + limit < listed.length
            ? Buffer.from(String(start + limit)).toString('base64')
            : '';
        return {
          ok: true,
          channels: page.map((c) => ({
            id: c.id,
            name: c.name,
            is_channel: !c.isPrivate,
            is_private: c.isPrivate === true,
            is_member: c.isMember !== false,
            is_archived: false,
          })),
          response_metadata: { next_cursor: next },
        };
      }
      case 'conversations.history': {
        const channel = channels.find((c) => c.id === args.channel);
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (channel.isMember === false) return { ok: false, error: 'not_in_channel' };
        const limit = Math.min(Number(args.limit ?? 100) || 100, 999);
        const oldest = Number(args.oldest ?? 0);
        const latest = args.latest !== undefined ? Number(args.latest) : Infinity;
        const withMetadata = String(args.include_all_metadata) === 'true';
        const top = messages
          .filter((m) => m.channel === channel.id && (!m.thread_ts || m.thread_ts === m.ts))
          .filter((m) => Number(m.ts) > oldest && Number(m.ts) < latest)
          .reverse();
        const start = args.cursor
          ? Number(Buffer.from(String(args.cursor), 'base64').toString())
          : 0;
        const page = top.slice(start, start + limit);
        const hasMore = start + limit < top.length;
        return {
          ok: true,
          messages: page.map((m) => visible(m, withMetadata)),
          has_more: hasMore,
          response_metadata: hasMore
            ? { next_cursor: Buffer.from(String(start + limit)).toString('base64') }
            : {},
        };
      }
      case 'conversations.replies': {
        const channel = channels.find((c) => c.id === args.channel);
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (channel.isMember === false) return { ok: false, error: 'not_in_channel' };
        const parent = messages.find((m) => m.channel === channel.id && m.ts === args.ts);
        if (!parent) return { ok: false, error: 'thread_not_found' };
        const withMetadata = String(args.include_all_metadata) === 'true';
        const thread = messages.filter(
          (m) => m.channel === channel.id && (m === parent || m.thread_ts === parent.ts),
        );
        return { ok: true, messages: thread.map((m) => visible(m, withMetadata)), has_more: false };
      }
      case 'chat.postMessage': {
        const channel = findChannel(args.channel);
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (channel.isMember === false) return { ok: false, error: 'not_in_channel' };
        const text = typeof args.text === 'string' ? args.text : '';
        const blocks = jsonField(args.blocks);
        if (!blocks.ok) return { ok: false, error: 'invalid_blocks_format' };
        if (blocks.value !== undefined) {
          const why = blockKitError(blocks.value);
          if (why)
            return {
              ok: false,
              error: 'invalid_blocks',
              errors: [why],
              response_metadata: { messages: [`[ERROR] ${why}`] },
            };
        }
        if (!text && blocks.value === undefined) return { ok: false, error: 'no_text' };
        if (text.length > 40_000) return { ok: false, error: 'msg_too_long' };
        const metadata = jsonField(args.metadata);
        if (!metadata.ok) return { ok: false, error: 'invalid_metadata_format' };
        const thread = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
        let parent: StoredMessage | undefined;
        if (thread) {
          parent = messages.find((m) => m.channel === channel.id && m.ts === thread);
          if (!parent) return { ok: false, error: 'thread_not_found' };
        }
        const ts = nextTs();
        const stored: StoredMessage = {
          type: 'message',
          ts,
          channel: channel.id,
          text,
          ...(blocks.value !== undefined ? { blocks: blocks.value as unknown[] } : {}),
          ...(metadata.value !== undefined
            ? { metadata: metadata.value as StoredMessage['metadata'] & object }
            : {}),
          ...(thread ? { thread_ts: thread } : {}),
          bot_id: botId,
          user: botUser,
        };
        messages.push(stored);
        if (parent) {
          parent.thread_ts = parent.ts;
          parent.reply_count = (parent.reply_count ?? 0) + 1;
        }
        const { channel: _c, ...message } = stored;
        return { ok: true, channel: channel.id, ts, message };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(body));
      };
      let args: Record<string, unknown>;
      try {
        args = parseArgs(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']);
      } catch {
        return json(200, { ok: false, error: 'invalid_json' });
      }
      const { token: _t, ...loggable } = args;
      calls.push({ method, args: loggable });

      let at = failures.findIndex((f) => f.method === method);
      if (at >= 0 && failures[at]!.skip > 0) {
        failures[at]!.skip--;
        at = -1;
      }
      if (at >= 0) {
        const { failure } = failures.splice(at, 1)[0]!;
        if ('hang' in failure) return; // never answers: the client's timeout must end it
        if ('error' in failure)
          return json(200, { ok: false, error: failure.error, ...failure.extra });
        if (failure.status === 429 && 'retryAfter' in failure) {
          return json(
            429,
            { ok: false, error: 'ratelimited' },
            { 'retry-after': String(failure.retryAfter) },
          );
        }
        res.writeHead(failure.status, { 'content-type': 'text/html' });
        return res.end(
          'body' in failure && failure.body ? failure.body : '<html>Service Unavailable</html>',
        );
      }

      const auth = req.headers.authorization;
      const token = auth?.startsWith('Bearer ')
        ? auth.slice(7)
        : typeof args.token === 'string'
          ? args.token
          : undefined;
      if (!token) return json(200, { ok: false, error: 'not_authed' });
      if (token !== options.token) return json(200, { ok: false, error: 'invalid_auth' });
      const types = String(args.types ?? '');
      const needed =
        method === 'conversations.list' &&
        types.includes('private_channel') &&
        !scopes.includes('groups:read')
          ? 'groups:read'
          : NEEDS[method];
      if (needed && !scopes.includes(needed)) {
        return json(200, { ok: false, error: 'missing_scope', needed, provided: scopes.join(',') });
      }
      json(200, handle(method, args), { 'x-oauth-scopes': scopes.join(',') });
    });
  });
  const local = await listenLocally(server);
  return {
    apiUrl: `${local.url}/api/`,
    messages,
    calls,
    failNext(failure, method = 'chat.postMessage', skip = 0) {
      failures.push({ method, failure, skip });
    },
    seed(message) {
      messages.push({ type: 'message', bot_id: botId, user: botUser, ...message });
    },
    close: () => local.close(),
  };
}
