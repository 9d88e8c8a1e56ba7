/**
 * Runs recorded by older workflow code replay on today's code without a nondeterminism
 * error, so a deploy never breaks a run in flight. The histories are recorded by
 * tests/fixtures/record-histories.ts: v1, a complete run with search attributes, an agent
 * falling back, a retried agent; v2, a backfilled day; v3, a complete run and one
 * delivered to a webhook, with the plan returned by the save.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import proto from '@temporalio/proto';
const { temporal } = proto;
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';

const DIR = path.resolve('tests/fixtures/histories');

describe('replaying recorded runs', async () => {
  const files = (await readdir(DIR)).filter((f) => f.endsWith('.pb.gz')).sort();
  it('has recorded histories to replay', () => expect(files.length).toBeGreaterThanOrEqual(3));
  for (const file of files) {
    it(`replays ${file}`, async () => {
      const history = temporal.api.history.v1.History.decode(
        gunzipSync(await readFile(path.join(DIR, file))),
      );
      await Worker.runReplayHistory(
        { workflowBundle: { codePath: inject('workflowBundlePath') } },
        history,
        file,
      );
    });
  }
});
