/**
 * Every department agent, by name. Adding an agent = its file plus one line here.
 */
import type { AgentDefinition } from '../contract/agent.js';
import { AGENT_NAMES, type AgentName } from '../contract/report.js';
import { customerSuccessAgent } from './customer-success/index.js';
import { financeAgent } from './finance/index.js';
import { hrAgent } from './hr/index.js';
import { marketingAgent } from './marketing/index.js';
import { operationsAgent } from './operations/index.js';
import { salesAgent } from './sales/index.js';

export const AGENTS = {
  finance: financeAgent,
  sales: salesAgent,
  operations: operationsAgent,
  marketing: marketingAgent,
  hr: hrAgent,
  'customer-success': customerSuccessAgent,
} satisfies Record<AgentName, AgentDefinition> as Record<AgentName, AgentDefinition>;

/** The agent called `name`; throws on an unknown name, listing the known ones. */
export function getAgent(name: string): AgentDefinition {
  if (!(AGENT_NAMES as readonly string[]).includes(name)) {
    throw new Error(`unknown agent "${name}"; known agents: ${AGENT_NAMES.join(', ')}`);
  }
  return AGENTS[name as AgentName];
}
