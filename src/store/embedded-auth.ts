/**
 * Password authentication in front of the embedded Postgres. PGlite's socket server
 * answers every connection with AuthenticationOk, so any local user could read the
 * company's numbers; this gate asks each new connection for the password first
 * (Postgres's MD5 challenge with a fresh salt per connection, which `pg`, psql and every
 * driver speak) and only then hands the socket to PGlite. The password is generated
 * once and kept under the data folder, readable by its owner only (mode 0600).
 *
 * We wrap pglite-socket 0.2.17's connection handler (`handleConnection`, called per
 * accepted socket); re-check on upgrade.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const PROTOCOL_3 = 196608;
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** A client that has not authenticated by then is dropped. */
const AUTH_TIMEOUT_MS = 10_000;

/** A new random password: 32 URL-safe characters. */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The data folder's password: read from `file`, or generated and written there with
 * mode 0600 (exclusively, so two processes starting at once agree on one).
 */
export async function passwordFile(file: string): Promise<string> {
  const read = async () => (await readFile(file, 'utf8')).trim();
  try {
    const existing = await read();
    if (existing) {
      await chmod(file, 0o600);
      return existing;
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const password = generatePassword();
  try {
    await writeFile(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600); // a umask cannot widen it, but be sure
    return password;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return read();
    throw err;
  }
}

function md5(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}

function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.concat(
    [
      ['S', 'FATAL'],
      ['V', 'FATAL'],
      ['C', code],
      ['M', message],
    ].map(([k, v]) => Buffer.from(`${k}${v}\0`, 'utf8')),
  );
  const body = Buffer.concat([fields, Buffer.from([0])]);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

function parseStartup(msg: Buffer): Record<string, string> {
  const parts = msg
    .subarray(8, msg.length - 1)
    .toString('utf8')
    .split('\0');
  const params: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length; i += 2) params[parts[i]!] = parts[i + 1]!;
  return params;
}

/**
 * Runs the handshake on a fresh socket: resolves with the client's startup message (to
 * replay to PGlite) once the password matched; rejects (after telling the client) if not.
 */
function authenticate(socket: Socket, password: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    let startup: Buffer | undefined;
    let user = '';
    const salt = randomBytes(4);
    const timer = setTimeout(() => fail('08006', 'authentication timed out'), AUTH_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('close', onClose);
    };
    const fail = (code: string, message: string) => {
      done();
      if (socket.writable) socket.end(errorResponse(code, message));
      else socket.destroy();
      reject(new Error(message));
    };
    const onError = (err: Error) => {
      done();
      reject(err);
    };
    const onClose = () => {
      done();
      reject(new Error('closed before authenticating'));
    };
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (true) {
        if (!startup) {
          if (buf.length < 8) return;
          const len = buf.readInt32BE(0);
          if (len < 8 || len > 10_000) return fail('08P01', 'invalid startup packet');
          if (buf.length < len) return;
          const code = buf.readInt32BE(4);
          const msg = buf.subarray(0, len);
          buf = buf.subarray(len);
          if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
            socket.write('N'); // no TLS on the loopback: the client goes on in plain text
            continue;
          }
          if (code === CANCEL_REQUEST) {
            done();
            socket.destroy();
            return reject(new Error('cancel request'));
          }
          if (code !== PROTOCOL_3) return fail('0A000', 'unsupported frontend protocol');
          startup = Buffer.from(msg);
          user = parseStartup(startup).user ?? '';
          const challenge = Buffer.alloc(13);
          challenge.write('R', 0);
          challenge.writeInt32BE(12, 1);
          challenge.writeInt32BE(5, 5); // AuthenticationMD5Password
          salt.copy(challenge, 9);
          socket.write(challenge);
          continue;
        }
        if (buf.length < 5) return;
        const len = buf.readInt32BE(1);
        if (buf.length < 1 + len) return;
        const type = String.fromCharCode(buf[0]!);
        const body = buf.subarray(5, 1 + len);
        buf = buf.subarray(1 + len);
        if (type !== 'p') return fail('08P01', 'expected a password message');
        const given = Buffer.from(body.toString('utf8').replace(/\0$/, ''), 'utf8');
        const expected = Buffer.from(
          `md5${md5(Buffer.concat([Buffer.from(md5(password + user)), salt]))}`,
          'utf8',
        );
        if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
          return fail('28P01', `password authentication failed for user "${user}"`);
        }
        done();
        return resolve(startup);
      }
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('close', onClose);
  });
}

/** Makes `server` ask every connection for `password` before PGlite sees it. */
export function requirePassword(server: PGLiteSocketServer, password: string): void {
  const s = server as unknown as { handleConnection(socket: Socket): Promise<void> };
  const handle = s.handleConnection.bind(server);
  s.handleConnection = async (socket: Socket) => {
    let startup: Buffer;
    try {
      startup = await authenticate(socket, password);
    } catch {
      return; // told the client, or it left
    }
    // PGlite's handler attaches its data listener synchronously; then it gets the
    // startup message it would have read itself and answers AuthenticationOk.
    await handle(socket);
    if (!socket.destroyed) socket.emit('data', startup);
  };
}
