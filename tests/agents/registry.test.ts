import { describe, it, expect } from 'vitest';
import { AGENT_NAMES } from '../../src/agents/contract.js';
import { AGENTS, getAgent } from '../../src/agents/registry.js';

describe('agent registry', () => {
  it('registers all six agents under their own names', () => {
    expect(Object.keys(AGENTS).sort()).toEqual([...AGENT_NAMES].sort());
    for (const name of AGENT_NAMES) {
      expect(AGENTS[name].name).toBe(name);
      expect(getAgent(name)).toBe(AGENTS[name]);
    }
  });

  it('gives every agent its own data files', () => {
    const owner = new Map<string, string>();
    for (const agent of Object.values(AGENTS)) {
      const files = Object.values(agent.datasets).map((d) => d.file);
      expect(files.length).toBeGreaterThan(0);
      expect(Object.values(agent.datasets).some((d) => !d.optional)).toBe(true);
      for (const file of files) {
        expect(
          owner.get(file),
          `${file} is declared by ${owner.get(file)} and ${agent.name}`,
        ).toBeUndefined();
        owner.set(file, agent.name);
      }
    }
  });

  it('rejects an unknown agent', () => {
    expect(() => getAgent('legal')).toThrow(/unknown agent "legal"/);
  });
});
