/**
 * `boardroom preview [--workspace DIR] [--as-of YYYY-MM-DD] [--format md|json|html]`:
 * the briefing computed in this process from a workspace, without Temporal or Postgres
 * (with DATABASE_URL set it also reads the stored history). The quickest check of your
 * own files, and the demo on any date. Prints the same JSON as `run --json`.
 *
 * Exit codes: 0 with the briefing printed; 1 when a file cannot be read or validated
 * (each problem on a line, naming file, line and field).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isIsoDate } from '../../contract/fields.js';
import { ConfigError } from '../../shared/errors.js';
import { calendarDate } from '../../shared/time-zone.js';
import { prepareDemoWorkspace } from '../../sources/demo/prepare-workspace.js';
import { openDatabase, type Database } from '../../store/database.js';
import { backfillAsOf } from '../backfill.js';
import { checkOutOption, emitBriefing, type BriefingOutputOptions } from '../briefing-output.js';
import { resolveCompany } from '../company.js';
import type { CommandDeps } from '../context.js';
import { demoToday } from '../demo.js';
import { PreviewError, previewBriefing } from '../preview.js';
import { createSources } from '../sources.js';
import { checkWorkspaceFolder, loadWorkspaceCompany } from '../workflow-input.js';

export interface PreviewOptions extends BriefingOutputOptions {
  /** A workspace folder. @default BOARDROOM_WORKSPACE, else the living demo */
  workspace?: string;
  /** The day to compute, YYYY-MM-DD. @default today in the company's zone */
  asOf?: string;
  /**
   * The configured company or a registered one (its workspace then, unless `workspace`;
   * a registered one is read from Postgres). @default BOARDROOM_COMPANY_ID
   */
  company?: string;
}

export async function previewCommand(
  opts: PreviewOptions,
  deps: CommandDeps & { clock?: () => Date },
): Promise<number> {
  const { log, output } = deps;
  const now = (deps.clock ?? (() => new Date()))();
  await checkOutOption(opts);
  const config = opts.workspace
    ? {
        ...deps.config,
        company: { ...deps.config.company, id: opts.company ?? deps.config.company.id },
      }
    : (await resolveCompany(deps, opts.company)).config;
  if (opts.asOf !== undefined && !isIsoDate(opts.asOf)) {
    throw new ConfigError(
      `--as-of ${opts.asOf}: expected a date as YYYY-MM-DD, e.g. ${now.toISOString().slice(0, 10)}.`,
      {
        flag: '--as-of',
      },
    );
  }
  // The demo is generated for the day asked, in a folder of its own (today's stays as is).
  const demo = !opts.workspace && config.company.demo;
  const tmp = demo ? await mkdtemp(path.join(os.tmpdir(), 'boardroom-preview-')) : undefined;
  let db: Database | undefined;
  try {
    const company = {
      id: config.company.id,
      workspace: opts.workspace ? path.resolve(opts.workspace) : (tmp ?? config.company.workspace),
      demo: false,
    };
    const scoped = { ...config, company };
    if (tmp)
      await prepareDemoWorkspace({
        outDir: tmp,
        today: opts.asOf ?? (await demoToday(config, now)),
      });
    else await checkWorkspaceFolder(scoped);
    const timeZone =
      config.schedule.timeZone ?? (await loadWorkspaceCompany(scoped)).timeZone ?? 'UTC';
    const today = opts.asOf ?? calendarDate(now, timeZone);
    const asOf = opts.asOf ? backfillAsOf(today, config.schedule.cron, timeZone) : now;
    // "No history unless a database is configured": the embedded one is not.
    if (config.databaseUrl) db = await openDatabase(config, log);
    const briefing = await previewBriefing({
      sources: createSources(config, { company }),
      companyId: company.id,
      today,
      asOf,
      now,
      ...(db ? { store: db.repo } : {}),
    });
    await emitBriefing({ briefing, markdown: briefing.markdown }, opts, output);
    return 0;
  } catch (err) {
    if (!(err instanceof PreviewError)) throw err;
    output.say(`The briefing cannot be computed from ${opts.workspace ?? 'the workspace'}:`);
    for (const p of err.problems) output.say(`  ${p.agent}: ${p.message}`);
    output.say('Fix the files named above (docs/workspace.md), then preview again.');
    return 1;
  } finally {
    await db?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}
