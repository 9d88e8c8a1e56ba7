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
  /**
   * Also serve the companies registered in `repo` (`boardroom companies add`): a company
   * the worker has not seen is looked up when its run asks, so one added while the
   * worker runs is served without a restart. @default the config's company only
   */
  registry?: Pick<Repository, 'getCompany'>;
}

export function createSources(config: Config, opts: CreateSourcesOptions = {}): Sources {
  const company = opts.company ?? config.company;
  const guard = opts.guard;
  const workspaces: Record<string, string> = { [company.id]: company.workspace };
  const sources = workspaceSources(workspaces, {
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
  });
  const served =
    !opts.company && config.company.demo
      ? livingDemoSources(sources, config.company.workspace)
      : sources;
  return opts.registry ? registryBacked(served, workspaces, opts.registry) : served;
}

/**
 * `sources`, whose every method (each takes the company id first) first learns an
 * unknown company's workspace from the registry. The configured company is never
 * looked up; a registered one is read once per worker.
 */
function registryBacked(
  sources: Sources,
  workspaces: Record<string, string>,
  registry: Pick<Repository, 'getCompany'>,
): Sources {
  const learn = async (companyId: unknown) => {
    if (typeof companyId !== 'string' || workspaces[companyId]) return;
    const registered = await registry.getCompany(companyId);
    if (registered) workspaces[companyId] = registered.workspace;
  };
  return new Proxy(sources, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (companyId: unknown, ...rest: unknown[]) => {
        await learn(companyId);
        return (value as (...a: unknown[]) => unknown).call(target, companyId, ...rest);
      };
    },
  });
}
