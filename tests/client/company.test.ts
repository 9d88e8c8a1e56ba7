/**
 * `resolveCompany`: what `--company <id>` means on every command. The configured
 * company without a database, a registered one scoped from the registry (workspace,
 * zone, cron), one known only from its briefings for the reading commands, and an
 * unknown id in one line that lists the companies and says what to do. Real Postgres.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { resolveCompany, unknownCompanyError } from '../../src/client/company.js';
import { NotFoundError } from '../../src/client/errors.js';
import { loadConfig } from '../../src/config.js';
import { Repository } from '../../src/store/repository.js';
import { DEMO_WORKSPACE, uniqueCompanyId } from '../helpers/stack.js';

const repo = Repository.connect(inject('databaseUrl'), { max: 2 });
const added: string[] = [];
afterAll(async () => {
  for (const id of added) await repo.removeCompany(id);
  await repo.close();
});

function configFor(env: Record<string, string> = {}) {
  return loadConfig(
    {
      DATABASE_URL: inject('databaseUrl'),
      BOARDROOM_COMPANY_ID: 'acme',
      BOARDROOM_WORKSPACE: DEMO_WORKSPACE,
      BOARDROOM_TIMEZONE: 'America/New_York',
      ...env,
    },
    { cwd: process.cwd(), isTTY: false },
  );
}

async function register(label: string, extra: Partial<{ timeZone: string; cron: string }> = {}) {
  const id = uniqueCompanyId(label);
  added.push(id);
  await repo.addCompany({
    id,
    name: `Co ${label}`,
    currency: 'EUR',
    timeZone: extra.timeZone ?? 'Asia/Tokyo',
    workspace: `/srv/${id}`,
    cron: extra.cron ?? '15 6 * * *',
  });
  return id;
}

describe('resolveCompany', () => {
  it('no id, or the configured id: the config itself, without reading the registry', async () => {
    const config = configFor();
    const unreachable = {
      getCompany: () => Promise.reject(new Error('read the registry')),
      listCompanies: () => Promise.reject(new Error('read the registry')),
    };
    for (const id of [undefined, 'acme']) {
      const r = await resolveCompany({ config }, id, { repo: unreachable });
      expect(r).toMatchObject({ id: 'acme', source: 'config' });
      expect(r.config).toBe(config);
    }
  });

  it('a registered id: the config scoped to its workspace, zone and cron; the rest kept', async () => {
    const config = configFor();
    const id = await register('scoped', { timeZone: 'Europe/Paris', cron: '0 5 * * 1-5' });
    // Through the registry given, and through a connection of its own.
    for (const opts of [{ repo }, {}]) {
      const r = await resolveCompany({ config }, id, opts);
      expect(r.source).toBe('registry');
      expect(r.record?.name).toBe('Co scoped');
      expect(r.config.company).toEqual({ id, workspace: `/srv/${id}`, demo: false });
      expect(r.config.schedule).toEqual({
        cron: '0 5 * * 1-5',
        timeZone: 'Europe/Paris',
        jitterMinutes: 0,
      });
      expect(r.config.temporal).toBe(config.temporal);
      expect(r.config.databaseUrl).toBe(config.databaseUrl);
    }
  });

  it('an unknown id: one line naming the configured and the registered companies and what to do', async () => {
    const config = configFor();
    const a = await register('known-a');
    const err = await resolveCompany({ config }, 'nope-x', { repo }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toMatch(
      /^No company "nope-x"\. Companies: "acme" \(from config: BOARDROOM_COMPANY_ID\); registered: .*\. Pass one of them, or register a workspace: npx boardroom companies add <workspace-dir>$/,
    );
    expect(message).toContain(a);
  });

  it('the message without registered companies, for the living demo, and cut after 20 ids', () => {
    const demo = loadConfig({}, { cwd: process.cwd(), isTTY: false });
    expect(unknownCompanyError('x', demo, []).message).toBe(
      'No company "x". Companies: "demo" (from config: BOARDROOM_COMPANY_ID, the living demo); none is registered. ' +
        'Pass one of them, or register a workspace: npx boardroom companies add <workspace-dir>',
    );
    const many = Array.from({ length: 25 }, (_, i) => ({ id: `co-${String(i).padStart(2, '0')}` }));
    const message = unknownCompanyError('x', demo, [{ id: 'demo' }, ...many]).message;
    expect(message).toContain('registered: co-00, co-01,');
    expect(message).toContain('co-19 and 5 more (npx boardroom companies list)');
    expect(message).not.toContain('co-20');
    // The configured company is not listed twice when it is also registered.
    expect(message.match(/"demo"/g)).toHaveLength(1);
  });

  it('a company known only from its briefings: readable where the command asks for it, unknown elsewhere', async () => {
    const config = configFor();
    const id = uniqueCompanyId('gone');
    const withBriefings = {
      getCompany: () => Promise.resolve(undefined),
      listCompanies: () => Promise.resolve([]),
      companyFacts: (c: string) =>
        Promise.resolve(c === id ? { name: 'Gone Co', currency: 'USD' } : undefined),
    };
    const r = await resolveCompany({ config }, id, { repo: withBriefings, stored: true });
    expect(r).toMatchObject({ id, source: 'stored' });
    expect(r.config.company.id).toBe(id);
    await expect(resolveCompany({ config }, id, { repo: withBriefings })).rejects.toThrow(
      `No company "${id}".`,
    );
    await expect(
      resolveCompany({ config }, 'other', { repo: withBriefings, stored: true }),
    ).rejects.toThrow(NotFoundError);
  });
});
