import { describe, it, expect } from 'vitest';
import { AGENT_NAMES } from '../../src/contract/report.js';
import { AGENTS, getAgent } from '../../src/agents/registry.js';

describe('agent registry', () => {
  it('registers all six agents under their own names', () => {
    expect(Object.keys(AGENTS).sort()).toEqual([...AGENT_NAMES].sort());
    for (const name of AGENT_NAMES) {
      expect(AGENTS[name].name).toBe(name);
      expect(getAgent(name)).toBe(AGENTS[name]);
    }
  });

  it('declares at least one required data file per agent, each documented in docs/workspace.md', async () => {
    const { readFile } = await import('node:fs/promises');
    const docs = await readFile('docs/workspace.md', 'utf8');
    for (const agent of Object.values(AGENTS)) {
      const datasets = Object.values(agent.datasets);
      expect(
        datasets.some((d) => !d.optional),
        agent.name,
      ).toBe(true);
      for (const d of datasets)
        expect(docs, `${d.file} (${agent.name})`).toContain(`\`${d.file}\``);
    }
  });

  it('rejects an unknown agent', () => {
    expect(() => getAgent('legal')).toThrow(/unknown agent "legal"/);
  });
});
