/**
 * The `hubspot:` block of a workspace's sources.yaml, validated, with its defaults, and
 * the access token read from the environment. Every key is documented in
 * docs/sources/hubspot.md.
 */
import { z } from 'zod';
import { DEAL_STAGES } from '../../../contract/datasets/sales.js';
import { SourceAuthError } from '../../../shared/errors.js';
import type { AgentName } from '../../../contract/report.js';
import type { ConnectorContext } from '../connector.js';
import {
  currencySetting,
  envVarSetting,
  parseSettings as parseBlock,
  timeZoneSetting,
} from '../kit/index.js';

export const DEFAULT_TOKEN_ENV = 'HUBSPOT_ACCESS_TOKEN';
export const DEFAULT_BASE_URL = 'https://api.hubapi.com';

/** HubSpot's own page-size ceilings (deals with property history: 50; search: 200). */
export const MAX_PAGE = { deals: 50, owners: 100, search: 200, batch: 100 } as const;

const envName = envVarSetting(DEFAULT_TOKEN_ENV);
const currencyCode = currencySetting();

const wholeMs = (min: number) => z.number().int().min(min);

export const HubSpotSettings = z
  .strictObject({
    /** Environment variable holding the private app's access token. */
    token_env: envName.optional(),
    /** Accepted as a synonym of token_env (the name the other connectors use). */
    api_key_env: envName.optional(),
    base_url: z.url({ protocol: /^https?$/ }).optional(),
    timeout_ms: wholeMs(1).default(20_000),
    /** Calendar dates (close dates, stage entries, months) are taken in this zone. */
    time_zone: timeZoneSetting().default('UTC'),
    /** The reporting currency; deals in others are converted with fx_rates. */
    currency: currencyCode.default('USD'),
    /** 1 unit of the key currency = this many units of `currency`. */
    fx_rates: z.record(currencyCode, z.number().positive().finite()).default({}),
    /** Deal pipelines to read (ids or labels); default: all of them. */
    pipelines: z.array(z.string().min(1)).min(1).optional(),
    /** Deal stage id or label -> our stage (overrides the probability rule). */
    stage_map: z.record(z.string().min(1), z.enum(DEAL_STAGES)).default({}),
    /** The deal property that holds the annual contract value. */
    amount_property: z.string().min(1).default('amount'),
    /** A custom deal property with the delivery hours a won deal needs (optional). */
    delivery_hours_property: z.string().min(1).optional(),
    /** What to do with an open deal without a close date: fail (default) or leave it out. */
    missing_close_date: z.enum(['fail', 'skip']).default('fail'),
    /** Months of lead funnel read from HubSpot, ending with the current month. */
    funnel_months: z.number().int().min(2).max(24).default(3),
    /** hs_analytics_source value -> channel (null: not counted). */
    channel_map: z.record(z.string().min(1), z.string().nullable()).default({}),
    /** Contacts whose current lifecycle stage is one of these are not counted. */
    exclude_lifecycle_stages: z.array(z.string()).default(['other']),
    /** Page size for list and search calls (capped at HubSpot's maximum per endpoint). */
    page_size: z.number().int().min(1).max(200).optional(),
    /** Pause when X-HubSpot-RateLimit-Remaining drops to this many requests or fewer. */
    rate_limit_reserve: z.number().int().min(0).default(10),
    /** The longest such pause; HubSpot's window is 10 s. */
    rate_limit_max_pause_ms: wholeMs(0).default(10_000),
    /** Minimum time between two search requests (HubSpot allows about 4-5 per second). */
    search_interval_ms: wholeMs(0).default(250),
  })
  .superRefine((s, ctx) => {
    if (s.token_env && s.api_key_env && s.token_env !== s.api_key_env) {
      ctx.addIssue({
        code: 'custom',
        path: ['api_key_env'],
        message: `token_env (${s.token_env}) and api_key_env (${s.api_key_env}) disagree: keep one`,
      });
    }
    for (const [source, channel] of Object.entries(s.channel_map)) {
      if (channel !== null && !/[a-z0-9]/i.test(channel)) {
        ctx.addIssue({
          code: 'custom',
          path: ['channel_map', source],
          message: `expected a channel name with letters or digits (or null to leave the source out), got ${JSON.stringify(channel)}`,
        });
      }
    }
  });

export type HubSpotSettings = z.output<typeof HubSpotSettings> & {
  tokenEnv: string;
  baseUrl: string;
};

/** Validates the block; a bad key is reported as `sources.yaml, field "hubspot.<key>"`. */
export function parseSettings(
  ctx: Pick<ConnectorContext, 'settings' | 'settingsLine'>,
): HubSpotSettings {
  const s = parseBlock('hubspot', HubSpotSettings, ctx);
  return {
    ...s,
    tokenEnv: s.token_env ?? s.api_key_env ?? DEFAULT_TOKEN_ENV,
    baseUrl: (s.base_url ?? DEFAULT_BASE_URL).replace(/\/+$/, ''),
  };
}

/** The access token, or a SourceAuthError naming the variable to set. */
export function readToken(env: Record<string, string | undefined>, tokenEnv: string): string {
  const token = env[tokenEnv]?.trim();
  if (!token) {
    throw new SourceAuthError(
      `hubspot: ${tokenEnv} is not set: create a private app in HubSpot (Settings > Integrations > Private Apps) ` +
        `with the read scopes listed in docs/sources/hubspot.md and put its access token (pat-...) in ${tokenEnv}`,
      { env: tokenEnv },
    );
  }
  return token;
}

/** The data sets hubspot supplies, per agent (here, not in index.ts: the registry reads it without loading HubSpot's library). */
export const HUBSPOT_SUPPLIES = {
  sales: ['deals', 'stageHistory'],
  marketing: ['campaigns'],
} as const satisfies Partial<Record<AgentName, readonly string[]>>;
