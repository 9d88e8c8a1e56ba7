/**
 * Writes docs/sample-briefing.md, .html and .png from the living demo's first start,
 * exactly what a newcomer's `npm start` gets: a fresh data folder, the demo generated for
 * today, its 13 weeks of history computed by real runs, then the first briefing.
 *
 *   npx tsx scripts/sample-briefing.ts [--out docs/sample-briefing]
 *
 * It runs `boardroom start --once --json` in a temporary BOARDROOM_DATA_DIR on free
 * ports, so a stack you have running is left alone. The PNG needs a Chromium
 * (`apt-get install chromium`).
 */
import { execFile, spawn } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { Briefing } from '../src/contract/briefing.js';
import { renderHtml } from '../src/ceo/render-html.js';

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'docs/sample-briefing' } },
});

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

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-sample-'));
const env: Record<string, string> = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? os.homedir(),
  BOARDROOM_DATA_DIR: dataDir,
  BOARDROOM_CACHE_DIR: path.resolve('.cache'),
  TEMPORAL_DEV_PORT: String(await freePort()),
  TEMPORAL_UI_PORT: String(await freePort()),
  BOARDROOM_EMBEDDED_PG_PORT: String(await freePort()),
  LOG_LEVEL: 'warn',
};
if (process.env.TEMPORAL_CLI_PATH) env.TEMPORAL_CLI_PATH = process.env.TEMPORAL_CLI_PATH;

const t0 = Date.now();
const { stdout, code } = await new Promise<{ stdout: string; code: number | null }>(
  (resolve, reject) => {
    const child = spawn(process.execPath, ['bin/boardroom.js', 'start', '--once', '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      const line = String(d);
      if (!line.startsWith('{')) process.stderr.write(line);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('error', reject);
    child.on('exit', (c) => {
      clearTimeout(timer);
      resolve({ stdout: out, code: c });
    });
  },
);
await rm(dataDir, { recursive: true, force: true });
if (code !== 0) throw new Error(`boardroom start --once exited ${code}`);
const briefing = Briefing.parse(JSON.parse(stdout));
console.log(`first start: ${((Date.now() - t0) / 1000).toFixed(1)} s of wall time`);

const md = `${values.out}.md`;
const html = `${values.out}.html`;
const png = `${values.out}.png`;
await writeFile(md, briefing.markdown);
await writeFile(html, renderHtml(briefing));
const lines = briefing.markdown.trimEnd().split('\n').length;
const words = briefing.markdown.split(/\s+/).filter(Boolean).length;
console.log(`wrote ${md} (${lines} lines, ${words} words) and ${html} (${briefing.briefingDate})`);

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const browser = (
  await Promise.all(
    chromium.map((c) =>
      access(c).then(
        () => c,
        () => undefined,
      ),
    ),
  )
).find(Boolean);
if (!browser) {
  console.log('no Chromium found: install it (apt-get install chromium) for the PNG');
} else {
  await promisify(execFile)(browser, [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--hide-scrollbars',
    '--force-color-profile=srgb',
    '--window-size=1100,2400',
    `--screenshot=${path.resolve(png)}`,
    `file://${path.resolve(html)}`,
  ]);
  console.log(`wrote ${png} with ${browser}`);
}
