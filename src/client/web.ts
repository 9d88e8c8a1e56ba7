/**
 * The web app's dependencies, built from the CLI's own parts: the repository, the
 * configured company (its name and zone from company.yaml), and a view of Temporal
 * (the schedule, the runs it lists, Run now). `npm start` and `boardroom serve` share it.
 */
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Repository } from '../store/repository.js';
import { COMPANY_SEARCH_ATTRIBUTE, WORKFLOW_TYPE } from '../shared/workflow-api.js';
import { createWebApp, type CompanyRef, type TemporalView } from '../web/app.js';
import { loadMetricDocs } from '../web/metric-docs.js';
import { checkExposure, startWebServer, type WebServer } from '../web/server.js';
import { resolveCompany, type CompanyRegistry } from './company.js';
import { startBriefing } from './run.js';
import { scheduleHandle, scheduleTimeZone } from './schedule.js';
import { loadWorkspaceCompany, timeZoneFor, workflowInput } from './workflow-input.js';

/** The configured company, named as its company.yaml names it (its id when that cannot be read). */
export async function configuredCompanies(config: Config, log: Logger): Promise<CompanyRef[]> {
  try {
    const profile = await loadWorkspaceCompany(config);
    return [
      {
        id: config.company.id,
        name: profile.name,
        timeZone: await timeZoneFor(config),
        currency: profile.currency,
      },
    ];
  } catch (err) {
    log.warn({ err }, 'web: the workspace could not be read; the company is shown by its id');
    return [{ id: config.company.id, name: config.company.id, timeZone: config.schedule.timeZone }];
  }
}

/**
 * The companies the web app serves: the configured one (read once), then the registered
 * ones, read on each call so that one added or removed shows without a restart.
 */
export function servedCompanies(
  configured: readonly CompanyRef[],
  registry: Pick<Repository, 'listCompanies'>,
): () => Promise<CompanyRef[]> {
  const ids = new Set(configured.map((c) => c.id));
  return async () => [
    ...configured,
    ...(await registry.listCompanies())
      .filter((c) => !ids.has(c.id))
      .map((c) => ({ id: c.id, name: c.name, timeZone: c.timeZone, currency: c.currency })),
  ];
}

/**
 * What the web app asks of Temporal. Run now starts a run of the configured company or
 * a registered one (with its own zone, from the registry); any other id is refused.
 */
export function temporalView(
  client: Client,
  config: Config,
  uiUrl: string | undefined,
  registry?: CompanyRegistry,
): TemporalView {
  return {
    uiUrl,
    namespace: config.temporal.namespace,
    async schedule(companyId) {
      try {
        const d = await scheduleHandle(client, companyId).describe();
        return {
          state: 'found',
          nextRun: d.info.nextActionTimes[0],
          timeZone: scheduleTimeZone(d),
          paused: d.state.paused,
        };
      } catch (err) {
        if (err instanceof ScheduleNotFoundError) return { state: 'missing' };
        throw err;
      }
    },
    async recentRuns(companyId, limit) {
      const runs = [];
      const query = `WorkflowType = "${WORKFLOW_TYPE}" AND ${COMPANY_SEARCH_ATTRIBUTE.name} = "${companyId}"`;
      for await (const w of client.workflow.list({ query, pageSize: limit })) {
        runs.push({
          workflowId: w.workflowId,
          status: w.status.name,
          startTime: w.startTime,
          closeTime: w.closeTime,
        });
        if (runs.length >= limit) break;
      }
      return runs;
    },
    async runNow(companyId) {
      const company =
        companyId === config.company.id || !registry
          ? undefined
          : await resolveCompany({ config }, companyId, { repo: registry });
      if (companyId !== config.company.id && !company)
        throw new Error(`this server runs briefings for "${config.company.id}" only`);
      const scoped = company?.config ?? config;
      // A second press while a run is in flight shows that run instead of starting another.
      const query = `WorkflowType = "${WORKFLOW_TYPE}" AND ${COMPANY_SEARCH_ATTRIBUTE.name} = "${companyId}" AND ExecutionStatus = "Running"`;
      for await (const w of client.workflow.list({ query, pageSize: 1 }))
        return { workflowId: w.workflowId };
      const timeZone = await timeZoneFor(scoped);
      const input = await workflowInput(scoped, timeZone, 'manual', client, () => undefined);
      const handle = await startBriefing(client, {
        taskQueue: scoped.temporal.taskQueue,
        input,
        now: new Date(),
      });
      return { workflowId: handle.workflowId };
    },
  };
}

export interface ServeWebOptions {
  host: string;
  port: number;
  insecureNoAuth: boolean;
}

/** Builds the app and listens; the caller closes the server. */
export async function serveWeb(
  config: Config,
  log: Logger,
  parts: { repo: Repository; client: Client | undefined; uiUrl: string | undefined },
  opts: ServeWebOptions,
): Promise<WebServer> {
  const token = config.web.token;
  checkExposure({ host: opts.host, token, insecureNoAuth: opts.insecureNoAuth });
  const app = createWebApp({
    repo: parts.repo,
    companies: servedCompanies(await configuredCompanies(config, log), parts.repo),
    temporal: parts.client
      ? temporalView(parts.client, config, parts.uiUrl, parts.repo)
      : undefined,
    auth: { token },
    metricDocs: await loadMetricDocs(),
    onError: (err, path) => log.error({ err, path }, 'web: a page failed'),
  });
  const server = await startWebServer(app, { host: opts.host, port: opts.port });
  log.info({ url: server.url, auth: token ? 'token' : 'none' }, 'web app listening');
  return server;
}
