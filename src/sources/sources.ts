/**
 * Where agents' data comes from. The workspace folder is the first source; API-backed
 * sources implement the same interface.
 */
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import type { AgentDefinition, DatasetSpec } from '../contract/agent.js';
import { ENERGY_LEVELS } from '../contract/enums.js';
import {
  TEXT_MAX_CHARS,
  cents,
  cleanText,
  decimal,
  hasControlCharacters,
  isoDate,
  oneOf,
  quote,
  rowsUniqueBy,
  text,
} from '../contract/fields.js';
import { AGENT_NAMES, AgentName, EnergyDemand, Task } from '../contract/report.js';
import { type PriorityWeights } from '../contract/briefing.js';
import { DeliverySettings } from '../contract/delivery.js';
import { BoardroomError, ConfigError, ValidationError } from '../shared/errors.js';
import { DEFAULT_CURRENCY, isCurrencyCode } from '../shared/money.js';
import { TIME_ZONE_EXPECTED, isTimeZone } from '../shared/time-zone.js';
import { RESILIENCE_DEFAULTS, type ResilienceSettings } from './breaker.js';
import {
  CONNECTOR_NAMES,
  type Connector,
  type ConnectorName,
  type ConnectorResult,
} from './connectors/connector.js';
import {
  checkAgentInput,
  checkDataset,
  loadAgentInput,
  loadLocatedDataset,
  type LoadedInput,
} from './workspace.js';

export interface CompanyProfile {
  id: string;
  name: string;
  timeZone: string | undefined;
  /** ISO 4217 code of every amount (company.yaml `currency`, upper-cased). @default 'USD' */
  currency: string;
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
  /** For people: what the loader changed in the files (LoadedInput's `notes`). */
  notes?: string[];
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
  /**
   * Every problem found in the workspace files, one per bad file, header or value,
   * each naming the file (and line and field); absent when there are none.
   */
  problems?: string[];
}

export interface Sources {
  loadAgentInput(companyId: string, agent: AgentDefinition, when?: LoadWhen): Promise<LoadedInput>;
  loadCompany(companyId: string): Promise<CompanyData>;
  /** The API an agent reads for a company, with its breaker settings; undefined for files. */
  sourceOf?(
    companyId: string,
    agent: AgentName,
  ): Promise<{ source: ConnectorName; settings: ResilienceSettings } | undefined>;
  /**
   * The company's delivery.yaml (validated: errors name file, line and field), or
   * undefined when it has none: no file, no delivery.
   */
  loadDelivery?(companyId: string): Promise<DeliverySettings | undefined>;
  /** Validates each configured source and reaches it once (`boardroom sources check`). */
  checkSources?(companyId: string, when?: LoadWhen): Promise<SourceCheck[]>;
}

/** A connector's block: its own schema checks it (the kit's parseSettings). */
const ConnectorBlock = z.record(z.string(), z.unknown()).optional();
const connectorBlocks = Object.fromEntries(CONNECTOR_NAMES.map((n) => [n, ConnectorBlock])) as {
  [N in ConnectorName]: typeof ConnectorBlock;
};

const SOURCE_NAMES = ['workspace', ...CONNECTOR_NAMES] as const;

/** sources.yaml: which agent reads which API, and each API's settings. */
const SourcesFile = z
  .object({
    agents: z
      .partialRecord(
        AgentName,
        z.enum(SOURCE_NAMES, {
          error: `unknown source: expected ${SOURCE_NAMES.slice(0, -1).join(', ')} or ${SOURCE_NAMES.at(-1)}`,
        }),
      )
      .default({}),
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

/** sources.yaml as read: absent is "every agent reads the files"; present but empty is a mistake. */
const SourcesYaml = z
  .unknown()
  .superRefine((v, ctx) => {
    if (v === null)
      ctx.addIssue({
        code: 'custom',
        message:
          'the file is empty: say under "agents:" which agent reads which API (docs/sources/), ' +
          'or delete the file to read every agent from the workspace files',
      });
  })
  .pipe(SourcesFile.optional());

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

/**
 * A single line of untrusted text from a YAML file, cleaned of control characters and
 * line breaks (cleanText); empty once cleaned, or longer than TEXT_MAX_CHARS, is refused.
 */
const lineOfText = (what = 'text') =>
  z.string().transform((raw, ctx) => {
    const clean = cleanText(raw);
    if (clean === '' || clean.length > TEXT_MAX_CHARS.line) {
      ctx.addIssue({
        code: 'custom',
        message: `expected ${what} on one line of 1 to ${TEXT_MAX_CHARS.line} characters, got ${quote(raw)}`,
      });
      return z.NEVER;
    }
    return clean;
  });

/** The most goals a company may list (company.yaml or goals.yaml). */
export const MAX_GOALS = 50;
const goalList = () =>
  z
    .array(lineOfText('a goal'))
    .max(MAX_GOALS, { message: `at most ${MAX_GOALS} goals: keep the quarter's few that matter` });

const CURRENCY_EXPECTED = 'expected a three-letter ISO 4217 currency code, e.g. USD or EUR';

const CompanyFile = z.looseObject({
  name: lineOfText('the company name'),
  timezone: z
    .string({ error: TIME_ZONE_EXPECTED })
    .superRefine((tz, ctx) => {
      if (!isTimeZone(tz))
        ctx.addIssue({ code: 'custom', message: `${TIME_ZONE_EXPECTED} (got ${quote(tz)})` });
    })
    .optional(),
  currency: z
    .string({ error: CURRENCY_EXPECTED })
    .superRefine((code, ctx) => {
      if (!isCurrencyCode(code))
        ctx.addIssue({ code: 'custom', message: `${CURRENCY_EXPECTED} (got ${quote(code)})` });
    })
    .transform((code) => code.toUpperCase())
    .default(DEFAULT_CURRENCY),
  goals: goalList().default([]),
});

const GoalsFile = z.object({
  quarter: lineOfText('a label').optional(),
  goals: goalList().min(1),
});

const FounderFile = z.object({
  /** Today's energy: low, medium or high. */
  energy: EnergyDemand,
  /** The day it is for; a value from another day is ignored. Omit to mean "every day". */
  date: isoDate().optional(),
});

/** A rule id or threshold name of ceo.yaml: a word, so it is safe to print. */
const ceoKey = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/,
    'expected a rule id or threshold name (see docs/risks.md)',
  );

const WEIGHT_KEYS = [
  'revenue_impact',
  'urgency',
  'energy_alignment',
  'strategic_alignment',
] as const;

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
      .superRefine((w, ctx) => {
        const sum = WEIGHT_KEYS.reduce((total, k) => total + w[k], 0);
        if (Math.abs(sum - 1) >= 1e-9) {
          const terms = WEIGHT_KEYS.map((k) => `${k} ${w[k]}`).join(' + ');
          ctx.addIssue({
            code: 'custom',
            message: `weights must sum to 1, but they sum to ${Number(sum.toFixed(6))} (${terms}): adjust them so they add up to 1`,
          });
        }
      })
      .optional(),
    risks: z.record(ceoKey, z.record(ceoKey, z.number())).default({}),
  })
  .strict()
  .default({ risks: {} });

const optionalScore = decimal({ min: 0, max: 100 }).optional();
const TaskRow = z.object({
  id: text(),
  title: text(),
  reason: text().optional(),
  revenue_impact: optionalScore,
  urgency: optionalScore,
  energy_alignment: optionalScore,
  strategic_alignment: optionalScore,
  deadline: isoDate().optional(),
  energy_demand: oneOf(ENERGY_LEVELS).optional(),
  money_at_stake_cents: cents().optional(),
  tags: text().optional(),
});
/** tasks.csv: one row per task, `id` unique. */
const TaskRows = rowsUniqueBy(TaskRow, 'id');

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

/** The files the CEO step reads, with their schemas (loadCompany, and checked by checkSources). */
const COMPANY_FILES = {
  company: { spec: { file: 'company.yaml', format: 'yaml' }, schema: CompanyFile },
  tasks: { spec: { file: 'tasks.csv', format: 'csv', optional: true }, schema: TaskRows },
  goals: {
    spec: { file: 'goals.yaml', format: 'yaml', optional: true },
    schema: GoalsFile.optional(),
  },
  founder: {
    spec: { file: 'founder.yaml', format: 'yaml', optional: true },
    schema: FounderFile.optional(),
  },
  ceo: { spec: { file: 'ceo.yaml', format: 'yaml', optional: true }, schema: CeoFile },
} as const satisfies Record<string, { spec: DatasetSpec; schema: z.ZodType }>;

/** delivery.yaml: optional; its schema is the contract's (src/contract/delivery.ts). */
const DELIVERY_FILE = {
  spec: { file: 'delivery.yaml', format: 'yaml', optional: true },
  schema: DeliverySettings.optional(),
} as const satisfies { spec: DatasetSpec; schema: z.ZodType };

const SOURCES_SPEC: DatasetSpec = { file: 'sources.yaml', format: 'yaml', optional: true };

/**
 * Every string of a connector's answer with a control character cleaned (cleanText,
 * keeping line feeds: the agents' schemas make single-line fields single-line). Done
 * before the answer is cached in Postgres, which refuses NUL in text.
 */
function cleanStrings(value: unknown): unknown {
  if (typeof value === 'string')
    return hasControlCharacters(value) ? cleanText(value, { multiline: true }) : value;
  if (Array.isArray(value)) return value.map(cleanStrings);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanStrings(v)]));
  return value;
}

/** A connector's error with any API text in its message and context cleaned. */
function cleanError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const message = cleanText(err.message);
  if (message !== err.message) {
    if (err.stack?.includes(err.message)) err.stack = err.stack.replace(err.message, message);
    err.message = message;
  }
  if (err instanceof BoardroomError) {
    for (const [k, v] of Object.entries(err.context))
      if (typeof v === 'string') err.context[k] = cleanText(v);
  }
  return err;
}

/** Awaits every promise, then throws the first failure in the given order (not in time). */
async function allInOrder<T extends readonly unknown[]>(
  promises: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const settled: PromiseSettledResult<unknown>[] = await Promise.allSettled(promises);
  for (const r of settled) if (r.status === 'rejected') throw r.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
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
  type Config = Awaited<ReturnType<typeof readConfig>>;
  const connectorFor = ({ config, lineOf }: Config, agent: AgentName): Connector | undefined => {
    const name = config.agents[agent];
    if (!name || name === 'workspace') return undefined;
    const field = `agents.${agent}`;
    const line = lineOf(['agents', agent]);
    const where = `sources.yaml${line !== undefined ? `, line ${line}` : ''}, field "${field}"`;
    const location = { file: 'sources.yaml', ...(line !== undefined ? { line } : {}), field };
    const connector = opts.connectors?.[name];
    if (!connector) {
      throw new ValidationError(`${where}: the ${name} connector is not available`, location);
    }
    if (!connector.supplies[agent]) {
      const supplied = Object.keys(connector.supplies).join(', ');
      throw new ValidationError(
        `${where}: ${name} does not supply ${agent} (it supplies ${supplied})`,
        location,
      );
    }
    return connector;
  };
  const readConfig = async (dir: string) => {
    const { value, lineOf } = await loadLocatedDataset(dir, SOURCES_SPEC, SourcesYaml);
    return {
      config: value ?? SourcesFile.parse({}),
      lineOf,
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
      const sourcesYaml = await readConfig(dir);
      const { config, settingsOf } = sourcesYaml;
      const connector = connectorFor(sourcesYaml, agent.name);
      if (!connector) return loadAgentInput(dir, agent);
      const w = today(when);
      const call = async (fileDatasets: Record<string, unknown>): Promise<ConnectorResult> => {
        try {
          const result = await connector.load(agent.name, {
            companyId,
            env,
            ...settingsOf(connector.name),
            today: w.today,
            asOf: w.asOf,
            fileDatasets,
            ...(w.signal ? { signal: w.signal } : {}),
          });
          return {
            ...result,
            datasets: cleanStrings(result.datasets) as ConnectorResult['datasets'],
          };
        } catch (err) {
          throw cleanError(err);
        }
      };
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
      const w = today(when);
      const folder = await stat(dir).then(
        (s) => (s.isDirectory() ? 'ok' : 'not a folder'),
        () => 'missing',
      );
      if (folder !== 'ok') {
        return [
          {
            source: 'workspace',
            agents: [...AGENT_NAMES],
            ok: false,
            message:
              folder === 'missing'
                ? `the workspace folder ${dir} does not exist: set BOARDROOM_WORKSPACE (or --workspace) to a folder like examples/demo-workspace`
                : `${dir} is not a folder: set BOARDROOM_WORKSPACE (or --workspace) to the workspace folder`,
          },
        ];
      }
      // Every problem of the files, however many: sources.yaml, the CEO step's files, each agent's.
      const problems: BoardroomError[] = [];
      const missing: string[] = [];
      const byConnector = new Map<ConnectorName, AgentName[]>();
      const fromFiles: AgentName[] = [];
      let sourcesYaml: Config | undefined;
      try {
        sourcesYaml = await readConfig(dir);
      } catch (err) {
        problems.push(err as BoardroomError);
      }
      for (const agent of AGENT_NAMES) {
        let connector: Connector | undefined;
        try {
          connector = sourcesYaml && connectorFor(sourcesYaml, agent);
        } catch (err) {
          problems.push(err as BoardroomError);
        }
        if (connector)
          byConnector.set(connector.name, [...(byConnector.get(connector.name) ?? []), agent]);
        else fromFiles.push(agent);
        const definition = opts.agents?.[agent];
        // With a broken sources.yaml, which files an agent needs is unknown: check none.
        if (!definition || !sourcesYaml) continue;
        const found = await checkAgentInput(dir, definition, connector?.supplies[agent] ?? []);
        for (const err of found) {
          if (/: file not found \(/.test(err.message) && err instanceof ValidationError)
            missing.push(`${err.location.file} (${agent})`);
          else problems.push(err);
        }
      }
      for (const { spec, schema } of Object.values(COMPANY_FILES)) {
        for (const err of await checkDataset(dir, spec, schema)) {
          if (/: file not found \(/.test(err.message) && err instanceof ValidationError)
            missing.push(`${err.location.file} (CEO step)`);
          else problems.push(err);
        }
      }
      const lines = [...new Set(problems.map((e) => e.message))];
      const summary = [
        missing.length > 0
          ? `missing or unreadable in ${dir}: ${[...new Set(missing)].join(', ')} (see docs/workspace.md)`
          : undefined,
        lines.length > 0
          ? `${lines.length} problem${lines.length > 1 ? 's' : ''} in the workspace files in ${dir} (see docs/workspace.md)`
          : undefined,
      ].filter(Boolean);
      const checks: SourceCheck[] = [
        {
          source: 'workspace',
          agents: fromFiles,
          ok: summary.length === 0,
          message: summary.length === 0 ? `workspace files in ${dir}` : summary.join('; '),
          ...(lines.length > 0 ? { problems: lines } : {}),
        },
      ];
      for (const [name, agents] of byConnector) {
        const connector = opts.connectors![name]!;
        const result = await connector
          .check({ companyId, env, ...sourcesYaml!.settingsOf(name), today: w.today, asOf: w.asOf })
          .catch((err: Error) => ({ ok: false, message: err.message }));
        // The message may carry the API's own text (a team or account name).
        checks.push({ source: name, agents, ok: result.ok, message: cleanText(result.message) });
      }
      return checks;
    },
    async loadDelivery(companyId) {
      const loaded = await loadLocatedDataset(
        dirOf(companyId),
        DELIVERY_FILE.spec,
        DELIVERY_FILE.schema,
      );
      return loaded.value;
    },

    async loadCompany(companyId) {
      const dir = dirOf(companyId);
      const noted: Partial<Record<keyof typeof COMPANY_FILES, string[]>> = {};
      const load = async <K extends keyof typeof COMPANY_FILES>(key: K) => {
        const { spec, schema } = COMPANY_FILES[key];
        const loaded = await loadLocatedDataset(dir, spec, schema);
        if (loaded.notes) noted[key] = loaded.notes;
        return loaded.value as z.output<(typeof COMPANY_FILES)[K]['schema']>;
      };
      const [company, tasks, goals, founder, ceo] = await allInOrder([
        load('company'),
        load('tasks'),
        load('goals'),
        load('founder'),
        load('ceo'),
      ] as const);
      // In the files' order, whichever finished first.
      const notes = Object.keys(COMPANY_FILES).flatMap(
        (k) => noted[k as keyof typeof COMPANY_FILES] ?? [],
      );
      return {
        profile: {
          id: companyId,
          name: company.name,
          timeZone: company.timezone,
          currency: company.currency,
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
        ...(notes.length > 0 ? { notes } : {}),
      };
    },
  };
}
