/**
 * The `linear:` block of a workspace's sources.yaml, validated, with its defaults, and the
 * API key read from the environment. Every key is documented in docs/sources/linear.md.
 * Keys the connector does not know are left alone (the loader may keep its own keys in
 * the same block).
 */
import { z } from 'zod';
import { SourceAuthError } from '../../../shared/errors.js';
import type { ConnectorContext } from '../connector.js';
import {
  baseUrlSetting,
  envVarSetting,
  parseSettings as parseBlock,
  timeZoneSetting,
} from '../kit/index.js';

export const DEFAULT_KEY_ENV = 'LINEAR_API_KEY';
export const DEFAULT_BASE_URL = 'https://api.linear.app';
export const DEFAULT_TIMEOUT_MS = 20_000;
/** Linear's own ceiling for `first` on a connection. */
export const MAX_PAGE_SIZE = 250;

/** Where a key is created and what it needs (used in every auth message). */
export const KEY_ADVICE =
  'create a personal API key in Linear (Settings > Account > Security & access > Personal API keys) with the Read permission and access to the teams whose projects boardroom reads';

const envName = envVarSetting(DEFAULT_KEY_ENV);

/** The local hosts the Linear SDK accepts over plain http (anything else must be https). */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const baseUrl = baseUrlSetting().refine(
  (u) => {
    const url = new URL(u);
    return url.protocol === 'https:' || LOCAL_HOSTS.has(url.hostname);
  },
  { message: 'expected an https URL (plain http only for localhost)' },
);

const names = z.array(z.string().trim().min(1)).transform((list) => [...new Set(list)]);

export const LinearSettings = z.looseObject({
  /** Environment variable holding the personal API key. */
  api_key_env: envName.default(DEFAULT_KEY_ENV),
  /** API base URL (a proxy, or the local fake in tests); the GraphQL endpoint is `<base_url>/graphql`. */
  base_url: baseUrl.default(DEFAULT_BASE_URL),
  /** Per-request timeout; the SDK has no retries of its own. */
  timeout_ms: z.number().int().positive().max(600_000).default(DEFAULT_TIMEOUT_MS),
  /** Nodes per page (`first`) for projects, milestones and issues. */
  page_size: z.number().int().min(1).max(MAX_PAGE_SIZE).default(50),
  /** Only projects these teams (keys, e.g. DEL) can access; default: every project the key sees. */
  team_keys: names.pipe(z.array(z.string()).min(1)).optional(),
  /** Hours one estimate point stands for (budget and spent hours from estimates). */
  hours_per_point: z.number().positive().max(1000).default(4),
  /** Points counted for an issue without an estimate. */
  unestimated_points: z.number().min(0).max(1000).default(1),
  /** Issue labels that mark an issue as blocked (exact names). */
  blocked_labels: names.default(['Blocked']),
  /** Workflow state names that mark an issue as blocked (exact names). */
  blocked_states: names.default(['Blocked']),
  /**
   * Overlay planned hours from the assigned issues of the current and upcoming cycles on
   * allocations.csv (docs/sources/linear.md, "Capacity"). Off by default.
   */
  allocations_from_cycles: z.boolean().default(false),
  /** The time zone that turns Linear timestamps (completedAt, createdAt) into calendar dates. */
  timezone: timeZoneSetting().default('UTC'),
  /** Safety stop: at most this many pages per query. */
  max_pages: z.number().int().min(1).max(10_000).default(500),
});
export type LinearSettings = z.output<typeof LinearSettings>;

/** Validates the `linear:` block of sources.yaml (ValidationError naming the key). */
export function parseSettings(
  ctx: Pick<ConnectorContext, 'settings' | 'settingsLine'>,
): LinearSettings {
  return parseBlock('linear', LinearSettings, ctx);
}

/** The key from the environment; never logged, never put in a message. */
export function apiKeyFrom(env: Record<string, string | undefined>, s: LinearSettings): string {
  const key = env[s.api_key_env]?.trim();
  if (!key) {
    throw new SourceAuthError(
      `linear: ${s.api_key_env} is not set: ${KEY_ADVICE}, and put it in ${s.api_key_env}`,
      {
        source: 'linear',
        env: s.api_key_env,
      },
    );
  }
  if (/^bearer\s/i.test(key)) {
    throw new SourceAuthError(
      `linear: ${s.api_key_env} starts with "Bearer": a personal API key is sent as it is (Authorization: <key>); remove the prefix`,
      { source: 'linear', env: s.api_key_env },
    );
  }
  return key;
}

/** The data sets linear supplies (here, not in index.ts: the registry reads them without loading Linear's library). */
export const LINEAR_DATASETS = ['projects', 'milestones', 'blockers'] as const;
export const LINEAR_SUPPLIES = { operations: LINEAR_DATASETS };
