/**
 * The `boardroom` CLI's commander wiring: flags and help texts, each command handed to
 * its function in commands/. `main(argv)` parses and runs; it returns the exit code.
 *
 * A command's module is imported when it runs: `briefing list` need not load the
 * Temporal worker, which takes seconds.
 */
import { createRequire } from 'node:module';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { EnergyDemand } from '../contract/report.js';
import { CHANNEL_NAMES } from '../contract/delivery.js';
import { isIsoDate } from '../contract/fields.js';
import { BoardroomError } from '../shared/errors.js';
import { BACKFILL_EVERY, type BackfillEvery } from './backfill.js';
import type { DeliveryChannelName } from '../shared/workflow-api.js';
import { BRIEFING_FORMATS, type BriefingOutputOptions } from './briefing-output.js';
import { loadCliSetup, type CliSetup, type CommandDeps } from './context.js';
import { NoWorkerError, NotFoundError, StartupAbortedError, WorkerStoppedError } from './errors.js';
import { processOutput, stopQuietlyWhenStdoutCloses, type Output } from './output.js';

/** package.json's version: `boardroom --version`. */
export const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string })
  .version;

const commands = {
  start: () => import('./commands/start.js'),
  run: () => import('./commands/run.js'),
  briefing: () => import('./commands/briefing.js'),
  schedule: () => import('./commands/schedule.js'),
  sources: () => import('./commands/sources.js'),
  status: () => import('./commands/status.js'),
  worker: () => import('./commands/worker.js'),
  backfill: () => import('./commands/backfill.js'),
  preview: () => import('./commands/preview.js'),
  delivery: () => import('./commands/delivery.js'),
  serve: () => import('./commands/serve.js'),
  companies: () => import('./commands/companies.js'),
  portfolio: () => import('./commands/portfolio.js'),
};

const channelOption = () =>
  new Option('--channel <channel...>', `only these channels: ${CHANNEL_NAMES.join(', ')}`).choices(
    CHANNEL_NAMES,
  );

const companyOption = () =>
  new Option(
    '--company <id>',
    'the configured company (BOARDROOM_COMPANY_ID, the default) or a registered one (`companies list`)',
  );

const formatOption = () =>
  new Option('--format <format>', 'md (default), json or html').choices(BRIEFING_FORMATS);
const outOption = () => new Option('--out <file>', 'write to this file instead of stdout');
const fullOption = () =>
  new Option('--full', 'every task, alert and metric (default: the short briefing; JSON has all)');

function parseDate(flag: string) {
  return (v: string): string => {
    if (!isIsoDate(v)) throw new InvalidArgumentError(`${flag} expects a date as YYYY-MM-DD`);
    return v;
  };
}

function parsePositiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('a positive whole number');
  return n;
}

/** What the CLI reads from its process; a test passes its own. */
export interface CliEnvironment {
  /** Filled in when a command has read its setup: main logs an unexpected error there. */
  session?: { setup?: CliSetup };
  /** @default process.env */
  env?: Record<string, string | undefined>;
  /** @default process.cwd() */
  cwd?: string;
  /** @default processOutput() (stdout, stderr) */
  output?: Output;
}

/**
 * The program; each action reports its exit code to `setExitCode`. Config is read when
 * a command runs, so `--help` works with a broken environment.
 */
export function buildProgram(
  setExitCode: (code: number) => void,
  cli: CliEnvironment = {},
): Command {
  const env = cli.env ?? process.env;
  const output = cli.output ?? processOutput();
  const setup = (): CliSetup & CommandDeps => {
    const loaded = loadCliSetup(env, { cwd: cli.cwd ?? process.cwd(), isTTY: output.isTTY });
    if (cli.session) cli.session.setup = loaded;
    return { ...loaded, output };
  };
  const act =
    <A extends unknown[]>(command: (...args: A) => Promise<number>) =>
    async (...args: A) =>
      setExitCode(await command(...args));

  const program = new Command()
    .name('boardroom')
    .description('Six department agents and a CEO agent write your daily executive briefing.')
    .version(VERSION, '-V, --version', 'print the version')
    .showHelpAfterError()
    .configureOutput({
      writeOut: (s) => output.out(s),
      writeErr: (s) => output.writeErr(s),
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
    .addOption(fullOption())
    .action(
      act(async (opts: { once?: boolean } & BriefingOutputOptions) =>
        (await commands.start()).startCommand(opts, { ...setup(), envPath: env.PATH }),
      ),
    );

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
    .addOption(fullOption())
    .option('--fresh', "bypass the API sources' cache: call every source now")
    .option(
      '--wait',
      'keep waiting while no worker polls (default: give up after BOARDROOM_RUN_WAIT_MS, 30 s; the run stays queued)',
    )
    .addOption(companyOption())
    .action(
      act(
        async (
          opts: {
            progress: boolean;
            energy?: EnergyDemand;
            fresh?: boolean;
            wait?: boolean;
            company?: string;
          } & BriefingOutputOptions,
        ) => (await commands.run()).runCommand(opts, setup()),
      ),
    );

  const briefing = program.command('briefing').description('Read briefings from Postgres.');
  briefing
    .command('latest')
    .description('Print the newest briefing.')
    .option('--json', 'as JSON (same as --format json)')
    .addOption(formatOption())
    .addOption(outOption())
    .addOption(fullOption())
    .addOption(companyOption())
    .action(
      act(async (opts: { company?: string } & BriefingOutputOptions) =>
        (await commands.briefing()).briefingLatest(opts, setup()),
      ),
    );
  briefing
    .command('list')
    .description('List recent briefings.')
    .option('--json', 'as JSON')
    .option(
      '--company <id>',
      'only this company: the configured one, a registered one, or one with briefings (default: all)',
    )
    .option('--limit <n>', 'how many', parsePositiveInt, 20)
    .action(
      act(async (opts: { json?: boolean; company?: string; limit: number }) =>
        (await commands.briefing()).briefingList(opts, setup()),
      ),
    );
  briefing
    .command('show')
    .description('Print one briefing by its id or its workflow id.')
    .argument('<id>', 'briefing id (number) or workflow id')
    .option('--json', 'as JSON (same as --format json)')
    .addOption(formatOption())
    .addOption(outOption())
    .addOption(fullOption())
    .option('--company <id>', "refuse a briefing of another company (default: any company's)")
    .action(
      act(async (id: string, opts: BriefingOutputOptions & { company?: string }) =>
        (await commands.briefing()).briefingShow(id, opts, setup()),
      ),
    );

  briefing
    .command('send')
    .description(
      'Deliver a stored briefing again, on purpose, to its configured channels (through the worker; recorded as a re-send).',
    )
    .argument('<id>', 'briefing id (number) or workflow id')
    .addOption(channelOption())
    .option('--wait', 'wait for a worker however long (default: fail at once when none polls)')
    .option('--company <id>', "refuse a briefing of another company (default: any company's)")
    .action(
      act(
        async (
          id: string,
          opts: { channel?: DeliveryChannelName[]; wait?: boolean; company?: string },
        ) => (await commands.briefing()).briefingSend(id, opts, setup()),
      ),
    );

  const delivery = program
    .command('delivery')
    .description("Check the workspace's delivery.yaml channels (e-mail, Slack, webhook).");
  delivery
    .command('test')
    .description(
      "Send a short test message to each configured channel with this environment's secrets; say what failed and what to do.",
    )
    .addOption(channelOption())
    .addOption(companyOption())
    .action(
      act(async (opts: { channel?: DeliveryChannelName[]; company?: string }) =>
        (await commands.delivery()).deliveryTest(opts, setup()),
      ),
    );

  const schedule = program
    .command('schedule')
    .description('Manage the daily schedule (a Temporal Schedule, overlap SKIP).');
  schedule
    .command('create')
    .description('Create the schedule, or update it when it exists (idempotent).')
    .option('--cron <expr>', 'cron expression (default: BOARDROOM_SCHEDULE_CRON, "0 7 * * *")')
    .option(
      '--timezone <iana>',
      "time zone (default: BOARDROOM_TIMEZONE, else the workspace's, else UTC)",
    )
    .addOption(companyOption())
    .action(
      act(async (opts: { cron?: string; timezone?: string; company?: string }) =>
        (await commands.schedule()).scheduleCreate(opts, setup()),
      ),
    );
  schedule
    .command('describe')
    .description('Show the schedule: state, spec, next and recent runs.')
    .option('--json', 'as JSON')
    .addOption(companyOption())
    .action(
      act(async (opts: { json?: boolean; company?: string }) =>
        (await commands.schedule()).scheduleDescribe(opts, setup()),
      ),
    );
  schedule
    .command('trigger')
    .description(
      "Start a scheduled run now (same as the daily one); not while one is in flight or after today's, " +
        'unless --allow-overlap.',
    )
    .option(
      '--allow-overlap',
      "start another run even while one is in flight or today's has run (one run per company and day otherwise)",
    )
    .addOption(companyOption())
    .action(
      act(async (opts: { allowOverlap?: boolean; company?: string }) =>
        (await commands.schedule()).scheduleTrigger(setup(), opts),
      ),
    );
  schedule
    .command('pause')
    .description('Pause the schedule.')
    .option('--note <text>', 'why')
    .addOption(companyOption())
    .action(
      act(async (opts: { note?: string; company?: string }) =>
        (await commands.schedule()).schedulePause(opts, setup()),
      ),
    );
  schedule
    .command('unpause')
    .description('Resume the schedule.')
    .option('--note <text>', 'why')
    .addOption(companyOption())
    .action(
      act(async (opts: { note?: string; company?: string }) =>
        (await commands.schedule()).scheduleUnpause(opts, setup()),
      ),
    );
  schedule
    .command('delete')
    .description('Delete the schedule (runs already started finish).')
    .addOption(companyOption())
    .action(
      act(async (opts: { company?: string }) =>
        (await commands.schedule()).scheduleDelete(setup(), opts),
      ),
    );

  program
    .command('sources')
    .description('Data sources: which API or file feeds each agent.')
    .command('check')
    .description(
      "Validate the company's sources.yaml and credentials and reach each configured source once; " +
        'exit 1 when any fails.',
    )
    .addOption(companyOption())
    .option(
      '--workspace <dir>',
      "check this folder instead, as the company's (default: the company's: BOARDROOM_WORKSPACE, or its registered one)",
    )
    .option('--json', 'as JSON')
    .action(
      act(async (opts: { company?: string; workspace?: string; json?: boolean }) =>
        (await commands.sources()).sourcesCheck(opts, setup()),
      ),
    );

  program
    .command('status')
    .description(
      "Sources (credentials, reachability), the last run and each agent's last execution, and the " +
        "schedule's next run; exit 1 when something needs attention.",
    )
    .option('--json', 'as JSON')
    .addOption(companyOption())
    .action(
      act(async (opts: { json?: boolean; company?: string }) =>
        (await commands.status()).statusCommand(opts, setup()),
      ),
    );

  const portfolio = program
    .command('portfolio')
    .description(
      "Every company's newest briefing side by side: health, MRR and its change, runway, cash, headcount, " +
        'risks by severity, what degraded or is missing today, and totals per currency.',
    )
    .option('--json', 'as JSON (same as --format json)')
    .addOption(formatOption())
    .addOption(outOption())
    .option(
      '--date <date>',
      'the day "today" means, YYYY-MM-DD (default: today in UTC)',
      parseDate('--date'),
    )
    .option('--company <id...>', 'only these companies (default: every company with a briefing)')
    .action(
      act(
        async (
          opts: { date?: string; company?: string[] } & Pick<
            BriefingOutputOptions,
            'json' | 'format' | 'out'
          >,
        ) => (await commands.portfolio()).portfolioCommand(opts, setup()),
      ),
    );
  portfolio
    .command('send')
    .description(
      "Deliver the day's portfolio like a briefing, by the worker, to the channels of BOARDROOM_PORTFOLIO_DELIVERY " +
        "(a delivery.yaml; default: the workspace's). A second send the same day sends nothing twice.",
    )
    .option(
      '--date <date>',
      "the portfolio's day, YYYY-MM-DD (default: today in UTC)",
      parseDate('--date'),
    )
    .addOption(channelOption())
    .option(
      '--company <id...>',
      "only these companies: a portfolio of their own, sent apart from the whole's",
    )
    .option('--wait', 'wait for a worker however long (default: fail at once when none polls)')
    .action(
      act(
        async (opts: {
          date?: string;
          company?: string[];
          channel?: DeliveryChannelName[];
          wait?: boolean;
        }) =>
          // The parent's options are parsed first: `portfolio send --date d` lands there.
          (await commands.portfolio()).portfolioSendCommand(
            { ...(portfolio.opts() as { date?: string; company?: string[] }), ...opts },
            setup(),
          ),
      ),
    );
  portfolio
    .command('schedule')
    .description(
      "Create (or update) the daily boardroom-portfolio schedule: each run sends that day's portfolio like " +
        '`portfolio send` (nothing twice with a send the same day).',
    )
    .option('--cron <expr>', 'when it goes out (default: "30 7 * * *")')
    .option(
      '--timezone <iana>',
      "the cron's zone and the portfolio day's (default: BOARDROOM_TIMEZONE, else UTC)",
    )
    .action(
      act(async (opts: { cron?: string; timezone?: string }) =>
        (await commands.portfolio()).portfolioScheduleCommand(opts, setup()),
      ),
    );

  program
    .command('backfill')
    .description(
      'Compute and store past briefings from the dated data, one real run per day, oldest first ' +
        '(needs a worker: `npm start` or `boardroom worker`). Days that have a briefing are skipped.',
    )
    .requiredOption('--from <date>', 'the first day, YYYY-MM-DD', parseDate('--from'))
    .addOption(
      new Option('--every <period>', 'a briefing a week (today - 7, - 14, ...) or every day')
        .choices(BACKFILL_EVERY)
        .default('week'),
    )
    .option('--json', 'print what was computed and skipped as JSON')
    .option(
      '--wait',
      'keep waiting while no worker polls (default: give up after BOARDROOM_RUN_WAIT_MS)',
    )
    .addOption(companyOption())
    .action(
      act(
        async (opts: {
          from: string;
          every: BackfillEvery;
          json?: boolean;
          wait?: boolean;
          company?: string;
        }) => (await commands.backfill()).backfillCommand(opts, setup()),
      ),
    );

  program
    .command('preview')
    .description(
      'Compute a briefing in this process from a workspace, without Temporal or Postgres (stored history ' +
        'only with DATABASE_URL): check your files, or see the demo on any date.',
    )
    .option(
      '--workspace <dir>',
      'the workspace folder (default: BOARDROOM_WORKSPACE, else the demo)',
    )
    .option(
      '--as-of <date>',
      'the day to compute, YYYY-MM-DD (default: today)',
      parseDate('--as-of'),
    )
    .option('--json', 'print the briefing as JSON (same as --format json)')
    .addOption(formatOption())
    .addOption(outOption())
    .addOption(fullOption())
    .addOption(companyOption())
    .action(
      act(
        async (
          opts: { workspace?: string; asOf?: string; company?: string } & BriefingOutputOptions,
        ) => (await commands.preview()).previewCommand(opts, setup()),
      ),
    );

  program
    .command('worker')
    .description(
      'Run a worker alone (for a real cluster: set TEMPORAL_ADDRESS and DATABASE_URL). Ctrl-C to stop.',
    )
    .action(
      act(async () => (await commands.worker()).workerCommand({ ...setup(), envPath: env.PATH })),
    );

  const companies = program
    .command('companies')
    .description(
      'The companies registry: each company a workspace with its own daily schedule, served by any worker.',
    );
  companies
    .command('add <workspace-dir>')
    .description(
      "Register the workspace's company (id, name, currency and zone from its company.yaml) and create its schedule " +
        '(the configured company is served from config already: nothing to add).',
    )
    .option('--cron <expr>', 'its daily schedule (default: BOARDROOM_SCHEDULE_CRON, "0 7 * * *")')
    .option('--if-new', 'exit 0 and change nothing when it is registered already from this folder')
    .action(
      act(async (dir: string, opts: { cron?: string; ifNew?: boolean }) =>
        (await commands.companies()).companiesAdd({ dir, ...opts }, setup()),
      ),
    );
  companies
    .command('list')
    .description(
      'Every company: the configured one (source "config": BOARDROOM_COMPANY_ID) and the registered ones.',
    )
    .option('--json', 'as JSON')
    .action(
      act(async (opts: { json?: boolean }) =>
        (await commands.companies()).companiesList(opts, setup()),
      ),
    );
  companies
    .command('show <id>')
    .description(
      "A company (the configured one or a registered one): its workspace, zone and its schedule's next run.",
    )
    .option('--json', 'as JSON')
    .action(
      act(async (id: string, opts: { json?: boolean }) =>
        (await commands.companies()).companiesShow({ id, ...opts }, setup()),
      ),
    );
  companies
    .command('remove <id>')
    .description('Unregister a company and delete its schedule; its briefings stay.')
    .action(
      act(async (id: string) => (await commands.companies()).companiesRemove({ id }, setup())),
    );

  program
    .command('serve')
    .description(
      'Serve the web app alone, against the configured Postgres and Temporal (npm start serves it too). Ctrl-C to stop.',
    )
    .option('--port <n>', 'the port (default: BOARDROOM_WEB_PORT, else 8300)', parsePort)
    .option(
      '--host <address>',
      'the address to listen on (default: BOARDROOM_WEB_HOST, else 127.0.0.1)',
    )
    .option(
      '--insecure-no-auth',
      'serve an address other than loopback without BOARDROOM_WEB_TOKEN (only behind a proxy that authenticates)',
    )
    .action(
      act(async (opts: { port?: number; host?: string; insecureNoAuth?: boolean }) =>
        (await commands.serve()).serveCommand(opts, setup()),
      ),
    );

  return program;
}

function parsePort(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535)
    throw new InvalidArgumentError('a port number from 1 to 65535');
  return n;
}

/** Failures a person can act on from their message alone: no stack trace. */
function isExpected(err: unknown): boolean {
  return (
    err instanceof BoardroomError ||
    err instanceof NotFoundError ||
    err instanceof NoWorkerError ||
    err instanceof StartupAbortedError
  );
}

/**
 * The line a person sees for a failed command. Our own errors are their message; an
 * unexpected one is one line and where its stack went (`logFile`, else the log lines on
 * stderr): `log` records it.
 */
export async function failureMessage(
  err: unknown,
  setup?: Pick<CliSetup, 'log' | 'logFile'>,
): Promise<string> {
  if (isExpected(err)) return (err as Error).message;
  // Loaded already when a run failed; imported here so that other commands need not load it.
  const { WorkflowFailedError } = await import('@temporalio/client');
  if (err instanceof WorkflowFailedError)
    return `The briefing run failed: ${err.cause?.message ?? err.message}`;
  const e = err instanceof Error ? err : new Error(String(err));
  // The crash itself was logged, with its stack, where it happened.
  if (!(e instanceof WorkerStoppedError)) setup?.log.error({ err: e }, 'unexpected error');
  const where = setup?.logFile
    ? `its stack is in ${setup.logFile}`
    : setup
      ? 'its stack is in the log lines above'
      : 'run with LOG_LEVEL=debug for more';
  const line = `${e instanceof WorkerStoppedError ? '' : `${e.name}: `}${e.message.split('\n')[0]}`;
  return `boardroom: ${line} (${where}).`;
}

/**
 * Runs `boardroom <argv>` (node-style: argv[0] node, argv[1] the script) and returns
 * the exit code. Commander itself exits the process after `--help` and on a bad flag.
 */
export async function main(argv: string[], cli: CliEnvironment = {}): Promise<number> {
  const output = cli.output ?? processOutput();
  stopQuietlyWhenStdoutCloses();
  const session: { setup?: CliSetup } = {};
  let exitCode = 0;
  try {
    await buildProgram((code) => (exitCode = code), { ...cli, output, session }).parseAsync(argv);
  } catch (err) {
    output.say(await failureMessage(err, session.setup));
    exitCode = 1;
  }
  return exitCode;
}

/**
 * The entry's end: exit with `code`. Every command closes what it opened; should a
 * library still hold the event loop (a connection that answers after its deadline),
 * the process exits anyway after `graceMs` instead of hanging.
 */
export function exitWhenDone(code: number, graceMs = 2_000): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), graceMs).unref();
}
