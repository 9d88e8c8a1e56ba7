/**
 * A connector's block of sources.yaml: validated with its zod schema, and a bad value is a
 * ValidationError naming sources.yaml, the line (when the block came from the file) and
 * the field as `<connector>.<key>`, from every connector alike. Also the setting types
 * more than one connector has.
 */
import { z } from 'zod';
import { ValidationError } from '../../../shared/errors.js';
import { TIME_ZONE_EXPECTED, isTimeZone } from '../../../shared/time-zone.js';
import type { ConnectorContext, ConnectorName } from '../connector.js';
import { dottedPath, mismatchOf } from './schema-error.js';

export const SOURCES_FILE = 'sources.yaml';

/** Where a connector documents its settings. */
export const settingsDocs = (connector: ConnectorName) => `docs/sources/${connector}.md`;

/**
 * The connector's settings, parsed. Throws ValidationError with location
 * `{ file: 'sources.yaml', line?, field: '<connector>.<key path>' }` and the message
 * `sources.yaml, line 4, field "stripe.timeout_ms": <what is expected> (see key "timeout_ms" in docs/sources/stripe.md)`.
 */
export function parseSettings<S extends z.ZodType>(
  connector: ConnectorName,
  schema: S,
  ctx: Pick<ConnectorContext, 'settings' | 'settingsLine'>,
): z.output<S> {
  const raw = ctx.settings ?? {};
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const { path, expected } = mismatchOf(result.error, raw);
  const docs = settingsDocs(connector);
  const what =
    issue.code === 'unrecognized_keys'
      ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (see ${docs})`
      : `${expected} (see ${path.length > 0 ? `key ${JSON.stringify(String(path[0]))} in ` : ''}${docs})`;
  throw settingsError(connector, path, what, ctx.settingsLine);
}

/**
 * A bad value at `path` of the connector's block (also one found only once the API
 * answered, like a pipeline name HubSpot does not have).
 */
export function settingsError(
  connector: ConnectorName,
  path: readonly PropertyKey[],
  what: string,
  settingsLine?: ConnectorContext['settingsLine'],
): ValidationError {
  const field = dottedPath([connector, ...path]);
  const line = settingsLine?.(path);
  const where = [SOURCES_FILE, line !== undefined ? `line ${line}` : undefined, `field "${field}"`]
    .filter(Boolean)
    .join(', ');
  return new ValidationError(`${where}: ${what}`, {
    file: SOURCES_FILE,
    ...(line !== undefined ? { line } : {}),
    field,
  });
}

/** An IANA time zone name (the one validator, src/shared/time-zone.ts). */
export const timeZoneSetting = () => z.string().refine(isTimeZone, { message: TIME_ZONE_EXPECTED });

/** The name of an environment variable (where a credential is read from). */
export const envVarSetting = (example: string) =>
  z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, `expected an environment variable name, e.g. ${example}`);

/** An ISO 4217 code, upper-cased. */
export const currencySetting = () =>
  z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'expected a three-letter ISO 4217 currency code, e.g. USD')
    .transform((c) => c.toUpperCase());

/** An http(s) URL without trailing slashes. */
export const baseUrlSetting = () =>
  z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ''));
