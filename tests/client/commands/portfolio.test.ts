/**
 * `boardroom portfolio` against the suite's real Temporal and Postgres: three companies
 * briefed by real runs (one in euros with a failed agent, one only on an earlier day),
 * read back through the command in JSON, Markdown and HTML.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { portfolioCommand, readPortfolioInputs } from '../../../src/client/commands/portfolio.js';
import { main } from '../../../src/client/program.js';
import { NotFoundError } from '../../../src/client/errors.js';
import { Portfolio } from '../../../src/contract/portfolio.js';
import { workspaceSources } from '../../../src/sources/sources.js';
import { captureOutput, commandDeps, stackEnv } from '../../helpers/cli.js';
import {
  DEMO_WORKSPACE,
  closeStacksAfterEach,
  faultySources,
  uniqueCompanyId,
} from '../../helpers/stack.js';

const stack = closeStacksAfterEach();
const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-portfolio-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** The demo workspace as a euro company of another name. */
async function euroWorkspace(): Promise<string> {
  const dir = await mkdtemp(path.join(tmp, 'ws-'));
  await cp(DEMO_WORKSPACE, dir, { recursive: true });
  const file = path.join(dir, 'company.yaml');
  const yaml = await readFile(file, 'utf8');
  await writeFile(
    file,
    yaml.replace(/^name: .*$/m, 'name: Nordwind GmbH').replace(/^currency: USD$/m, 'currency: EUR'),
  );
  return dir;
}

const cents = (units: unknown) => Math.round((units as number) * 100);

describe('portfolio command', () => {
  it("reads every company's newest briefing: values traced to their runs, totals per currency, today's gaps", async () => {
    const usd = await stack();
    const euroId = uniqueCompanyId('eur');
    const euro = await stack({
      companyId: euroId,
      sources: faultySources(workspaceSources({ [euroId]: await euroWorkspace() }), (agent) =>
        agent === 'hr' ? new Error('hr source down') : undefined,
      ),
    });
    const older = await stack();
    const [usdRun, euroRun, olderRun] = await Promise.all([
      usd.runBriefing(),
      euro.runBriefing(),
      older.runBriefing({
        trigger: 'backfill',
        asOf: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      }),
    ]);
    expect(euroRun.agents.hr.status).toBe('failed');
    const date = usdRun.briefingDate;
    expect(olderRun.briefingDate < date).toBe(true);
    const stored = async (workflowId: string) => {
      const b = await usd.repo.getBriefing(workflowId);
      if (!b) throw new Error(`no stored briefing for ${workflowId}`);
      return b;
    };
    const usdStored = await stored(usdRun.workflowId);
    const euroStored = await stored(euroRun.workflowId);
    const olderStored = await stored(olderRun.workflowId);
    const never = uniqueCompanyId('never');
    const ids = [usd.companyId, euro.companyId, older.companyId, never];

    const json = commandDeps(stackEnv(usd));
    expect(await portfolioCommand({ json: true, date, company: ids }, json)).toBe(0);
    const p = Portfolio.parse(JSON.parse(json.output.stdout));
    expect(p.date).toBe(date);
    expect(p.totals.companies).toBe(3);

    const line = (id: string) => p.companies.find((c) => c.companyId === id)!;
    for (const [b, id] of [
      [usdStored, usd.companyId],
      [euroStored, euro.companyId],
      [olderStored, older.companyId],
    ] as const) {
      const finance = b.briefing.agents.finance.metrics;
      expect(line(id)).toMatchObject({
        briefingId: b.id,
        workflowId: b.workflowId,
        briefingDate: b.briefingDate,
        health: b.health,
        mrrCents: cents(finance.mrr),
        arrCents: cents(finance.arr),
        cashCents: cents(finance.cashBalance),
        runwayMonths: finance.runwayMonths,
        risks: {
          critical: b.briefing.risks.filter((r) => r.severity === 'critical').length,
          warning: b.briefing.risks.filter((r) => r.severity === 'warning').length,
          info: b.briefing.risks.filter((r) => r.severity === 'info').length,
        },
      });
    }
    expect(line(usd.companyId).headcount).toBe(usdStored.briefing.agents.hr.metrics.headcount);
    expect(line(euro.companyId)).toMatchObject({
      companyName: 'Nordwind GmbH',
      currency: 'EUR',
      outcome: 'degraded',
      failedAgents: ['hr'],
      headcount: null,
    });

    expect(p.today).toEqual({
      current: p.companies.filter((c) => c.companyId !== older.companyId).map((c) => c.companyId),
      noBriefingToday: [
        {
          companyId: older.companyId,
          companyName: olderStored.briefing.companyName,
          briefingDate: olderRun.briefingDate,
        },
      ],
      neverBriefed: [never],
      degraded: [
        {
          companyId: euro.companyId,
          companyName: 'Nordwind GmbH',
          staleAgents: [],
          failedAgents: ['hr'],
        },
      ],
    });

    const [eur, dollars] = p.totals.money;
    expect(eur).toMatchObject({
      currency: 'EUR',
      companies: [euro.companyId],
      mrrCents: cents(euroStored.briefing.agents.finance.metrics.mrr),
      cashCents: cents(euroStored.briefing.agents.finance.metrics.cashBalance),
    });
    expect(dollars!.currency).toBe('USD');
    expect([...dollars!.companies].sort()).toEqual([usd.companyId, older.companyId].sort());
    expect(dollars!.olderBriefings).toEqual([older.companyId]);
    expect(dollars!.mrrCents).toBe(
      cents(usdStored.briefing.agents.finance.metrics.mrr) +
        cents(olderStored.briefing.agents.finance.metrics.mrr),
    );
    expect(dollars!.cashCents).toBe(
      cents(usdStored.briefing.agents.finance.metrics.cashBalance) +
        cents(olderStored.briefing.agents.finance.metrics.cashBalance),
    );
    expect(p.totals.headcount).toEqual({
      value:
        (usdStored.briefing.agents.hr.metrics.headcount as number) +
        (olderStored.briefing.agents.hr.metrics.headcount as number),
      missing: [euro.companyId],
    });
    const allRisks = [usdStored, euroStored, olderStored].flatMap((s) => s.briefing.risks);
    expect(p.risks.items).toHaveLength(allRisks.length);
    expect(p.risks.counts.critical).toBe(allRisks.filter((r) => r.severity === 'critical').length);

    const md = commandDeps(stackEnv(usd));
    expect(await portfolioCommand({ date, company: ids }, md)).toBe(0);
    expect(md.output.stdout).toMatch(/^# Portfolio briefing: \d{4}-\d{2}-\d{2}\n/);
    expect(md.output.stdout).toContain('- **Degraded:** Nordwind GmbH: hr failed\n');
    expect(md.output.stdout).toMatch(/\n\| EUR \| 1 \| €[\d,.]+ \|/);
    expect(md.output.stdout).toMatch(/\n\| USD \| 2 \| \$[\d,.]+ \|/);

    const file = path.join(tmp, 'portfolio.html');
    const html = commandDeps(stackEnv(usd));
    expect(await portfolioCommand({ format: 'html', out: file, date, company: ids }, html)).toBe(0);
    expect(html.output.stdout).toBe('');
    expect(html.output.stderr).toMatch(
      new RegExp(
        `^Wrote the portfolio of ${date} \\(3 companies, html, \\d+ bytes\\) to ${file}\\n$`,
      ),
    );
    const page = await readFile(file, 'utf8');
    expect(page.startsWith('<!doctype html>\n')).toBe(true);
    expect(page).toContain('<td>Nordwind GmbH</td>');
    expect(page).not.toContain('<script');
  });

  it('reads heads only: the head keeps the cash in cents; a head from before it is completed from its briefing', async () => {
    const s = await stack();
    const run = await s.runBriefing();
    const stored = (await s.repo.getBriefing(run.workflowId))!;
    const balance = stored.briefing.agents.finance.metrics.cashBalance as number;
    const reads: string[] = [];
    const counting = {
      latestBriefings: () => s.repo.latestBriefings(),
      getBriefing: (id: string) => {
        reads.push(id);
        return s.repo.getBriefing(id);
      },
    };
    const [fresh] = await readPortfolioInputs(counting, [s.companyId]);
    expect(fresh!.head.cash).toEqual({ cents: Math.round(balance * 100), stale: false });
    expect(Number.isInteger(fresh!.head.cash!.cents)).toBe(true);
    expect(reads).toEqual([]);

    // A row written before the head kept the cash: one full read of that same briefing.
    await s.repo.pool.query(`UPDATE briefings SET head = head - 'cash' WHERE company_id = $1`, [
      s.companyId,
    ]);
    const [old] = await readPortfolioInputs(counting, [s.companyId]);
    expect(old!.head.cash).toEqual(fresh!.head.cash);
    expect(reads).toEqual([String(stored.id)]);
    // And one from before the head column: the briefing itself, less its bulky parts.
    await s.repo.pool.query(`UPDATE briefings SET head = NULL WHERE company_id = $1`, [
      s.companyId,
    ]);
    const [oldest] = await readPortfolioInputs(counting, [s.companyId]);
    expect(oldest!.head.cash).toEqual(fresh!.head.cash);
    expect(reads).toHaveLength(2);
  });

  it('a failed finance agent: the head holds no cash (null), and the portfolio says n/a', async () => {
    const id = uniqueCompanyId('nofin');
    const s = await stack({
      companyId: id,
      sources: faultySources(workspaceSources({ [id]: DEMO_WORKSPACE }), (agent) =>
        agent === 'finance' ? new Error('finance source down') : undefined,
      ),
    });
    const run = await s.runBriefing();
    expect(run.agents.finance.status).toBe('failed');
    const [input] = await readPortfolioInputs(s.repo, [id]);
    expect(input!.head.cash).toBeNull();
    const out = commandDeps(stackEnv(s));
    expect(await portfolioCommand({ json: true, company: [id], date: run.briefingDate }, out)).toBe(
      0,
    );
    const p = Portfolio.parse(JSON.parse(out.output.stdout));
    expect(p.companies[0]).toMatchObject({ cashCents: null, mrrCents: null });
    expect(p.totals.money[0]!.missing.cash).toEqual([id]);
  });

  it('no briefing for the companies asked for: a clear message (exit 1 through main)', async () => {
    const nobody = uniqueCompanyId('nobody');
    const env = stackEnv({ companyId: nobody, taskQueue: 'unused' });
    const run = portfolioCommand({ company: [nobody] }, commandDeps(env));
    await expect(run).rejects.toThrow(NotFoundError);
    await expect(run).rejects.toThrow(
      `No briefing for "${nobody}". See \`npx boardroom briefing list\` for the companies that have one.`,
    );
    // Through the CLI's wiring: the message on stderr, nothing on stdout, exit 1.
    const output = captureOutput();
    const code = await main(['node', 'boardroom', 'portfolio', '--json', '--company', nobody], {
      env,
      output,
    });
    expect(code).toBe(1);
    expect(output.stdout).toBe('');
    expect(output.stderr).toBe(
      `No briefing for "${nobody}". See \`npx boardroom briefing list\` for the companies that have one.\n`,
    );
  });

  it('--out in a folder that does not exist fails before reading anything', async () => {
    const env = stackEnv({ companyId: uniqueCompanyId('out'), taskQueue: 'unused' });
    const out = path.join(tmp, 'missing', 'p.md');
    await expect(portfolioCommand({ out }, commandDeps(env))).rejects.toThrow(
      `--out ${out}: the folder ${path.dirname(out)} does not exist.`,
    );
  });
});
