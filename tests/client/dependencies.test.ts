/**
 * What production installs (`npm ci --omit=dev`, the Dockerfile) is what src/ and bin/
 * import at run time: every package a runtime import names is in `dependencies`, and
 * the dev tools are not, except tsx, which runs the CLI (bin/boardroom.js: no build step).
 */
import { readdir, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

interface PackageJson {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(ts|js)$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/** The package a specifier names: `@scope/name` or `name`; undefined for a relative path or a built-in. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtinModules.includes(name) ? undefined : name;
}

describe('package.json', () => {
  it('every runtime import of src/ and bin/ is a dependency; test tools are dev dependencies', async () => {
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as PackageJson;
    const missing: string[] = [];
    const dynamicOnly = new Set<string>();
    for (const file of [...(await sourceFiles('src')), ...(await sourceFiles('bin'))]) {
      const text = await readFile(file, 'utf8');
      // Static imports that survive compilation (not `import type`), and re-exports.
      for (const m of text.matchAll(/^(?:import|export)\s+(?!type\s)[^'"]*?from\s+'([^']+)'/gm)) {
        const name = packageOf(m[1]!);
        if (name && !pkg.dependencies[name]) missing.push(`${file}: ${name}`);
      }
      for (const m of text.matchAll(/\bimport\('([^']+)'\)/g)) {
        const name = packageOf(m[1]!);
        if (name && !pkg.dependencies[name]) dynamicOnly.add(`${file}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
    // The one dev dependency production may import: the dev server's fallback download,
    // loaded only when no Temporal CLI is found, with an error saying what to install.
    expect([...dynamicOnly]).toEqual(['src/dev/temporal-dev-server.ts: @temporalio/testing']);
    for (const dev of ['@temporalio/testing', 'vitest', 'typescript', 'eslint', 'prettier'])
      expect(pkg.dependencies[dev], dev).toBeUndefined();
    expect(pkg.dependencies.tsx).toBeDefined();
  });
});
