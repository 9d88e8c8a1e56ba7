/**
 * The system's Chromium for the browser tests and the screenshots: playwright-core
 * drives it and never downloads a browser of its own. When none is installed,
 * scripts/ensure-chromium.sh installs it (root with apt-get) or says what to install.
 * And axe-core, to run in its pages.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { AxeResults } from 'axe-core';
import { chromium, type Browser, type LaunchOptions, type Page } from 'playwright-core';

export const ENSURE_CHROMIUM_SCRIPT = fileURLToPath(
  new URL('../../scripts/ensure-chromium.sh', import.meta.url),
);
/** An apt-get install of Chromium on a cold cache can take minutes. @default 10 minutes */
export const INSTALL_TIMEOUT_MS = 10 * 60_000;

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** /usr/bin/chromium, else `chromium` on PATH; undefined when neither is there. */
export function findChromium(envPath = process.env.PATH ?? ''): string | undefined {
  if (executable('/usr/bin/chromium')) return '/usr/bin/chromium';
  return envPath
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, 'chromium'))
    .find(executable);
}

/** Chromium's path, installing it first when it is missing; throws saying what to do when it cannot. */
export async function chromiumPath(): Promise<string> {
  const found = findChromium();
  if (found) return found;
  try {
    await promisify(execFile)('sh', [ENSURE_CHROMIUM_SCRIPT], {
      timeout: INSTALL_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(
      `No Chromium for the browser tests, and ${ENSURE_CHROMIUM_SCRIPT} could not install one: ` +
        `${(e.stderr ?? '').trim() || e.message}`,
    );
  }
  const installed = findChromium();
  if (!installed)
    throw new Error(
      `${ENSURE_CHROMIUM_SCRIPT} finished, yet there is no /usr/bin/chromium nor chromium on PATH: ` +
        'install Chromium (apt-get install chromium).',
    );
  return installed;
}

/** A headless Chromium; --no-sandbox because the tests and CI run as root in containers. */
export async function launchChromium(opts: LaunchOptions = {}): Promise<Browser> {
  const { args = [], ...rest } = opts;
  return chromium.launch({
    ...rest,
    executablePath: await chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--force-color-profile=srgb', ...args],
  });
}

/**
 * axe-core's source, for `context.addInitScript({ content: AXE_SOURCE })`: an init script
 * runs through the DevTools protocol, so the app's CSP (no script at all) does not stop it.
 */
export const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

interface ContrastData {
  fgColor?: string;
  bgColor?: string;
  contrastRatio?: number;
  expectedContrastRatio?: string;
}

/**
 * axe-core's violations on the page (axe injected with AXE_SOURCE), one line each: the
 * rule and its nodes' targets; for contrast, grouped by colour pair (what a fix changes)
 * with the ratio found.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const result = await page.evaluate(() =>
    (globalThis as unknown as { axe: { run(o: object): Promise<AxeResults> } }).axe.run({
      // Only the violations' details: passes and incompletes are most of axe's time.
      resultTypes: ['violations'],
    }),
  );
  return result.violations.map((v) => {
    const groups = new Map<string, string[]>();
    for (const n of v.nodes) {
      const d = (n.any[0]?.data ?? {}) as ContrastData;
      const key =
        v.id === 'color-contrast' && d.fgColor
          ? `${d.fgColor} on ${d.bgColor}: ${d.contrastRatio} < ${d.expectedContrastRatio}`
          : '';
      groups.set(key, [...(groups.get(key) ?? []), n.target.join(' ')]);
    }
    const parts = [...groups].map(
      ([key, targets]) =>
        `${key ? `[${key}] ` : ''}${targets.slice(0, 3).join(' | ')}${targets.length > 3 ? ` and ${targets.length - 3} more` : ''}`,
    );
    return `${v.id} (${v.impact}, ${v.nodes.length} nodes): ${parts.join('; ')}`;
  });
}
