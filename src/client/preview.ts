/**
 * A briefing computed in this process, without Temporal: the same agents and CEO step
 * as a run, on a workspace, as of a day. What `boardroom preview` prints; with a
 * database configured it also reads the stored history, as a run would.
 */
import { AGENTS } from '../agents/registry.js';
import {
  HISTORY_DAYS,
  computeAgentReport,
  composeCompanyBriefing,
} from '../activities/activities.js';
import type { Briefing } from '../contract/briefing.js';
import {
  AGENT_NAMES,
  type AgentName,
  type AgentReport,
  type MetricSnapshot,
} from '../contract/report.js';
import { addDays } from '../shared/dates.js';
import type { Sources } from '../sources/sources.js';

export interface PreviewInput {
  sources: Sources;
  companyId: string;
  /** The day the briefing is for (YYYY-MM-DD, the company's calendar). */
  today: string;
  /** The moment it describes. */
  asOf: Date;
  /** The clock, for the reports' timestamps. */
  now: Date;
  /** Stored history and the previous briefing, when a database is configured. */
  store?: {
    loadAllHistory(
      companyId: string,
      range: { since: string; before: string },
    ): Promise<Partial<Record<AgentName, MetricSnapshot[]>>>;
    previousBriefing(
      companyId: string,
      exceptWorkflowId: string,
      briefingDate?: string,
    ): Promise<Briefing | undefined>;
  };
}

/** One agent's data that could not be read or computed: the first line of what to fix. */
export class PreviewError extends Error {
  constructor(readonly problems: { agent: AgentName | 'company'; message: string }[]) {
    super(problems.map((p) => `${p.agent}: ${p.message}`).join('\n'));
    this.name = 'PreviewError';
  }
}

export async function previewBriefing(input: PreviewInput): Promise<Briefing> {
  const { sources, companyId, today } = input;
  const asOfIso = input.asOf.toISOString();
  const workflowId = `preview-${companyId}-${today}`;
  const none: Partial<Record<AgentName, MetricSnapshot[]>> = {};
  const [company, history, previous] = await Promise.all([
    sources.loadCompany(companyId).catch((err: Error) => err),
    input.store?.loadAllHistory(companyId, {
      since: addDays(today, -HISTORY_DAYS),
      before: today,
    }) ?? none,
    input.store?.previousBriefing(companyId, workflowId, today),
  ]);
  const problems: PreviewError['problems'] = [];
  if (company instanceof Error) problems.push({ agent: 'company', message: company.message });
  const currency = company instanceof Error ? undefined : company.profile.currency;
  const reports = await Promise.all(
    AGENT_NAMES.map(async (name): Promise<AgentReport | undefined> => {
      const t0 = performance.now();
      try {
        const loaded = await sources.loadAgentInput(companyId, AGENTS[name], {
          today,
          asOf: input.asOf,
        });
        const report = computeAgentReport(AGENTS[name], loaded, {
          asOf: asOfIso,
          today,
          history: history[name] ?? [],
          ...(currency ? { currency } : {}),
          now: input.now,
          durationMs: 0,
          attempt: 1,
        });
        return { ...report, durationMs: Math.round(performance.now() - t0) };
      } catch (err) {
        problems.push({ agent: name, message: (err as Error).message });
        return undefined;
      }
    }),
  );
  if (problems.length > 0 || company instanceof Error) throw new PreviewError(problems);
  return composeCompanyBriefing(company, {
    companyId,
    workflowId,
    briefingDate: today,
    generatedAt: input.now.toISOString(),
    reports: Object.fromEntries(reports.map((r) => [r!.agent, r!])) as Record<
      AgentName,
      AgentReport
    >,
    history,
    ...(previous ? { previous } : {}),
  });
}
