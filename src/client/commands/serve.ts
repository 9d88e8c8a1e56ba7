/**
 * `boardroom serve`: the web app alone, against the configured Postgres and Temporal
 * (for a deployment, next to the workers), until stopped.
 *
 * Temporal is optional here: when it cannot be reached the pages still read Postgres,
 * and say that runs in flight, the schedule and Run now are unavailable.
 * Exit codes: 0 after a requested stop; 1 when it cannot serve (a taken port, an open
 * address without BOARDROOM_WEB_TOKEN, Postgres unreachable).
 */
import type { Client } from '@temporalio/client';
import { openDatabase } from '../../store/database.js';
import { checkExposure } from '../../web/server.js';
import { stopRequests, type CommandDeps, type OnStopRequest } from '../context.js';
import { connectClient, temporalAddress } from '../temporal.js';
import { serveWeb } from '../web.js';

export interface ServeOptions {
  /** @default BOARDROOM_WEB_PORT, else 8300 */
  port?: number;
  /** @default BOARDROOM_WEB_HOST, else 127.0.0.1 */
  host?: string;
  /** Serve an open address without a token (a proxy in front authenticates). @default false */
  insecureNoAuth?: boolean;
}

export async function serveCommand(
  opts: ServeOptions,
  deps: CommandDeps & { onStopRequest?: OnStopRequest; onListening?: (url: string) => void },
): Promise<number> {
  const { config, log, output } = deps;
  const host = opts.host ?? config.web.host;
  const port = opts.port ?? config.web.port;
  const insecureNoAuth = opts.insecureNoAuth === true;
  checkExposure({ host, token: config.web.token, insecureNoAuth });
  const stop = stopRequests(deps.onStopRequest);
  const db = await openDatabase(config, log);
  let client: Client | undefined;
  try {
    try {
      client = await connectClient(config);
    } catch (err) {
      output.say(
        `Temporal is not reachable (${(err as Error).message.split('. ')[0]}): the pages read Postgres only; ` +
          'runs in flight, the schedule and Run now are not available.',
      );
    }
    const uiUrl =
      config.temporal.uiUrl ??
      (config.temporal.address ? undefined : `http://localhost:${config.temporal.uiPort}`);
    const server = await serveWeb(
      config,
      log,
      { repo: db.repo, client, uiUrl },
      { host, port, insecureNoAuth },
    );
    try {
      output.say(
        `Web app: ${server.url}${config.web.token ? ' (sign in with BOARDROOM_WEB_TOKEN)' : ''}` +
          (client ? ` · Temporal ${temporalAddress(config)}` : ''),
      );
      if (insecureNoAuth && !config.web.token)
        output.say(
          'Serving without authentication (--insecure-no-auth): keep it behind a proxy that authenticates.',
        );
      output.say('Ctrl-C to stop.');
      deps.onListening?.(server.url);
      await stop.stopped;
      return 0;
    } finally {
      await server.close();
    }
  } finally {
    await client?.connection.close().catch(() => undefined);
    await db.close();
  }
}
