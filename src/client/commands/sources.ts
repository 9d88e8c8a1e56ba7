/**
 * `boardroom sources check`: validate the company's sources.yaml and credentials, reach
 * each configured source once, and validate the contents of every workspace file with
 * the schemas the agents and the CEO step use, listing every problem (file, line,
 * field); exit 1 when anything fails.
 */
import path from 'node:path';
import type { CommandDeps } from '../context.js';
import { sourceCheckLines } from '../source-checks.js';
import { prepareWorkspace } from '../demo.js';
import { createSources } from '../sources.js';

export interface SourcesCheckOptions {
  /** @default BOARDROOM_COMPANY_ID */
  company?: string;
  /** Its workspace folder, relative to the working directory. @default BOARDROOM_WORKSPACE */
  workspace?: string;
  json?: boolean;
}

export async function sourcesCheck(
  opts: SourcesCheckOptions,
  deps: Pick<CommandDeps, 'config' | 'output'>,
): Promise<number> {
  const { config, output } = deps;
  const company = {
    id: opts.company ?? config.company.id,
    workspace: opts.workspace ? path.resolve(opts.workspace) : config.company.workspace,
  };
  if (!opts.workspace) await prepareWorkspace(config);
  const checks = await createSources(config, { company }).checkSources!(company.id);
  if (opts.json) output.out(JSON.stringify(checks, null, 2));
  else for (const c of checks) for (const line of sourceCheckLines(c)) output.out(line);
  return checks.some((c) => !c.ok) ? 1 : 0;
}
