/**
 * `npm run build` (scripts/build.ts): src/ as JavaScript in a folder beside it, run by
 * node alone as the image runs it. The build prints what the source prints, and a
 * worker started from it serves a real briefing on the suite's Temporal and Postgres.
 */
import { spawn } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../../scripts/build.js';
import { runCli, runEntry, stackEnv } from '../helpers/cli.js';
import { DEMO_TEMPLATE_DATE, DEMO_TEMPLATE_DIR } from '../../src/sources/demo/template.js';

const OUT = path.resolve(`.build-test-${process.pid}`);
const sorted = (xs: string[]) => [...xs].sort();

/** `node <OUT>/client/main.js ...args`, as the image runs it. */
const runBuilt = (args: string[], env: Record<string, string>) =>
  runEntry(path.join(OUT, 'client', 'main.js'), args, env);

let modules: number;
beforeAll(async () => {
  ({ modules } = await buildDist({ outDir: OUT }));
}, 60_000);
afterAll(() => rm(OUT, { recursive: true, force: true }));

describe('npm run build', () => {
  it('writes one module for every source file, and the migrations beside their runner', async () => {
    const src = (await readdir('src', { recursive: true })).filter((f) => /\.tsx?$/.test(f));
    const built = (await readdir(OUT, { recursive: true })).filter((f) => f.endsWith('.js'));
    expect(modules).toBe(src.length);
    expect(sorted(built)).toEqual(sorted(src.map((f) => f.replace(/\.tsx?$/, '.js'))));
    expect(sorted(await readdir(path.join(OUT, 'store', 'migrations')))).toEqual(
      sorted(await readdir('src/store/migrations')),
    );
  });

  it('refuses a folder the modules could not find package.json from', async () => {
    await expect(buildDist({ outDir: path.resolve('scratch', 'nested-dist') })).rejects.toThrow(
      /^--out must be a folder directly inside /,
    );
  });

  it('prints the same briefing as the source (preview, JSON)', async () => {
    // The template on its own date: the same input every day (the suite's demo is dated
    // today, so a fixed --as-of would read it differently from one day to the next).
    const args = [
      'preview',
      '--workspace',
      DEMO_TEMPLATE_DIR,
      '--as-of',
      DEMO_TEMPLATE_DATE,
      '--json',
    ];
    const [fromSource, fromBuild] = await Promise.all([
      runCli(args, { LOG_LEVEL: 'warn' }),
      runBuilt(args, { LOG_LEVEL: 'warn' }),
    ]);
    expect(fromBuild.stderr).toBe('');
    expect(fromBuild.code).toBe(0);
    expect(fromSource.code).toBe(0);
    const briefing = JSON.parse(fromBuild.stdout) as { priorities: unknown[]; health: number };
    expect(briefing.priorities.length).toBeGreaterThan(0);
    expect(briefing.health).toBe(46);
    // Everything but what depends on when and how fast each process ran.
    const steady = (json: string): unknown =>
      JSON.parse(json, (key, value: unknown) =>
        key === 'durationMs'
          ? 0
          : typeof value === 'string' && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(value)
            ? '<instant>'
            : value,
      );
    expect(steady(fromBuild.stdout)).toEqual(steady(fromSource.stdout));
  }, 120_000);

  it('runs a worker (node alone) that serves a real briefing', async () => {
    const env = stackEnv({
      companyId: `built-${process.pid}`,
      taskQueue: `built-worker-${process.pid}-${Date.now()}`,
    }) as Record<string, string>;
    const worker = spawn(process.execPath, [path.join(OUT, 'client', 'main.js'), 'worker'], {
      env: { PATH: process.env.PATH!, HOME: process.env.HOME!, ...env, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    worker.stdout.on('data', (d) => (log += d));
    worker.stderr.on('data', (d) => (log += d));
    const exited = new Promise<number | null>((r) => worker.once('exit', r));
    try {
      const run = await runCli(['run', '--json', '--no-progress'], env, 120_000);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.code).toBe(0);
      const briefing = JSON.parse(run.stdout) as { companyId: string; priorities: unknown[] };
      expect(briefing.companyId).toBe(env.BOARDROOM_COMPANY_ID);
      expect(briefing.priorities.length).toBeGreaterThan(0);
      // The run was this worker's: nothing else polls the test's own task queue.
      expect(log).toContain(env.TEMPORAL_TASK_QUEUE);
    } finally {
      worker.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
      if (worker.exitCode === null) worker.kill('SIGKILL');
    }
    expect(await exited).toBe(0);
  }, 180_000);
});
