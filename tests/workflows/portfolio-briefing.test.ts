/**
 * The portfolio delivered like a briefing, on the real stack: `boardroom portfolio send`
 * starts portfolioBriefingWorkflow (id boardroom-portfolio-<date>) on the suite's
 * Temporal; the worker composes the portfolio of two really briefed companies and sends
 * it to a real SMTP server and the Slack fake (which checks Block Kit's limits). A second
 * send the same day sends nothing again and says so; a portfolio without a briefed
 * company is never sent; a bad delivery file is one line naming it.
 *
 * Each test sends a portfolio of its own day and companies (`--company`): the suite's
 * database is shared with the files running at the same time.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  portfolioScheduleCommand,
  portfolioScope,
  portfolioSendCommand,
} from '../../src/client/commands/portfolio.js';
import { calendarDate } from '../../src/shared/time-zone.js';
import { main } from '../../src/client/program.js';
import { formatMoney } from '../../src/shared/money.js';
import {
  PORTFOLIO_SCHEDULE_ID,
  portfolioWorkflowId,
  type PortfolioBriefingResult,
} from '../../src/workflows/portfolio-briefing.js';
import { emailFixture } from '../delivery/email-fixture.js';
import { slackFixture, startSlackFixture, visibleText } from '../delivery/slack-fixture.js';
import { webhookFixture } from '../delivery/webhook-fixture.js';
import { Portfolio } from '../../src/contract/portfolio.js';
import { captureOutput, commandDeps, stackEnv } from '../helpers/cli.js';
import { DEMO_WORKSPACE, closeStacksAfterEach, uniqueCompanyId } from '../helpers/stack.js';

const stack = closeStacksAfterEach();
const tmp = await mkdtemp(path.join(os.tmpdir(), 'boardroom-portfolio-send-'));
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** A day of this test's own (the ledger keys on the day), before any briefing: all current. */
function ownDate(): string {
  const day = new Date(Date.UTC(1990, 0, 1) + Math.floor(Math.random() * 10_000) * 86_400_000);
  return day.toISOString().slice(0, 10);
}

async function workspace(name: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmp, 'ws-'));
  await cp(DEMO_WORKSPACE, dir, { recursive: true });
  const file = path.join(dir, 'company.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace(/^name: .*$/m, `name: ${name}`));
  return dir;
}

const cents = (units: unknown) => Math.round((units as number) * 100);

describe('portfolio send', () => {
  it('sends the portfolio by e-mail, Slack and webhook once; a second send the same day sends nothing', async () => {
    const [mail, chat, hook] = await Promise.all([
      emailFixture.start(),
      startSlackFixture(),
      webhookFixture.start(),
    ]);
    try {
      const deliveryFile = path.join(await mkdtemp(path.join(tmp, 'delivery-')), 'delivery.yaml');
      await writeFile(
        deliveryFile,
        stringify({ email: mail.settings, slack: chat.settings, webhook: hook.settings }),
      );
      const env = {
        ...mail.env,
        ...chat.env,
        ...hook.env,
        BOARDROOM_WEB_URL: 'https://boardroom.example.com/',
      };
      const a = await stack({
        workspace: await workspace('Acme Analytics'),
        channels: {
          email: emailFixture.channel,
          slack: slackFixture.channel,
          webhook: webhookFixture.channel,
        },
        env,
      });
      const b = await stack({ workspace: await workspace('Beta Works') });
      const [runA, runB] = await Promise.all([a.runBriefing(), b.runBriefing()]);
      const [storedA, storedB] = await Promise.all([
        a.repo.getBriefing(runA.workflowId),
        a.repo.getBriefing(runB.workflowId),
      ]);
      const ids = [a.companyId, b.companyId];
      const date = ownDate();
      const cliEnv = stackEnv(a, { BOARDROOM_PORTFOLIO_DELIVERY: deliveryFile, ...env });

      const first = commandDeps(cliEnv);
      expect(await portfolioSendCommand({ date, company: ids }, first)).toBe(0);
      const scope = portfolioScope(ids)!;
      const workflowId = portfolioWorkflowId(date, scope.key);
      expect(first.output.stderr).toContain(
        `Portfolio briefing of ${date}: 2 companies, 2 briefed today, 0 degraded (${workflowId}):\n`,
      );
      expect(first.output.stderr).toMatch(
        /E-mail: sent to founder@northwind\.example, coo@northwind\.example \(Message-ID <[^>]+>\)\.\n/,
      );
      expect(first.output.stderr).toMatch(/Slack: sent to #exec \(ts [\d.]+\)\.\n/);
      expect(first.output.stderr).toMatch(/Webhook: sent to 127\.0\.0\.1:\d+/);

      // What arrived: one e-mail and one Slack message, with the figures of the stored briefings.
      const total = formatMoney(
        cents(storedA!.briefing.agents.finance.metrics.mrr) +
          cents(storedB!.briefing.agents.finance.metrics.mrr),
        'USD',
      );
      const mails = await mail.received();
      expect(mails).toHaveLength(1);
      expect(mails[0]!.deliveryId).toBe(`portfolio:${date}:${scope.key}:email`);
      expect(mails[0]!.text).toContain(`# Portfolio briefing: ${date}`);
      expect(mails[0]!.text).toContain(`| USD | 2 | ${total} |`);
      expect(mails[0]!.text).toContain('Acme Analytics');
      expect(mails[0]!.text).toContain('Beta Works');
      const posted = chat.fake.messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts);
      expect(posted).toHaveLength(1);
      expect(posted[0]!.metadata?.event_payload.delivery_id).toBe(
        `portfolio:${date}:${scope.key}:slack`,
      );
      const slackText = visibleText(posted[0]!);
      expect(slackText).toContain(`USD (2): MRR ${total}`);
      // Each company linked to its briefing in the web app.
      expect(slackText).toContain(
        `<https://boardroom.example.com/companies/${a.companyId}/briefings/${storedA!.briefingDate}|Acme Analytics>`,
      );
      // The webhook: the portfolio's JSON, signed, with the day's delivery key.
      const hooks = await hook.received();
      expect(hooks.map((h) => h.deliveryId)).toEqual([`portfolio:${date}:${scope.key}:webhook`]);
      const body = Portfolio.parse(JSON.parse(hooks[0]!.text));
      expect(body.companies.map((c) => c.companyId).sort()).toEqual([...ids].sort());
      expect(body.totals.money[0]!.mrrCents).toBe(
        cents(storedA!.briefing.agents.finance.metrics.mrr) +
          cents(storedB!.briefing.agents.finance.metrics.mrr),
      );
      // No secret in the worker's log lines.
      const logged = JSON.stringify(a.logLines);
      for (const secret of [...mail.secrets, ...chat.secrets, ...hook.secrets])
        expect(logged).not.toContain(secret);

      const ledger = (await a.repo.portfolioDeliveries(date)).filter((d) =>
        d.deliveryKey.includes(scope.key),
      );
      expect(ledger.map((d) => [d.channel, d.status, d.attempts])).toEqual([
        ['email', 'sent', 1],
        ['slack', 'sent', 1],
        ['webhook', 'sent', 1],
      ]);

      // The same day again, through the CLI's wiring: nothing sent, and it says so.
      const output = captureOutput();
      const code = await main(
        ['node', 'boardroom', 'portfolio', 'send', '--date', date, '--company', ...ids],
        { env: cliEnv, output },
      );
      expect(output.stderr).toContain('E-mail: already sent today to founder@northwind.example');
      expect(output.stderr).toContain('Slack: already sent today to #exec');
      expect(output.stderr).toContain('Webhook: already sent today to');
      expect(await hook.received()).toHaveLength(1);
      expect(output.stderr).toContain(
        'Nothing was sent now: every channel had the portfolio of this day already.\n',
      );
      expect(code).toBe(0);
      expect(await mail.received()).toHaveLength(1);
      expect(chat.fake.messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts)).toHaveLength(
        1,
      );
      // Two runs under the one workflow id of the day, the second sending nothing.
      const runs: string[] = [];
      for await (const w of a.client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
        runs.push(w.status.name);
      expect(runs).toEqual(['COMPLETED', 'COMPLETED']);
    } finally {
      await Promise.all([mail.close(), chat.close(), hook.close()]);
    }
  });

  it('no company with a briefing: nothing is sent, exit 1 with a message', async () => {
    const mail = await emailFixture.start();
    try {
      const deliveryFile = path.join(await mkdtemp(path.join(tmp, 'delivery-')), 'delivery.yaml');
      await writeFile(deliveryFile, stringify({ email: mail.settings }));
      const s = await stack({ channels: { email: emailFixture.channel }, env: mail.env });
      const nobody = uniqueCompanyId('nobody');
      const output = captureOutput();
      const code = await main(
        ['node', 'boardroom', 'portfolio', 'send', '--date', ownDate(), '--company', nobody],
        { env: stackEnv(s, { BOARDROOM_PORTFOLIO_DELIVERY: deliveryFile, ...mail.env }), output },
      );
      expect(code).toBe(1);
      expect(output.stderr).toBe(
        `No briefing for "${nobody}": nothing was sent. See \`npx boardroom briefing list\` for the companies that have one.\n`,
      );
      expect(await mail.received()).toHaveLength(0);

      // The workflow itself (as a schedule would start it) refuses too: status empty.
      const date = ownDate();
      const result = await s.client.workflow.execute('portfolioBriefingWorkflow', {
        taskQueue: s.taskQueue,
        workflowId: portfolioWorkflowId(date, portfolioScope([nobody])!.key),
        args: [{ date, deliveryFile, scope: portfolioScope([nobody]) }],
      });
      expect(result).toMatchObject({ status: 'empty', companies: 0, deliveries: [] });
      expect(await mail.received()).toHaveLength(0);
    } finally {
      await mail.close();
    }
  });

  it('a missing or invalid delivery file, or a channel it lacks: one line naming it, exit 1', async () => {
    const id = uniqueCompanyId('nofile');
    const env = stackEnv({ companyId: id, taskQueue: 'unused' });
    const missing = path.join(tmp, 'nowhere', 'delivery.yaml');
    const run = async (extra: Record<string, string>, args: string[] = []) => {
      const output = captureOutput();
      const code = await main(['node', 'boardroom', 'portfolio', 'send', ...args], {
        env: { ...env, ...extra },
        output,
      });
      return { code, stderr: output.stderr, stdout: output.stdout };
    };
    const none = await run({ BOARDROOM_PORTFOLIO_DELIVERY: missing });
    expect(none).toEqual({
      code: 1,
      stdout: '',
      stderr: `No delivery file for the portfolio: BOARDROOM_PORTFOLIO_DELIVERY=${missing} does not exist. Write one (e-mail, Slack or a webhook: docs/delivery.md).\n`,
    });

    const bad = path.join(await mkdtemp(path.join(tmp, 'bad-')), 'delivery.yaml');
    await writeFile(
      bad,
      stringify({ email: { smtp_url_env: 'SMTP_URL', from: 'not an address', to: [] } }),
    );
    const invalid = await run({ BOARDROOM_PORTFOLIO_DELIVERY: bad });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(invalid.stderr).toContain('delivery.yaml');
    expect(invalid.stderr).toMatch(/email\.(from|to)/);

    const mailOnly = path.join(await mkdtemp(path.join(tmp, 'mail-')), 'delivery.yaml');
    await writeFile(
      mailOnly,
      stringify({
        email: { smtp_url_env: 'SMTP_URL', from: 'a@b.example', to: ['c@d.example'] },
      }),
    );
    const lacking = await run({ BOARDROOM_PORTFOLIO_DELIVERY: mailOnly }, ['--channel', 'slack']);
    expect(lacking).toEqual({
      code: 1,
      stdout: '',
      stderr: `--channel slack: ${mailOnly} has no "slack" block (it configures: email).\n`,
    });
  });

  it("portfolio schedule: boardroom-portfolio in its zone; its run sends that zone's day's portfolio", async () => {
    const mail = await emailFixture.start();
    const s = await stack({ channels: { email: emailFixture.channel }, env: mail.env });
    await s.runBriefing();
    const deliveryFile = path.join(await mkdtemp(path.join(tmp, 'delivery-')), 'delivery.yaml');
    await writeFile(deliveryFile, stringify({ email: mail.settings }));
    const env = stackEnv(s, { BOARDROOM_PORTFOLIO_DELIVERY: deliveryFile, ...mail.env });
    const handle = s.client.schedule.getHandle(PORTFOLIO_SCHEDULE_ID);
    try {
      const first = commandDeps(env);
      expect(
        await portfolioScheduleCommand({ cron: '15 6 * * *', timezone: 'Asia/Tokyo' }, first),
      ).toBe(0);
      expect(first.output.stdout).toMatch(
        /^Schedule boardroom-portfolio (created|updated): "15 6 \* \* \*" \(Asia\/Tokyo\)/,
      );
      const again = commandDeps(env);
      expect(
        await portfolioScheduleCommand({ cron: '15 6 * * *', timezone: 'Asia/Tokyo' }, again),
      ).toBe(0);
      expect(again.output.stdout).toMatch(/^Schedule boardroom-portfolio updated: /);
      const d = await handle.describe();
      expect(d.spec.timezone).toBe('Asia/Tokyo');
      expect(d.action).toMatchObject({
        workflowType: 'portfolioBriefingWorkflow',
        workflowId: PORTFOLIO_SCHEDULE_ID,
        taskQueue: s.taskQueue,
        args: [{ deliveryFile, timeZone: 'Asia/Tokyo' }],
      });
      // Every next run at 06:15 in Tokyo.
      for (const t of d.info.nextActionTimes.slice(0, 2))
        expect(
          new Intl.DateTimeFormat('en-GB', {
            timeZone: 'Asia/Tokyo',
            hour: '2-digit',
            minute: '2-digit',
          }).format(t),
        ).toBe('06:15');

      await handle.trigger();
      let action: { scheduledAt: Date; workflowId: string } | undefined;
      // Bounded: the server starts a triggered action within a second or two.
      for (let i = 0; i < 100 && !action; i++) {
        const recent = (await handle.describe()).info.recentActions[0];
        if (recent)
          action = {
            scheduledAt: recent.scheduledAt,
            workflowId: recent.action.workflow.workflowId,
          };
        else await new Promise((r) => setTimeout(r, 200));
      }
      expect(action, 'the triggered run never started').toBeDefined();
      expect(action!.workflowId.startsWith(`${PORTFOLIO_SCHEDULE_ID}-`)).toBe(true);
      const result = (await s.client.workflow
        .getHandle(action!.workflowId)
        .result()) as PortfolioBriefingResult;
      expect(result.date).toBe(calendarDate(action!.scheduledAt, 'Asia/Tokyo'));
      expect(result.status).toBe('delivered');
      expect(result.deliveries.map((x) => [x.channel, x.status])).toEqual([['email', 'sent']]);
      expect(await mail.received()).toHaveLength(result.deliveries[0]!.alreadySent ? 0 : 1);
    } finally {
      await handle.delete().catch(() => {});
      await mail.close();
    }
  });
});
