/**
 * The workflows bundled in a child process: the code the worker loads, and a failure
 * that says what went wrong instead of a worker that never starts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleWorkflowsApart } from '../../src/worker/bundle-workflows.js';
import { WORKFLOWS_PATH } from '../../src/worker/worker.js';

describe('bundleWorkflowsApart', () => {
  it('returns the bundle of src/workflows, every workflow in it', async () => {
    const code = await bundleWorkflowsApart({ workflowsPath: WORKFLOWS_PATH });
    for (const name of [
      'dailyBriefingWorkflow',
      'resendBriefingWorkflow',
      'portfolioBriefingWorkflow',
    ])
      expect(code).toContain(name);
    // Workflow code only: no activity, agent or schema module was bundled.
    expect(code).not.toContain('createActivities');
  }, 120_000);

  it('fails with the bundler’s own error when the workflows do not compile', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-bad-workflows-'));
    try {
      const file = path.join(dir, 'index.ts');
      await writeFile(file, "export { missing } from './nowhere.js';\n");
      await expect(bundleWorkflowsApart({ workflowsPath: file })).rejects.toThrow(
        /^bundling the workflows failed \(exit 1\): .*nowhere/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
