/**
 * The stripe block of sources.yaml, validated. Every key is optional; defaults beside
 * each. Keys the connector does not know are left alone (the loader may keep its own
 * keys in the same block).
 */
import { z } from 'zod';
import { SourceAuthError } from '../../../shared/errors.js';
import {
  baseUrlSetting,
  currencySetting,
  envVarSetting,
  parseSettings as parseBlock,
  timeZoneSetting,
} from '../kit/index.js';
import type { AgentName } from '../../../contract/report.js';
import type { ConnectorContext } from '../connector.js';

export const DEFAULT_KEY_ENV = 'STRIPE_API_KEY';
export const DEFAULT_BASE_URL = 'https://api.stripe.com';
export const DEFAULT_TIMEOUT_MS = 20_000;

/** A positive decimal rate, kept as its decimal text so money never meets a float. */
const rate = z
  .union([z.number(), z.string()])
  .transform((v) => (typeof v === 'number' ? numberToDecimal(v) : v.trim()))
  .refine((v) => /^\d+(\.\d+)?$/.test(v) && /[1-9]/.test(v), {
    message: 'a positive decimal number, e.g. 1.08',
  });

/** 1.08 -> "1.08" without exponent notation (YAML gives numbers). */
function numberToDecimal(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return String(n);
  return n.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
}

export const StripeSettings = z.looseObject({
  /** Environment variable holding the secret or restricted key. */
  api_key_env: envVarSetting(DEFAULT_KEY_ENV).default(DEFAULT_KEY_ENV),
  /** API base URL (a proxy, or the local fake in tests). */
  base_url: baseUrlSetting().default(DEFAULT_BASE_URL),
  /** Per-request timeout; the client library's own retries are off. */
  timeout_ms: z.number().int().positive().max(600_000).default(DEFAULT_TIMEOUT_MS),
  /** The reporting currency every amount is converted to. */
  currency: currencySetting().default('USD'),
  /** 1 unit of the key's currency = this many units of `currency`, e.g. {EUR: 1.08}. */
  fx_rates: z
    .record(currencySetting(), rate)
    .default({})
    .transform((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.toUpperCase(), v]))),
  /** The time zone that turns Stripe timestamps into calendar dates. */
  timezone: timeZoneSetting().default('UTC'),
  /**
   * A customer metadata key holding the workspace customer id (accounts.csv); customers
   * without it keep their Stripe id (cus_...). Unset: Stripe ids everywhere.
   */
  customer_id_metadata: z.string().min(1).optional(),
  /** How many calendar months of cash (this one included) are taken from Stripe; 0 = none. */
  cash_months: z.number().int().min(0).max(36).default(4),
  /** Cash in: payments net of Stripe's processing fees, or gross. */
  cash_in: z.enum(['net_of_fees', 'gross']).default('net_of_fees'),
  /**
   * The current month's closing balance: the Stripe balance (available + pending), the
   * file's bank balance plus the Stripe balance, or the file's alone.
   */
  closing_balance: z.enum(['stripe', 'bank_plus_stripe', 'file']).default('bank_plus_stripe'),
  /** Days of subscription events read for plan changes (Stripe keeps 30). */
  history_days: z.number().int().min(0).max(30).default(30),
});
export type StripeSettings = z.output<typeof StripeSettings>;

/** Validates the stripe block of sources.yaml (ValidationError naming the key). */
export function parseSettings(
  ctx: Pick<ConnectorContext, 'settings' | 'settingsLine'>,
): StripeSettings {
  return parseBlock('stripe', StripeSettings, ctx);
}

/** The key from the environment; never logged, never put in a message. */
export function apiKeyFrom(env: Record<string, string | undefined>, s: StripeSettings): string {
  const key = env[s.api_key_env]?.trim();
  if (!key) {
    throw new SourceAuthError(
      `stripe: ${s.api_key_env} is not set: create a restricted key (Developers > API keys > Create restricted key) with Read on ${PERMISSIONS_TEXT}, and put it in ${s.api_key_env}`,
      { env: s.api_key_env },
    );
  }
  if (key.startsWith('pk_')) {
    throw new SourceAuthError(
      `stripe: ${s.api_key_env} holds a publishable key (pk_...), which cannot read data: use a restricted key (rk_...) or a secret key (sk_...)`,
      { env: s.api_key_env },
    );
  }
  return key;
}

/** The restricted-key permissions the connector needs (dashboard names). */
export const PERMISSIONS = [
  'Subscriptions',
  'Customers',
  'Products',
  'Prices',
  'Coupons',
  'Events',
  'Balance',
] as const;
export const PERMISSIONS_TEXT = PERMISSIONS.join(', ');

/** The data sets stripe supplies, per agent (here, not in index.ts: the registry reads it without loading Stripe's library). */
export const STRIPE_SUPPLIES = {
  finance: ['subscriptions', 'cashflow'],
  'customer-success': ['subscriptions'],
} as const satisfies Partial<Record<AgentName, readonly string[]>>;
