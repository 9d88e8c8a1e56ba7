/**
 * `npm run build`: src/ as plain JavaScript in dist/, the same tree (dist/client/main.js
 * is src/client/main.ts), with the migrations' SQL beside their runner, so a production
 * worker runs `node dist/client/main.js worker` without tsx. tsx registers its loader
 * on a thread of its own and keeps every compiled module's source map: ~40 MB of a
 * worker's RSS at rest, for nothing a deployed image needs (docs/benchmarks.md).
 *
 * Each file is transpiled on its own (esbuild, no bundling): the modules resolve their
 * files (package.json, docs/, examples/, the workflows' entry) relative to themselves,
 * and dist/ sits at the same depth as src/, so every such path holds. Types are the
 * typecheck's job (`npm run typecheck`), not the build's.
 *
 *   npm run build [-- --out DIR]   (default: dist)
 */
import { build, type BuildOptions as BuildOptionsOfEsbuild } from 'esbuild';
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const SRC = path.join(ROOT, 'src');

/** How every module is built: on its own, for node 20, with the project's tsconfig. */
export const TRANSPILE = {
  bundle: false,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  tsconfig: path.join(ROOT, 'tsconfig.json'),
  logLevel: 'warning',
} satisfies BuildOptionsOfEsbuild;

export interface BuildOptions {
  /** Where the JavaScript goes, replaced whole. @default <repo>/dist */
  outDir?: string;
}

/** Builds src/ into `outDir`; returns how many modules it wrote. */
export async function buildDist(
  opts: BuildOptions = {},
): Promise<{ modules: number; outDir: string }> {
  const outDir = path.resolve(opts.outDir ?? path.join(ROOT, 'dist'));
  if (path.dirname(outDir) !== ROOT)
    // The modules reach package.json, docs/ and examples/ by `../..` from their own folder.
    throw new Error(`--out must be a folder directly inside ${ROOT} (got ${outDir})`);
  const files = (await readdir(SRC, { recursive: true }))
    .filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => path.join(SRC, f));
  await rm(outDir, { recursive: true, force: true });
  await build({
    ...TRANSPILE,
    entryPoints: files,
    outdir: outDir,
    outbase: SRC,
    sourcemap: 'linked',
  });
  const migrations = path.join('store', 'migrations');
  await mkdir(path.join(outDir, migrations), { recursive: true });
  await cp(path.join(SRC, migrations), path.join(outDir, migrations), { recursive: true });
  return { modules: files.length, outDir };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  if (
    (at >= 0 && !args[at + 1]) ||
    args.some((a, i) => a.startsWith('-') && a !== '--out' && i !== at + 1)
  ) {
    console.error('usage: npm run build [-- --out DIR]');
    process.exit(1);
  }
  try {
    const started = Date.now();
    const { modules, outDir } = await buildDist(at >= 0 ? { outDir: args[at + 1]! } : {});
    console.error(
      `built ${modules} modules into ${path.relative(process.cwd(), outDir) || '.'} in ${Date.now() - started} ms`,
    );
  } catch (err) {
    console.error(`build failed: ${(err as Error).message.split('\n')[0]}`);
    process.exit(1);
  }
}
