/**
 * `boardroom portfolio`: every company's newest briefing side by side (health, MRR and its
 * change, runway, cash, headcount, risks by severity, what went wrong today, totals per
 * currency) as Markdown, JSON or self-contained HTML. Reads Postgres only; the pure
 * composition and rendering are src/ceo/portfolio.ts and render-portfolio.ts.
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { composePortfolio, type PortfolioInput } from '../../ceo/portfolio.js';
import { renderPortfolioHtml, renderPortfolioMarkdown } from '../../ceo/render-portfolio.js';
import { Portfolio } from '../../contract/portfolio.js';
import { ConfigError } from '../../shared/errors.js';
import { calendarDate } from '../../shared/time-zone.js';
import { openDatabase } from '../../store/database.js';
import { overviewHead, type Repository } from '../../store/repository.js';
import {
  checkOutOption,
  type BriefingFormat,
  type BriefingOutputOptions,
} from '../briefing-output.js';
import type { CommandDeps } from '../context.js';
import { NotFoundError } from '../errors.js';
import { markdownForTerminal } from '../output.js';

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

/**
 * Each company's newest briefing's head: everything the portfolio shows, cash included,
 * one small row per company. A head stored before it kept the cash is completed from its
 * full briefing (the same row, so all figures stay of one run).
 */
export async function readPortfolioInputs(
  repo: Pick<Repository, 'latestBriefings' | 'getBriefing'>,
  companies?: readonly string[],
): Promise<PortfolioInput[]> {
  const wanted = companies && companies.length > 0 ? new Set(companies) : undefined;
  const newest = (await repo.latestBriefings()).filter((b) => !wanted || wanted.has(b.companyId));
  return Promise.all(
    newest.map(async (overview): Promise<PortfolioInput> => {
      if (overview.head.cash !== undefined) return overview;
      const full = await repo.getBriefing(String(overview.id));
      return full
        ? { ...overview, head: { ...overview.head, cash: overviewHead(full.briefing).cash } }
        : overview;
    }),
  );
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
  const date = opts.date ?? calendarDate((deps.now ?? (() => new Date()))(), 'UTC');
  const db = await openDatabase(deps.config, deps.log);
  let inputs: PortfolioInput[];
  try {
    inputs = await readPortfolioInputs(db.repo, opts.company);
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
    composePortfolio(inputs, { date, ...(opts.company ? { expected: opts.company } : {}) }),
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
  // checkOutOption vetted the folder; write beside the target and rename, so a reader
  // never sees half a file.
  const target = path.resolve(opts.out);
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigError(`--out ${opts.out}: cannot write ${target} (${code}).`, {
      flag: '--out',
    });
  }
  deps.output.say(
    `Wrote the portfolio of ${portfolio.date} (${portfolio.totals.companies} companies, ${format}, ` +
      `${Buffer.byteLength(text)} bytes) to ${target}`,
  );
  return 0;
}
