/**
 * Malformed copies of the demo workspace, generated here at test time (nothing is
 * committed), each run end to end through the real workflow on the test Temporal and
 * Postgres: every one must end within seconds with either a saved briefing or a named
 * error (a failure whose type is one of src/shared/errors.ts's classes), never retry a
 * permanent error for minutes. The cases the issue lists by name, then a broad set
 * generated per file: truncations, deleted and empty files, bad cells, wrong types,
 * duplicated headers, a directory in place of a file, YAML that is not YAML or is an
 * alias bomb, an unknown risk rule ...
 */
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBriefing } from '../../src/client/run.js';
import { ERROR_CLASSES } from '../../src/shared/errors.js';
import type { DailyBriefingResult } from '../../src/shared/workflow-api.js';
import { workspaceSources } from '../../src/sources/sources.js';
import { DEMO_WORKSPACE, createTestStack, type TestStack } from '../helpers/stack.js';

/** A case edits its own copy of the demo folder. */
interface FuzzCase {
  name: string;
  mutate(dir: string): Promise<void>;
  /** When set: the run's failure, or some agent's error, must match it. */
  says?: RegExp;
}

const NAMED_ERRORS = new Set(Object.keys(ERROR_CLASSES));
/** Each run must end this fast, even with every case running at once. */
const PER_CASE_LIMIT_MS = 30_000;
const CONCURRENCY = 12;

const write = (file: string) => (dir: string) => (content: string | Buffer) =>
  writeFile(path.join(dir, file), content);
const edit = (file: string, fn: (text: string) => string) => async (dir: string) => {
  const p = path.join(dir, file);
  await writeFile(p, fn(await readFile(p, 'utf8')));
};
const sourcesYaml = (content: string, says: RegExp = /sources\.yaml/): Omit<FuzzCase, 'name'> => ({
  mutate: (dir) => write('sources.yaml')(dir)(content),
  says,
});

const ALIAS_BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  '',
].join('\n');

/** The cases issue 11 names. */
const NAMED: FuzzCase[] = [
  { name: 'sources.yaml empty', ...sourcesYaml('', /./) },
  { name: 'sources.yaml unknown agent legal', ...sourcesYaml('agents:\n  legal: workspace\n') },
  {
    name: 'sources.yaml unknown connector quickbooks',
    ...sourcesYaml('agents:\n  finance: quickbooks\n'),
  },
  { name: 'sources.yaml unknown key', ...sourcesYaml('agents: {}\nfavourite_colour: blue\n') },
  {
    name: 'sources.yaml negative failure_threshold',
    ...sourcesYaml('resilience:\n  stripe:\n    failure_threshold: -3\n'),
  },
  {
    name: 'sources.yaml list where a map belongs',
    ...sourcesYaml('agents:\n  - finance\n  - sales\n'),
  },
  { name: 'sources.yaml not YAML', ...sourcesYaml('agents: {finance: [workspace\n  : : :\n') },
  {
    name: 'company.yaml time zone Mars/Olympus',
    mutate: edit('company.yaml', (t) => t.replace(/^timezone: .*$/m, 'timezone: Mars/Olympus')),
    says: /Mars\/Olympus/,
  },
  {
    name: 'company.yaml time zone ""',
    mutate: edit('company.yaml', (t) => t.replace(/^timezone: .*$/m, 'timezone: ""')),
    says: /time zone|timezone/i,
  },
  {
    name: 'NUL byte in a task title',
    mutate: edit('tasks.csv', (t) =>
      t.replace('Prepare the Q4 board update', 'Prepare the Q4\0 board update'),
    ),
  },
  {
    name: 'NUL byte in the company name',
    mutate: edit('company.yaml', (t) =>
      t.replace('name: Northwind Analytics', 'name: "Northwind\\0 Analytics"'),
    ),
  },
  {
    name: '10 MB goals list',
    mutate: (dir) =>
      write('goals.yaml')(dir)(
        `quarter: 2026-Q4\ngoals:\n${Array.from({ length: 200_000 }, (_, i) => `  - goal-${i}-${'x'.repeat(40)}`).join('\n')}\n`,
      ),
  },
  {
    name: 'ceo.yaml unknown risk rule',
    mutate: (dir) => write('ceo.yaml')(dir)('risks:\n  moon-phase-bad:\n    threshold: 3\n'),
    says: /ceo\.yaml/,
  },
  {
    name: 'ceo.yaml weights summing to 1.1',
    mutate: edit('ceo.yaml', (t) => t.replace('urgency: 0.25', 'urgency: 0.35')),
    says: /ceo\.yaml|weights/,
  },
  {
    name: 'founder.yaml unknown energy',
    mutate: (dir) => write('founder.yaml')(dir)('energy: extreme\n'),
    says: /founder\.yaml/,
  },
  {
    name: 'company.yaml deleted',
    mutate: (dir) => rm(path.join(dir, 'company.yaml')),
    says: /company\.yaml/,
  },
];

type Mutation = (file: string) => FuzzCase;

const CSV_MUTATIONS: Mutation[] = [
  (f) => ({ name: `${f} empty (0 bytes)`, mutate: (d) => write(f)(d)('') }),
  (f) => ({ name: `${f} deleted`, mutate: (d) => rm(path.join(d, f)) }),
  (f) => ({
    name: `${f} cut mid-row`,
    mutate: edit(f, (t) => t.slice(0, Math.floor(t.length * 0.6))),
  }),
  (f) => ({ name: `${f} header only`, mutate: edit(f, (t) => `${t.split('\n')[0]}\n`) }),
  (f) => ({ name: `${f} blank lines only`, mutate: (d) => write(f)(d)('\n\n\n\n') }),
  (f) => ({
    name: `${f} duplicated header`,
    mutate: edit(f, (t) => {
      const [head, ...rest] = t.split('\n');
      const cols = head!.split(',');
      cols[cols.length - 1] = cols[0]!;
      return [cols.join(','), ...rest].join('\n');
    }),
  }),
  (f) => ({
    name: `${f} bad cells`,
    mutate: edit(f, (t) => {
      const lines = t.split('\n');
      lines[1] = lines[1]!.replace(/\b\d+(\.\d+)?\b/g, 'abc');
      return lines.join('\n');
    }),
  }),
  (f) => ({
    name: `${f} dates of the wrong type`,
    mutate: edit(f, (t) => t.replace(/\d{4}-\d{2}-\d{2}/g, 'yesterday')),
  }),
  (f) => ({
    name: `${f} a directory in place of the file`,
    mutate: async (d) => {
      await rm(path.join(d, f));
      await mkdir(path.join(d, f));
    },
  }),
  (f) => ({ name: `${f} partial header`, mutate: edit(f, (t) => t.slice(0, 5)) }),
  (f) => ({
    name: `${f} a row with too many cells`,
    mutate: edit(f, (t) => t.replace(/\n([^\n]+)/, '\n$1,extra,cells')),
  }),
];

const YAML_MUTATIONS: Mutation[] = [
  (f) => ({ name: `${f} empty`, mutate: (d) => write(f)(d)('') }),
  (f) => ({
    name: `${f} not YAML`,
    mutate: (d) => write(f)(d)('key: [unclosed\n  - : :\n\t\ttab'),
  }),
  (f) => ({
    name: `${f} a list where a map belongs`,
    mutate: (d) => write(f)(d)('- one\n- two\n'),
  }),
  (f) => ({
    name: `${f} a directory in place of the file`,
    mutate: async (d) => {
      await rm(path.join(d, f));
      await mkdir(path.join(d, f));
    },
  }),
  (f) => ({ name: `${f} alias bomb`, mutate: (d) => write(f)(d)(ALIAS_BOMB) }),
  (f) => ({ name: `${f} a number where a map belongs`, mutate: (d) => write(f)(d)('42\n') }),
  (f) => ({
    name: `${f} every number a string`,
    mutate: edit(f, (t) => t.replace(/: (\d+(\.\d+)?)$/gm, ': "lots"')),
  }),
  (f) => ({ name: `${f} deleted`, mutate: (d) => rm(path.join(d, f)) }),
];

/** Each CSV file gets two of its kind's mutations, each YAML file three, chosen by its position: every mutation appears. */
async function generatedCases(): Promise<FuzzCase[]> {
  const files = (await readdir(DEMO_WORKSPACE)).sort();
  const csv = files.filter((f) => f.endsWith('.csv'));
  const yaml = files.filter((f) => f.endsWith('.yaml'));
  const pick = (list: string[], mutations: Mutation[], offsets: number[]) =>
    list.flatMap((f, i) => offsets.map((k) => mutations[(i + k) % mutations.length]!(f)));
  return [...pick(csv, CSV_MUTATIONS, [0, 5]), ...pick(yaml, YAML_MUTATIONS, [0, 4, 7])];
}

interface Outcome {
  name: string;
  ms: number;
  kind: 'briefing' | 'named error' | 'unnamed error' | 'timed out';
  detail: string;
  agentErrors: string[];
}

let stack: TestStack;
let root: string;
const prefix = `t-fuzz-${randomUUID().slice(0, 6)}`;
let cases: (FuzzCase & { companyId: string; dir: string; timeZone: string })[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'boardroom-fuzz-'));
  const all = [...NAMED, ...(await generatedCases())];
  cases = await Promise.all(
    all.map(async (c, i) => {
      const dir = path.join(root, String(i));
      await cp(DEMO_WORKSPACE, dir, { recursive: true });
      await c.mutate(dir);
      return { ...c, companyId: `${prefix}-${i}`, dir, timeZone: await zoneOf(dir) };
    }),
  );
  stack = await createTestStack({
    sources: workspaceSources(Object.fromEntries(cases.map((c) => [c.companyId, c.dir]))),
  });
});

afterAll(async () => {
  for (const table of ['briefing_runs', 'agent_executions', 'metric_points']) {
    await stack?.repo.pool.query(`DELETE FROM ${table} WHERE company_id LIKE $1`, [`${prefix}-%`]);
  }
  await stack?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** The zone the CLI would pass: company.yaml's `timezone` as written, else UTC. */
async function zoneOf(dir: string): Promise<string> {
  try {
    const doc = parseYaml(await readFile(path.join(dir, 'company.yaml'), 'utf8')) as {
      timezone?: unknown;
    };
    return typeof doc?.timezone === 'string' ? doc.timezone : 'UTC';
  } catch {
    return 'UTC';
  }
}

async function runCase(c: (typeof cases)[number]): Promise<Outcome> {
  const t0 = Date.now();
  const handle = await startBriefing(stack.client, {
    taskQueue: stack.taskQueue,
    input: stack.input({ companyId: c.companyId, timeZone: c.timeZone }),
    now: new Date(),
    workflowId: `${c.companyId}-${randomUUID().slice(0, 6)}`,
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>(
    (r) => (timer = setTimeout(() => r('timeout'), PER_CASE_LIMIT_MS)),
  );
  try {
    const result = await Promise.race([handle.result() as Promise<DailyBriefingResult>, timeout]);
    const ms = Date.now() - t0;
    if (result === 'timeout') {
      await handle.terminate('fuzz case over its time limit').catch(() => {});
      return { name: c.name, ms, kind: 'timed out', detail: 'still running', agentErrors: [] };
    }
    const stored = await stack.repo.getBriefing(handle.workflowId);
    const agentErrors = Object.values(stored?.briefing.agents ?? {})
      .map((r) => r.error)
      .filter((e): e is string => !!e);
    return {
      name: c.name,
      ms,
      kind: stored && result.created ? 'briefing' : 'unnamed error',
      detail: stored ? `briefing ${result.briefingId}` : 'no briefing stored',
      agentErrors,
    };
  } catch (err) {
    const ms = Date.now() - t0;
    const cause = err instanceof WorkflowFailedError ? err.cause : undefined;
    const type = cause instanceof ApplicationFailure ? cause.type : undefined;
    return {
      name: c.name,
      ms,
      kind: type && NAMED_ERRORS.has(type) ? 'named error' : 'unnamed error',
      detail: `${type ?? (err as Error).name}: ${cause?.message ?? (err as Error).message}`,
      agentErrors: [],
    };
  } finally {
    clearTimeout(timer);
  }
}

it(
  'every malformed workspace ends within seconds with a briefing or a named error',
  { timeout: 120_000 },
  async () => {
    expect(cases.length).toBeGreaterThanOrEqual(80);
    const outcomes: Outcome[] = [];
    const queue = [...cases];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let c = queue.shift(); c; c = queue.shift()) outcomes.push(await runCase(c));
      }),
    );
    const byName = new Map(outcomes.map((o) => [o.name, o]));
    const counts = outcomes.reduce<Record<string, number>>(
      (n, o) => ({ ...n, [o.kind]: (n[o.kind] ?? 0) + 1 }),
      {},
    );
    const slowest = Math.max(...outcomes.map((o) => o.ms));
    console.log(
      `fuzz: ${outcomes.length} workspaces, ${JSON.stringify(counts)}, slowest ${(slowest / 1000).toFixed(1)} s`,
    );
    if (process.env.FUZZ_VERBOSE)
      for (const o of outcomes)
        console.log(
          `${o.name}: ${o.kind} ${o.ms} ms ${o.detail} ${o.agentErrors.slice(0, 2).join(' | ').slice(0, 300)}`,
        );
    const bad = outcomes.filter((o) => o.kind === 'unnamed error' || o.kind === 'timed out');
    expect(bad.map((o) => `${o.name}: ${o.kind} after ${o.ms} ms (${o.detail})`)).toEqual([]);
    // What the run says names the cause, for the cases that have one to name.
    const unsaid = cases
      .filter((c) => c.says)
      .map((c) => ({ c, o: byName.get(c.name)! }))
      .filter(({ c, o }) => ![o.detail, ...o.agentErrors].some((m) => c.says!.test(m)))
      .map(({ c, o }) => `${c.name}: ${o.detail} | ${o.agentErrors.join(' | ')}`);
    expect(unsaid).toEqual([]);
  },
);
