/**
 * Where agents' data comes from. The workspace folder is the first source; API-backed
 * sources implement the same interface.
 */
import { z } from 'zod';
import type { AgentDefinition } from '../agents/agent.js';
import { EnergyDemand, Task } from '../agents/contract.js';
import { ConfigError } from '../errors.js';
import { loadAgentInput, loadDataset, type LoadedInput } from './workspace.js';

export interface CompanyProfile {
  id: string;
  name: string;
  timeZone: string | undefined;
  /** The quarter's goals, as tags tasks can match. */
  goals: string[];
  /** The founder's energy today (a default until issue-level overrides exist). */
  energy: EnergyDemand;
}

export interface Sources {
  loadAgentInput(companyId: string, agent: AgentDefinition): Promise<LoadedInput>;
  loadCompany(companyId: string): Promise<{ profile: CompanyProfile; founderTasks: Task[] }>;
}

const CompanyFile = z.looseObject({
  name: z.string().min(1),
  timezone: z.string().optional(),
  goals: z.array(z.string()).default([]),
  energy: EnergyDemand.default('medium'),
});

const optionalScore = z.coerce.number().min(0).max(100).optional();
const TaskRow = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  reason: z.string().optional(),
  revenue_impact: optionalScore,
  urgency: optionalScore,
  energy_alignment: optionalScore,
  strategic_alignment: optionalScore,
  deadline: z.iso.date().optional(),
  energy_demand: EnergyDemand.optional(),
  money_at_stake_cents: z.coerce.number().int().nonnegative().optional(),
  tags: z.string().optional(),
});

function toTask(row: z.output<typeof TaskRow>): Task {
  return Task.parse({
    id: row.id,
    title: row.title,
    source: 'founder',
    reason: row.reason ?? 'on your task list',
    revenueImpact: row.revenue_impact,
    urgency: row.urgency,
    energyAlignment: row.energy_alignment,
    strategicAlignment: row.strategic_alignment,
    deadline: row.deadline,
    energyDemand: row.energy_demand,
    moneyAtStakeCents: row.money_at_stake_cents,
    tags: row.tags ? row.tags.split(/[;\s]+/).filter(Boolean) : [],
  });
}

/** Companies served from workspace folders: `{ companyId: folder }`. */
export function workspaceSources(workspaces: Record<string, string>): Sources {
  const dirOf = (companyId: string): string => {
    const dir = workspaces[companyId];
    if (!dir) {
      throw new ConfigError(
        `No workspace is configured for company "${companyId}" (known: ${Object.keys(workspaces).join(', ')}). ` +
          `Set BOARDROOM_COMPANY_ID and BOARDROOM_WORKSPACE on the worker.`,
        { companyId },
      );
    }
    return dir;
  };
  return {
    loadAgentInput: async (companyId, agent) => loadAgentInput(dirOf(companyId), agent),
    async loadCompany(companyId) {
      const dir = dirOf(companyId);
      const [company, tasks] = await Promise.all([
        loadDataset(dir, { file: 'company.yaml', format: 'yaml' }, CompanyFile),
        loadDataset(dir, { file: 'tasks.csv', format: 'csv', optional: true }, z.array(TaskRow)),
      ]);
      return {
        profile: {
          id: companyId,
          name: company.name,
          timeZone: company.timezone,
          goals: company.goals,
          energy: company.energy,
        },
        founderTasks: tasks.map(toTask),
      };
    },
  };
}
