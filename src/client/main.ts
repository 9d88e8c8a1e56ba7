/**
 * The `boardroom` CLI: start, run, briefing, schedule, worker.
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ScheduleNotFoundError, WorkflowFailedError, type Client } from '@temporalio/client';
import { loadConfig, type Config } from '../config.js';
import { BoardroomError, ConfigError } from '../shared/errors.js';
import { createLogger, type Logger } from '../logger.js';
import { AGENTS } from '../agents/registry.js';
import { CONNECTORS } from '../sources/connectors/index.js';
import { workspaceSources } from '../sources/sources.js';
import { openDatabase } from '../store/database.js';
import type { StoredBriefing } from '../store/repository.js';
import { renderHtml } from '../ceo/render-html.js';
import type { EnergyDemand } from '../contract/report.js';
import type { DailyBriefingInput } from '../shared/workflow-api.js';
import { followRun, hasWorkers, startBriefing } from './run.js';
import { describeScheduleText, ensureSchedule, scheduleHandle } from './schedule.js';
import { bootStack } from './stack.js';
import { ensureSearchAttributes } from './search-attributes.js';
import { connectClient } from './temporal.js';

const out = (s: string): void => {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
};
const say = (s: string) => process.stderr.write(`${s}\n`);

/** On a terminal, log lines go to a file and the screen shows progress and warnings. */
function setup(): { config: Config; log: Logger; logFile: string | undefined } {
  const isTTY = Boolean(process.stderr.isTTY);
  const config = loadConfig(process.env, { cwd: process.cwd(), isTTY });
  const logFile =
    config.log.file ?? (isTTY ? path.join(config.dataDir, 'boardroom.log') : undefined);
  return {
    config,
    log: createLogger({ ...config.log, ...(logFile ? { file: logFile } : {}) }),
    logFile,
  };
}

async function timeZoneFor(config: Config, override?: string): Promise<string> {
  if (override) return override;
  if (config.schedule.timeZone) return config.schedule.timeZone;
  const { profile } = await workspaceSources({
    [config.company.id]: config.company.workspace,
  }).loadCompany(config.company.id);
  return profile.timeZone ?? 'UTC';
}

/**
 * The workflow's input. `client` registers the search attributes runs carry (when the
 * namespace allows; a cluster that refuses gets runs without them, and a warning).
 */
async function workflowInput(
  config: Config,
  timeZone: string,
  trigger: DailyBriefingInput['trigger'],
  client: Client,
): Promise<DailyBriefingInput> {
  const searchAttributes = await ensureSearchAttributes(client, config.temporal.namespace, {
    onRefused: (reason) => say(`Runs go without search attributes: ${reason}`),
  });
  return {
    companyId: config.company.id,
    trigger,
    timeZone,
    searchAttributes,
    agentActivity: {
      startToCloseTimeoutMs: config.agent.timeoutMs,
      heartbeatTimeoutMs: config.agent.heartbeatMs,
      maxAttempts: config.agent.maxAttempts,
      initialRetryMs: config.agent.retryInitialMs,
    },
  };
}

/** Live progress: one redrawn line on a terminal, a line per change otherwise. */
function progressPrinter(): { update: (line: string) => void; end: () => void } {
  let last = '';
  const tty = Boolean(process.stderr.isTTY);
  return {
    update(line) {
      const stable = line.replace(/ \d+\.\ds$/, '');
      if (tty) process.stderr.write(`\r\x1b[2K${line}`);
      else if (stable !== last) say(line);
      last = stable;
    },
    end() {
      if (tty) process.stderr.write('\n');
    },
  };
}

type Format = 'md' | 'json' | 'html';

interface OutputOptions {
  json?: boolean;
  format?: Format;
  out?: string;
}

const formatOption = () =>
  new Option('--format <format>', 'md (default), json or html').choices(['md', 'json', 'html']);
const outOption = () => new Option('--out <file>', 'write to this file instead of stdout');

/** Prints (or writes, with --out) a briefing as Markdown, JSON or self-contained HTML. */
async function emitBriefing(stored: StoredBriefing, opts: OutputOptions): Promise<void> {
  const format: Format = opts.format ?? (opts.json ? 'json' : 'md');
  const text =
    format === 'json'
      ? `${JSON.stringify(stored.briefing, null, 2)}\n`
      : format === 'html'
        ? renderHtml(stored.briefing)
        : stored.markdown;
  if (!opts.out) return out(text);
  // Write beside the target and rename: a reader never sees half a file.
  const target = path.resolve(opts.out);
  const tmp = `${target}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, target);
  say(`Wrote briefing #${stored.id} (${format}, ${Buffer.byteLength(text)} bytes) to ${target}`);
}

function runUrl(uiUrl: string | undefined, namespace: string, workflowId: string): string {
  return uiUrl
    ? `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`
    : `temporal workflow show --workflow-id ${workflowId}`;
}

const program = new Command()
  .name('boardroom')
  .description('Six department agents and a CEO agent write your daily executive briefing.')
  .showHelpAfterError()
  .configureOutput({
    writeOut: (s) => process.stdout.write(s),
    writeErr: (s) => process.stderr.write(s),
  });

program
  .command('start')
  .description(
    'Bring up everything not configured (Temporal dev server, embedded Postgres), a worker and the daily ' +
      'schedule; run a briefing now and print it; keep running until Ctrl-C.',
  )
  .option('--once', 'exit after printing the first briefing')
  .option('--json', 'print the briefing as JSON (same as --format json)')
  .addOption(formatOption())
  .addOption(outOption())
  .action(async (opts: { once?: boolean } & OutputOptions) => {
    const t0 = performance.now();
    const { config, log, logFile } = setup();
    const stack = await bootStack(config, log, {
      envPath: process.env.PATH,
      withWorker: true,
      onProgress: say,
    });
    if (stack.uiUrl) say(`Temporal UI: ${stack.uiUrl}`);
    if (logFile) say(`Logs: ${logFile}`);
    let stopping: Promise<void> | undefined;
    const stop = (code: number) => {
      stopping ??= (async () => {
        say('Shutting down ...');
        await stack.shutdown();
        process.exitCode = code;
      })();
      return stopping;
    };
    process.once('SIGINT', () => void stop(0));
    process.once('SIGTERM', () => void stop(0));
    try {
      const timeZone = await timeZoneFor(config);
      const input = await workflowInput(config, timeZone, 'schedule', stack.client);
      const outcome = await ensureSchedule(stack.client, {
        companyId: config.company.id,
        cron: config.schedule.cron,
        timeZone,
        taskQueue: config.temporal.taskQueue,
        input,
      });
      say(
        `Daily schedule ${outcome}: "${config.schedule.cron}" (${timeZone}) for company "${config.company.id}".`,
      );
      const handle = await startBriefing(stack.client, {
        taskQueue: config.temporal.taskQueue,
        input: { ...input, trigger: 'manual' },
        now: new Date(),
      });
      const printer = progressPrinter();
      const result = await followRun(handle, printer.update);
      printer.end();
      const stored = await stack.db.repo.getBriefing(String(result.briefingId));
      if (!stored) throw new Error(`briefing ${result.briefingId} was not found after the run`);
      await emitBriefing(stored, opts);
      say(
        `Briefing #${result.briefingId} ready in ${((performance.now() - t0) / 1000).toFixed(1)}s.`,
      );
      say(`Inspect the run: ${runUrl(stack.uiUrl, config.temporal.namespace, handle.workflowId)}`);
      if (opts.once) return await stop(0);
      say('Running: the worker serves the daily schedule and `npx boardroom run`. Ctrl-C to stop.');
      await stack.workerDone;
      await stop(0);
    } catch (err) {
      await stop(1);
      throw err;
    }
  });

program
  .command('run')
  .description(
    'Trigger a briefing now on the running stack, show live per-agent progress, print the briefing.',
  )
  .option('--json', 'print the briefing as JSON (same as --format json)')
  .option('--no-progress', 'do not show progress')
  .addOption(
    new Option(
      '--energy <level>',
      'your energy today, for the priorities (default: founder.yaml, else medium)',
    ).choices(['low', 'medium', 'high']),
  )
  .addOption(formatOption())
  .addOption(outOption())
  .option('--fresh', "bypass the API sources' cache: call every source now")
  .action(
    async (opts: { progress: boolean; energy?: EnergyDemand; fresh?: boolean } & OutputOptions) => {
      const { config, log } = setup();
      const client = await connectClient(config);
      try {
        const timeZone = await timeZoneFor(config);
        const handle = await startBriefing(client, {
          taskQueue: config.temporal.taskQueue,
          input: {
            ...(await workflowInput(config, timeZone, 'manual', client)),
            ...(opts.energy ? { energy: opts.energy } : {}),
            ...(opts.fresh ? { fresh: true } : {}),
          },
          now: new Date(),
        });
        say(`Started ${handle.workflowId}`);
        if (!(await hasWorkers(client, config.temporal.taskQueue))) {
          say(
            `No worker is polling task queue "${config.temporal.taskQueue}": the run waits until one does. ` +
              'Start the stack with `npm start`, or a worker with `npx boardroom worker`.',
          );
        }
        const printer = progressPrinter();
        const result = await followRun(handle, opts.progress ? printer.update : () => {});
        if (opts.progress) printer.end();
        const db = await openDatabase(config, log);
        try {
          const stored = await db.repo.getBriefing(String(result.briefingId));
          if (!stored) throw new Error(`briefing ${result.briefingId} was not found after the run`);
          await emitBriefing(stored, opts);
        } finally {
          await db.close();
        }
      } finally {
        await client.connection.close();
      }
    },
  );

const briefing = program.command('briefing').description('Read briefings from Postgres.');

async function withRepo<T>(
  fn: (db: Awaited<ReturnType<typeof openDatabase>>, config: Config) => Promise<T>,
): Promise<T> {
  const { config, log } = setup();
  const db = await openDatabase(config, log);
  try {
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

briefing
  .command('latest')
  .description('Print the newest briefing.')
  .option('--json', 'as JSON (same as --format json)')
  .addOption(formatOption())
  .addOption(outOption())
  .option('--company <id>', 'company id (default: BOARDROOM_COMPANY_ID)')
  .action((opts: { company?: string } & OutputOptions) =>
    withRepo(async (db, config) => {
      const stored = await db.repo.latestBriefing(opts.company ?? config.company.id);
      if (!stored)
        throw new NotFound(
          'No briefing yet. Run one with `npm start -- --once` or `npx boardroom run`.',
        );
      await emitBriefing(stored, opts);
    }),
  );

briefing
  .command('list')
  .description('List recent briefings.')
  .option('--json', 'as JSON')
  .option('--company <id>', 'company id (default: all companies)')
  .option('--limit <n>', 'how many', parsePositiveInt, 20)
  .action((opts: { json?: boolean; company?: string; limit: number }) =>
    withRepo(async (db) => {
      const rows = await db.repo.listBriefings({
        ...(opts.company ? { companyId: opts.company } : {}),
        limit: opts.limit,
      });
      if (opts.json) return out(JSON.stringify(rows, null, 2));
      if (rows.length === 0) return out('No briefings yet.');
      out(['ID', 'DATE', 'COMPANY', 'HEALTH', 'OUTCOME', 'CREATED', 'WORKFLOW'].join('\t'));
      for (const r of rows) {
        const outcome =
          r.outcome === 'complete'
            ? 'complete'
            : `degraded (${[...r.staleAgents.map((a) => `${a} stale`), ...r.failedAgents.map((a) => `${a} failed`)].join(', ')})`;
        out(
          [
            r.id,
            r.briefingDate,
            r.companyId,
            Math.round(r.health),
            outcome,
            r.createdAt.toISOString(),
            r.workflowId,
          ].join('\t'),
        );
      }
    }),
  );

briefing
  .command('show')
  .description('Print one briefing by its id or its workflow id.')
  .argument('<id>', 'briefing id (number) or workflow id')
  .option('--json', 'as JSON (same as --format json)')
  .addOption(formatOption())
  .addOption(outOption())
  .action((id: string, opts: OutputOptions) =>
    withRepo(async (db) => {
      const stored = await db.repo.getBriefing(id);
      if (!stored)
        throw new NotFound(`No briefing with id "${id}". See \`npx boardroom briefing list\`.`);
      await emitBriefing(stored, opts);
    }),
  );

const schedule = program
  .command('schedule')
  .description('Manage the daily schedule (a Temporal Schedule, overlap SKIP).');

async function withClient<T>(
  fn: (client: Awaited<ReturnType<typeof connectClient>>, config: Config) => Promise<T>,
): Promise<T> {
  const { config } = setup();
  const client = await connectClient(config);
  try {
    return await fn(client, config);
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) {
      throw new NotFound(
        `No schedule for company "${config.company.id}". Create it with \`npx boardroom schedule create\`.`,
      );
    }
    throw err;
  } finally {
    await client.connection.close();
  }
}

schedule
  .command('create')
  .description('Create the schedule, or update it when it exists (idempotent).')
  .option('--cron <expr>', 'cron expression (default: BOARDROOM_SCHEDULE_CRON, "0 7 * * *")')
  .option(
    '--timezone <iana>',
    "time zone (default: BOARDROOM_TIMEZONE, else the workspace's, else UTC)",
  )
  .action((opts: { cron?: string; timezone?: string }) =>
    withClient(async (client, config) => {
      const timeZone = await timeZoneFor(config, opts.timezone);
      validateTimeZone(timeZone);
      const cron = opts.cron ?? config.schedule.cron;
      const outcome = await ensureSchedule(client, {
        companyId: config.company.id,
        cron,
        timeZone,
        taskQueue: config.temporal.taskQueue,
        input: await workflowInput(config, timeZone, 'schedule', client),
      });
      out(`Schedule ${outcome}: "${cron}" (${timeZone}) for company "${config.company.id}".`);
      out(describeScheduleText(await scheduleHandle(client, config.company.id).describe()));
    }),
  );

schedule
  .command('describe')
  .description('Show the schedule: state, spec, next and recent runs.')
  .option('--json', 'as JSON')
  .action((opts: { json?: boolean }) =>
    withClient(async (client, config) => {
      const d = await scheduleHandle(client, config.company.id).describe();
      out(
        opts.json
          ? JSON.stringify(
              {
                scheduleId: d.scheduleId,
                spec: d.spec,
                state: d.state,
                policies: d.policies,
                info: d.info,
              },
              null,
              2,
            )
          : describeScheduleText(d),
      );
    }),
  );

schedule
  .command('trigger')
  .description('Start a scheduled run now (same as the daily one).')
  .action(() =>
    withClient(async (client, config) => {
      await scheduleHandle(client, config.company.id).trigger();
      out(
        `Triggered the schedule for company "${config.company.id}". See \`npx boardroom briefing latest\` in a moment.`,
      );
    }),
  );

for (const [name, verb, description] of [
  ['pause', 'Paused', 'Pause the schedule.'],
  ['unpause', 'Unpaused', 'Resume the schedule.'],
] as const) {
  schedule
    .command(name)
    .description(description)
    .option('--note <text>', 'why')
    .action((opts: { note?: string }) =>
      withClient(async (client, config) => {
        await scheduleHandle(client, config.company.id)[name](opts.note);
        out(`${verb} the schedule for company "${config.company.id}".`);
      }),
    );
}

schedule
  .command('delete')
  .description('Delete the schedule (runs already started finish).')
  .action(() =>
    withClient(async (client, config) => {
      await scheduleHandle(client, config.company.id).delete();
      out(`Deleted the schedule for company "${config.company.id}".`);
    }),
  );

program
  .command('sources')
  .description('Data sources: which API or file feeds each agent.')
  .command('check')
  .description(
    "Validate the company's sources.yaml and credentials and reach each configured source once; " +
      'exit 1 when any fails.',
  )
  .option('--company <id>', 'company id (default: BOARDROOM_COMPANY_ID)')
  .option('--workspace <dir>', 'its workspace folder (default: BOARDROOM_WORKSPACE)')
  .option('--json', 'as JSON')
  .action(async (opts: { company?: string; workspace?: string; json?: boolean }) => {
    const { config } = setup();
    const companyId = opts.company ?? config.company.id;
    const workspace = opts.workspace ? path.resolve(opts.workspace) : config.company.workspace;
    const sources = workspaceSources(
      { [companyId]: workspace },
      { connectors: CONNECTORS, env: config.sourceEnv, agents: AGENTS },
    );
    const checks = await sources.checkSources!(companyId);
    if (opts.json) out(JSON.stringify(checks, null, 2));
    else {
      for (const c of checks) {
        // Connectors start their messages with their name; the line already has it.
        const message = c.message.replace(new RegExp(`^${c.source}: `), '');
        out(`${c.ok ? '✔' : '✘'} ${c.source} (${c.agents.join(', ')}): ${message}`);
      }
    }
    if (checks.some((c) => !c.ok)) process.exitCode = 1;
  });

program
  .command('status')
  .description(
    "Sources (credentials, reachability), the last run and each agent's last execution, and the " +
      "schedule's next run; exit 1 when something needs attention.",
  )
  .option('--json', 'as JSON')
  .action(async (opts: { json?: boolean }) => {
    const { config, log } = setup();
    const companyId = config.company.id;
    const attention: string[] = [];
    const sources = workspaceSources(
      { [companyId]: config.company.workspace },
      { connectors: CONNECTORS, env: config.sourceEnv, agents: AGENTS },
    );
    const checks = await sources.checkSources!(companyId).catch((err: Error) => {
      attention.push(`sources: ${err.message}`);
      return [];
    });
    for (const c of checks) if (!c.ok) attention.push(`${c.source}: ${c.message}`);

    const db = await openDatabase(config, log);
    let lastRun: Awaited<ReturnType<typeof db.repo.latestRun>>;
    let executions: Awaited<ReturnType<typeof db.repo.latestExecutions>> = [];
    let breakers: Awaited<ReturnType<typeof db.repo.listBreakers>> = [];
    let cache: Awaited<ReturnType<typeof db.repo.listCache>> = [];
    try {
      [lastRun, executions, breakers, cache] = await Promise.all([
        db.repo.latestRun(companyId),
        db.repo.latestExecutions(companyId),
        db.repo.listBreakers(companyId),
        db.repo.listCache(companyId),
      ]);
    } finally {
      await db.close();
    }
    for (const b of breakers) {
      if (b.state !== 'closed') {
        attention.push(
          `${b.source} circuit breaker is ${b.state.replace('_', '-')} since ${b.openedAt?.toISOString()} ` +
            `after ${b.consecutiveFailures} failed runs: ${b.lastError ?? ''}`,
        );
      }
    }
    if (!lastRun) attention.push('no briefing yet: run `npx boardroom run` or `npm start`');
    else if (lastRun.outcome !== 'complete') {
      const which = [
        ...lastRun.staleAgents.map((a) => `${a} stale`),
        ...lastRun.failedAgents.map((a) => `${a} failed`),
      ];
      attention.push(`last run degraded: ${which.join(', ')}`);
    }
    for (const e of executions)
      if (!e.success)
        attention.push(`${e.agent}: last attempt failed: ${e.error ?? 'unknown error'}`);

    let schedule: { state: string; nextRun: string | undefined } | undefined;
    try {
      const client = await connectClient(config);
      try {
        const d = await scheduleHandle(client, companyId).describe();
        schedule = {
          state: d.state.paused ? `paused${d.state.note ? ` (${d.state.note})` : ''}` : 'active',
          nextRun: d.info.nextActionTimes[0]?.toISOString(),
        };
        if (d.state.paused)
          attention.push(`the schedule is paused${d.state.note ? `: ${d.state.note}` : ''}`);
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
        attention.push('no daily schedule: create it with `npx boardroom schedule create`');
      } finally {
        await client.connection.close();
      }
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) throw err;
      attention.push((err as Error).message);
    }

    const now = Date.now();
    const cacheAges = cache.map((c) => ({
      ...c,
      ageMinutes: Math.round((now - c.fetchedAt.getTime()) / 60_000),
    }));
    const report = {
      companyId,
      sources: checks,
      breakers,
      cache: cacheAges,
      lastRun,
      agents: executions,
      schedule,
      attention,
    };
    if (opts.json) out(JSON.stringify(report, null, 2));
    else {
      out(`Company ${companyId} (${config.company.workspace})`);
      out('Sources:');
      for (const c of checks) {
        out(
          `  ${c.ok ? '✔' : '✘'} ${c.source} (${c.agents.join(', ')}): ${c.message.replace(new RegExp(`^${c.source}: `), '')}`,
        );
      }
      if (breakers.length > 0) {
        out(
          `Circuit breakers: ${breakers
            .map(
              (b) =>
                `${b.source} ${b.state.replace('_', '-')}${b.consecutiveFailures ? ` (${b.consecutiveFailures} failed runs)` : ''}`,
            )
            .join(', ')}`,
        );
      }
      if (cacheAges.length > 0) {
        out(
          `Cache: ${cacheAges.map((c) => `${c.source}/${c.agent} ${c.ageMinutes} min old`).join(', ')}`,
        );
      }
      out(
        lastRun
          ? `Last run: #${lastRun.id} ${lastRun.workflowId} (${lastRun.trigger}) ${lastRun.outcome}, ` +
              `health ${Math.round(lastRun.health)}, ${(lastRun.durationMs / 1000).toFixed(1)}s, finished ${lastRun.completedAt.toISOString()}`
          : 'Last run: none yet',
      );
      out('Agents (last execution):');
      for (const e of executions) {
        out(
          `  ${e.success ? '✔' : '✘'} ${e.agent.padEnd(16)} attempt ${e.attempt}, ${e.durationMs} ms, ` +
            `${e.sourceCalls} source calls, ${e.startedAt.toISOString()}${e.error ? `: ${e.errorType ?? 'Error'}: ${e.error}` : ''}`,
        );
      }
      out(
        schedule
          ? `Schedule: ${schedule.state}, next run ${schedule.nextRun ?? 'none'}`
          : 'Schedule: unknown',
      );
      out(
        attention.length === 0
          ? 'All good.'
          : `Needs attention:\n${attention.map((a) => `  - ${a}`).join('\n')}`,
      );
    }
    if (attention.length > 0) process.exitCode = 1;
  });

program
  .command('worker')
  .description(
    'Run a worker alone (for a real cluster: set TEMPORAL_ADDRESS and DATABASE_URL). Ctrl-C to stop.',
  )
  .action(async () => {
    const { config, log } = setup();
    if (!config.temporal.address)
      say(`TEMPORAL_ADDRESS is not set: connecting to the local dev server.`);
    const stack = await bootStack(
      {
        ...config,
        temporal: {
          ...config.temporal,
          address: config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`,
        },
      },
      log,
      { envPath: process.env.PATH, withWorker: true, onProgress: say },
    );
    say(
      `Worker polling task queue "${config.temporal.taskQueue}" in namespace "${config.temporal.namespace}". Ctrl-C to stop.`,
    );
    const stop = () => void stack.shutdown();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await stack.workerDone;
    await stack.shutdown();
  });

class NotFound extends Error {}

function parsePositiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('a positive whole number');
  return n;
}

function validateTimeZone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new ConfigError(`Unknown time zone "${tz}": use an IANA name such as America/New_York.`);
  }
}

// `boardroom ... | head` closes stdout early: stop quietly (and cleanly) rather than crash.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.kill(process.pid, 'SIGTERM');
});

export async function main(argv: string[]): Promise<void> {
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof WorkflowFailedError) {
      say(`The briefing run failed: ${err.cause?.message ?? err.message}`);
    } else if (err instanceof BoardroomError || err instanceof NotFound) {
      say(err.message);
    } else {
      say(`boardroom: ${(err as Error).stack ?? String(err)}`);
    }
    process.exitCode = 1;
  }
}

await main(process.argv);
