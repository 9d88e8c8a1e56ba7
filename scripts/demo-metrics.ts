/**
 * Prints every agent's metrics, alerts and health on a workspace (default: the demo),
 * without Temporal or Postgres: `npx tsx scripts/demo-metrics.ts [workspace] [YYYY-MM-DD]`.
 */
import path from 'node:path';
import { AGENTS } from '../src/agents/registry.js';
import { loadAgentInput } from '../src/sources/workspace.js';

const dir = path.resolve(process.argv[2] ?? 'examples/demo-workspace');
const today = process.argv[3] ?? '2026-11-26';
for (const agent of Object.values(AGENTS)) {
  const { input } = await loadAgentInput(dir, agent);
  const r = agent.compute(input, { asOf: new Date(`${today}T12:00:00Z`), today, history: [] });
  console.log(`## ${agent.name} (health ${r.health})`);
  for (const [k, v] of Object.entries(r.metrics)) console.log(`- ${k}: ${v}`);
  for (const a of r.alerts) console.log(`- alert ${a.id} (${a.severity}): ${a.message}`);
  console.log();
}
