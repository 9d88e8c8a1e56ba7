/**
 * `boardroom sources check`: validate the company's sources.yaml and credentials and
 * reach each configured source once; exit 1 when any fails.
 */
import path from 'node:path';
import type { CommandDeps } from '../context.js';
import { sourceCheckLine } from '../source-checks.js';
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
  const checks = await createSources(config, { company }).checkSources!(company.id);
  if (opts.json) output.out(JSON.stringify(checks, null, 2));
  else for (const c of checks) output.out(sourceCheckLine(c));
  return checks.some((c) => !c.ok) ? 1 : 0;
}
