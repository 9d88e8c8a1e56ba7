/**
 * The embedded default: PGlite (Postgres compiled to WASM) served over the Postgres
 * wire protocol, so the app talks to it with `pg` exactly as it would to a real server.
 *
 * Only one process may open a PGlite data folder. The process that starts it writes a
 * state file with its port and pid; other boardroom processes (the CLI in a second
 * terminal) find it there and connect over the socket instead of opening the files.
 *
 * Connections need a password (embedded-auth.ts): generated once, kept in the data
 * folder as `embedded-postgres.password` (mode 0600, like the folder itself 0700), and
 * part of the URL this returns, so other local users cannot read the company's numbers.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { generatePassword, passwordFile, requirePassword } from './embedded-auth.js';
import { applyQueueFix } from './pglite-queue-fix.js';

export interface EmbeddedPostgres {
  url: string;
  /** False when another process already serves the data folder and we only connect. */
  owned: boolean;
  stop(): Promise<void>;
}

interface StateFile {
  pid: number;
  port: number;
}

export function embeddedUrl(port: number, password: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

const PASSWORD_FILE = 'embedded-postgres.password';

/**
 * Serves `dataDir` (a persistent folder) or, with `dataDir: undefined`, an in-memory
 * database, on 127.0.0.1:`port` (0 picks a free port).
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string | undefined;
  port: number;
}): Promise<EmbeddedPostgres> {
  const stateFile = opts.dataDir ? path.join(opts.dataDir, 'embedded-postgres.json') : undefined;
  let password: string;
  if (stateFile) {
    await mkdir(opts.dataDir!, { recursive: true, mode: 0o700 });
    password = await passwordFile(path.join(opts.dataDir!, PASSWORD_FILE));
    const running = await findRunning(stateFile);
    if (running) {
      return { url: embeddedUrl(running.port, password), owned: false, stop: async () => {} };
    }
  } else {
    password = generatePassword();
  }
  const db = await PGlite.create(opts.dataDir ? path.join(opts.dataDir, 'pglite') : undefined);
  // Several connections (pools, the CLI); applyQueueFix keeps each one's batches whole.
  const server = new PGLiteSocketServer({
    db,
    port: opts.port,
    host: '127.0.0.1',
    maxConnections: 100,
  });
  applyQueueFix(server, db);
  requirePassword(server, password);
  try {
    await server.start();
  } catch (err) {
    await db.close();
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `Port ${opts.port} is taken, so the embedded Postgres cannot listen there. ` +
          `Set BOARDROOM_EMBEDDED_PG_PORT to a free port, or DATABASE_URL to use a real Postgres.`,
      );
    }
    throw err;
  }
  const port = Number(server.getServerConn().split(':').pop());
  if (stateFile)
    await writeFile(stateFile, JSON.stringify({ pid: process.pid, port } satisfies StateFile));
  return {
    url: embeddedUrl(port, password),
    owned: true,
    async stop() {
      await server.stop();
      await db.close();
      if (stateFile) await rm(stateFile, { force: true });
    },
  };
}

async function findRunning(stateFile: string): Promise<StateFile | undefined> {
  let state: StateFile;
  try {
    state = JSON.parse(await readFile(stateFile, 'utf8')) as StateFile;
  } catch {
    return undefined;
  }
  if (!isAlive(state.pid) || state.pid === process.pid) return undefined;
  return (await canConnect(state.port)) ? state : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function canConnect(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
