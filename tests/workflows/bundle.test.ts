/**
 * The workflow bundle holds orchestration only: plain constants and types from the
 * contract, never zod or the agents (a schema change must not change what replays).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, inject, it } from 'vitest';

describe('the workflow bundle', () => {
  it('contains no zod, no agent and no schema code', async () => {
    const code = await readFile(inject('workflowBundlePath'), 'utf8');
    // webpack names every bundled module by its path in a comment.
    const modules = [...code.matchAll(/!\*\*\* (\S+) \*\*\*!/g)].map((m) => m[1]!);
    expect(modules.length).toBeGreaterThan(3);
    expect(modules.some((m) => m.includes('src/workflows/daily-briefing.ts'))).toBe(true);
    expect(
      modules.filter((m) =>
        /node_modules\/zod|src\/agents\/|src\/contract\/(report|briefing|fields)/.test(m),
      ),
    ).toEqual([]);
  });
});
