/**
 * An API answer that does not fit the zod schema of what a connector reads becomes a
 * SourceSchemaError naming the connector, the object (type, id) and the field, with the
 * same context keys from every connector: `{ source, object, id?, field }`.
 */
import type { z } from 'zod';
import { SourceSchemaError } from '../../../shared/errors.js';
import type { ConnectorName } from '../connector.js';

type Issue = z.core.$ZodIssue;

/** Where a response did not fit, and what was there. */
export interface Mismatch {
  /** Path of the offending value inside the validated value. */
  path: PropertyKey[];
  /** What the schema expected (zod's message). */
  expected: string;
  /** The value found at `path`; undefined when it is missing. */
  found: unknown;
}

/**
 * The first issue of a failed parse. A union mismatch is explained by the branch that got
 * furthest (the customer object that lacks a field, not "expected a string"), an unknown
 * key by the key itself.
 */
export function mismatchOf(error: z.ZodError, value: unknown): Mismatch {
  const issue = resolve(error.issues[0]!);
  const path =
    issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined
      ? [...issue.path, issue.keys[0]]
      : [...issue.path];
  return { path, expected: issue.message, found: valueAt(value, path) };
}

function resolve(issue: Issue): Issue {
  if (issue.code !== 'invalid_union') return issue;
  const branches = issue.errors.filter((b) => b.length > 0).map(furthest);
  if (branches.length === 0) return issue;
  const best = branches.reduce((a, b) => (b.path.length > a.path.length ? b : a));
  return { ...best, path: [...issue.path, ...best.path] };
}

/** Of a branch's issues, the one whose path is longest. */
function furthest(issues: readonly Issue[]): Issue {
  return issues.map(resolve).reduce((a, b) => (b.path.length > a.path.length ? b : a));
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** `items.data.0.price` (the notation of sources.yaml fields and of the workspace loader). */
export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** A value for a message, cut to `max` characters. */
export function preview(value: unknown, max = 80): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}

/** The object a mismatch is in: its type ("subscription", "Project"), id and a readable label. */
export interface ShapeSubject {
  object: string;
  id?: string | undefined;
  label?: string | undefined;
  /** Path of the validated value inside the object, put before the field (`projects`). */
  prefix?: string | undefined;
}

/** A SourceSchemaError with the shared context keys (and any extra ones). */
export function sourceSchemaError(
  connector: ConnectorName,
  message: string,
  where: { object: string; id?: string | undefined; field?: string | undefined },
  extra: Record<string, unknown> = {},
): SourceSchemaError {
  return new SourceSchemaError(message, {
    source: connector,
    object: where.object,
    ...(where.id !== undefined ? { id: where.id } : {}),
    ...(where.field ? { field: where.field } : {}),
    ...extra,
  });
}

/** Words a mismatch: `linear: Project 2f1c ("Contoso"), field "status.type": ..., got "archived"`. */
export type ShapeWording = (
  m: Mismatch & { connector: ConnectorName; subject: ShapeSubject; field: string },
) => string;

export const defaultShapeWording: ShapeWording = ({ connector, subject, field, expected, found }) =>
  `${connector}: ${subject.object}${subject.id ? ` ${subject.id}` : ''}` +
  `${subject.label ? ` (${JSON.stringify(subject.label)})` : ''}` +
  `${field ? `, field "${field}"` : ''}: ${expected}` +
  `${found === undefined ? ' (missing)' : `, got ${preview(found)}`}` +
  `: the API answered with a shape boardroom does not know`;

/**
 * Parses an API value with `schema`; a mismatch throws a SourceSchemaError naming the
 * connector, the object and the field (worded by `wording`, by default the one above).
 */
export function parseShape<S extends z.ZodType>(
  connector: ConnectorName,
  schema: S,
  value: unknown,
  subject: ShapeSubject,
  wording: ShapeWording = defaultShapeWording,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw shapeError(connector, result.error, value, subject, wording);
}

/** The SourceSchemaError of a failed parse (for callers that parse themselves). */
export function shapeError(
  connector: ConnectorName,
  error: z.ZodError,
  value: unknown,
  subject: ShapeSubject,
  wording: ShapeWording = defaultShapeWording,
): SourceSchemaError {
  const m = mismatchOf(error, value);
  const field = dottedPath([...(subject.prefix ? [subject.prefix] : []), ...m.path]);
  return sourceSchemaError(connector, wording({ ...m, connector, subject, field }), {
    object: subject.object,
    id: subject.id,
    field,
  });
}
