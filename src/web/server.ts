/**
 * Serving the app over HTTP (Node's server through @hono/node-server), and the rule on
 * who may reach it: loopback by default; any other address only with a token, or when
 * the person says, with --insecure-no-auth, that something in front of it guards it.
 */
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { ConfigError } from '../shared/errors.js';

/** @default 127.0.0.1 */
export const DEFAULT_WEB_HOST = '127.0.0.1';
/** @default 8300 */
export const DEFAULT_WEB_PORT = 8300;
/** How long open connections may take to finish when the server stops. @default 3_000 */
export const CLOSE_GRACE_MS = 3_000;

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Refuses (a ConfigError naming the flag and the variable) to serve an open address unguarded. */
export function checkExposure(opts: {
  host: string;
  token: string | undefined;
  insecureNoAuth: boolean;
}): void {
  if (isLoopback(opts.host) || opts.token !== undefined || opts.insecureNoAuth) return;
  throw new ConfigError(
    `Refusing to serve the web app on ${opts.host} without a token: anyone who reaches it would read the company's numbers. ` +
      'Set BOARDROOM_WEB_TOKEN (e.g. `export BOARDROOM_WEB_TOKEN=$(openssl rand -base64 24)`), ' +
      'or pass --insecure-no-auth when a proxy in front of it does the authentication.',
    { fields: ['BOARDROOM_WEB_TOKEN', '--host'] },
  );
}

export interface WebServer {
  /** http://host:port/ as a browser would open it. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startWebServer(
  app: Hono,
  opts: { host: string; port: number },
): Promise<WebServer> {
  const server = createAdaptorServer({ fetch: app.fetch, hostname: opts.host, port: opts.port });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new ConfigError(
              `Port ${opts.port} on ${opts.host} is in use: pass --port N (or set BOARDROOM_WEB_PORT), or stop what listens there.`,
              { fields: ['BOARDROOM_WEB_PORT', '--port'] },
            )
          : err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND'
            ? new ConfigError(
                `Cannot listen on ${opts.host}: no such address on this machine (--host, BOARDROOM_WEB_HOST).`,
                {
                  fields: ['BOARDROOM_WEB_HOST', '--host'],
                },
              )
            : err,
      );
    };
    server.once('error', onError);
    server.listen(opts.port, opts.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shown = opts.host.includes(':')
    ? `[${opts.host}]`
    : opts.host === '0.0.0.0'
      ? '127.0.0.1'
      : opts.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${port}`,
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        }, CLOSE_GRACE_MS);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      })),
  };
}
