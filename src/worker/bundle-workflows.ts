/**
 * Bundles the workflows (webpack, through the SDK's bundleWorkflowCode) in a child
 * process, so the worker loads finished code: webpack's modules and heap stay in the
 * child, which exits, instead of weighing on the worker's RSS for as long as it serves
 * (measured: ~100 MB of a worker's RSS at rest, docs/benchmarks.md).
 *
 * Run as a script (`node --import tsx bundle-workflows.ts <out-file>`) it writes the
 * bundle to <out-file>; imported, `bundleWorkflowsApart` runs that script.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(import.meta.url);

export interface BundleApartOptions {
  /** The workflows' entry file. */
  workflowsPath: string;
  /** How long the bundling may take before it fails. @default 120_000 */
  timeoutMs?: number;
}

/** The bundle's code, built in a child process. */
export async function bundleWorkflowsApart(opts: BundleApartOptions): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-bundle-'));
  const out = path.join(dir, 'workflow-bundle.js');
  try {
    await new Promise<void>((resolve, reject) => {
      // From source, tsx by its own path (the worker may run from any folder); a build
      // (dist/) is JavaScript already.
      const loader = SCRIPT.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
      const child = spawn(process.execPath, [...loader, SCRIPT, out, opts.workflowsPath], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => {
        if (stderr.length < 20_000) stderr += String(c);
      });
      const timeoutMs = opts.timeoutMs ?? 120_000;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`bundling the workflows took over ${timeoutMs / 1000} s`));
      }, timeoutMs);
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else
          reject(new Error(`bundling the workflows failed (exit ${code}): ${firstLines(stderr)}`));
      });
    });
    return await readFile(out, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** What the child said that a person reads: webpack's first error, else its first lines. */
function firstLines(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim());
  const error = lines.findIndex((l) => l.startsWith('ERROR in '));
  const said =
    error >= 0
      ? lines.slice(error, error + 2)
      : lines.filter((l) => l && !l.startsWith('at ') && !l.startsWith('Node.js v'));
  return said.slice(0, 3).join(': ').slice(0, 600) || 'no output';
}

// As a script: bundle and write, nothing else.
if (process.argv[1] && path.resolve(process.argv[1]) === SCRIPT) {
  const [out, workflowsPath] = process.argv.slice(2) as [string, string];
  const { bundleWorkflowCode } = await import('@temporalio/worker');
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    logger: {
      log: () => {},
      trace: () => {},
      debug: () => {},
      info: () => {},
      warn: (m: string) => process.stderr.write(`${m}\n`),
      error: (m: string) => process.stderr.write(`${m}\n`),
    },
  });
  await writeFile(out, code);
}
