/**
 * The workspace source: a folder of CSV and YAML files (docs/workspace.md). Reads the
 * data sets an agent declares and validates them with the agent's schema; a bad value
 * is reported with its file, line and field.
 *
 * Before any value is read, each file must be a regular file within its size limit
 * (WORKSPACE_FILE_LIMITS); a CSV needs a header naming every required column, once; a
 * YAML file may not expand aliases beyond YAML_MAX_ALIASES. Every failure is a
 * ValidationError (permanent: a person must fix the file), except an I/O error worth a
 * retry.
 */
import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  openSync,
  readFileSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import Papa from 'papaparse';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { AgentDefinition, DatasetSpec } from '../contract/agent.js';
import { RecentCache } from './recent-cache.js';
import { cleanText, csvColumns, hasUnsafeCharacters, keysAt, quote } from '../contract/fields.js';
import {
  type BoardroomError,
  SourceSchemaError,
  SourceUnavailableError,
  ValidationError,
} from '../shared/errors.js';

const MB = 1024 * 1024;

/**
 * The largest workspace file read, by format (docs/workspace.md#size-limits). Checked
 * before the file is read, so a 10 MB goals list is refused at once.
 */
export const WORKSPACE_FILE_LIMITS = { csv: 20 * MB, yaml: 1 * MB } as const;

/** The most alias expansions (`*name`) a YAML file may use: a guard against alias bombs. */
export const YAML_MAX_ALIASES = 100;

export interface LoadedInput<T = unknown> {
  input: T;
  /** Set when an API supplied data sets: which, and whether from the cache. */
  origin?: { source: string; cacheAgeMs?: number };
  /** Newest modification time among the files read. */
  dataAsOf: Date;
  /** Files read. */
  sourceCalls: number;
  /**
   * For people: what the loader changed, e.g. the control characters (terminal escapes,
   * NUL) it removed from a file's text, with where. Absent when nothing.
   */
  notes?: string[];
}

interface ParsedDataset {
  value: unknown;
  /** Maps a zod path below the data set to a line number. */
  lineOf(pathBelow: PropertyKey[]): number | undefined;
  mtime: Date | undefined;
  /**
   * The file's text holds no character cleanText strips, so no value of it does (a CSV
   * cell is a piece of the text; a YAML escape can make one, so YAML leaves this unset).
   */
  clean?: boolean;
}

/**
 * Data sets supplied by a connector instead of (or overlaid on) the workspace files.
 * `load` receives the files' raw rows (missing optional files as empty lists).
 */
export interface ProvidedDatasets {
  by: string;
  /** The data sets it supplies: their files become optional (an overlay base if present). */
  keys: readonly string[];
  load(fileDatasets: Record<string, unknown>): Promise<{
    datasets: Record<string, unknown>;
    sourceCalls: number;
    dataAsOf: Date;
    /** Age of the cached answer served instead of a call. */
    cacheAgeMs?: number;
  }>;
}

/**
 * The folders whose parsed files a worker keeps, per schema: the most recently read.
 * One worker serves many companies (a registry of hundreds), so the caches below are
 * bounded: a company's files parsed take ~0.3 MB of heap, and an unbounded cache grew a
 * worker by ~30 MB every 100 companies. A run reads its company's files 13 times (each
 * agent, the currency for each agent's messages, the CEO step) and a backfill reads
 * them once per past day, all within a few seconds: a few dozen folders cover the runs
 * in flight on one worker.
 * @default 64
 */
export const WORKSPACE_CACHE_FOLDERS = 64;

/**
 * Validated inputs by agent schema and folder, with the identity of the files they came
 * from (inode, size, change and modification times in nanoseconds). A worker reads the
 * same unchanged files run after run (a backfill reads them once per past day): the
 * files are still looked at every time, but parsed and validated only when they
 * changed. What is cached is frozen (deepFreeze), so no agent can change what the next
 * one reads, and a hit costs no copy.
 */
const validatedInputs = new WeakMap<
  z.ZodType,
  RecentCache<{ stamp: string; loaded: Promise<LoadedInput> }>
>();

/**
 * The entry for `key` with this `stamp`, read by `read` when there is none. The entry is
 * the read's promise, kept from its start: a run's agents start together, and each would
 * otherwise parse the same files (the company's, read by all six) before the first one
 * finished. A failed read is forgotten, so the next caller reads again.
 */
function cachedRead<T>(
  cache: RecentCache<{ stamp: string; loaded: Promise<T> }>,
  key: string,
  stamp: string,
  read: () => Promise<T>,
): Promise<T> {
  const hit = cache.get(key);
  if (hit && hit.stamp === stamp) return hit.loaded;
  const entry = { stamp, loaded: read().then(deepFreeze) };
  cache.set(key, entry);
  entry.loaded.catch(() => {
    if (cache.get(key) === entry) cache.delete(key);
  });
  return entry.loaded;
}

/**
 * Frozen all the way down: a cached value is shared by every reader (a run's six agents,
 * the next runs), so a reader that tried to change it would change it for the others;
 * frozen, it throws instead (modules are strict). Cheaper than a copy a hit.
 */
export function deepFreeze<T>(value: T): T {
  // A typed array (YAML's !!binary) cannot be frozen: left as it is.
  if (
    value !== null &&
    typeof value === 'object' &&
    !ArrayBuffer.isView(value) &&
    !Object.isFrozen(value)
  ) {
    Object.freeze(value);
    // for...in, not Object.values: no array per object (a company's files are ~6,000 of them).
    for (const k in value) deepFreeze((value as Record<string, unknown>)[k]);
  }
  return value;
}

/**
 * A file's identity for the caches: inode, size, modification and change times in
 * nanoseconds, or '-' when it cannot be looked at (the read then says why). Looked at
 * synchronously, as the files are read (readWorkspaceFile): a local stat takes a few
 * microseconds, where the promise API's round trip through libuv's thread pool cost ~10x
 * that in CPU, and a run looks at its company's files ~60 times (measured: a run's agents
 * ~54 -> ~47 ms of CPU with the stamps and reads synchronous).
 */
function fileStamp(file: string): string {
  try {
    const info = statSync(file, { bigint: true, throwIfNoEntry: false });
    return info ? `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}` : '-';
  } catch {
    return '-';
  }
}

function filesStamp(dir: string, specs: readonly DatasetSpec[]): string {
  return specs.map((spec) => fileStamp(path.join(dir, spec.file))).join('|');
}

export async function loadAgentInput<S extends z.ZodType>(
  dir: string,
  agent: AgentDefinition<S>,
  provided?: ProvidedDatasets,
): Promise<LoadedInput<z.output<S>>> {
  if (provided) return readAgentInput(dir, agent, provided);
  const stamp = filesStamp(dir, Object.values(agent.datasets));
  let byDir = validatedInputs.get(agent.input);
  if (!byDir) validatedInputs.set(agent.input, (byDir = new RecentCache(WORKSPACE_CACHE_FOLDERS)));
  // Stamped before the read: a file changed during it is read again next time.
  return (await cachedRead(byDir, dir, stamp, () => readAgentInput(dir, agent))) as LoadedInput<
    z.output<S>
  >;
}

async function readAgentInput<S extends z.ZodType>(
  dir: string,
  agent: AgentDefinition<S>,
  provided?: ProvidedDatasets,
): Promise<LoadedInput<z.output<S>>> {
  const entries = Object.entries(agent.datasets);
  const parsed = await readAll(
    entries.map(([key, spec]) =>
      readDataset(
        dir,
        provided?.keys.includes(key) ? { ...spec, optional: true } : spec,
        fieldSchema(agent.input, key),
      ),
    ),
  );
  const raw: Record<string, unknown> = Object.fromEntries(
    entries.map(([key], i) => [key, parsed[i]!.value]),
  );
  const notes = entries.flatMap(([, spec], i) => cleanedNote(spec, parsed[i]!) ?? []);
  const fileTimes = parsed.map((p) => p.mtime?.getTime() ?? 0);
  let sourceCalls = parsed.filter((p) => p.mtime).length;
  let dataAsOf = new Date(Math.max(0, ...fileTimes));
  let providedKeys = new Set<string>();
  let origin: LoadedInput['origin'];
  if (provided) {
    const result = await provided.load({ ...raw });
    origin = {
      source: provided.by,
      ...(result.cacheAgeMs !== undefined ? { cacheAgeMs: result.cacheAgeMs } : {}),
    };
    providedKeys = new Set(Object.keys(result.datasets));
    Object.assign(raw, result.datasets);
    sourceCalls += result.sourceCalls;
    // The API's figures are as fresh as the fetch; the rest as fresh as the files.
    dataAsOf = result.dataAsOf;
  }
  const result = agent.input.safeParse(raw);
  if (!result.success) {
    throw issueErrors(
      dir,
      agent.input,
      result.error.issues.slice(0, 1),
      raw,
      datasetLookup(entries, parsed),
      provided && { by: provided.by, keys: providedKeys },
    )[0]!;
  }
  return {
    input: result.data as z.output<S>,
    dataAsOf,
    sourceCalls,
    ...(origin ? { origin } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}

/**
 * Every problem in the files an agent reads, not only the first (`boardroom sources
 * check`): unreadable or missing files, broken headers, and each bad value with its
 * file, line and field, checked with the agent's own input schema. `supplied` are the
 * data sets a connector provides instead: their files are not checked, and the checks
 * across files are skipped (they need the API's rows).
 */
export async function checkAgentInput(
  dir: string,
  agent: AgentDefinition,
  supplied: readonly string[] = [],
): Promise<BoardroomError[]> {
  const entries = Object.entries(agent.datasets).filter(([key]) => !supplied.includes(key));
  const settled = await Promise.allSettled(
    entries.map(([key, spec]) => readDataset(dir, spec, fieldSchema(agent.input, key))),
  );
  const errors: BoardroomError[] = settled.flatMap((r) =>
    r.status === 'rejected' ? [asBoardroomError(r.reason)] : [],
  );
  const parsed = settled.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
  const lookup = datasetLookup(entries, parsed);
  if (errors.length === 0 && supplied.length === 0) {
    const raw = Object.fromEntries(entries.map(([key], i) => [key, parsed[i]!.value]));
    const result = agent.input.safeParse(raw);
    if (!result.success)
      errors.push(...issueErrors(dir, agent.input, result.error.issues, raw, lookup));
    return errors;
  }
  // Some file is unreadable (or supplied elsewhere): check each readable one on its own.
  entries.forEach(([key], i) => {
    const p = parsed[i];
    const schema = fieldSchema(agent.input, key);
    if (!p || !schema) return;
    const result = schema.safeParse(p.value);
    if (result.success) return;
    const issues = result.error.issues.map((issue) => ({ ...issue, path: [key, ...issue.path] }));
    errors.push(...issueErrors(dir, agent.input, issues, { [key]: p.value }, lookup));
  });
  return errors;
}

/** Reads and validates one file with a schema (used for files outside an agent, like tasks.csv). */
export async function loadDataset<S extends z.ZodType>(
  dir: string,
  spec: DatasetSpec,
  schema: S,
): Promise<z.output<S>> {
  return (await loadLocatedDataset(dir, spec, schema)).value;
}

/**
 * As loadDataset, and the line of any path in the file, for errors found later (a
 * connector's settings block in sources.yaml).
 */
type LocatedDataset<T> = {
  value: T;
  lineOf(path: readonly PropertyKey[]): number | undefined;
  /** As LoadedInput's. */
  notes?: string[];
};

/** Located data sets by schema and file, with the file's identity (see validatedInputs). */
const validatedDatasets = new WeakMap<
  z.ZodType,
  RecentCache<{ stamp: string; loaded: Promise<LocatedDataset<unknown>> }>
>();

export async function loadLocatedDataset<S extends z.ZodType>(
  dir: string,
  spec: DatasetSpec,
  schema: S,
): Promise<LocatedDataset<z.output<S>>> {
  const stamp = filesStamp(dir, [spec]);
  let byFile = validatedDatasets.get(schema);
  if (!byFile) validatedDatasets.set(schema, (byFile = new RecentCache(WORKSPACE_CACHE_FOLDERS)));
  const key = path.join(dir, spec.file);
  return (await cachedRead(byFile, key, stamp, () =>
    readLocatedDataset(dir, spec, schema),
  )) as LocatedDataset<z.output<S>>;
}

async function readLocatedDataset<S extends z.ZodType>(
  dir: string,
  spec: DatasetSpec,
  schema: S,
): Promise<{
  value: z.output<S>;
  lineOf(path: readonly PropertyKey[]): number | undefined;
  /** As LoadedInput's. */
  notes?: string[];
}> {
  const parsed = await readDataset(dir, spec, schema);
  const result = schema.safeParse(parsed.value);
  if (result.success) {
    const note = cleanedNote(spec, parsed);
    return {
      value: result.data,
      lineOf: (p) => parsed.lineOf([...p]),
      ...(note ? { notes: [note] } : {}),
    };
  }
  throw datasetIssueErrors(dir, spec, parsed, schema, result.error.issues.slice(0, 1))[0]!;
}

/** Every problem of one file (as checkAgentInput, for a file outside an agent). */
export async function checkDataset(
  dir: string,
  spec: DatasetSpec,
  schema: z.ZodType,
): Promise<BoardroomError[]> {
  let parsed: ParsedDataset;
  try {
    parsed = await readDataset(dir, spec, schema);
  } catch (err) {
    return [asBoardroomError(err)];
  }
  const result = schema.safeParse(parsed.value);
  return result.success ? [] : datasetIssueErrors(dir, spec, parsed, schema, result.error.issues);
}

type Issue = z.core.$ZodIssue;

/**
 * Where a file's values held characters the text helpers strip (cleanText: escapes, NUL,
 * other controls), as a note: "tasks.csv: removed control characters ... line 2 "title"".
 */
function cleanedNote(spec: DatasetSpec, parsed: ParsedDataset): string | undefined {
  if (parsed.clean) return undefined;
  const where: string[] = [];
  let count = 0;
  const found = (at: PropertyKey[]) => {
    count++;
    if (where.length >= 3) return;
    const line = parsed.lineOf(at);
    const field = (spec.format === 'csv' ? at.slice(1) : at).map(String).join('.');
    where.push(
      [line !== undefined ? `line ${line}` : undefined, quote(cleanText(field))]
        .filter(Boolean)
        .join(' '),
    );
  };
  const walk = (v: unknown, at: PropertyKey[]): void => {
    if (typeof v === 'string') {
      if (hasUnsafeCharacters(v)) found(at);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...at, i]));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
    }
  };
  if (spec.format === 'csv' && Array.isArray(parsed.value)) {
    (parsed.value as Record<string, unknown>[]).forEach((row, i) => {
      for (const [k, x] of Object.entries(row))
        if (typeof x === 'string' && hasUnsafeCharacters(x)) found([i, k]);
    });
  } else {
    walk(parsed.value, []);
  }
  if (count === 0) return undefined;
  return (
    `${spec.file}: removed control characters (terminal escapes, NUL) from ${count} ` +
    `value${count > 1 ? 's' : ''}: ${where.join(', ')}${count > where.length ? ', ...' : ''}`
  );
}
type Lookup = (key: string) => { spec: DatasetSpec; parsed: ParsedDataset } | undefined;

/** Awaits every read, then throws the first failure in the data sets' order (not in time). */
async function readAll(reads: Promise<ParsedDataset>[]): Promise<ParsedDataset[]> {
  const settled = await Promise.allSettled(reads);
  const failed = settled.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<ParsedDataset>).value);
}

function datasetLookup(
  entries: [string, DatasetSpec][],
  parsed: (ParsedDataset | undefined)[],
): Lookup {
  return (key) => {
    const i = entries.findIndex(([k]) => k === key);
    const p = i < 0 ? undefined : parsed[i];
    return p ? { spec: entries[i]![1], parsed: p } : undefined;
  };
}

/** The schema of one data set: the field `key` of the agent's input object. */
function fieldSchema(input: z.ZodType, key: string): z.ZodType | undefined {
  const shape = (input as { shape?: Record<string, z.ZodType> }).shape;
  return shape && typeof shape === 'object' ? shape[key] : undefined;
}

function asBoardroomError(err: unknown): BoardroomError {
  if (err instanceof ValidationError || err instanceof SourceUnavailableError) return err;
  if (err instanceof Error && 'permanent' in err) return err as BoardroomError;
  return new SourceUnavailableError(cleanText(String((err as Error)?.message ?? err)));
}

/** zod issues of an agent's input (paths start with the data set key) as located errors. */
function issueErrors(
  dir: string,
  schema: z.ZodType,
  issues: readonly Issue[],
  raw: Record<string, unknown>,
  lookup: Lookup,
  provided?: { by: string; keys: Set<string> },
): BoardroomError[] {
  const out = new Map<string, BoardroomError>();
  for (const issue of issues) {
    const { path: issuePath, message } = describeIssue(schema, issue, raw);
    const [key, ...below] = issuePath;
    let err: BoardroomError;
    if (provided?.keys.has(String(key))) {
      err = apiShapeError(provided.by, String(key), raw[String(key)], below, message);
    } else {
      const found = lookup(String(key));
      err = found
        ? locate(dir, found.spec, found.parsed, below, message)
        : new ValidationError(cleanText(`workspace: ${message}`), { file: String(key) });
    }
    if (!out.has(err.message)) out.set(err.message, err);
  }
  return [...out.values()];
}

/** zod issues of one file's schema as located errors. */
function datasetIssueErrors(
  dir: string,
  spec: DatasetSpec,
  parsed: ParsedDataset,
  schema: z.ZodType,
  issues: readonly Issue[],
): ValidationError[] {
  const out = new Map<string, ValidationError>();
  for (const issue of issues) {
    const { path: p, message } = describeIssue(schema, issue, parsed.value);
    const err = locate(dir, spec, parsed, p, message);
    if (!out.has(err.message)) out.set(err.message, err);
  }
  return [...out.values()];
}

/**
 * A zod issue in words for a person: an unknown key is named (at its own path) with the
 * keys allowed there, an unexpected value says what was found, a list where a map
 * belongs says so.
 */
function describeIssue(
  schema: z.ZodType,
  issue: Issue,
  value: unknown,
): { path: PropertyKey[]; message: string } {
  const at = [...issue.path];
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => quote(k)).join(', ');
    const allowed = keysAt(schema, at);
    return {
      path: [...at, issue.keys[0]!],
      message:
        `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}` +
        (allowed ? ` (expected ${allowed.join(', ')})` : ''),
    };
  }
  if (issue.code === 'invalid_key') {
    // A record's key did not fit (a ceo.yaml rule id): say why, at the key.
    return { path: at, message: issue.issues[0]?.message ?? issue.message };
  }
  const found = valueAt(value, at);
  if (issue.code === 'invalid_type' && (issue.expected === 'object' || issue.expected === 'record'))
    return { path: at, message: `expected a map of "key: value" lines, got ${kindOf(found)}` };
  if (
    (issue.code === 'invalid_value' ||
      issue.code === 'too_small' ||
      issue.code === 'too_big' ||
      issue.code === 'invalid_format') &&
    found !== undefined &&
    (typeof found !== 'object' || found === null)
  )
    return { path: at, message: `${issue.message} (got ${quote(found)})` };
  return { path: at, message: issue.message };
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null || v === undefined) return 'nothing';
  return typeof v === 'object' ? 'a map' : quote(v);
}

function valueAt(value: unknown, at: readonly PropertyKey[]): unknown {
  let v: unknown = value;
  for (const key of at) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** A connector's rows did not fit the agent's schema: name the item (and its id) and field. */
function apiShapeError(
  by: string,
  dataset: string,
  rows: unknown,
  below: PropertyKey[],
  message: string,
): SourceSchemaError {
  const index = typeof below[0] === 'number' ? below[0] : undefined;
  const row =
    index !== undefined && Array.isArray(rows)
      ? (rows[index] as Record<string, unknown>)
      : undefined;
  const id = row && typeof row.id === 'string' ? ` (${cleanText(row.id).slice(0, 80)})` : '';
  const field = (index !== undefined ? below.slice(1) : below).map(String).join('.');
  return new SourceSchemaError(
    cleanText(
      `${by}: ${dataset}${index !== undefined ? ` item ${index + 1}${id}` : ''}${field ? `, field "${field}"` : ''}: ${message}`,
    ),
    {
      source: by,
      dataset,
      ...(index !== undefined ? { item: index + 1 } : {}),
      ...(field ? { field: cleanText(field) } : {}),
    },
  );
}

function locate(
  dir: string,
  spec: DatasetSpec,
  parsed: ParsedDataset,
  below: PropertyKey[],
  message: string,
): ValidationError {
  const line = parsed.lineOf(below);
  const field = cleanText(
    spec.format === 'csv' ? below.slice(1).map(String).join('.') : below.map(String).join('.'),
  );
  return fileError(dir, spec, message, {
    ...(line !== undefined ? { line } : {}),
    ...(field ? { field } : {}),
  });
}

/** `<dir>/<file>, line 3, field "name": <message>`, cleaned of control characters. */
function fileError(
  dir: string,
  spec: DatasetSpec,
  message: string,
  at: { line?: number; field?: string } = {},
): ValidationError {
  const file = dir ? path.join(dir, spec.file) : spec.file;
  const where = [
    file,
    at.line !== undefined ? `line ${at.line}` : undefined,
    at.field ? `field "${at.field}"` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return new ValidationError(cleanText(`${where}: ${message}`), { file: spec.file, ...at });
}

function formatSize(bytes: number): string {
  return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * The file's text, after checking it is a regular file within its size limit. Returns
 * undefined for a missing optional file. Synchronous, as fileStamp is: workspace files
 * are local and bounded (WORKSPACE_FILE_LIMITS), and open, fstat, read and close through
 * the promise API cost more CPU than the reads themselves. Opened non-blocking and
 * checked on the open descriptor, so a FIFO put in a file's place is refused at once
 * instead of blocking the worker while it waits for a writer.
 */
function readWorkspaceFile(
  dir: string,
  spec: DatasetSpec,
): { text: string; mtime: Date } | undefined {
  const file = path.join(dir, spec.file);
  const limit = WORKSPACE_FILE_LIMITS[spec.format];
  const tooBig = (size: number) =>
    fileError(
      dir,
      spec,
      `${formatSize(size)} is more than the ${formatSize(limit)} a ${spec.format.toUpperCase()} ` +
        'file of a workspace may hold (see docs/workspace.md#size-limits): remove old rows or values',
    );
  let fd: number | undefined;
  try {
    fd = openSync(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    const info = fstatSync(fd);
    if (info.isDirectory())
      throw fileError(dir, spec, 'is a folder, expected a file (see docs/workspace.md)');
    if (!info.isFile()) throw fileError(dir, spec, 'is not a regular file (see docs/workspace.md)');
    if (info.size > limit) throw tooBig(info.size);
    const buffer = readFileSync(fd);
    if (buffer.length > limit) throw tooBig(buffer.length);
    return { text: buffer.toString('utf8'), mtime: info.mtime };
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      if (spec.optional) return undefined;
      throw fileError(
        dir,
        spec,
        'file not found (see docs/workspace.md for the files a workspace needs)',
      );
    }
    if (code === 'EISDIR') throw fileError(dir, spec, 'is a folder, expected a file');
    if (code === 'EACCES' || code === 'EPERM')
      throw fileError(
        dir,
        spec,
        "cannot be read: permission denied (check the file's permissions)",
      );
    // Anything else (EIO, EMFILE, ...) may pass: worth a retry.
    throw new SourceUnavailableError(
      cleanText(`${file}: cannot be read (${code ?? 'error'}): ${(err as Error).message}`),
      { file: spec.file },
    );
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

async function readDataset(
  dir: string,
  spec: DatasetSpec,
  schema?: z.ZodType,
): Promise<ParsedDataset> {
  const read = readWorkspaceFile(dir, spec);
  if (!read) {
    return {
      value: spec.format === 'csv' ? [] : undefined,
      lineOf: () => undefined,
      mtime: undefined,
    };
  }
  return spec.format === 'csv'
    ? parseCsvDataset(dir, spec, read.text, read.mtime, schema)
    : parseYamlDataset(dir, spec, read.text, read.mtime);
}

function parseCsvDataset(
  dir: string,
  spec: DatasetSpec,
  text: string,
  mtime: Date,
  schema?: z.ZodType,
): ParsedDataset {
  const columns = schema ? csvColumns(schema) : undefined;
  let header: string[] | undefined;
  let records: Record<string, string | undefined>[] | undefined;
  const options = {
    bom: true,
    columns: (names: string[]) => (header = names.map((h) => h.trim())),
    skip_empty_lines: true,
    trim: true,
  };
  if (!text.includes('"')) ({ header, records } = quoteFreeRecords(text) ?? {});
  if (!records) {
    try {
      // Without `info`: it costs ~2-3x the parse (measured: 7.3 -> 2.6 ms a company). The
      // lines are only wanted for an error message, and then lineOf parses again for them.
      records = parseCsv(text, options) as Record<string, string | undefined>[];
    } catch (err) {
      const e = err as Error & { lines?: number };
      throw fileError(dir, spec, e.message, e.lines ? { line: e.lines } : {});
    }
    // An empty cell is "not given"; done here rather than in csv-parse's `cast`, which is ~5x slower.
    for (const record of records) {
      for (const key of Object.keys(record)) if (record[key] === '') record[key] = undefined;
    }
  }
  const expected = columns
    ? ` naming the columns (required: ${columns.required.join(', ')})`
    : ' naming the columns';
  if (!header) {
    throw fileError(
      dir,
      spec,
      `the file is empty: expected a header row${expected}` +
        (spec.optional ? ', or delete the file' : ''),
    );
  }
  // The header is the first line that is not blank.
  const headerLine =
    (/^(?:\uFEFF)?(?:[ \t]*(?:\r\n|\r|\n))*/.exec(text)![0].match(/\r\n|\r|\n/g) ?? []).length + 1;
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    if (name === '') return;
    const first = seen.get(name);
    if (first !== undefined) {
      throw fileError(
        dir,
        spec,
        `the header names the column ${quote(name)} twice (columns ${first + 1} and ${i + 1}): ` +
          'remove or rename one',
        { line: headerLine, field: name },
      );
    }
    seen.set(name, i);
  });
  const missing = columns?.required.filter((c) => !seen.has(c)) ?? [];
  if (missing.length > 0) {
    throw fileError(
      dir,
      spec,
      `the header lacks the required column${missing.length > 1 ? 's' : ''} ` +
        `${missing.join(', ')} (it has ${
          header
            .filter(Boolean)
            .map((h) => quote(h))
            .join(', ') || 'none'
        }; ` +
        'see docs/workspace.md)',
      { line: headerLine, field: missing[0]! },
    );
  }
  let lines: number[] | undefined;
  return {
    value: records,
    clean: !hasUnsafeCharacters(text),
    // csv-parse counts the line a record ends on; our records are one line each.
    lineOf: (p) => {
      if (typeof p[0] !== 'number') return undefined;
      lines ??= (parseCsv(text, { ...options, info: true }) as { info: { lines: number } }[]).map(
        (r) => r.info.lines,
      );
      return lines[p[0]];
    },
    mtime,
  };
}

/**
 * A CSV file without a quote character, read by papaparse: ~3x faster than csv-parse on
 * a workspace's files (measured: ~14 -> ~4 ms of CPU a company), and the same records,
 * since without quotes both only split on commas and line breaks, then trim with the same
 * set of spaces. Quoted text, and any row whose width differs from the header's, goes to
 * csv-parse (undefined here), and so do lines of spaces alone: its trimming around quotes,
 * its skipping of blank lines and its errors, which name the line, are what a workspace
 * has always had. Empty cells are "not given" (undefined).
 */
export function quoteFreeRecords(
  text: string,
): { header: string[] | undefined; records: Record<string, string | undefined>[] } | undefined {
  const parsed = Papa.parse<string[]>(text, {
    delimiter: ',',
    newline: firstLineBreak(text),
    skipEmptyLines: true,
  });
  if (parsed.errors.length > 0) return undefined;
  // A line of spaces alone is skipped by csv-parse (skip_empty_lines with trim), kept here.
  if (parsed.data.some((row) => row.length === 1 && row[0]!.trim() === '')) return undefined;
  const [first, ...rows] = parsed.data;
  if (!first) return { header: undefined, records: [] };
  const header = first.map((h) => h.trim());
  const records = new Array<Record<string, string | undefined>>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    if (row.length !== header.length) return undefined;
    const record: Record<string, string | undefined> = {};
    for (let c = 0; c < header.length; c++) {
      const value = row[c]!.trim();
      record[header[c]!] = value === '' ? undefined : value;
    }
    records[r] = record;
  }
  return { header, records };
}

/** The line break csv-parse splits on: the first one in the text (papaparse guesses otherwise). */
function firstLineBreak(text: string): '\r\n' | '\r' | '\n' {
  return (/\r\n|\r|\n/.exec(text)?.[0] as '\r\n' | '\r' | '\n' | undefined) ?? '\n';
}

function parseYamlDataset(
  dir: string,
  spec: DatasetSpec,
  text: string,
  mtime: Date,
): ParsedDataset {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line;
    throw fileError(
      dir,
      spec,
      e.message.split('\n')[0]!.replace(/:\s*$/, ''),
      line ? { line } : {},
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: YAML_MAX_ALIASES });
  } catch (err) {
    // yaml throws a ReferenceError for an alias bomb ("Excessive alias count ...").
    const aliases = /alias/i.test((err as Error).message);
    throw fileError(
      dir,
      spec,
      aliases
        ? `its aliases (*name) expand to more than ${YAML_MAX_ALIASES} copies, which boardroom refuses ` +
            '(a guard against YAML alias bombs): write the values out'
        : `cannot be read as YAML: ${(err as Error).message}`,
    );
  }
  if ((value === null || value === undefined) && !spec.optional)
    throw fileError(dir, spec, 'the file is empty (see docs/workspace.md)');
  return {
    value,
    lineOf: (p) => {
      // Walk up the path until a node exists (a missing key is reported at its parent).
      for (let n = p.length; n >= 0; n--) {
        const node = doc.getIn(p.slice(0, n) as unknown[], true) as
          { range?: [number, number, number] } | undefined;
        if (node?.range) return lineCounter.linePos(node.range[0]).line;
      }
      return undefined;
    },
    mtime,
  };
}
