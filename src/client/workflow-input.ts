/**
 * What a run needs besides the company: its time zone and the workflow's input.
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../config.js';
import type { DailyBriefingInput } from '../shared/workflow-api.js';
import { ensureSearchAttributes } from './search-attributes.js';
import { createSources } from './sources.js';

/** The flag's zone, else BOARDROOM_TIMEZONE, else the workspace's company.yaml, else UTC. */
export async function timeZoneFor(config: Config, override?: string): Promise<string> {
  if (override) return override;
  if (config.schedule.timeZone) return config.schedule.timeZone;
  const { profile } = await createSources(config).loadCompany(config.company.id);
  return profile.timeZone ?? 'UTC';
}

/**
 * The workflow's input. `client` registers the search attributes runs carry (when the
 * namespace allows; a cluster that refuses gets runs without them, and `say` a warning).
 */
export async function workflowInput(
  config: Config,
  timeZone: string,
  trigger: DailyBriefingInput['trigger'],
  client: Client,
  say: (line: string) => void,
): Promise<DailyBriefingInput> {
  const searchAttributes = await ensureSearchAttributes(client, config.temporal.namespace, {
    onRefused: (reason) => say(`Runs go without search attributes: ${reason}`),
  });
  return {
    companyId: config.company.id,
    trigger,
    timeZone,
    searchAttributes,
    agentActivity: {
      startToCloseTimeoutMs: config.agent.timeoutMs,
      heartbeatTimeoutMs: config.agent.heartbeatMs,
      maxAttempts: config.agent.maxAttempts,
      initialRetryMs: config.agent.retryInitialMs,
    },
  };
}
