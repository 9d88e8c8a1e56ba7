/**
 * Writes docs/web-*.png: the web app as a newcomer's `npm start` serves it, in Chromium
 * at 1280 px wide. It runs `start` in a child process on a fresh data folder and free
 * ports (a stack you have running is left alone), waits for its "Running:" line (the
 * demo's first start backfills 13 weeks of history first), then loads each page, prints
 * its axe-core violations (light and dark scheme) and its Server-Timing, screenshots it,
 * and stops the child with SIGINT as Ctrl-C would.
 *
 *   npx tsx scripts/web-screenshots.ts [--out-dir docs]
 *
 * Needs a Chromium (scripts/ensure-chromium.sh installs one as root with apt-get).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { AXE_SOURCE, axeViolations, launchChromium } from '../tests/helpers/chromium.js';

const { values } = parseArgs({
  options: { 'out-dir': { type: 'string', default: 'docs' } },
});
const outDir = values['out-dir'];

const WIDTH = 1280;
/** Each PNG stays under this; a longer page is cut to CLIP_HEIGHT. */
const MAX_PNG_BYTES = 600 * 1024;
const CLIP_HEIGHT = 2000;
/** The first start generates the demo and backfills 13 weeks by real runs. @default 10 minutes */
const START_TIMEOUT_MS = 10 * 60_000;
const STOP_TIMEOUT_MS = 60_000;
const COMPANY = 'demo';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/** Resolves with the web app's address once `start` prints "Running:". */
function waitForRunning(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let webUrl: string | undefined;
    const timer = setTimeout(
      () => reject(new Error(`start did not print "Running:" within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    const onData = (echo: boolean) => {
      let partial = '';
      return (d: Buffer) => {
        partial += String(d);
        const lines = partial.split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) {
          // Its progress (stderr) says what the first start is doing; stdout is the briefing.
          if (echo) process.stderr.write(`  start: ${line}\n`);
          const web = /^Web app: (http:\/\/\S+)/.exec(line);
          if (web) webUrl = web[1];
          if (line.startsWith('Running:')) {
            clearTimeout(timer);
            if (webUrl) resolve(webUrl);
            else reject(new Error('start is running, but it printed no "Web app:" address'));
          }
        }
      };
    };
    child.stdout!.on('data', onData(false));
    child.stderr!.on('data', onData(true));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`start exited (${signal ?? code}) before it was running`));
    });
  });
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Ctrl-C: SIGINT to start's process group (npx, tsx, node), then waits until every
 * process of it is gone (npx may exit before node has shut the stack down); SIGKILL to
 * the group if it hangs. Start's exit as "code" or "signal".
 */
async function stop(child: ChildProcess): Promise<string> {
  const pid = child.pid!;
  const exited = new Promise<string>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve(String(child.exitCode ?? child.signalCode));
    else child.once('exit', (code, signal) => resolve(String(code ?? signal)));
  });
  if (groupAlive(pid)) process.kill(-pid, 'SIGINT');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (groupAlive(pid)) {
    console.error(`start did not stop within ${STOP_TIMEOUT_MS} ms of SIGINT: SIGKILL`);
    process.kill(-pid, 'SIGKILL');
  }
  return exited;
}

async function axeSummary(page: Page): Promise<string> {
  const violations = await axeViolations(page);
  return `${violations.length} rule${violations.length === 1 ? '' : 's'} violated${violations
    .map((v) => `\n    ${v}`)
    .join('')}`;
}

/**
 * The page, or from the element `from` matches: the whole height when the PNG stays
 * under MAX_PNG_BYTES, else the first CLIP_HEIGHT px of it.
 */
async function screenshot(page: Page, file: string, from?: string): Promise<string> {
  const height = await page.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } })
        .document.documentElement.scrollHeight,
  );
  const top = from
    ? Math.max(0, Math.floor((await page.locator(from).first().boundingBox())!.y) - 16)
    : 0;
  const shot = (h: number) =>
    page.screenshot({
      fullPage: true,
      type: 'png',
      clip: { x: 0, y: top, width: WIDTH, height: h },
    });
  let png = await shot(height - top);
  let how = `${WIDTH}x${height - top} from y=${top}`;
  if (png.length > MAX_PNG_BYTES) {
    const h = Math.min(height - top, CLIP_HEIGHT);
    png = await shot(h);
    how = `${WIDTH}x${h} from y=${top} of ${height}`;
  }
  if (png.length > MAX_PNG_BYTES)
    throw new Error(`${file}: ${png.length} bytes even cut to ${CLIP_HEIGHT} px`);
  await writeFile(file, png);
  return `${how}, ${Math.round(png.length / 1024)} KB`;
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-screens-'));
const env: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? os.homedir(),
  BOARDROOM_DATA_DIR: dataDir,
  BOARDROOM_CACHE_DIR: path.resolve('.cache'),
  TEMPORAL_DEV_PORT: String(await freePort()),
  TEMPORAL_UI_PORT: String(await freePort()),
  BOARDROOM_EMBEDDED_PG_PORT: String(await freePort()),
  BOARDROOM_WEB_PORT: String(await freePort()),
  LOG_LEVEL: 'warn',
};
if (process.env.TEMPORAL_CLI_PATH) env.TEMPORAL_CLI_PATH = process.env.TEMPORAL_CLI_PATH;

const t0 = Date.now();
// A process group of its own, so that SIGINT reaches npx, tsx and node as Ctrl-C would.
const child = spawn('npx', ['tsx', 'src/client/main.ts', 'start'], {
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
  detached: true,
});
let failed = false;
try {
  const base = await waitForRunning(child);
  console.log(`start running in ${((Date.now() - t0) / 1000).toFixed(1)} s; web app at ${base}`);

  const browser = await launchChromium();
  try {
    const context = await browser.newContext({
      viewport: { width: WIDTH, height: 900 },
      deviceScaleFactor: 1,
    });
    await context.addInitScript({ content: AXE_SOURCE });
    const page = await context.newPage();

    // The briefing's date and a risk of it, from its JSON.
    await page.goto(`${base}/companies/${COMPANY}`);
    const jsonHref = await page.locator('a[href$=".json"]').first().getAttribute('href');
    const briefing = (await (await page.request.get(base + jsonHref)).json()) as {
      briefingDate: string;
      risks: { id: string }[];
    };
    const date = briefing.briefingDate;
    // The briefing's picture starts at its details (the risks): its head is Today's.
    const shots: { file: string; path: string; dark?: boolean; from?: string }[] = [
      { file: 'web-today.png', path: '/' },
      {
        file: 'web-briefing.png',
        path: `/companies/${COMPANY}/briefings/${date}?full=1`,
        from: 'main h2:text-is("Risks")',
      },
      { file: 'web-trends.png', path: `/companies/${COMPANY}/trends/finance` },
      { file: 'web-trends-sales.png', path: `/companies/${COMPANY}/trends/sales` },
      { file: 'web-history.png', path: `/companies/${COMPANY}/history` },
      { file: 'web-runs.png', path: `/companies/${COMPANY}/runs` },
      ...(briefing.risks[0]
        ? [
            {
              file: 'web-risk.png',
              path: `/companies/${COMPANY}/briefings/${date}/risks/${briefing.risks[0].id}`,
            },
          ]
        : []),
      { file: 'web-today-dark.png', path: '/', dark: true },
    ];
    for (const shot of shots) {
      await page.emulateMedia({ colorScheme: shot.dark ? 'dark' : 'light' });
      const response = await page.goto(base + shot.path, { waitUntil: 'load' });
      const status = response?.status();
      const timing = (await response?.headerValue('server-timing')) ?? '(no server-timing)';
      const axeLight = shot.dark ? undefined : await axeSummary(page);
      await page.emulateMedia({ colorScheme: 'dark' });
      const axeDark = await axeSummary(page);
      await page.emulateMedia({ colorScheme: shot.dark ? 'dark' : 'light' });
      const file = path.join(outDir, shot.file);
      const how = await screenshot(page, file, shot.from);
      console.log(
        `${shot.file}: ${shot.path} -> ${status}, ${timing}; ${how}\n` +
          (axeLight ? `  axe (light): ${axeLight}\n` : '') +
          `  axe (dark):  ${axeDark}`,
      );
      if (status !== 200) failed = true;
    }
  } finally {
    await browser.close();
  }
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  const code = await stop(child);
  console.log(
    `start stopped (${code}) in ${((Date.now() - t0) / 1000).toFixed(1)} s since it began`,
  );
  await rm(dataDir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
