/**
 * Opening the database: an unreachable server is one named error (ServiceUnavailableError)
 * within BOARDROOM_CONNECT_TIMEOUT_MS, naming the host and never the password, with
 * nothing logged at ERROR; refused credentials are a ConfigError.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError, ServiceUnavailableError } from '../../src/shared/errors.js';
import { openDatabase } from '../../src/store/database.js';
import { capturingLogger } from '../helpers/stack.js';

/** A port nothing listens on (an ephemeral one could be taken by a parallel test meanwhile). */
const closedPort = async () => 1;

/** Accepts connections and never answers: a firewall dropping packets, a hung server. */
let blackHole: net.Server;
const held: net.Socket[] = [];
beforeAll(async () => {
  blackHole = net.createServer((sock) => held.push(sock));
  await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', () => r()));
});
afterAll(async () => {
  held.forEach((s) => s.destroy());
  await new Promise((r) => blackHole.close(r));
});

async function openFails(databaseUrl: string, timeoutMs = 1500) {
  const { log, lines } = capturingLogger();
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    BOARDROOM_CONNECT_TIMEOUT_MS: String(timeoutMs),
  });
  const t0 = Date.now();
  const err = await openDatabase(config, log, { migrate: true }).then(
    async (db) => {
      await db.close();
      throw new Error('opened');
    },
    (e: Error) => e,
  );
  return { err, ms: Date.now() - t0, lines };
}

describe('openDatabase when Postgres cannot be reached', () => {
  it('a closed port: ServiceUnavailableError after the connect timeout, host named, no password', async () => {
    const port = await closedPort();
    const { err, ms, lines } = await openFails(`postgres://app:S3cretPw@127.0.0.1:${port}/books`);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect(err.message).toMatch(
      new RegExp(
        `^Cannot reach Postgres at 127\\.0\\.0\\.1:${port}/books within 2 s \\(ECONNREFUSED`,
      ),
    );
    expect(err.message).toContain('DATABASE_URL');
    expect(err.message).not.toContain('S3cretPw');
    // Waited for a server that may be starting, but no longer than the timeout.
    expect(ms).toBeGreaterThanOrEqual(1000);
    expect(ms).toBeLessThan(4000);
    expect(lines.filter((l) => (l.level as number) >= 50)).toEqual([]);
    expect(JSON.stringify(lines)).not.toContain('S3cretPw');
  });

  it('a server that never answers: the same error within the timeout', async () => {
    const { port } = blackHole.address() as net.AddressInfo;
    const { err, ms } = await openFails(`postgres://app:pw@127.0.0.1:${port}/books`, 1200);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect(err.message).toMatch(/^Cannot reach Postgres at 127\.0\.0\.1:\d+\/books within 1 s/);
    expect(ms).toBeLessThan(3500);
  });

  it('a password with an unencoded "@" leaks no part of it', async () => {
    const port = await closedPort();
    const { err } = await openFails(
      `postgres://app:SECRETpart1@SECRETpart2@127.0.0.1:${port}/books`,
    );
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect(err.message).not.toMatch(/SECRET/);
  });

  it.skipIf(inject('databaseKind') !== 'external')(
    'a wrong password is a ConfigError that says to check the credentials',
    async () => {
      const url = new URL(inject('databaseUrl'));
      url.username = 'boardroom_nobody';
      url.password = 'WrongPw1';
      const { err } = await openFails(url.toString());
      // The machine's Postgres may trust local users; then the user is refused instead.
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.message).toMatch(/refused the credentials \(28(P01|000)/);
      expect(err.message).not.toContain('WrongPw1');
    },
  );

  it('the embedded Postgres with a wrong password: a ConfigError', async () => {
    if (inject('databaseKind') !== 'embedded') return;
    const url = new URL(inject('databaseUrl'));
    url.password = 'not-the-password';
    const { err } = await openFails(url.toString());
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/password authentication failed for user "postgres"/);
    expect(err.message).not.toContain('not-the-password');
  });
});
