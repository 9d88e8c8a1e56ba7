/**
 * Runs recorded by older workflow code replay on today's code without a nondeterminism
 * error, so a deploy never breaks a run in flight. The histories are recorded by
 * tests/fixtures/record-histories.ts: v1, a complete run with search attributes, an agent
 * falling back, a retried agent; v2, a backfilled day; v3, a complete run and one
 * delivered to a webhook, with the plan returned by the save; v4, the claim check (the
 * reports and the briefing in Postgres, references in the history): a complete run, one
 * with an agent falling back, one delivered; v5, the portfolio's workflow, delivered to a
 * webhook; v6, the CEO step and the save as one step (`compose-and-save`): a complete
 * run, one with an agent falling back, one delivered. Before v4 the histories carry the reports
 * themselves, and replay the workflow's old steps (no `claim-check` patch marker).
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import proto from '@temporalio/proto';
const { temporal } = proto;
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';

const DIR = path.resolve('tests/fixtures/histories');

async function recorded(file: string) {
  return temporal.api.history.v1.History.decode(gunzipSync(await readFile(path.join(DIR, file))));
}

/** The activity types a history scheduled, and whether it took the claim-check patch. */
async function shapeOf(file: string) {
  const events = (await recorded(file)).events ?? [];
  const types = new Set(
    events.flatMap((e) => e.activityTaskScheduledEventAttributes?.activityType?.name ?? []),
  );
  const markers = events.flatMap((e) =>
    e.markerRecordedEventAttributes
      ? Object.values(e.markerRecordedEventAttributes.details ?? {}).flatMap((p) =>
          (p.payloads ?? []).map((x) => Buffer.from(x.data ?? []).toString('utf8')),
        )
      : [],
  );
  return {
    types: [...types].sort(),
    claimCheck: markers.some((m) => m.includes('claim-check')),
    oneStep: markers.some((m) => m.includes('compose-and-save')),
  };
}

describe('replaying recorded runs', async () => {
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.pb.gz')).sort();
  it('has recorded histories to replay', () => expect(files.length).toBeGreaterThanOrEqual(3));
  it('has runs of both shapes: the reports in the history, and the claim check', async () => {
    expect(files.filter((f) => f.startsWith('v4-'))).toEqual([
      'v4-complete.pb.gz',
      'v4-delivered.pb.gz',
      'v4-fallback.pb.gz',
    ]);
    expect(await shapeOf('v3-complete.pb.gz')).toEqual({
      types: ['composeBriefing', 'runAgent', 'saveBriefing'],
      claimCheck: false,
      oneStep: false,
    });
    expect(await shapeOf('v4-fallback.pb.gz')).toEqual({
      types: [
        'composeBriefingByRef',
        'loadFallbackReportByRef',
        'runAgentByRef',
        'saveBriefingByRef',
      ],
      claimCheck: true,
      oneStep: false,
    });
  });
  it('has runs of the one-step CEO step: composed and saved by one activity', async () => {
    expect(files.filter((f) => f.startsWith('v6-'))).toEqual([
      'v6-complete.pb.gz',
      'v6-delivered.pb.gz',
      'v6-fallback.pb.gz',
    ]);
    expect(await shapeOf('v6-fallback.pb.gz')).toEqual({
      types: ['composeAndSaveBriefing', 'loadFallbackReportByRef', 'runAgentByRef'],
      claimCheck: true,
      oneStep: true,
    });
    expect((await shapeOf('v6-delivered.pb.gz')).types).toEqual([
      'composeAndSaveBriefing',
      'deliverWebhook',
      'runAgentByRef',
    ]);
  });
  it("has a run of the portfolio's workflow: composed, then sent to a webhook", async () => {
    expect(files).toContain('v5-portfolio.pb.gz');
    expect(await shapeOf('v5-portfolio.pb.gz')).toEqual({
      types: ['composePortfolioByRef', 'deliverPortfolioWebhook', 'planPortfolioDelivery'],
      claimCheck: false,
      oneStep: false,
    });
  });
  for (const file of files) {
    it(`replays ${file}`, async () => {
      const history = await recorded(file);
      await Worker.runReplayHistory(
        { workflowBundle: { codePath: inject('workflowBundlePath') } },
        history,
        file,
      );
    });
  }
});
