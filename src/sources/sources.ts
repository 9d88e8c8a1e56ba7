/**
 * Where agents' data comes from. The workspace folder is the first source; API-backed
 * sources implement the same interface.
 */
import { z } from 'zod';
import type { AgentDefinition } from '../agents/agent.js';
import { EnergyDemand, Task, type PriorityWeights } from '../agents/contract.js';
import { ConfigError } from '../errors.js';
import { loadAgentInput, loadDataset, type LoadedInput } from './workspace.js';

export interface CompanyProfile {
  id: string;
  name: string;
  timeZone: string | undefined;
  /** The quarter's goals, as tags tasks can match (goals.yaml, else company.yaml). */
  goals: string[];
  /** The founder's energy (founder.yaml); undefined when not stated for today. */
  energy: { level: EnergyDemand; date: string | undefined } | undefined;
}

/** How the CEO step scores and judges (ceo.yaml; all optional). */
export interface CeoSettings {
  weights: PriorityWeights | undefined;
  /** `ruleId.thresholdName` -> value. */
  riskThresholds: Record<string, number>;
}

export interface CompanyData {
  profile: CompanyProfile;
  founderTasks: Task[];
  ceo: CeoSettings;
}

export interface Sources {
  loadAgentInput(companyId: string, agent: AgentDefinition): Promise<LoadedInput>;
  loadCompany(companyId: string): Promise<CompanyData>;
}

const CompanyFile = z.looseObject({
  name: z.string().min(1),
  timezone: z.string().optional(),
  goals: z.array(z.string()).default([]),
});

const GoalsFile = z.object({
  quarter: z.string().optional(),
  goals: z.array(z.string().min(1)).min(1),
});

const FounderFile = z.object({
  /** Today's energy: low, medium or high. */
  energy: EnergyDemand,
  /** The day it is for; a value from another day is ignored. Omit to mean "every day". */
  date: z.iso.date().optional(),
});

const CeoFile = z
  .object({
    weights: z
      .object({
        revenue_impact: z.number().nonnegative(),
        urgency: z.number().nonnegative(),
        energy_alignment: z.number().nonnegative(),
        strategic_alignment: z.number().nonnegative(),
      })
      .strict()
      .refine(
        (w) =>
          Math.abs(w.revenue_impact + w.urgency + w.energy_alignment + w.strategic_alignment - 1) <
          1e-9,
        { message: 'weights must sum to 1' },
      )
      .optional(),
    risks: z.record(z.string(), z.record(z.string(), z.number())).default({}),
  })
  .strict()
  .default({ risks: {} });

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
      const [company, tasks, goals, founder, ceo] = await Promise.all([
        loadDataset(dir, { file: 'company.yaml', format: 'yaml' }, CompanyFile),
        loadDataset(dir, { file: 'tasks.csv', format: 'csv', optional: true }, z.array(TaskRow)),
        loadDataset(
          dir,
          { file: 'goals.yaml', format: 'yaml', optional: true },
          GoalsFile.optional(),
        ),
        loadDataset(
          dir,
          { file: 'founder.yaml', format: 'yaml', optional: true },
          FounderFile.optional(),
        ),
        loadDataset(dir, { file: 'ceo.yaml', format: 'yaml', optional: true }, CeoFile),
      ]);
      return {
        profile: {
          id: companyId,
          name: company.name,
          timeZone: company.timezone,
          goals: goals?.goals ?? company.goals,
          energy: founder ? { level: founder.energy, date: founder.date } : undefined,
        },
        founderTasks: tasks.map(toTask),
        ceo: {
          weights: ceo.weights && {
            revenueImpact: ceo.weights.revenue_impact,
            urgency: ceo.weights.urgency,
            energyAlignment: ceo.weights.energy_alignment,
            strategicAlignment: ceo.weights.strategic_alignment,
          },
          riskThresholds: Object.fromEntries(
            Object.entries(ceo.risks).flatMap(([rule, values]) =>
              Object.entries(values).map(([name, v]) => [`${rule}.${name}`, v] as const),
            ),
          ),
        },
      };
    },
  };
}
