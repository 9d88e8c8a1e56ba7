import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { AGENT_NAMES, AgentResult, type AgentName } from '../../src/agents/contract.js';
import { AGENTS } from '../../src/agents/registry.js';
import { loadAgentInput } from '../../src/sources/workspace.js';

const DEMO = path.resolve('examples/demo-workspace');
const ctx = { asOf: new Date('2026-11-26T12:00:00Z'), today: '2026-11-26', history: [] };

async function report(name: AgentName): Promise<AgentResult> {
  const agent = AGENTS[name];
  const { input } = await loadAgentInput(DEMO, agent);
  return AgentResult.parse(agent.compute(input, ctx));
}

describe('demo workspace (Northwind Analytics)', () => {
  it.each(AGENT_NAMES)('%s loads, computes and satisfies the contract', async (name) => {
    const r = await report(name);
    expect(r.dataAsOf).toBe('2026-11-26T12:00:00.000Z');
    expect(Object.keys(r.metrics).length).toBeGreaterThanOrEqual(3);
    expect(r.recommendations.length).toBeGreaterThan(0);
    for (const t of r.recommendations) expect(t.source).toBe(name);
  });

  it('has the exact headline figures', async () => {
    const finance = await report('finance');
    expect(finance.metrics).toMatchObject({ mrr: 15000, arr: 180000, customers: 45 });
    expect((await report('sales')).metrics.openDeals).toBe(12);
    expect((await report('operations')).metrics.activeProjects).toBe(4);
    expect((await report('hr')).metrics.headcount).toBe(12);
  });

  it('reconciles customer-success ARR with finance', async () => {
    expect((await report('customer-success')).metrics).toMatchObject({
      accounts: 45,
      trackedArr: 180000,
    });
  });
});
