/**
 * The portfolio-scale benchmark (issue 15): N generated companies, one briefing each,
 * through the real stack, next to the bare workflow shape on the same server and workers.
 *
 *   npm run bench -- --companies 100 [--workers 1] [--concurrency 50] [--json] [--profile DIR]
 *
 * It generates N believable companies (src/sources/demo/generate-company.ts: different
 * seeds, sizes and time zones) into a temp folder, registers them (the companies table),
 * starts a file-backed Temporal dev server, uses a scratch database on DATABASE_URL's
 * server (else an embedded PGlite in this process, never in a worker's), and spawns W
 * worker processes (scripts/bench-worker.ts: the real `boardroom worker` command). Then:
 *
 * 1. briefings: one dailyBriefingWorkflow per company, `--concurrency` at a time;
 * 2. bare: the bare shape (bench-workflows.ts: 6 parallel no-op activities, then 2), as
 *    many times, as many at a time, served by the same W processes.
 *
 * Figures: runs a second of each and their ratio; p50/p95 from start to result (the
 * client's clock); CPU ms a briefing (the workers' and the Temporal server's user+system
 * time over the briefing phase, /proc/<pid>/stat, divided by N); the workers' largest RSS
 * after the briefings (/proc/<pid>/status VmRSS); history bytes a run (the proto encoding
 * of fetchHistory's History, mean over up to HISTORY_SAMPLE runs); Postgres rows and bytes
 * a briefing (count(*) and pg_total_relation_size of every table, before and after); and,
 * from the histories, the server-clock time after the 6th activity (the old benchmark's
 * figure). With --json the last line of stdout is one JSON object; progress goes to stderr.
 *
 * --profile DIR runs the workers with --cpu-prof --cpu-prof-dir DIR and prints the top
 * self-time functions of the briefing phase (the profile's samples cut to it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { build as esbuild } from 'esbuild';
import pg from 'pg';
import { startBriefing } from '../src/client/run.js';
import { startTemporalDevServer } from '../src/dev/temporal-dev-server.js';
import type { DailyBriefingInput } from '../src/shared/workflow-api.js';
import { generateCompanyWorkspace } from '../src/sources/demo/generate-company.js';
import { startEmbeddedPostgres } from '../src/store/embedded-postgres.js';
import { migrate } from '../src/store/migrate.js';
import { Repository } from '../src/store/repository.js';
import {
  JEMALLOC_PATHS,
  WORKER_CACHED_WORKFLOWS as PRODUCTION_CACHED_WORKFLOWS,
  WORKER_NODE_ARGS as PRODUCTION_NODE_ARGS,
  jemallocEnv,
} from '../src/worker/runtime.js';
import { buildDist, TRANSPILE } from './build.js';
import { cleanUps, within } from './clean-up.js';

const USAGE =
  'usage: npm run bench -- --companies N [--workers W] [--concurrency C] [--json] [--profile DIR] [--from-source] [--worker-node-args "FLAGS"] [--malloc jemalloc|glibc]';

/** Histories fetched for the size and the after-the-6th-activity figures. */
const HISTORY_SAMPLE = 200;
/** How long one run may take before the benchmark gives up on it. */
const RUN_TIMEOUT_MS = 120_000;
const WORKER_READY_TIMEOUT_MS = 180_000;
const TIME_ZONES = [
  'America/New_York',
  'Europe/Berlin',
  'Asia/Tokyo',
  'America/Los_Angeles',
  'Europe/London',
  'Australia/Sydney',
  'America/Sao_Paulo',
  'Asia/Kolkata',
];
const NAMES_A = [
  'Northwind',
  'Bluefin',
  'Cedar',
  'Harbor',
  'Mosaic',
  'Granite',
  'Juniper',
  'Lumen',
];
const NAMES_B = ['Analytics', 'Labs', 'Health', 'Logistics', 'Studio', 'Systems', 'Works', 'Cloud'];

function fail(message: string): never {
  process.stderr.write(`bench: ${message} (${USAGE})\n`);
  process.exit(1);
}

function parseFlags() {
  try {
    return parseArgs({
      strict: true,
      allowPositionals: false,
      options: {
        companies: { type: 'string', default: '100' },
        workers: { type: 'string', default: '1' },
        concurrency: { type: 'string', default: '50' },
        json: { type: 'boolean', default: false },
        profile: { type: 'string' },
        'from-source': { type: 'boolean', default: false },
        'worker-node-args': { type: 'string' },
        malloc: { type: 'string' },
      },
    }).values;
  } catch (err) {
    // node's message names the flag ("Unknown option '--x'", "Option '--companies <value>' argument missing").
    fail((err as Error).message.split('\n')[0]!);
  }
}

const flags = parseFlags();
function wholeFlag(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max)
    fail(`--${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}
/** @default 100 */
const COMPANIES = wholeFlag('companies', flags.companies, 1, 100_000);
/** @default 1 */
const WORKERS = wholeFlag('workers', flags.workers, 1, 16);
/** Runs in flight at once (briefings, then bare runs). @default 50 */
const CONCURRENCY = wholeFlag('concurrency', flags.concurrency, 1, 10_000);
const JSON_OUT = flags.json;
/** Run the workers from src/ through tsx instead of the build. @default false */
const FROM_SOURCE = flags['from-source'];
/**
 * node's own flags for the workers, space-separated (V8's too, which NODE_OPTIONS does not
 * take: `--worker-node-args=--heap-growing-percent=50`; `--worker-node-args=` for none).
 * @default WORKER_NODE_ARGS (src/worker/runtime.ts: what the Dockerfile runs)
 */
const WORKER_NODE_ARGS = (flags['worker-node-args'] ?? PRODUCTION_NODE_ARGS.join(' '))
  .split(/\s+/)
  .filter(Boolean);
if (WORKER_NODE_ARGS.some((a) => !a.startsWith('--')))
  fail(
    `--worker-node-args: expected node flags (each starting with --), got ${JSON.stringify(flags['worker-node-args'])}`,
  );
/**
 * The workers' malloc: jemalloc as the image preloads it (src/worker/runtime.ts), or
 * glibc's. @default jemalloc where the library is installed (Debian's libjemalloc2), else glibc
 */
const MALLOC = flags.malloc ?? 'jemalloc';
if (!['jemalloc', 'glibc'].includes(MALLOC))
  fail(`--malloc: expected jemalloc or glibc, got ${JSON.stringify(MALLOC)}`);
const JEMALLOC = MALLOC === 'jemalloc' ? JEMALLOC_PATHS.find((p) => existsSync(p)) : undefined;
if (flags.malloc === 'jemalloc' && !JEMALLOC)
  fail(
    `--malloc jemalloc: no libjemalloc.so.2 in ${JEMALLOC_PATHS.join(', ')}; install Debian's libjemalloc2, or pass --malloc glibc`,
  );
/**
 * The workers' sticky cache: the image's (BOARDROOM_WORKER_CACHED_WORKFLOWS), unless the
 * environment sets it. @default WORKER_CACHED_WORKFLOWS
 */
const CACHED_WORKFLOWS =
  process.env.BOARDROOM_WORKER_CACHED_WORKFLOWS ?? String(PRODUCTION_CACHED_WORKFLOWS);
const PROFILE_DIR = flags.profile === undefined ? undefined : path.resolve(flags.profile);
if (flags.profile === '') fail('--profile: expected a folder');

// Progress and notes go to stderr: stdout is the figures, and with --json its last line the object.
const note = (line: string) => process.stderr.write(`${line}\n`);
const say = (line: string) => process.stdout.write(`${line}\n`);

const cleanups = cleanUps(note, { quietAfterSignal: true });

// ---- Processes: CPU time and memory from /proc ----

const CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux

async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // After the command's closing parenthesis: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * CLOCK_TICK_MS || 0;
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** The machine's CPU time so far, every core's (ms): all of it, idle and waiting on I/O. */
async function machineCpuMs(): Promise<{ total: number; idle: number; iowait: number }> {
  const stat = await readFile('/proc/stat', 'utf8').catch(() => '');
  const f = (/^cpu\s+(.*)$/m.exec(stat)?.[1] ?? '').split(/\s+/).map(Number);
  // user nice system idle iowait irq softirq steal (guest time is inside user already)
  const total = f.slice(0, 8).reduce((a, b) => a + (b || 0), 0);
  return {
    total: total * CLOCK_TICK_MS,
    idle: (f[3] || 0) * CLOCK_TICK_MS,
    iowait: (f[4] || 0) * CLOCK_TICK_MS,
  };
}

/**
 * CPU time of this machine's PostgreSQL processes alive now (ms): 0 where Postgres runs
 * elsewhere; a process that exited (an autovacuum worker) takes its time with it.
 */
async function postgresCpuMs(): Promise<number> {
  let ms = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.startsWith('postgres')) ms += await cpuMs(Number(entry));
  }
  return ms;
}

/** The pid of the dev server keeping its state in `dbFile` (it may be the CLI's child). */
async function serverPid(dbFile: string): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmd = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes('start-dev') && cmd.includes(dbFile)) return Number(entry);
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

// ---- The database ----

async function scratchDatabase(serverUrl: string): Promise<string> {
  const name = `boardroom_bench_${process.pid}`;
  const admin = async (sql: string) => {
    const c = new pg.Client({
      connectionString: serverUrl,
      connectionTimeoutMillis: 10_000,
      query_timeout: 60_000,
    });
    c.on('error', () => {});
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${name}`);
  await admin(`CREATE DATABASE ${name}`);
  cleanups.push({
    what: `drop database ${name}`,
    run: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function freshDatabase(tmp: string): Promise<{ url: string; kind: string }> {
  if (process.env.DATABASE_URL) {
    return {
      url: await scratchDatabase(process.env.DATABASE_URL),
      kind: 'Postgres (DATABASE_URL)',
    };
  }
  const embedded = await within(
    startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: 0 }),
    120_000,
    'the embedded Postgres',
  );
  cleanups.push({ what: 'stop the embedded Postgres', run: () => embedded.stop() });
  return { url: embedded.url, kind: 'embedded PGlite (in the benchmark process)' };
}

interface TableStats {
  rows: Record<string, number>;
  bytes: number;
}

async function tableStats(repo: Repository): Promise<TableStats> {
  const { rows: tables } = await repo.pool.query<{ name: string; bytes: string }>(
    `SELECT quote_ident(schemaname) || '.' || quote_ident(relname) AS name,
            pg_total_relation_size(relid)::text AS bytes
       FROM pg_stat_user_tables ORDER BY 1`,
  );
  const rows: Record<string, number> = {};
  for (const t of tables) {
    const { rows: r } = await repo.pool.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${t.name}`,
    );
    rows[t.name] = Number(r[0]!.n);
  }
  return { rows, bytes: tables.reduce((s, t) => s + Number(t.bytes), 0) };
}

// ---- Worker processes ----

interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  ready: Promise<void>;
  exited: Promise<number | null>;
  request<T>(message: object, reply: string): Promise<T>;
}

/** How the workers start: the build's JavaScript (as the image runs), or src/ through tsx. */
interface WorkerCode {
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** The workers' code: src/ built into a scratch dist (scripts/build.ts), unless --from-source. */
async function workerCode(): Promise<WorkerCode> {
  const source = fileURLToPath(new URL('./bench-worker.ts', import.meta.url));
  if (FROM_SOURCE) return { args: ['--import', 'tsx', source], env: {} };
  // Directly inside the repository, as dist/ is: the modules find package.json at ../..
  const outDir = path.resolve(
    fileURLToPath(new URL('..', import.meta.url)),
    `.build-bench-${process.pid}`,
  );
  cleanups.push({
    what: `remove ${outDir}`,
    run: () => rm(outDir, { recursive: true, force: true }),
  });
  const { modules } = await buildDist({ outDir });
  const script = path.join(outDir, 'bench-worker.js');
  await esbuild({ ...TRANSPILE, entryPoints: [source], outfile: script });
  note(`  built ${modules} modules into ${outDir} (the workers run them without tsx)`);
  return { args: [script], env: { BENCH_PROGRAM: './client/program.js' } };
}

function spawnWorker(
  i: number,
  code: WorkerCode,
  env: NodeJS.ProcessEnv,
  logFile: string,
): WorkerProcess {
  const prof = PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [];
  // --expose-gc only lets the benchmark ask for a collection after the briefings (`memory`).
  const child = spawn(
    process.execPath,
    [...prof, ...WORKER_NODE_ARGS, '--expose-gc', ...code.args],
    {
      env: { ...env, ...code.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  const log = createWriteStream(logFile);
  let seen = '';
  let markReady!: () => void;
  let markFailed!: (err: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    markFailed = reject;
  });
  const onOutput = (chunk: Buffer) => {
    log.write(chunk);
    if (seen !== 'ready') {
      seen += chunk.toString();
      if (seen.includes('Worker polling task queue')) {
        seen = 'ready';
        markReady();
      }
    }
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      log.end();
      markFailed(new Error(`worker ${i} exited (code ${code}) before it polled: see ${logFile}`));
      resolve(code);
    }),
  );
  ready.catch(() => undefined);
  const request = <T>(message: object, reply: string) =>
    within(
      new Promise<T>((resolve, reject) => {
        const on = (m: { type: string; message?: string }) => {
          if (m.type === 'error') reject(new Error(`worker ${i}: ${m.message}`));
          if (m.type !== reply) return;
          child.off('message', on);
          resolve(m as T);
        };
        child.on('message', on);
        child.send(message);
      }),
      WORKER_READY_TIMEOUT_MS,
      `worker ${i}'s answer to ${JSON.stringify(message)}`,
    );
  return { child, pid: child.pid!, ready, exited, request };
}

async function stopWorker(w: WorkerProcess): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  w.child.kill('SIGTERM');
  const timer = setTimeout(() => w.child.kill('SIGKILL'), 20_000);
  await w.exited;
  clearTimeout(timer);
}

// ---- Runs ----

const pct = (xs: number[], p: number): number =>
  xs.length === 0
    ? NaN
    : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/** Runs `count` jobs, `concurrency` at a time, with progress about every 10%. */
async function pool(
  label: string,
  count: number,
  concurrency: number,
  job: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let done = 0;
  let shown = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        await job(next++);
        done++;
        if (done === count || done - shown >= Math.max(1, Math.ceil(count / 10))) {
          shown = done;
          const secs = (performance.now() - t0) / 1000;
          note(`  ${label}: ${done}/${count} (${(done / secs).toFixed(1)}/s)`);
        }
      }
    }),
  );
}

/** History size (proto encoding) and the server-clock ms from the 6th completed activity to the end. */
async function historyFigures(client: Client, workflowId: string) {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const bytes = proto.temporal.api.history.v1.History.encode(history).finish().length;
  const events = history.events ?? [];
  const ms = (e: (typeof events)[number]) =>
    Number(e.eventTime!.seconds) * 1000 + Math.round((e.eventTime!.nanos ?? 0) / 1e6);
  const done = events.filter(
    (e) => e.activityTaskCompletedEventAttributes || e.activityTaskFailedEventAttributes,
  );
  const afterSixth = done[5] ? ms(events[events.length - 1]!) - ms(done[5]) : NaN;
  // Each workflow task is a poll, an activation and a completion on the worker and the server.
  const workflowTasks = events.filter((e) => e.workflowTaskCompletedEventAttributes).length;
  return { bytes, afterSixth, workflowTasks };
}

async function sampleHistories(client: Client, ids: string[]) {
  const step = Math.max(1, Math.ceil(ids.length / HISTORY_SAMPLE));
  const sample = ids.filter((_, i) => i % step === 0);
  const out: { bytes: number; afterSixth: number; workflowTasks: number }[] = [];
  let k = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (k < sample.length) {
        const id = sample[k++]!;
        out.push(await within(historyFigures(client, id), 30_000, `history of ${id}`));
      }
    }),
  );
  return out;
}

// ---- The profile ----

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Self time by function over the samples taken in [fromUs, toUs] (each process its window). */
function topSelfTime(
  profiles: { profile: CpuProfile; thread: string; fromUs?: number; toUs?: number }[],
  top: number,
): {
  rows: { ms: number; pct: number; name: string }[];
  windowed: boolean;
  busyMs: number;
  idleMs: number;
} {
  const byName = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let windowed = true;
  for (const { profile, thread, fromUs, toUs } of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    let t = profile.startTime;
    // A window outside the profile's clock would cut every sample: then the whole profile.
    const inClock =
      fromUs !== undefined &&
      toUs !== undefined &&
      fromUs >= profile.startTime &&
      toUs <= profile.startTime + profile.timeDeltas.reduce((a, b) => a + b, 0) + 1e7;
    // The main thread's profile spans the whole phase; a thread started later may not.
    if (!inClock && thread === '') windowed = false;
    for (let i = 0; i < profile.samples.length; i++) {
      t += profile.timeDeltas[i]!;
      const dt = profile.timeDeltas[i + 1] ?? 0;
      if (fromUs !== undefined && toUs !== undefined && (t < fromUs || t > toUs)) continue;
      const f = nodes.get(profile.samples[i]!)!.callFrame;
      const where = f.url
        ? `${f.url.replace(/^file:\/\//, '').replace(process.cwd() + '/', '')}:${f.lineNumber + 1}`
        : '';
      const name = `${thread}${f.functionName || '(anonymous)'} ${where}`.trim();
      if (f.functionName === '(idle)') {
        idle += dt;
        continue;
      }
      byName.set(name, (byName.get(name) ?? 0) + dt);
      total += dt;
    }
  }
  const rows = [...byName.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ ms: us / 1000, pct: (100 * us) / (total || 1), name }));
  return { rows, windowed, busyMs: total / 1000, idleMs: idle / 1000 };
}

// ---- The run ----

const today = new Date().toISOString().slice(0, 10);
const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-bench-'));
cleanups.push({ what: `remove ${tmp}`, run: () => rm(tmp, { recursive: true, force: true }) });

try {
  // 1. The companies.
  const runId = Date.now().toString(36);
  const companies = Array.from({ length: COMPANIES }, (_, i) => ({
    id: `bench-${runId}-${i + 1}`,
    name: `${NAMES_A[i % NAMES_A.length]} ${NAMES_B[Math.floor(i / NAMES_A.length) % NAMES_B.length]} ${i + 1}`,
    seed: i + 1,
    // Mostly small, some twice and three times the demo's customers and deals.
    size: 1 + (i % 5 === 4 ? 2 : i % 3 === 2 ? 1 : 0),
    timeZone: TIME_ZONES[i % TIME_ZONES.length]!,
    today,
    dir: path.join(tmp, 'companies', `c${i + 1}`),
  }));
  note(`Generating ${COMPANIES} companies in ${tmp} ...`);
  for (let i = 0; i < companies.length; i += 20)
    await Promise.all(companies.slice(i, i + 20).map((c) => generateCompanyWorkspace(c.dir, c)));

  // 2. Postgres and the registry.
  const db = await freshDatabase(tmp);
  note(`Database: ${db.kind}; migrating and registering the companies ...`);
  await within(migrate(db.url), 120_000, 'the migrations');
  const repo = Repository.connect(db.url);
  cleanups.push({ what: 'close the repository', run: () => repo.close() });
  for (const c of companies) {
    await repo.addCompany({
      id: c.id,
      name: c.name,
      currency: 'USD',
      timeZone: c.timeZone,
      workspace: c.dir,
      cron: '0 7 * * *',
    });
  }

  // 3. Temporal.
  const [port, uiPort] = [await freePort(), await freePort()];
  note(`Starting a file-backed Temporal dev server on 127.0.0.1:${port} ...`);
  const temporalDir = path.join(tmp, 'temporal');
  const dev = await within(
    startTemporalDevServer({
      dataDir: temporalDir,
      cacheDir: path.resolve(process.env.BOARDROOM_CACHE_DIR ?? '.cache'),
      cliPath: process.env.TEMPORAL_CLI_PATH,
      envPath: process.env.PATH,
      namespace: 'default',
      port,
      uiPort,
    }),
    120_000,
    'the Temporal dev server',
  );
  cleanups.push({ what: 'stop the Temporal dev server', run: () => dev.stop() });
  const serverProcess = await serverPid(path.join(temporalDir, 'temporal.db'));
  if (!serverProcess) note("  (the server's pid was not found: its CPU is left out)");
  const connection = await within(
    Connection.connect({ address: dev.address }),
    30_000,
    'connecting to Temporal',
  );
  cleanups.push({ what: 'close the Temporal client', run: () => connection.close() });
  const client = new Client({ connection });

  // 4. The workers.
  const taskQueue = `bench-${runId}`;
  if (PROFILE_DIR) await mkdir(PROFILE_DIR, { recursive: true });
  note(`Starting ${WORKERS} worker process${WORKERS > 1 ? 'es' : ''} ...`);
  const code = await workerCode();
  const workers = Array.from({ length: WORKERS }, (_, i) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: dev.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: taskQueue,
      DATABASE_URL: db.url,
      // The worker command checks its configured company first; any registered one does.
      BOARDROOM_COMPANY_ID: companies[0]!.id,
      BOARDROOM_WORKSPACE: companies[0]!.dir,
      BOARDROOM_DATA_DIR: path.join(tmp, `worker-${i}`),
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      BOARDROOM_WORKER_CACHED_WORKFLOWS: CACHED_WORKFLOWS,
      ...(JEMALLOC ? jemallocEnv(JEMALLOC) : {}),
    };
    delete env.LOG_FILE;
    return spawnWorker(i, code, env, path.join(tmp, `worker-${i}.log`));
  });
  for (const w of workers)
    cleanups.push({ what: `stop worker ${w.pid}`, run: () => stopWorker(w) });
  await within(Promise.all(workers.map((w) => w.ready)), WORKER_READY_TIMEOUT_MS, 'the workers');
  const rssBefore = await Promise.all(workers.map((w) => rssMb(w.pid)));
  const memoryOf = (gc = false) =>
    Promise.all(
      workers.map((w) => w.request<Record<string, number>>({ type: 'memory', gc }, 'memory')),
    );
  const memBefore = await memoryOf();
  const pids = [...workers.map((w) => w.pid), ...(serverProcess ? [serverProcess] : [])];
  const cpuNow = async () => {
    const each = await Promise.all(pids.map(cpuMs));
    return {
      workers: each.slice(0, WORKERS).reduce((a, b) => a + b, 0),
      server: each[WORKERS] ?? 0,
      postgres: await postgresCpuMs(),
      machine: await machineCpuMs(),
    };
  };
  let markId = 0;
  const marks = () =>
    Promise.all(
      workers.map((w) => w.request<{ us: number }>({ type: 'mark', id: ++markId }, 'mark')),
    );

  // 5. The briefings.
  note(`Briefings: ${COMPANIES}, ${CONCURRENCY} at a time ...`);
  const pgBefore = await tableStats(repo);
  const briefingIds: string[] = [];
  const briefingMs: number[] = [];
  let failures = 0;
  let firstFailure = '';
  const startMarks = await marks();
  const cpu0 = await cpuNow();
  const tB = performance.now();
  await pool('briefings', COMPANIES, CONCURRENCY, async (i) => {
    const c = companies[i]!;
    const input: DailyBriefingInput = { companyId: c.id, trigger: 'manual', timeZone: c.timeZone };
    const t0 = performance.now();
    try {
      const handle = await within(
        startBriefing(client, {
          taskQueue,
          input,
          now: new Date(),
          workflowId: `${c.id}-briefing`,
        }),
        RUN_TIMEOUT_MS,
        `starting the briefing of ${c.id}`,
      );
      await within(handle.result(), RUN_TIMEOUT_MS, `the briefing of ${c.id}`);
      briefingIds.push(handle.workflowId);
      briefingMs.push(performance.now() - t0);
    } catch (err) {
      failures++;
      firstFailure ||= `${c.id}: ${(err as Error).message}`;
    }
  });
  const briefingSecs = (performance.now() - tB) / 1000;
  const loadAfterBriefings = os.loadavg()[0]!;
  const cpu1 = await cpuNow();
  const endMarks = await marks();
  const rss = await Promise.all(workers.map((w) => rssMb(w.pid)));
  const memAfter = await memoryOf();
  const memLive = await memoryOf(true);
  const pgAfter = await tableStats(repo);

  // 6. The bare shape, on the same server and processes.
  note('Bare workflow shape: starting it in the same worker processes ...');
  const bareQueue = `${taskQueue}-bare`;
  const bundlePath = path.join(tmp, 'bare-bundle.js');
  const bundle = await within(
    bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./bench-workflows.ts', import.meta.url)),
      logger: new DefaultLogger('WARN'),
    }),
    120_000,
    'bundling the bare workflow',
  );
  await writeFile(bundlePath, bundle.code);
  await Promise.all(
    workers.map((w) =>
      w.request(
        { type: 'bare', address: dev.address, taskQueue: bareQueue, bundlePath },
        'bare-ready',
      ),
    ),
  );
  const bareRun = async (id: string) => {
    const handle = await within(
      client.workflow.start('bareWorkflow', { taskQueue: bareQueue, workflowId: id }),
      RUN_TIMEOUT_MS,
      `starting the bare run ${id}`,
    );
    await within(handle.result(), RUN_TIMEOUT_MS, `the bare run ${id}`);
    return handle.workflowId;
  };
  // Its bundle and code paths warm, as the briefing worker's are after its first runs.
  await pool('bare warm-up', 4 * WORKERS, CONCURRENCY, async (i) => {
    await bareRun(`${taskQueue}-bare-warm-${i}`);
  });
  note(`Bare runs: ${COMPANIES}, ${CONCURRENCY} at a time ...`);
  const bareIds: string[] = [];
  const bareMs: number[] = [];
  const cpuBare0 = await cpuNow();
  const tA = performance.now();
  await pool('bare', COMPANIES, CONCURRENCY, async (i) => {
    const t0 = performance.now();
    bareIds.push(await bareRun(`${taskQueue}-bare-${i}`));
    bareMs.push(performance.now() - t0);
  });
  const bareSecs = (performance.now() - tA) / 1000;
  const cpuBare1 = await cpuNow();

  // 7. Histories.
  note('Reading histories ...');
  const histories = await sampleHistories(client, briefingIds);
  const bareHistories = await sampleHistories(client, bareIds);

  // 8. Workers stop (a profile is written at exit).
  await Promise.all(workers.map(stopWorker));

  const ok = COMPANIES - failures;
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
  const briefingsPerSecond = ok / briefingSecs;
  const bareWorkflowsPerSecond = COMPANIES / bareSecs;
  const cpuWorkers = cpu1.workers - cpu0.workers;
  const cpuServer = cpu1.server - cpu0.server;
  const cpuPostgres = cpu1.postgres - cpu0.postgres;
  const machineMs = cpu1.machine.total - cpu0.machine.total;
  const share = (ms: number) => (machineMs > 0 ? round((100 * ms) / machineMs, 0) : 0);
  const idleMs = cpu1.machine.idle - cpu0.machine.idle;
  const iowaitMs = cpu1.machine.iowait - cpu0.machine.iowait;
  const rowsGrown = Object.fromEntries(
    Object.keys(pgAfter.rows)
      .map((t) => [t, (pgAfter.rows[t] ?? 0) - (pgBefore.rows[t] ?? 0)] as const)
      .filter(([, n]) => n !== 0),
  );
  const rowsPerBriefing = Object.values(rowsGrown).reduce((a, b) => a + b, 0) / COMPANIES;
  const result = {
    companies: COMPANIES,
    workers: WORKERS,
    concurrency: CONCURRENCY,
    workerCode: FROM_SOURCE ? 'src through tsx' : 'build (scripts/build.ts)',
    workerNodeArgs: WORKER_NODE_ARGS.join(' '),
    workerCachedWorkflows: CACHED_WORKFLOWS,
    workerMalloc: JEMALLOC ? `jemalloc (${JEMALLOC})` : 'glibc',
    database: db.kind,
    failures,
    briefingsPerSecond: round(briefingsPerSecond, 2),
    bareWorkflowsPerSecond: round(bareWorkflowsPerSecond, 2),
    ratio: round(briefingsPerSecond / bareWorkflowsPerSecond, 3),
    p50Ms: round(pct(briefingMs, 50), 0),
    p95Ms: round(pct(briefingMs, 95), 0),
    bareP50Ms: round(pct(bareMs, 50), 0),
    bareP95Ms: round(pct(bareMs, 95), 0),
    cpuMsPerBriefing: round((cpuWorkers + cpuServer) / COMPANIES, 1),
    cpuMsPerBriefingWorkers: round(cpuWorkers / COMPANIES, 1),
    cpuMsPerBriefingServer: round(cpuServer / COMPANIES, 1),
    cpuMsPerBareRun: round(
      (cpuBare1.workers - cpuBare0.workers + cpuBare1.server - cpuBare0.server) / COMPANIES,
      1,
    ),
    cpuMsPerBareRunWorkers: round((cpuBare1.workers - cpuBare0.workers) / COMPANIES, 1),
    cpuRatio: 0,
    /** Share of the machine's cores the workers and the server used during the briefings. */
    cpuBusyPct: round(
      (100 * (cpuWorkers + cpuServer)) / (briefingSecs * 1000 * os.availableParallelism()),
      0,
    ),
    /** Postgres's CPU a briefing: this machine's postgres processes (0 for a remote one). */
    cpuMsPerBriefingPostgres: round(cpuPostgres / Math.max(1, ok), 1),
    /**
     * Where the machine's cores went during the briefings, % of all of them (/proc/stat):
     * what bounds a second worker on one machine.
     */
    machineCpuPct: {
      workers: share(cpuWorkers),
      server: share(cpuServer),
      postgres: share(cpuPostgres),
      rest: share(machineMs - idleMs - iowaitMs - cpuWorkers - cpuServer - cpuPostgres),
      idle: share(idleMs),
      iowait: share(iowaitMs),
    },
    cores: os.availableParallelism(),
    /** The machine's 1-minute load average after the briefings: other work skews the wall-clock figures. */
    loadAverage: round(loadAfterBriefings, 1),
    workerRssMb: round(Math.max(...rss), 0),
    workerRssBeforeMb: round(Math.max(...rssBefore), 0),
    workerHeapLiveMb: round(Math.max(...memLive.map((m) => m.heapUsed!)) / 2 ** 20, 0),
    historyBytesPerRun: round(mean(histories.map((h) => h.bytes)), 0),
    historyEncoding: 'temporal.api.history.v1.History protobuf',
    bareHistoryBytesPerRun: round(mean(bareHistories.map((h) => h.bytes)), 0),
    workflowTasksPerRun: round(mean(histories.map((h) => h.workflowTasks)), 2),
    bareWorkflowTasksPerRun: round(mean(bareHistories.map((h) => h.workflowTasks)), 2),
    afterSixthActivityP50Ms: pct(
      histories.map((h) => h.afterSixth),
      50,
    ),
    bareAfterSixthActivityP50Ms: pct(
      bareHistories.map((h) => h.afterSixth),
      50,
    ),
    pgBytesPerBriefing: round((pgAfter.bytes - pgBefore.bytes) / COMPANIES, 0),
    pgRowsPerBriefing: round(rowsPerBriefing, 2),
    pgRowsByTable: rowsGrown,
  };

  result.cpuRatio = round(result.cpuMsPerBareRun / result.cpuMsPerBriefing, 3);
  say(
    `Portfolio benchmark: ${COMPANIES} companies, ${WORKERS} worker process(es), ${CONCURRENCY} runs at a time, ${db.kind}`,
  );
  say(
    `  workers run   ${result.workerCode}${result.workerNodeArgs ? ` with node ${result.workerNodeArgs}` : ''}${process.env.NODE_OPTIONS ? ` (NODE_OPTIONS=${process.env.NODE_OPTIONS})` : ''}; sticky cache ${result.workerCachedWorkflows}; malloc ${result.workerMalloc}`,
  );
  if (failures) say(`  FAILED briefings: ${failures} (first: ${firstFailure})`);
  say(
    `  briefings        ${result.briefingsPerSecond}/s  p50 ${result.p50Ms} ms  p95 ${result.p95Ms} ms (start to result)`,
  );
  say(
    `  bare shape       ${result.bareWorkflowsPerSecond}/s  p50 ${result.bareP50Ms} ms  p95 ${result.bareP95Ms} ms`,
  );
  say(
    `  ratio            ${result.ratio} (briefings a second / bare runs a second); by CPU ${result.cpuRatio} (a bare run's CPU / a briefing's: the ratio where CPU bounds both)`,
  );
  say(
    `  after the 6th activity, p50 (server clock): briefing ${result.afterSixthActivityP50Ms} ms, bare ${result.bareAfterSixthActivityP50Ms} ms`,
  );
  say(
    `  CPU a briefing   ${result.cpuMsPerBriefing} ms (workers ${result.cpuMsPerBriefingWorkers}, Temporal server ${result.cpuMsPerBriefingServer}); a bare run ${result.cpuMsPerBareRun} ms (workers ${result.cpuMsPerBareRunWorkers})`,
  );
  say(
    `  CPU busy         ${result.cpuBusyPct}% of ${result.cores} cores during the briefings (workers + server); load average ${result.loadAverage}`,
  );
  say(
    `  machine's cores  during the briefings: workers ${result.machineCpuPct.workers}%, server ${result.machineCpuPct.server}%, Postgres ${result.machineCpuPct.postgres}% (${result.cpuMsPerBriefingPostgres} ms a briefing), the rest ${result.machineCpuPct.rest}%, idle ${result.machineCpuPct.idle}%, I/O wait ${result.machineCpuPct.iowait}%`,
  );
  say(
    `  worker RSS       ${result.workerRssMb} MB (largest after the briefings: ${rss.map((r) => r.toFixed(0)).join(', ')}; before them ${rssBefore.map((r) => r.toFixed(0)).join(', ')})`,
  );
  const mb = (m: Record<string, number>) =>
    `heap ${(m.heapUsed! / 2 ** 20).toFixed(0)} of ${(m.heapTotal! / 2 ** 20).toFixed(0)} MB, external ${(m.external! / 2 ** 20).toFixed(0)} MB`;
  say(
    `  worker memory    main thread before: ${memBefore.map(mb).join('; ')}; after: ${memAfter.map(mb).join('; ')}; live after a full GC: ${memLive.map(mb).join('; ')}`,
  );
  say(
    `  history a run    ${result.historyBytesPerRun} bytes (protobuf, mean of ${histories.length}); bare ${result.bareHistoryBytesPerRun}; workflow tasks a run ${result.workflowTasksPerRun}, bare ${result.bareWorkflowTasksPerRun}`,
  );
  say(
    `  Postgres a briefing: ${result.pgBytesPerBriefing} bytes, ${result.pgRowsPerBriefing} rows (${Object.entries(
      rowsGrown,
    )
      .map(([t, n]) => `${t.replace(/^public\./, '')} ${round(n / COMPANIES, 2)}`)
      .join(', ')})`,
  );

  if (PROFILE_DIR) {
    // Node writes one file a thread (CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile): the
    // main thread runs the activities, a worker thread the workflows.
    const files = await readdir(PROFILE_DIR).catch(() => [] as string[]);
    const profiles = (
      await Promise.all(
        workers.map((w, i) =>
          Promise.all(
            files
              .filter((f) => f.includes(`.${w.pid}.`) && f.endsWith('.cpuprofile'))
              .map(async (f) => ({
                profile: JSON.parse(
                  await readFile(path.join(PROFILE_DIR, f), 'utf8'),
                ) as CpuProfile,
                thread: f.split('.').at(-3) === '0' ? '' : '[thread] ',
                fromUs: startMarks[i]!.us,
                toUs: endMarks[i]!.us,
              })),
          ),
        ),
      )
    ).flat();
    if (!profiles.length) say(`  profile: no .cpuprofile of the workers in ${PROFILE_DIR}`);
    if (profiles.length) {
      const { rows, windowed, busyMs, idleMs } = topSelfTime(profiles, 15);
      say(
        `  profile: top self time in the workers ${windowed ? 'during the briefings' : '(whole run)'}, % of ${busyMs.toFixed(0)} ms busy (idle ${idleMs.toFixed(0)} ms, all threads; ${PROFILE_DIR}):`,
      );
      for (const r of rows)
        say(`    ${r.ms.toFixed(0).padStart(7)} ms ${r.pct.toFixed(1).padStart(5)}%  ${r.name}`);
    }
  }
  if (JSON_OUT) say(JSON.stringify(result));
  await cleanups.run();
  process.exit(failures ? 1 : 0);
} catch (err) {
  note(`bench: ${(err as Error).message.split('\n')[0]}`);
  await cleanups.run();
  process.exit(1);
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
