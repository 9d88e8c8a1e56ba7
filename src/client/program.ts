/**
 * The `boardroom` CLI's commander wiring: flags and help texts, each command handed to
 * its function in commands/. `main(argv)` parses and runs; it returns the exit code.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { WorkflowFailedError } from '@temporalio/client';
import type { EnergyDemand } from '../contract/report.js';
import { BoardroomError } from '../shared/errors.js';
import { BRIEFING_FORMATS, type BriefingOutputOptions } from './briefing-output.js';
import { loadCliSetup, type CliSetup, type CommandDeps } from './context.js';
import { NotFoundError } from './errors.js';
import { processOutput, stopQuietlyWhenStdoutCloses, type Output } from './output.js';
import { briefingLatest, briefingList, briefingShow } from './commands/briefing.js';
import { runCommand } from './commands/run.js';
import {
  scheduleCreate,
  scheduleDelete,
  scheduleDescribe,
  schedulePause,
  scheduleTrigger,
  scheduleUnpause,
} from './commands/schedule.js';
import { sourcesCheck } from './commands/sources.js';
import { startCommand } from './commands/start.js';
import { statusCommand } from './commands/status.js';
import { workerCommand } from './commands/worker.js';

const formatOption = () =>
  new Option('--format <format>', 'md (default), json or html').choices(BRIEFING_FORMATS);
const outOption = () => new Option('--out <file>', 'write to this file instead of stdout');

function parsePositiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('a positive whole number');
  return n;
}

/**
 * The program; each action reports its exit code to `setExitCode`. Config is read when
 * a command runs, so `--help` works with a broken environment.
 */
export function buildProgram(setExitCode: (code: number) => void): Command {
  const output = processOutput();
  const setup = (): CliSetup & CommandDeps => ({
    ...loadCliSetup(process.env, { cwd: process.cwd(), isTTY: output.isTTY }),
    output,
  });
  const act =
    <A extends unknown[]>(command: (...args: A) => Promise<number>) =>
    async (...args: A) =>
      setExitCode(await command(...args));

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
    .action(
      act((opts: { once?: boolean } & BriefingOutputOptions) =>
        startCommand(opts, { ...setup(), envPath: process.env.PATH }),
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
    .option('--fresh', "bypass the API sources' cache: call every source now")
    .action(
      act(
        (
          opts: {
            progress: boolean;
            energy?: EnergyDemand;
            fresh?: boolean;
          } & BriefingOutputOptions,
        ) => runCommand(opts, setup()),
      ),
    );

  const briefing = program.command('briefing').description('Read briefings from Postgres.');
  briefing
    .command('latest')
    .description('Print the newest briefing.')
    .option('--json', 'as JSON (same as --format json)')
    .addOption(formatOption())
    .addOption(outOption())
    .option('--company <id>', 'company id (default: BOARDROOM_COMPANY_ID)')
    .action(
      act((opts: { company?: string } & BriefingOutputOptions) => briefingLatest(opts, setup())),
    );
  briefing
    .command('list')
    .description('List recent briefings.')
    .option('--json', 'as JSON')
    .option('--company <id>', 'company id (default: all companies)')
    .option('--limit <n>', 'how many', parsePositiveInt, 20)
    .action(
      act((opts: { json?: boolean; company?: string; limit: number }) =>
        briefingList(opts, setup()),
      ),
    );
  briefing
    .command('show')
    .description('Print one briefing by its id or its workflow id.')
    .argument('<id>', 'briefing id (number) or workflow id')
    .option('--json', 'as JSON (same as --format json)')
    .addOption(formatOption())
    .addOption(outOption())
    .action(act((id: string, opts: BriefingOutputOptions) => briefingShow(id, opts, setup())));

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
    .action(act((opts: { cron?: string; timezone?: string }) => scheduleCreate(opts, setup())));
  schedule
    .command('describe')
    .description('Show the schedule: state, spec, next and recent runs.')
    .option('--json', 'as JSON')
    .action(act((opts: { json?: boolean }) => scheduleDescribe(opts, setup())));
  schedule
    .command('trigger')
    .description('Start a scheduled run now (same as the daily one).')
    .action(act(() => scheduleTrigger(setup())));
  schedule
    .command('pause')
    .description('Pause the schedule.')
    .option('--note <text>', 'why')
    .action(act((opts: { note?: string }) => schedulePause(opts, setup())));
  schedule
    .command('unpause')
    .description('Resume the schedule.')
    .option('--note <text>', 'why')
    .action(act((opts: { note?: string }) => scheduleUnpause(opts, setup())));
  schedule
    .command('delete')
    .description('Delete the schedule (runs already started finish).')
    .action(act(() => scheduleDelete(setup())));

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
    .action(
      act((opts: { company?: string; workspace?: string; json?: boolean }) =>
        sourcesCheck(opts, setup()),
      ),
    );

  program
    .command('status')
    .description(
      "Sources (credentials, reachability), the last run and each agent's last execution, and the " +
        "schedule's next run; exit 1 when something needs attention.",
    )
    .option('--json', 'as JSON')
    .action(act((opts: { json?: boolean }) => statusCommand(opts, setup())));

  program
    .command('worker')
    .description(
      'Run a worker alone (for a real cluster: set TEMPORAL_ADDRESS and DATABASE_URL). Ctrl-C to stop.',
    )
    .action(act(() => workerCommand({ ...setup(), envPath: process.env.PATH })));

  return program;
}

/** The line a person sees for a failed command: our own errors need no stack trace. */
export function failureMessage(err: unknown): string {
  if (err instanceof WorkflowFailedError)
    return `The briefing run failed: ${err.cause?.message ?? err.message}`;
  if (err instanceof BoardroomError || err instanceof NotFoundError) return err.message;
  return `boardroom: ${(err as Error).stack ?? String(err)}`;
}

/** Runs `boardroom <argv>` (node-style: argv[0] node, argv[1] the script); returns the exit code. */
export async function main(argv: string[], output: Output = processOutput()): Promise<number> {
  stopQuietlyWhenStdoutCloses();
  let exitCode = 0;
  try {
    await buildProgram((code) => (exitCode = code)).parseAsync(argv);
  } catch (err) {
    output.say(failureMessage(err));
    exitCode = 1;
  }
  return exitCode;
}
