/**
 * The one place the CLI builds a company's sources from config: the workspace folder,
 * the API connectors its sources.yaml names, their credentials from the environment,
 * and (for a worker) the breaker and cache whose state lives in Postgres.
 */
import { AGENTS } from '../agents/registry.js';
import { createSourceGuard } from '../activities/source-guard.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { CONNECTORS } from '../sources/connectors/index.js';
import { workspaceSources, type Sources } from '../sources/sources.js';
import type { Repository } from '../store/repository.js';
import { livingDemoSources } from './demo.js';

export interface CreateSourcesOptions {
  /** Another company and folder than the config's (`sources check --company --workspace`). */
  company?: { id: string; workspace: string };
  /** Guard API calls with the circuit breaker and cache kept in `repo`. @default no guard */
  guard?: { repo: Repository; log: Logger; clock?: () => Date };
}

export function createSources(config: Config, opts: CreateSourcesOptions = {}): Sources {
  const company = opts.company ?? config.company;
  const guard = opts.guard;
  const sources = workspaceSources(
    { [company.id]: company.workspace },
    {
      connectors: CONNECTORS,
      env: config.sourceEnv,
      agents: AGENTS,
      ...(guard
        ? {
            guard: createSourceGuard({
              repo: guard.repo,
              log: guard.log,
              clock: guard.clock ?? (() => new Date()),
            }),
          }
        : {}),
    },
  );
  return !opts.company && config.company.demo
    ? livingDemoSources(sources, config.company.workspace)
    : sources;
}
