/** Hand-made agent reports for tests of the CEO step. */
import type { z } from 'zod';
import {
  AGENT_NAMES,
  AgentReport,
  Task,
  type AgentName,
  type TaskInput,
} from '../../src/contract/report.js';

export type ReportInput = Partial<z.input<typeof AgentReport>>;

export function report(agent: AgentName, over: ReportInput = {}): AgentReport {
  return AgentReport.parse({
    agent,
    timestamp: '2026-11-26T12:00:00.000Z',
    dataAsOf: '2026-11-26T06:00:00.000Z',
    status: 'ok',
    metrics: {},
    alerts: [],
    recommendations: [],
    health: 80,
    healthReason: `${agent} is fine`,
    durationMs: 12,
    sourceCalls: 2,
    ...over,
  });
}

/** All six, ok, with `over` per agent. */
export function reports(
  over: Partial<Record<AgentName, ReportInput>> = {},
): Record<AgentName, AgentReport> {
  return Object.fromEntries(AGENT_NAMES.map((a) => [a, report(a, over[a])])) as Record<
    AgentName,
    AgentReport
  >;
}

export function task(over: Partial<TaskInput> & { id: string }): Task {
  return Task.parse({ title: `Task ${over.id}`, source: 'founder', ...over });
}
