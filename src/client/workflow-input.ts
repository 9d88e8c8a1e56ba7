/**
 * What a run needs besides the company: its time zone and the workflow's input.
 */
import { stat } from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import type { Config } from '../config.js';
import { ConfigError } from '../shared/errors.js';
import type { DailyBriefingInput } from '../shared/workflow-api.js';
import { prepareWorkspace } from './demo.js';
import { ensureSearchAttributes } from './search-attributes.js';
import { createSources } from './sources.js';

/**
 * The company's workspace folder is there and is a folder: checked before anything boots
 * or connects, so a wrong BOARDROOM_WORKSPACE is one line at once, not a failure later.
 * The living demo (no BOARDROOM_WORKSPACE) is generated for today first.
 */
export async function checkWorkspaceFolder(config: Config): Promise<void> {
  await prepareWorkspace(config);
  const dir = config.company.workspace;
  const fix = "Set BOARDROOM_WORKSPACE to your company's folder (docs/workspace.md).";
  try {
    if (!(await stat(dir)).isDirectory())
      throw new ConfigError(`The workspace ${dir} is a file, not a folder. ${fix}`, { dir });
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT' || code === 'ENOTDIR'
        ? `The workspace folder ${dir} does not exist. ${fix}`
        : `Cannot read the workspace folder ${dir} (${code ?? (err as Error).message}). ${fix}`,
      { dir },
    );
  }
}

/**
 * The company as its workspace describes it (company.yaml, validated), after checking
 * the folder: what `start` and `worker` read before they boot.
 */
export async function loadWorkspaceCompany(config: Config) {
  await checkWorkspaceFolder(config);
  return (await createSources(config).loadCompany(config.company.id)).profile;
}

/** The flag's zone, else BOARDROOM_TIMEZONE, else the workspace's company.yaml, else UTC. */
export async function timeZoneFor(config: Config, override?: string): Promise<string> {
  await prepareWorkspace(config);
  if (override) return override;
  if (config.schedule.timeZone) return config.schedule.timeZone;
  return (await loadWorkspaceCompany(config)).timeZone ?? 'UTC';
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
