/**
 * `briefing latest|list|show` called directly against the suite's Postgres.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatBriefingList } from '../../../src/client/briefing-output.js';
import {
  briefingLatest,
  briefingList,
  briefingShow,
} from '../../../src/client/commands/briefing.js';
import { NotFoundError } from '../../../src/client/errors.js';
import { Briefing } from '../../../src/contract/briefing.js';
import { commandDeps, stackEnv } from '../../helpers/cli.js';
import { closeStacksAfterEach, uniqueCompanyId } from '../../helpers/stack.js';

const stack = closeStacksAfterEach();

describe('briefing commands', () => {
  it('latest, list and show read back a run; a missing one says how to find one', async () => {
    const s = await stack();
    const run = await s.runBriefing();
    const env = stackEnv(s);

    const latest = commandDeps(env);
    expect(await briefingLatest({ json: true }, latest)).toBe(0);
    const b = Briefing.parse(JSON.parse(latest.output.stdout));
    expect(b.workflowId).toBe(run.workflowId);
    expect(b.companyId).toBe(s.companyId);

    const list = commandDeps(env);
    expect(await briefingList({ company: s.companyId, limit: 20 }, list)).toBe(0);
    const [header, row, ...rest] = list.output.stdout.split('\n');
    expect(header).toMatch(/^ID +DATE +COMPANY +HEALTH +OUTCOME +CREATED +WORKFLOW$/);
    expect(row).toMatch(
      new RegExp(
        `^${run.briefingId} +${b.briefingDate} +${s.companyId} +\\d+ +complete +\\S+ +${run.workflowId}$`,
      ),
    );
    // Aligned: each column starts where its header does.
    expect(row!.indexOf(s.companyId)).toBe(header!.indexOf('COMPANY'));
    expect(row!.indexOf(run.workflowId)).toBe(header!.indexOf('WORKFLOW'));
    expect(rest).toEqual(['']);

    const show = commandDeps(env);
    expect(await briefingShow(run.workflowId, {}, show)).toBe(0);
    expect(show.output.stdout).toBe(b.markdown.endsWith('\n') ? b.markdown : `${b.markdown}\n`);

    const dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-out-'));
    try {
      const file = path.join(dir, 'b.html');
      const written = commandDeps(env);
      expect(
        await briefingShow(String(run.briefingId), { format: 'html', out: file }, written),
      ).toBe(0);
      expect(written.output.stdout).toBe('');
      expect(written.output.stderr).toMatch(
        new RegExp(`^Wrote briefing #${run.briefingId} \\(html, \\d+ bytes\\) to ${file}\\n$`),
      );
      expect(await readFile(file, 'utf8')).toMatch(/^<!doctype html>/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    const missing = briefingShow('999999999', {}, commandDeps(env));
    await expect(missing).rejects.toThrow(NotFoundError);
    await expect(missing).rejects.toThrow(
      'No briefing with id "999999999". See `npx boardroom briefing list`.',
    );
  });

  it('a company without briefings: latest says how to make one, list says none yet', async () => {
    const env = stackEnv({ companyId: uniqueCompanyId('none'), taskQueue: 'unused' });
    await expect(briefingLatest({}, commandDeps(env))).rejects.toThrow(
      'No briefing yet. Run one with `npm start -- --once` or `npx boardroom run`.',
    );
    const list = commandDeps(env);
    expect(await briefingList({ company: env.BOARDROOM_COMPANY_ID, limit: 5 }, list)).toBe(0);
    expect(list.output.stdout).toBe('No briefings yet.\n');
  });
});

describe('formatBriefingList', () => {
  it('one row per briefing in aligned columns; a degraded run names its agents', () => {
    const createdAt = new Date('2025-03-10T11:00:05.000Z');
    const base = {
      id: 3,
      workflowId: 'briefing-acme-manual-1',
      companyId: 'acme',
      briefingDate: '2025-03-10',
      health: 71.5,
      createdAt,
      outcome: 'complete' as const,
      staleAgents: [],
      failedAgents: [],
    };
    expect(
      formatBriefingList([
        base,
        {
          ...base,
          id: 2,
          health: 40.2,
          outcome: 'degraded',
          staleAgents: ['sales'],
          failedAgents: ['hr'],
        },
      ]),
    ).toBe(
      [
        'ID  DATE        COMPANY  HEALTH  OUTCOME                            CREATED               WORKFLOW',
        '3   2025-03-10  acme     72      complete                           2025-03-10T11:00:05Z  briefing-acme-manual-1',
        '2   2025-03-10  acme     40      degraded (sales stale, hr failed)  2025-03-10T11:00:05Z  briefing-acme-manual-1',
        '',
      ].join('\n'),
    );
  });
});
