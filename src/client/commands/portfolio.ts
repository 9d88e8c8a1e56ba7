/**
 * `boardroom portfolio`: every company's newest briefing side by side (health, MRR and its
 * change, runway, cash, headcount, risks by severity, what went wrong today, totals per
 * currency) as Markdown, JSON or self-contained HTML. Reads Postgres only (each company's
 * small stored head); the pure composition and rendering are src/ceo/portfolio.ts and
 * render-portfolio.ts.
 *
 * `boardroom portfolio send`: the day's portfolio delivered like a briefing, by the worker
 * (portfolioBriefingWorkflow, id `boardroom-portfolio-<date>`) to the channels of the
 * portfolio's delivery.yaml; a second send the same day sends nothing twice.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import {
  loadPortfolioDelivery,
  readPortfolioInputs,
  registeredCompanyDates,
} from '../../activities/portfolio.js';
import { composePortfolio, type PortfolioInput } from '../../ceo/portfolio.js';
import { renderPortfolioHtml, renderPortfolioMarkdown } from '../../ceo/render-portfolio.js';
import { CHANNEL_NAMES, type ChannelName } from '../../contract/delivery.js';
import { Portfolio } from '../../contract/portfolio.js';
import { ConfigError } from '../../shared/errors.js';
import { calendarDate, isTimeZone } from '../../shared/time-zone.js';
import type { DeliveryOutcome } from '../../shared/workflow-api.js';
import { openDatabase } from '../../store/database.js';
import {
  PORTFOLIO_SCHEDULE_ID,
  PORTFOLIO_WORKFLOW_TYPE,
  portfolioWorkflowId,
  type PortfolioBriefingInput,
  type PortfolioBriefingResult,
} from '../../workflows/portfolio-briefing.js';
import { cronProblem, type Config } from '../../config.js';
import {
  checkOutOption,
  writeOutFile,
  type BriefingFormat,
  type BriefingOutputOptions,
} from '../briefing-output.js';
import type { CommandDeps } from '../context.js';
import { CHANNEL_LABELS } from '../delivery-lines.js';
import { NoWorkerError, NotFoundError } from '../errors.js';
import { markdownForTerminal } from '../output.js';
import { hasWorkers } from '../run.js';
import { describeScheduleText } from '../schedule.js';
import { connectClient } from '../temporal.js';
import { boundedWait } from '../bounded-wait.js';

export { readPortfolioInputs };

export interface PortfolioCommandOptions extends Pick<
  BriefingOutputOptions,
  'json' | 'format' | 'out'
> {
  /** The day "today" means, YYYY-MM-DD. @default today's date in UTC */
  date?: string;
  /** Only these companies. @default every company that has a briefing */
  company?: string[];
}

export interface PortfolioDeps extends CommandDeps {
  /** @default () => new Date() */
  now?: () => Date;
}

/** The portfolio as text in `format`. */
export function portfolioText(portfolio: Portfolio, format: BriefingFormat): string {
  if (format === 'json') return `${JSON.stringify(portfolio, null, 2)}\n`;
  if (format === 'html') return renderPortfolioHtml(portfolio);
  return renderPortfolioMarkdown(portfolio);
}

/** Exit 0 with the portfolio; NotFoundError (exit 1) when no company has a briefing. */
export async function portfolioCommand(
  opts: PortfolioCommandOptions,
  deps: PortfolioDeps,
): Promise<number> {
  await checkOutOption(opts);
  const format: BriefingFormat = opts.format ?? (opts.json ? 'json' : 'md');
  const now = (deps.now ?? (() => new Date()))();
  const date = opts.date ?? calendarDate(now, 'UTC');
  const db = await openDatabase(deps.config, deps.log);
  let inputs: PortfolioInput[];
  let companyDates: Record<string, string>;
  try {
    [inputs, companyDates] = await Promise.all([
      readPortfolioInputs(db.repo, opts.company),
      // With --date, the day asked for is every company's day.
      opts.date ? Promise.resolve({}) : registeredCompanyDates(db.repo, now),
    ]);
  } finally {
    await db.close();
  }
  if (inputs.length === 0)
    throw new NotFoundError(
      opts.company?.length
        ? `No briefing for ${opts.company.map((id) => `"${id}"`).join(', ')}. ` +
            'See `npx boardroom briefing list` for the companies that have one.'
        : 'No briefing yet for any company. Run one with `npm start -- --once` or `npx boardroom run`.',
    );
  // Parsed as it leaves: what is printed is what the contract says.
  const portfolio = Portfolio.parse(
    composePortfolio(inputs, {
      date,
      companyDates,
      ...(opts.company ? { expected: opts.company } : {}),
    }),
  );
  const text = portfolioText(portfolio, format);
  if (!opts.out) {
    deps.output.out(
      format === 'md' && deps.output.stdoutIsTTY
        ? markdownForTerminal(text, deps.output.columns)
        : text,
    );
    return 0;
  }
  const target = await writeOutFile(opts.out, text);
  deps.output.say(
    `Wrote the portfolio of ${portfolio.date} (${portfolio.totals.companies} companies, ${format}, ` +
      `${Buffer.byteLength(text)} bytes) to ${target}`,
  );
  return 0;
}

/** The environment variable naming the portfolio's delivery.yaml. */
export const PORTFOLIO_DELIVERY_ENV = 'BOARDROOM_PORTFOLIO_DELIVERY';

/**
 * The delivery.yaml the portfolio goes to: BOARDROOM_PORTFOLIO_DELIVERY, else the
 * configured workspace's delivery.yaml; absolute, as the worker reads it.
 */
export function portfolioDeliveryFile(config: Config, cwd = process.cwd()): string {
  const named = config.sourceEnv[PORTFOLIO_DELIVERY_ENV]?.trim();
  return named ? path.resolve(cwd, named) : path.join(config.company.workspace, 'delivery.yaml');
}

export interface PortfolioSendOptions {
  /** The portfolio's day, YYYY-MM-DD. @default today's date in UTC */
  date?: string;
  /** Only these companies: a portfolio of its own, sent apart from the whole's. @default every company */
  company?: string[];
  /** Only these of the delivery file's channels. @default every channel it configures */
  channel?: ChannelName[];
  /** Keep waiting while no worker polls. @default false: exit 1 at once */
  wait?: boolean;
}

export interface PortfolioSendDeps extends PortfolioDeps {
  /** How long to wait for the workflow's result once started. @default 180_000 */
  resultWaitMs?: number;
}

/** Some companies' portfolio: the sorted ids and a short hash of them (its key). */
export function portfolioScope(
  companies: readonly string[] | undefined,
): { companies: string[]; key: string } | undefined {
  if (!companies || companies.length === 0) return undefined;
  const sorted = [...new Set(companies)].sort();
  return {
    companies: sorted,
    key: createHash('sha256').update(sorted.join('\n')).digest('hex').slice(0, 10),
  };
}

/** One line a channel: what was sent where, found sent already, or what failed. */
export function portfolioDeliveryLine(d: DeliveryOutcome): string {
  const label = CHANNEL_LABELS[d.channel];
  if (d.status === 'sent') {
    const id = d.messageId
      ? ` (${d.channel === 'email' ? 'Message-ID ' : d.channel === 'slack' ? 'ts ' : 'id '}${d.messageId})`
      : '';
    return d.alreadySent
      ? `${label}: already sent today to ${d.target ?? 'its target'}${id}; nothing sent again.`
      : `${label}: sent to ${d.target ?? 'its target'}${id}.`;
  }
  const tries = d.attempts > 1 ? ` after ${d.attempts} attempts` : '';
  return (
    `${label}: FAILED${tries}: ${d.error ?? 'unknown error'} (\`npx boardroom delivery test --channel ${d.channel}\` ` +
    'checks the settings; `npx boardroom portfolio send` again sends only what is not sent yet).'
  );
}

/**
 * Exit 0 when every channel has the day's portfolio (sent now or before); 1 when a
 * channel failed, the delivery file is missing or invalid, or no company has a briefing
 * (then nothing is sent).
 */
export async function portfolioSendCommand(
  opts: PortfolioSendOptions,
  deps: PortfolioSendDeps,
): Promise<number> {
  const { config, output } = deps;
  const date = opts.date ?? calendarDate((deps.now ?? (() => new Date()))(), 'UTC');
  const deliveryFile = portfolioDeliveryFile(config);
  const source = config.sourceEnv[PORTFOLIO_DELIVERY_ENV]?.trim()
    ? `${PORTFOLIO_DELIVERY_ENV}=${deliveryFile}`
    : `${deliveryFile} (the workspace's; set ${PORTFOLIO_DELIVERY_ENV} to use another)`;
  // Checked here first, for a one-line answer before anything starts; the worker reads it again.
  const settings = await loadPortfolioDelivery(deliveryFile);
  if (!settings)
    throw new ConfigError(
      `No delivery file for the portfolio: ${source} does not exist. ` +
        'Write one (e-mail, Slack or a webhook: docs/delivery.md).',
      { file: deliveryFile },
    );
  const configured = CHANNEL_NAMES.filter((c) => settings[c] !== undefined);
  const missing = (opts.channel ?? []).filter((c) => !configured.includes(c));
  if (missing.length > 0)
    throw new ConfigError(
      `--channel ${missing.join(' ')}: ${deliveryFile} has no "${missing[0]}" block ` +
        `(it configures: ${configured.length > 0 ? configured.join(', ') : 'none'}).`,
      { flag: '--channel', file: deliveryFile },
    );
  if (configured.length === 0)
    throw new ConfigError(
      `${deliveryFile} configures no channel: nothing to send the portfolio to (docs/delivery.md).`,
      { file: deliveryFile },
    );

  const db = await openDatabase(config, deps.log);
  let briefed: number;
  try {
    const wanted = opts.company?.length ? new Set(opts.company) : undefined;
    briefed = (await db.repo.latestBriefings()).filter(
      (b) => !wanted || wanted.has(b.companyId),
    ).length;
  } finally {
    await db.close();
  }
  if (briefed === 0)
    throw new NotFoundError(
      opts.company?.length
        ? `No briefing for ${opts.company.map((id) => `"${id}"`).join(', ')}: nothing was sent. ` +
            'See `npx boardroom briefing list` for the companies that have one.'
        : 'No company has a briefing yet: nothing was sent. Run one with `npm start -- --once` or `npx boardroom run`.',
    );

  const client: Client = await connectClient(config);
  try {
    const queue = config.temporal.taskQueue;
    if (!opts.wait && !(await hasWorkers(client, queue)))
      throw new NoWorkerError(
        `No worker polls task queue "${queue}": the worker sends the portfolio (it holds the ` +
          "channels' secrets). Start one (`npm start`, or `npx boardroom worker`), or pass --wait.",
        '',
      );
    const scope = portfolioScope(opts.company);
    const workflowId = portfolioWorkflowId(date, scope?.key);
    const handle = await client.workflow.start(PORTFOLIO_WORKFLOW_TYPE, {
      taskQueue: queue,
      workflowId,
      // A send of the day already running: wait for that one rather than start a second.
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [
        {
          date,
          deliveryFile,
          ...(opts.channel?.length ? { channels: opts.channel } : {}),
          ...(scope ? { scope } : {}),
        } satisfies PortfolioBriefingInput,
      ],
    });
    const waitMs = deps.resultWaitMs ?? 180_000;
    const result = (await boundedWait(
      handle.result(),
      waitMs,
      `The portfolio send ${workflowId} is still running after ${Math.round(waitMs / 1000)} s ` +
        '(a channel retrying?): see it in the Temporal UI; running `npx boardroom portfolio send` ' +
        'again waits for it and sends nothing twice.',
    )) as PortfolioBriefingResult;
    if (result.status === 'empty') {
      output.say(`No company has a briefing: the portfolio of ${date} was not sent.`);
      return 1;
    }
    output.say(
      `Portfolio briefing of ${date}: ${result.companies} companies, ${result.current} briefed today, ` +
        `${result.degraded} degraded (${workflowId}):`,
    );
    if (result.deliveryProblem) {
      output.say(`Delivery: nothing sent, ${result.deliveryProblem}`);
      return 1;
    }
    for (const d of result.deliveries) output.say(portfolioDeliveryLine(d));
    if (result.deliveries.length > 0 && result.deliveries.every((d) => d.alreadySent))
      output.say('Nothing was sent now: every channel had the portfolio of this day already.');
    return result.deliveries.length === 0 || result.deliveries.some((d) => d.status === 'failed')
      ? 1
      : 0;
  } finally {
    await client.connection.close();
  }
}

export interface PortfolioScheduleOptions {
  /** When the daily portfolio goes out. @default PORTFOLIO_DEFAULT_CRON, "30 7 * * *" */
  cron?: string;
  /** The cron's zone, and the zone its day is taken in. @default BOARDROOM_TIMEZONE, else UTC */
  timezone?: string;
}

/** Half an hour after the companies' default 07:00 briefings. */
export const PORTFOLIO_DEFAULT_CRON = '30 7 * * *';

/**
 * Creates (or updates) the daily `boardroom-portfolio` schedule: each run sends that
 * day's portfolio to the channels of the portfolio's delivery.yaml (read when it runs),
 * and nothing twice with a `portfolio send` the same day.
 */
export async function portfolioScheduleCommand(
  opts: PortfolioScheduleOptions,
  deps: CommandDeps,
): Promise<number> {
  const { config, output } = deps;
  const cron = opts.cron ?? PORTFOLIO_DEFAULT_CRON;
  const problem = cronProblem(cron);
  if (problem !== undefined)
    throw new ConfigError(`--cron "${cron}" is ${problem}.`, { flag: '--cron', value: cron });
  const timeZone = opts.timezone ?? config.schedule.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone))
    throw new ConfigError(
      `${opts.timezone !== undefined ? '--timezone' : 'BOARDROOM_TIMEZONE'}: unknown time zone "${timeZone}": use an IANA name such as America/New_York.`,
      { flag: '--timezone' },
    );
  const deliveryFile = portfolioDeliveryFile(config);
  if (!(await loadPortfolioDelivery(deliveryFile)))
    throw new ConfigError(
      `No delivery file for the portfolio: ${deliveryFile} does not exist. ` +
        `Write one (docs/delivery.md), or set ${PORTFOLIO_DELIVERY_ENV} to one.`,
      { file: deliveryFile },
    );
  const client = await connectClient(config);
  try {
    const spec = { cronExpressions: [cron], timezone: timeZone };
    const action = {
      type: 'startWorkflow' as const,
      workflowType: PORTFOLIO_WORKFLOW_TYPE,
      // Temporal appends each run's scheduled time to this id.
      workflowId: PORTFOLIO_SCHEDULE_ID,
      taskQueue: config.temporal.taskQueue,
      args: [{ deliveryFile, timeZone } satisfies PortfolioBriefingInput],
      memo: { cron },
    };
    let outcome: 'created' | 'updated' = 'created';
    try {
      await client.schedule.create({
        scheduleId: PORTFOLIO_SCHEDULE_ID,
        spec,
        action,
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      });
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(PORTFOLIO_SCHEDULE_ID).update((prev) => ({
        ...prev,
        spec,
        action,
        policies: { ...prev.policies, overlap: ScheduleOverlapPolicy.SKIP },
      }));
      outcome = 'updated';
    }
    output.out(
      `Schedule ${PORTFOLIO_SCHEDULE_ID} ${outcome}: "${cron}" (${timeZone}), the portfolio to the channels of ${deliveryFile}.`,
    );
    output.out(
      describeScheduleText(await client.schedule.getHandle(PORTFOLIO_SCHEDULE_ID).describe()),
    );
    return 0;
  } finally {
    await client.connection.close();
  }
}
