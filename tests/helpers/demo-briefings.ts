/**
 * The briefing of a workspace as of a day, with N weeks of history, computed in-process
 * the way scripts/sample-briefing.ts does (no Temporal, no Postgres): the real agents
 * run on the workspace as of each of the N previous weeks, oldest first, each result
 * the next one's history, then as of `today`, and composeBriefing reads them all.
 */
import path from 'node:path';
import {
  AGENT_NAMES,
  AgentReport,
  AgentResult,
  type AgentName,
  type MetricSnapshot,
} from '../../src/contract/report.js';
import type { Briefing } from '../../src/contract/briefing.js';
import { AGENTS } from '../../src/agents/registry.js';
import { composeBriefing } from '../../src/ceo/briefing.js';
import { companyComposeInput } from '../../src/activities/compose-input.js';
import { workspaceSources, type CompanyData } from '../../src/sources/sources.js';
import { addDays } from '../../src/shared/dates.js';
import { prepareDemoWorkspace } from '../../src/sources/demo/prepare-workspace.js';

export interface DemoInputs {
  company: CompanyData;
  inputs: Record<AgentName, unknown>;
}

/** The company settings and every agent's validated input of the workspace at `dir`. */
export async function loadWorkspace(dir: string, companyId = 'demo'): Promise<DemoInputs> {
  const sources = workspaceSources({ [companyId]: dir });
  const company = await sources.loadCompany(companyId);
  const loaded = await Promise.all(
    AGENT_NAMES.map(async (a) => (await sources.loadAgentInput(companyId, AGENTS[a])).input),
  );
  return {
    company,
    inputs: Object.fromEntries(AGENT_NAMES.map((a, i) => [a, loaded[i]])) as Record<
      AgentName,
      unknown
    >,
  };
}

export interface DemoBriefing {
  briefing: Briefing;
  /** The reports of `today`. */
  reports: Record<AgentName, AgentReport>;
  /** The history the last step read: one snapshot per agent and previous week. */
  history: Partial<Record<AgentName, MetricSnapshot[]>>;
}

/** Every agent's report on `today`, with `history`. */
export function agentReports(
  { inputs }: DemoInputs,
  today: string,
  history: Partial<Record<AgentName, MetricSnapshot[]>> = {},
): Record<AgentName, AgentReport> {
  const asOf = new Date(`${today}T12:00:00Z`);
  return Object.fromEntries(
    AGENT_NAMES.map((a) => {
      const result = AgentResult.parse(
        AGENTS[a].compute(inputs[a], { asOf, today, history: history[a] ?? [] }),
      );
      return [
        a,
        AgentReport.parse({
          ...result,
          agent: a,
          timestamp: asOf.toISOString(),
          status: 'ok',
          durationMs: 0,
          sourceCalls: 0,
        }),
      ];
    }),
  ) as Record<AgentName, AgentReport>;
}

/**
 * The briefing of `today` after `weeks` weekly runs (as of today - 7 x weeks, ..., today - 7),
 * each run's briefing the next one's `previous` and its metrics the next one's history.
 */
export function briefingWithHistory(
  data: DemoInputs,
  today: string,
  weeks = 13,
  companyId = 'demo',
): DemoBriefing {
  const history: Partial<Record<AgentName, MetricSnapshot[]>> = {};
  let previous: Briefing | undefined;
  let last: DemoBriefing | undefined;
  for (let w = weeks; w >= 0; w--) {
    const day = addDays(today, -7 * w);
    const reports = agentReports(data, day, history);
    const { riskOverrides, ...fromCompany } = companyComposeInput(data.company, day, undefined);
    const briefing = composeBriefing({
      ...fromCompany,
      companyId,
      workflowId: `briefing-${companyId}-${day}`,
      briefingDate: day,
      generatedAt: new Date(`${day}T12:00:00Z`).toISOString(),
      reports,
      history,
      ...(previous ? { previous } : {}),
      risks: { overrides: riskOverrides },
    });
    last = {
      briefing,
      reports,
      history: Object.fromEntries(
        Object.entries(history).map(([a, snaps]) => [a, [...snaps]]),
      ) as DemoBriefing['history'],
    };
    for (const a of AGENT_NAMES)
      (history[a] ??= []).push({ date: day, metrics: reports[a].metrics });
    previous = briefing;
  }
  return last!;
}

/**
 * The living demo as of `today`: generated into `root`/`today` (prepareDemoWorkspace),
 * loaded, and briefed after `weeks` weekly runs.
 */
export async function livingDemoBriefing(
  root: string,
  today: string,
  weeks = 13,
): Promise<DemoBriefing & { dir: string; data: DemoInputs }> {
  const { dir } = await prepareDemoWorkspace({ outDir: path.join(root, today), today });
  const data = await loadWorkspace(dir);
  return { ...briefingWithHistory(data, today, weeks), dir, data };
}
