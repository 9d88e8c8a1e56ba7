/**
 * Where agents' data comes from. The workspace folder is the first source; API-backed
 * sources implement the same interface.
 */
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { AgentDefinition } from '../contract/agent.js';
import { AGENT_NAMES, AgentName, EnergyDemand, Task } from '../contract/report.js';
import { type PriorityWeights } from '../contract/briefing.js';
import { ConfigError, ValidationError } from '../shared/errors.js';
import { RESILIENCE_DEFAULTS, type ResilienceSettings } from './breaker.js';
import {
  CONNECTOR_NAMES,
  type Connector,
  type ConnectorName,
  type ConnectorResult,
} from './connectors/connector.js';
import { loadAgentInput, loadDataset, loadLocatedDataset, type LoadedInput } from './workspace.js';

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

/** The day a load is for: connectors filter periods by it. */
export interface LoadWhen {
  today: string;
  asOf: Date;
  /** Aborted when the activity is cancelled or times out. */
  signal?: AbortSignal;
  /** Skip the source cache (`boardroom run --fresh`). */
  fresh?: boolean;
}

/**
 * Wraps every API call: the circuit breaker and the cache live there (in the activity
 * layer, with Postgres); the sources only say which source and how to load it.
 */
export type SourceGuard = (
  call: {
    companyId: string;
    agent: AgentName;
    source: ConnectorName;
    settings: ResilienceSettings;
    when: LoadWhen;
  },
  load: () => Promise<ConnectorResult>,
) => Promise<ConnectorResult & { cacheAgeMs?: number }>;

export interface SourceCheck {
  source: ConnectorName | 'workspace';
  agents: AgentName[];
  ok: boolean;
  message: string;
}

export interface Sources {
  loadAgentInput(companyId: string, agent: AgentDefinition, when?: LoadWhen): Promise<LoadedInput>;
  loadCompany(companyId: string): Promise<CompanyData>;
  /** The API an agent reads for a company, with its breaker settings; undefined for files. */
  sourceOf?(
    companyId: string,
    agent: AgentName,
  ): Promise<{ source: ConnectorName; settings: ResilienceSettings } | undefined>;
  /** Validates each configured source and reaches it once (`boardroom sources check`). */
  checkSources?(companyId: string, when?: LoadWhen): Promise<SourceCheck[]>;
}

/** A connector's block: its own schema checks it (the kit's parseSettings). */
const ConnectorBlock = z.record(z.string(), z.unknown()).optional();
const connectorBlocks = Object.fromEntries(CONNECTOR_NAMES.map((n) => [n, ConnectorBlock])) as {
  [N in ConnectorName]: typeof ConnectorBlock;
};

/** sources.yaml: which agent reads which API, and each API's settings. */
const SourcesFile = z
  .object({
    agents: z.partialRecord(AgentName, z.enum(['workspace', ...CONNECTOR_NAMES])).default({}),
    ...connectorBlocks,
    /** Per source: cache TTL and breaker settings (defaults in breaker.ts). */
    resilience: z
      .partialRecord(
        z.enum(CONNECTOR_NAMES),
        z
          .object({
            cache_ttl_minutes: z.number().nonnegative().optional(),
            failure_threshold: z.number().int().positive().optional(),
            cooldown_minutes: z.number().positive().optional(),
          })
          .strict(),
      )
      .default({}),
  })
  .strict();

function resilienceOf(config: SourcesFile, source: ConnectorName): ResilienceSettings {
  const d = RESILIENCE_DEFAULTS[source];
  const o = config.resilience[source] ?? {};
  return {
    cacheTtlMs: o.cache_ttl_minutes !== undefined ? o.cache_ttl_minutes * 60_000 : d.cacheTtlMs,
    failureThreshold: o.failure_threshold ?? d.failureThreshold,
    cooldownMs: o.cooldown_minutes !== undefined ? o.cooldown_minutes * 60_000 : d.cooldownMs,
  };
}
type SourcesFile = z.output<typeof SourcesFile>;

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

/**
 * Companies served from workspace folders: `{ companyId: folder }`. An agent reads an
 * API instead when the folder's sources.yaml says so and that connector is given.
 */
export function workspaceSources(
  workspaces: Record<string, string>,
  opts: {
    connectors?: Partial<Record<ConnectorName, Connector>>;
    env?: Record<string, string | undefined>;
    /** Breaker and cache around API calls (none: call straight through). */
    guard?: SourceGuard;
    /** The agents, so checks can name the files each one needs. */
    agents?: Partial<Record<AgentName, AgentDefinition>>;
  } = {},
): Sources {
  const env = opts.env ?? {};
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
  const connectorFor = (config: SourcesFile, agent: AgentName): Connector | undefined => {
    const name = config.agents[agent];
    if (!name || name === 'workspace') return undefined;
    const connector = opts.connectors?.[name];
    if (!connector) {
      throw new ValidationError(
        `sources.yaml, field "agents.${agent}": the ${name} connector is not available`,
        {
          file: 'sources.yaml',
          field: `agents.${agent}`,
        },
      );
    }
    if (!connector.supplies[agent]) {
      const supplied = Object.keys(connector.supplies).join(', ');
      throw new ValidationError(
        `sources.yaml, field "agents.${agent}": ${name} does not supply ${agent} (it supplies ${supplied})`,
        { file: 'sources.yaml', field: `agents.${agent}` },
      );
    }
    return connector;
  };
  const readConfig = async (dir: string) => {
    const { value, lineOf } = await loadLocatedDataset(
      dir,
      { file: 'sources.yaml', format: 'yaml', optional: true },
      SourcesFile.optional(),
    );
    return {
      config: value ?? SourcesFile.parse({}),
      /** A connector's settings and where they are in sources.yaml. */
      settingsOf: (name: ConnectorName) => ({
        settings: value?.[name] ?? {},
        settingsLine: (p: readonly PropertyKey[]) => lineOf([name, ...p]),
      }),
    };
  };
  const today = (when?: LoadWhen) =>
    when ?? { today: new Date().toISOString().slice(0, 10), asOf: new Date() };
  return {
    async loadAgentInput(companyId, agent, when) {
      const dir = dirOf(companyId);
      const { config, settingsOf } = await readConfig(dir);
      const connector = connectorFor(config, agent.name);
      if (!connector) return loadAgentInput(dir, agent);
      const w = today(when);
      const call = (fileDatasets: Record<string, unknown>) =>
        connector.load(agent.name, {
          companyId,
          env,
          ...settingsOf(connector.name),
          today: w.today,
          asOf: w.asOf,
          fileDatasets,
          ...(w.signal ? { signal: w.signal } : {}),
        });
      const guard = opts.guard;
      return loadAgentInput(dir, agent, {
        by: connector.name,
        keys: connector.supplies[agent.name] ?? [],
        load: (fileDatasets) =>
          guard
            ? guard(
                {
                  companyId,
                  agent: agent.name,
                  source: connector.name,
                  settings: resilienceOf(config, connector.name),
                  when: w,
                },
                () => call(fileDatasets),
              )
            : call(fileDatasets),
      });
    },
    async sourceOf(companyId, agent) {
      const { config } = await readConfig(dirOf(companyId));
      const name = config.agents[agent];
      return !name || name === 'workspace'
        ? undefined
        : { source: name, settings: resilienceOf(config, name) };
    },
    async checkSources(companyId, when) {
      const dir = dirOf(companyId);
      const { config, settingsOf } = await readConfig(dir);
      const w = today(when);
      const byConnector = new Map<ConnectorName, AgentName[]>();
      const fromFiles: AgentName[] = [];
      for (const agent of AGENT_NAMES) {
        const connector = connectorFor(config, agent);
        if (connector)
          byConnector.set(connector.name, [...(byConnector.get(connector.name) ?? []), agent]);
        else fromFiles.push(agent);
      }
      const checks: SourceCheck[] = [];
      if (fromFiles.length > 0) {
        // Each file-fed agent's health check: are its required files there and readable?
        const missing: string[] = [];
        for (const agent of fromFiles) {
          for (const spec of Object.values(opts.agents?.[agent]?.datasets ?? {})) {
            if (spec.optional) continue;
            const ok = await access(path.join(dir, spec.file), constants.R_OK).then(
              () => true,
              () => false,
            );
            if (!ok) missing.push(`${spec.file} (${agent})`);
          }
        }
        checks.push({
          source: 'workspace',
          agents: fromFiles,
          ok: missing.length === 0,
          message:
            missing.length === 0
              ? `workspace files in ${dir}`
              : `missing or unreadable in ${dir}: ${[...new Set(missing)].join(', ')} (see docs/workspace.md)`,
        });
      }
      for (const [name, agents] of byConnector) {
        const connector = opts.connectors![name]!;
        const result = await connector
          .check({ companyId, env, ...settingsOf(name), today: w.today, asOf: w.asOf })
          .catch((err: Error) => ({ ok: false, message: err.message }));
        checks.push({ source: name, agents, ...result });
      }
      return checks;
    },
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
