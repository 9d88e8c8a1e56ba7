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

export function temporalView(
  client: Client,
  config: Config,
  uiUrl: string | undefined,
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
      if (companyId !== config.company.id)
        throw new Error(`this server runs briefings for "${config.company.id}" only`);
      // A second press while a run is in flight shows that run instead of starting another.
      const query = `WorkflowType = "${WORKFLOW_TYPE}" AND ${COMPANY_SEARCH_ATTRIBUTE.name} = "${companyId}" AND ExecutionStatus = "Running"`;
      for await (const w of client.workflow.list({ query, pageSize: 1 }))
        return { workflowId: w.workflowId };
      const timeZone = await timeZoneFor(config);
      const input = await workflowInput(config, timeZone, 'manual', client, () => undefined);
      const handle = await startBriefing(client, {
        taskQueue: config.temporal.taskQueue,
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
  const companies = await configuredCompanies(config, log);
  const app = createWebApp({
    repo: parts.repo,
    companies: async () => companies,
    temporal: parts.client ? temporalView(parts.client, config, parts.uiUrl) : undefined,
    auth: { token },
    metricDocs: await loadMetricDocs(),
    onError: (err, path) => log.error({ err, path }, 'web: a page failed'),
  });
  const server = await startWebServer(app, { host: opts.host, port: opts.port });
  log.info({ url: server.url, auth: token ? 'token' : 'none' }, 'web app listening');
  return server;
}
