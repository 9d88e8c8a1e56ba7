/**
 * `boardroom serve`: the web app alone, on the suite's Postgres and Temporal, until
 * stopped; without Temporal it still serves Postgres; it refuses an open address
 * without a token, and a taken port, with the flag or variable to change.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { serveCommand } from '../../../src/client/commands/serve.js';
import { ConfigError } from '../../../src/shared/errors.js';
import { commandDeps, freePort, runCli, stackEnv } from '../../helpers/cli.js';
import { closeStacksAfterEach } from '../../helpers/stack.js';

const stack = closeStacksAfterEach();

/** Runs `serve` until `use` is done with its URL; its exit code. */
async function serving(
  env: Record<string, string | undefined>,
  opts: Parameters<typeof serveCommand>[0],
  use: (url: string, say: string) => Promise<void>,
): Promise<number> {
  const deps = commandDeps(env);
  let stop!: () => void;
  let listening!: (url: string) => void;
  const url = new Promise<string>((r) => (listening = r));
  const done = serveCommand(opts, {
    ...deps,
    onStopRequest: (s) => (stop = s),
    onListening: listening,
  });
  const u = await Promise.race([url, done.then(() => Promise.reject(new Error('serve ended')))]);
  try {
    await use(u, deps.output.stderr);
  } finally {
    stop();
  }
  return done;
}

describe('serve', () => {
  it('serves the briefing, the runs Temporal lists and the schedule, then stops with exit 0', async () => {
    const s = await stack();
    const run = await s.runBriefing({ searchAttributes: true });
    const port = await freePort();
    const env = stackEnv(s, { TEMPORAL_UI_URL: 'https://temporal-ui.example.com/' });
    const code = await serving(env, { port }, async (url, say) => {
      expect(url).toBe(`http://127.0.0.1:${port}`);
      expect(say).toContain(`Web app: http://127.0.0.1:${port} · Temporal `);
      const page = await fetch(`${url}/companies/${s.companyId}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('Morning briefing: Northwind Analytics');
      expect(html).toContain(
        `href="https://temporal-ui.example.com/namespaces/default/workflows/${run.workflowId}"`,
      );
      const runs = await (await fetch(`${url}/companies/${s.companyId}/runs`)).text();
      expect(runs).toContain(run.workflowId);
      expect(runs).toContain('no schedule (npx boardroom schedule create)');
    });
    expect(code).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('without Temporal: serves what Postgres has, and says what it cannot show', async () => {
    const s = await stack();
    await s.runBriefing();
    const dead = await freePort();
    const env = stackEnv(s, {
      TEMPORAL_ADDRESS: `127.0.0.1:${dead}`,
      BOARDROOM_CONNECT_TIMEOUT_MS: '1000',
    });
    const code = await serving(env, { port: await freePort() }, async (url, say) => {
      expect(say).toMatch(/Temporal is not reachable \(Cannot reach Temporal at 127\.0\.0\.1:\d+/);
      expect(say).toContain('runs in flight, the schedule and Run now are not available');
      expect((await fetch(`${url}/companies/${s.companyId}`)).status).toBe(200);
      const runs = await (await fetch(`${url}/companies/${s.companyId}/runs`)).text();
      expect(runs).toContain('Temporal is not configured for this server');
      expect(runs).not.toContain('>Run now<');
    });
    expect(code).toBe(0);
  });

  it('refuses an open address without a token; serves it with one (401 without it) or with --insecure-no-auth', async () => {
    const s = await stack();
    const env = stackEnv(s);
    await expect(
      serveCommand({ host: '0.0.0.0', port: await freePort() }, { ...commandDeps(env) }),
    ).rejects.toThrow(ConfigError);
    const token = 'serve-test-token-0123456789';
    await serving(
      { ...env, BOARDROOM_WEB_TOKEN: token },
      { host: '0.0.0.0', port: await freePort() },
      async (url, say) => {
        expect(say).toContain('(sign in with BOARDROOM_WEB_TOKEN)');
        const denied = await fetch(`${url}/companies/${s.companyId}`);
        expect(denied.status).toBe(401);
        expect(await denied.text()).not.toContain('Northwind');
        const allowed = await fetch(`${url}/companies/${s.companyId}`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        expect(allowed.status).toBe(200);
      },
    );
    await serving(
      env,
      { host: '0.0.0.0', port: await freePort(), insecureNoAuth: true },
      async (url, say) => {
        expect(say).toContain('Serving without authentication (--insecure-no-auth)');
        expect((await fetch(`${url}/healthz`)).status).toBe(200);
      },
    );
  });

  it('a taken port is a ConfigError naming --port and BOARDROOM_WEB_PORT', async () => {
    const s = await stack();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      await expect(serveCommand({ port }, { ...commandDeps(stackEnv(s)) })).rejects.toThrow(
        `Port ${port} on 127.0.0.1 is in use: pass --port N (or set BOARDROOM_WEB_PORT), or stop what listens there.`,
      );
    } finally {
      blocker.close();
    }
  });

  it('the CLI: a bad --port, and an open --host without a token, exit 1 with one line', async () => {
    const bad = await runCli(['serve', '--port', 'http'], {});
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      "option '--port <n>' argument 'http' is invalid. a port number from 1 to 65535",
    );
    const open = await runCli(['serve', '--host', '0.0.0.0'], {
      BOARDROOM_DATA_DIR: '/tmp/boardroom-serve-nothing',
    });
    expect(open.code).toBe(1);
    expect(open.stderr).toContain('Refusing to serve the web app on 0.0.0.0 without a token');
    expect(open.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
