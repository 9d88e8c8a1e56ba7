/**
 * The workspace source: a folder of CSV and YAML files (docs/workspace.md). Reads the
 * data sets an agent declares and validates them with the agent's schema; a bad value
 * is reported with its file, line and field.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { AgentDefinition, DatasetSpec } from '../contract/agent.js';
import { SourceSchemaError, ValidationError } from '../shared/errors.js';

export interface LoadedInput<T = unknown> {
  input: T;
  /** Set when an API supplied data sets: which, and whether from the cache. */
  origin?: { source: string; cacheAgeMs?: number };
  /** Newest modification time among the files read. */
  dataAsOf: Date;
  /** Files read. */
  sourceCalls: number;
}

interface ParsedDataset {
  value: unknown;
  /** Maps a zod path below the data set to a line number. */
  lineOf(pathBelow: PropertyKey[]): number | undefined;
  mtime: Date | undefined;
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

export async function loadAgentInput<S extends z.ZodType>(
  dir: string,
  agent: AgentDefinition<S>,
  provided?: ProvidedDatasets,
): Promise<LoadedInput<z.output<S>>> {
  const entries = Object.entries(agent.datasets);
  const parsed = await Promise.all(
    entries.map(([key, spec]) =>
      readDataset(dir, provided?.keys.includes(key) ? { ...spec, optional: true } : spec),
    ),
  );
  const raw: Record<string, unknown> = Object.fromEntries(
    entries.map(([key], i) => [key, parsed[i]!.value]),
  );
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
  return {
    input: validate(
      dir,
      agent.input,
      raw,
      (key) => {
        const i = entries.findIndex(([k]) => k === key);
        return i < 0 ? undefined : { spec: entries[i]![1], parsed: parsed[i]! };
      },
      provided && { by: provided.by, keys: providedKeys },
    ),
    dataAsOf,
    sourceCalls,
    ...(origin ? { origin } : {}),
  };
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
export async function loadLocatedDataset<S extends z.ZodType>(
  dir: string,
  spec: DatasetSpec,
  schema: S,
): Promise<{ value: z.output<S>; lineOf(path: readonly PropertyKey[]): number | undefined }> {
  const parsed = await readDataset(dir, spec);
  const result = schema.safeParse(parsed.value);
  if (result.success) return { value: result.data, lineOf: (p) => parsed.lineOf([...p]) };
  const issue = result.error.issues[0]!;
  throw locate(dir, spec, parsed, issue.path, issue.message);
}

function validate<S extends z.ZodType>(
  dir: string,
  schema: S,
  raw: Record<string, unknown>,
  lookup: (key: string) => { spec: DatasetSpec; parsed: ParsedDataset } | undefined,
  provided?: { by: string; keys: Set<string> },
): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const [key, ...below] = issue.path;
  if (provided?.keys.has(String(key)))
    throw apiShapeError(provided.by, String(key), raw[String(key)], below, issue.message);
  const found = lookup(String(key));
  if (!found) throw new ValidationError(`workspace: ${issue.message}`, { file: String(key) });
  throw locate(dir, found.spec, found.parsed, below, issue.message);
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
  const id = row && typeof row.id === 'string' ? ` (${row.id})` : '';
  const field = (index !== undefined ? below.slice(1) : below).map(String).join('.');
  return new SourceSchemaError(
    `${by}: ${dataset}${index !== undefined ? ` item ${index + 1}${id}` : ''}${field ? `, field "${field}"` : ''}: ${message}`,
    {
      source: by,
      dataset,
      ...(index !== undefined ? { item: index + 1 } : {}),
      ...(field ? { field } : {}),
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
  const file = dir ? path.join(dir, spec.file) : spec.file;
  const line = parsed.lineOf(below);
  const field =
    spec.format === 'csv' ? below.slice(1).map(String).join('.') : below.map(String).join('.');
  const where = [
    file,
    line !== undefined ? `line ${line}` : undefined,
    field ? `field "${field}"` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return new ValidationError(`${where}: ${message}`, {
    file: spec.file,
    ...(line !== undefined ? { line } : {}),
    ...(field ? { field } : {}),
  });
}

async function readDataset(dir: string, spec: DatasetSpec): Promise<ParsedDataset> {
  const file = path.join(dir, spec.file);
  let text: string;
  let mtime: Date;
  try {
    [text, mtime] = await Promise.all([readFile(file, 'utf8'), stat(file).then((s) => s.mtime)]);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      if (spec.optional) {
        return {
          value: spec.format === 'csv' ? [] : undefined,
          lineOf: () => undefined,
          mtime: undefined,
        };
      }
      throw new ValidationError(
        `${file}: file not found (see docs/workspace.md for the files a workspace needs)`,
        {
          file: spec.file,
        },
      );
    }
    throw err;
  }
  return spec.format === 'csv'
    ? parseCsvDataset(file, spec, text, mtime)
    : parseYamlDataset(file, spec, text, mtime);
}

function parseCsvDataset(
  file: string,
  spec: DatasetSpec,
  text: string,
  mtime: Date,
): ParsedDataset {
  let records: { record: Record<string, string | undefined>; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      columns: (header: string[]) => header.map((h) => h.trim()),
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as typeof records;
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new ValidationError(`${file}${e.lines ? `, line ${e.lines}` : ''}: ${e.message}`, {
      file: spec.file,
      ...(e.lines ? { line: e.lines } : {}),
    });
  }
  // An empty cell is "not given"; done here rather than in csv-parse's `cast`, which is ~5x slower.
  for (const { record } of records) {
    for (const key of Object.keys(record)) if (record[key] === '') record[key] = undefined;
  }
  return {
    value: records.map((r) => r.record),
    // csv-parse counts the line a record ends on; our records are one line each.
    lineOf: (p) => (typeof p[0] === 'number' ? records[p[0]]?.info.lines : undefined),
    mtime,
  };
}

function parseYamlDataset(
  file: string,
  spec: DatasetSpec,
  text: string,
  mtime: Date,
): ParsedDataset {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line;
    throw new ValidationError(
      `${file}${line ? `, line ${line}` : ''}: ${e.message.split('\n')[0]!.replace(/:\s*$/, '')}`,
      {
        file: spec.file,
        ...(line ? { line } : {}),
      },
    );
  }
  return {
    value: doc.toJS(),
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
