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
import { ConfigError } from '../shared/errors.js';
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
  /**
   * How long a registered company's workspace is trusted before the registry is read
   * again: within this bound a removed company stops being served (its run fails, not
   * retried, saying so) and one removed and added from another folder is read there.
   * The six agents of one run share one look-up. @default 10_000
   */
  registryTtlMs?: number;
  /** For the registry's TTL, in ms. @default Date.now */
  now?: () => number;
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
  return opts.registry
    ? registryBacked(served, workspaces, {
        registry: opts.registry,
        configuredId: company.id,
        ttlMs: opts.registryTtlMs ?? 10_000,
        now: opts.now ?? Date.now,
      })
    : served;
}

/**
 * `sources`, whose every method (each takes the company id first) first learns a
 * company's workspace from the registry, and reads it again once it is older than
 * `ttlMs`. The configured company is never looked up. A company that is neither
 * configured nor registered fails with a ConfigError: permanent, so its run is not
 * retried.
 */
function registryBacked(
  sources: Sources,
  workspaces: Record<string, string>,
  opts: {
    registry: Pick<Repository, 'getCompany'>;
    configuredId: string;
    ttlMs: number;
    now: () => number;
  },
): Sources {
  const readAt = new Map<string, number>();
  const reading = new Map<string, Promise<void>>();
  const read = (companyId: string): Promise<void> => {
    let pending = reading.get(companyId);
    if (!pending) {
      pending = opts.registry
        .getCompany(companyId)
        .then((registered) => {
          if (registered) {
            workspaces[companyId] = registered.workspace;
            readAt.set(companyId, opts.now());
          } else {
            delete workspaces[companyId];
            readAt.delete(companyId);
          }
        })
        .finally(() => reading.delete(companyId));
      reading.set(companyId, pending);
    }
    return pending;
  };
  const learn = async (companyId: unknown) => {
    if (typeof companyId !== 'string' || companyId === opts.configuredId) return;
    const at = readAt.get(companyId);
    if (at === undefined || opts.now() - at >= opts.ttlMs) await read(companyId);
    if (workspaces[companyId] === undefined)
      throw new ConfigError(
        `Company "${companyId}" is neither configured on this worker (BOARDROOM_COMPANY_ID is ` +
          `"${opts.configuredId}") nor registered (removed?): register its workspace again with ` +
          '`npx boardroom companies add <workspace-dir>` to serve it.',
        { companyId },
      );
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
