/**
 * `boardroom sources check`: validate the company's sources.yaml and credentials, reach
 * each configured source once, and validate the contents of every workspace file with
 * the schemas the agents and the CEO step use, listing every problem (file, line,
 * field); exit 1 when anything fails.
 */
import path from 'node:path';
import { resolveCompany } from '../company.js';
import type { CommandDeps } from '../context.js';
import { sourceCheckLines } from '../source-checks.js';
import { prepareWorkspace } from '../demo.js';
import { createSources } from '../sources.js';

export interface SourcesCheckOptions {
  /** The configured company or a registered one. @default BOARDROOM_COMPANY_ID */
  company?: string;
  /**
   * A folder to check as the company's, relative to the working directory (any id then:
   * e.g. before `companies add`). @default the company's: BOARDROOM_WORKSPACE, or its registered one
   */
  workspace?: string;
  json?: boolean;
}

export async function sourcesCheck(
  opts: SourcesCheckOptions,
  deps: Pick<CommandDeps, 'config' | 'output'> & Partial<Pick<CommandDeps, 'log'>>,
): Promise<number> {
  const { output } = deps;
  let config = deps.config;
  let company: { id: string; workspace: string };
  if (opts.workspace) {
    company = { id: opts.company ?? config.company.id, workspace: path.resolve(opts.workspace) };
  } else {
    ({ config } = await resolveCompany({ config, log: deps.log }, opts.company));
    company = { id: config.company.id, workspace: config.company.workspace };
    await prepareWorkspace(config);
  }
  const checks = await createSources(config, { company }).checkSources!(company.id);
  if (opts.json) output.out(JSON.stringify(checks, null, 2));
  else for (const c of checks) for (const line of sourceCheckLines(c)) output.out(line);
  return checks.some((c) => !c.ok) ? 1 : 0;
}
