/**
 * Proves that the layer zones in eslint.config.js bite: probe sources placed (virtually)
 * inside each zone import what their layer may not, and ESLint, run with the project's
 * own config, must report each such line with the expected rule, and nothing else.
 * Probes that only import what their layer may import must come out clean.
 *
 * Probes are linted with `lintText` under a file path that does not exist on disk: the
 * zone is chosen from the path alone and the imports are resolved from its folder, so no
 * probe file is ever written into src/. Each probe's results are printed so the test's
 * output shows what the lint says.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ZONE_RULE = 'boundaries/dependencies';
const PACKAGE_RULE = 'no-restricted-imports';

/** What a probe line must produce: nothing, or one error of `ruleId` whose message mentions `mentions`. */
type Expected = null | { ruleId: string; mentions: string };
type ProbeLine = readonly [code: string, expected: Expected];

interface Probe {
  /** Repository-relative path of the probe file (it does not exist). */
  file: string;
  lines: readonly ProbeLine[];
}

/** A zone error that names the layer the import landed in, so it cannot pass on a typo'd path. */
const crossesInto = (layer: string): Expected => ({ ruleId: ZONE_RULE, mentions: `"${layer}"` });
const restricted = (mentions: string): Expected => ({ ruleId: PACKAGE_RULE, mentions });
/** The workflows' own zone message: the contract and activities are imported as types. */
const typesOnly: Expected = { ruleId: ZONE_RULE, mentions: 'types only' };
const ALLOWED: Expected = null;

/**
 * A real file of a layer to import: `preferred` while it exists, else the first `.ts`
 * file of the layer's folder, so the probes survive files being moved between folders.
 */
function fileOfLayer(layerFolder: string, preferred: string): string {
  if (existsSync(join(ROOT, layerFolder, preferred))) return join(layerFolder, preferred);
  const files = readdirSync(join(ROOT, layerFolder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .sort();
  if (files.length === 0) throw new Error(`no .ts file left in ${layerFolder} to probe with`);
  return join(layerFolder, files[0]!);
}

/** A file the probes need at exactly this path (the zones single it out). */
function exactFile(path: string): string {
  if (!existsSync(join(ROOT, path))) throw new Error(`probe target ${path} is missing`);
  return path;
}

/**
 * A probe in `folder` under a fresh `__layering-probe-<random>.ts` name; `lines` gets a
 * function turning a repository path into the `.js` specifier the probe would write.
 */
function probe(folder: string, lines: (to: (target: string) => string) => ProbeLine[]): Probe {
  const file = join(folder, `__layering-probe-${randomUUID().slice(0, 8)}.ts`);
  return { file, lines: lines((target) => specifier(file, target)) };
}

/** The relative `.js` specifier with which `file` imports the source file `target`. */
function specifier(file: string, target: string): string {
  const path = relative(dirname(file), target).replace(/\.ts$/, '.js');
  return path.startsWith('.') ? path : `./${path}`;
}

const store = fileOfLayer('src/store', 'repository.ts');
const connectors = fileOfLayer('src/sources', 'connectors/index.ts');
const sources = fileOfLayer('src/sources', 'sources.ts');
const config = exactFile('src/config.ts');
const logger = exactFile('src/logger.ts');
const agentRegistry = fileOfLayer('src/agents', 'registry.ts');
const salesAgent = fileOfLayer('src/agents', 'sales.ts');
const ceoBriefing = fileOfLayer('src/ceo', 'briefing.ts');
const ceoRenderer = exactFile('src/ceo/render-html.ts');
const riskEngine = fileOfLayer('src/ceo', 'risk-engine.ts');
const report = fileOfLayer('src/contract', 'report.ts');
const enums = exactFile('src/contract/enums.ts');
const briefing = fileOfLayer('src/contract', 'briefing.ts');
const dates = fileOfLayer('src/shared', 'dates.ts');
const money = fileOfLayer('src/shared', 'money.ts');
const errors = fileOfLayer('src/shared', 'errors.ts');
const activities = fileOfLayer('src/activities', 'activities.ts');
const worker = fileOfLayer('src/worker', 'worker.ts');

const VIOLATIONS: Probe[] = [
  probe('src/ceo/risks', (to) => [
    [`import * as repository from '${to(store)}';`, crossesInto('store')],
    [`import * as connectors from '${to(connectors)}';`, crossesInto('sources')],
    [`import * as sales from '${to(salesAgent)}';`, crossesInto('agents')],
    [`export const today = Date.now();`, { ruleId: 'no-restricted-syntax', mentions: 'clock' }],
    [`export { repository, connectors, sales };`, ALLOWED],
  ]),
  probe('src/agents', (to) => [
    [`import * as config from '${to(config)}';`, crossesInto('config')],
    [`import * as logger from '${to(logger)}';`, crossesInto('logger')],
    [`import * as briefing from '${to(ceoBriefing)}';`, crossesInto('ceo')],
    [`import * as fs from 'node:fs';`, restricted('Pure code does no I/O.')],
    [`export { config, logger, briefing, fs };`, ALLOWED],
  ]),
  probe('src/workflows', (to) => [
    [`import * as registry from '${to(agentRegistry)}';`, crossesInto('agents')],
    [`import { z } from 'zod';`, restricted('Workflows are bundled without zod')],
    [`import * as report from '${to(report)}';`, typesOnly],
    // An inline `type` keeps the import itself (verbatimModuleSyntax), and zod with it.
    [`import { type AgentReport } from '${to(report)}';`, typesOnly],
    [`import * as activities from '${to(activities)}';`, typesOnly],
    [`import * as store from '${to(store)}';`, crossesInto('store')],
    [`export { registry, z, report, activities, store };`, ALLOWED],
    [`export type { AgentReport };`, ALLOWED],
  ]),
  probe('src/sources/connectors/x', (to) => [
    [`import * as sales from '${to(salesAgent)}';`, crossesInto('agents')],
    [`import * as briefing from '${to(ceoBriefing)}';`, crossesInto('ceo')],
    [`import * as repository from '${to(store)}';`, crossesInto('store')],
    [`export { sales, briefing, repository };`, ALLOWED],
  ]),
  probe('src/contract', (to) => [
    [`import * as dates from '${to(dates)}';`, crossesInto('shared')],
    [`import * as yaml from 'yaml';`, restricted('zod and nothing else')],
    [`export { dates, yaml };`, ALLOWED],
  ]),
  {
    // enums.ts itself, linted with other contents: it may import nothing at all.
    file: enums,
    lines: [
      [`import * as report from './report.js';`, restricted('it imports nothing')],
      [`import { z } from 'zod';`, restricted('it imports nothing')],
      [`export { report, z };`, ALLOWED],
    ],
  },
  probe('src/shared', (to) => [
    [`import * as sales from '${to(salesAgent)}';`, crossesInto('agents')],
    [`import * as config from '${to(config)}';`, crossesInto('config')],
    [`export { sales, config };`, ALLOWED],
  ]),
  probe('src/store', (to) => [
    [`import * as registry from '${to(agentRegistry)}';`, crossesInto('agents')],
    [`import * as sources from '${to(sources)}';`, crossesInto('sources')],
    [`export { registry, sources };`, ALLOWED],
  ]),
  probe('src/delivery/email', (to) => [
    [`import * as sources from '${to(sources)}';`, crossesInto('sources')],
    [`import * as briefing from '${to(ceoBriefing)}';`, crossesInto('ceo')],
    [`export { sources, briefing };`, ALLOWED],
  ]),
  probe('src/web', (to) => [
    [`import * as briefing from '${to(ceoBriefing)}';`, crossesInto('ceo')],
    [`import * as worker from '${to(worker)}';`, crossesInto('worker')],
    [`import { Client } from '@temporalio/client';`, restricted('TemporalView')],
    [`import pg from 'pg';`, restricted('through the repository')],
    [`export { briefing, worker, Client, pg };`, ALLOWED],
  ]),
  {
    // src/config.ts itself: a one-file layer is zoned like a folder.
    file: config,
    lines: [
      [`import * as registry from '${specifier(config, agentRegistry)}';`, crossesInto('agents')],
      [`export { registry };`, ALLOWED],
    ],
  },
  // A folder of src/ that belongs to no layer.
  probe('src/new-layer', () => [
    [
      `export const probe = 1;`,
      { ruleId: 'boundaries/no-unknown-files', mentions: 'known element' },
    ],
  ]),
];

const ALLOWED_PROBES: Probe[] = [
  probe('src/agents', (to) => [
    [`import * as report from '${to(report)}';`, ALLOWED],
    [`import * as dates from '${to(dates)}';`, ALLOWED],
    [`import * as registry from '${to(agentRegistry)}';`, ALLOWED],
    [`export { report, dates, registry };`, ALLOWED],
  ]),
  probe('src/ceo/risks', (to) => [
    [`import * as briefing from '${to(briefing)}';`, ALLOWED],
    [`import * as money from '${to(money)}';`, ALLOWED],
    [`import * as riskEngine from '${to(riskEngine)}';`, ALLOWED],
    [`export { briefing, money, riskEngine };`, ALLOWED],
  ]),
  probe('src/workflows', (to) => [
    [`import type { Activities } from '${to(activities)}';`, ALLOWED],
    [`import { AGENT_NAMES, type AgentName } from '${to(enums)}';`, ALLOWED],
    [`import type { AgentReport } from '${to(report)}';`, ALLOWED],
    [`import * as errors from '${to(errors)}';`, ALLOWED],
    [`export type { Activities, AgentName, AgentReport };`, ALLOWED],
    [`export { AGENT_NAMES, errors };`, ALLOWED],
  ]),
  probe('src/sources/connectors/x', (to) => [
    [`import * as config from '${to(config)}';`, ALLOWED],
    [`import * as logger from '${to(logger)}';`, ALLOWED],
    [`import * as errors from '${to(errors)}';`, ALLOWED],
    [`import * as report from '${to(report)}';`, ALLOWED],
    [`export { config, logger, errors, report };`, ALLOWED],
  ]),
  probe('src/activities', (to) => [
    [`import * as sales from '${to(salesAgent)}';`, ALLOWED],
    [`import * as briefing from '${to(ceoBriefing)}';`, ALLOWED],
    [`import * as repository from '${to(store)}';`, ALLOWED],
    [`import * as sources from '${to(sources)}';`, ALLOWED],
    [`export { sales, briefing, repository, sources };`, ALLOWED],
  ]),
  probe('src/web', (to) => [
    [`import * as renderer from '${to(ceoRenderer)}';`, ALLOWED],
    [`import * as repository from '${to(store)}';`, ALLOWED],
    [`export { renderer, repository };`, ALLOWED],
  ]),
  probe('src/client', (to) => [
    [`import * as worker from '${to(worker)}';`, ALLOWED],
    [`import * as registry from '${to(agentRegistry)}';`, ALLOWED],
    [`import * as config from '${to(config)}';`, ALLOWED],
    [`export { worker, registry, config };`, ALLOWED],
  ]),
  // Tests and scripts are not zoned.
  probe('tests/unit', (to) => [
    [`import * as repository from '${to(store)}';`, ALLOWED],
    [`import * as sales from '${to(salesAgent)}';`, ALLOWED],
    [`export { repository, sales };`, ALLOWED],
  ]),
  probe('scripts', (to) => [
    [`import * as briefing from '${to(ceoBriefing)}';`, ALLOWED],
    [`export { briefing };`, ALLOWED],
  ]),
];

interface Finding {
  line: number;
  ruleId: string | null;
  message: string;
}

/** A test title that stays the same from run to run. */
const title = ({ file }: Probe): string => file.replace(/__layering-probe-\w+/, '<probe>');

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

async function lintProbe({ file, lines }: Probe): Promise<Finding[]> {
  const code = lines.map(([line]) => line).join('\n') + '\n';
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  const findings = result!.messages.map(({ line, ruleId, message }) => ({ line, ruleId, message }));
  printProbe(file, lines, findings);
  return findings;
}

function printProbe(file: string, lines: readonly ProbeLine[], findings: Finding[]): void {
  const report = lines.map(([code], index) => {
    const onLine = findings.filter((finding) => finding.line === index + 1);
    const verdict = onLine.length === 0 ? 'clean' : 'ERROR';
    const why = onLine.map(({ ruleId, message }) => `\n        ${ruleId}: ${message}`).join('');
    return `  ${verdict} ${code}${why}`;
  });
  console.log(`${file}\n${report.join('\n')}`);
}

function expectedFindings(lines: readonly ProbeLine[]) {
  return lines.flatMap(([, expected], index) =>
    expected === null
      ? []
      : [
          {
            line: index + 1,
            ruleId: expected.ruleId,
            message: expect.stringContaining(expected.mentions) as unknown as string,
          },
        ],
  );
}

describe('layer zones (eslint.config.js)', { timeout: 60_000 }, () => {
  it('lints probes that exist only as paths', () => {
    for (const { file } of [...VIOLATIONS, ...ALLOWED_PROBES]) {
      if (file.includes('__layering-probe-')) expect(existsSync(join(ROOT, file))).toBe(false);
    }
  });

  it.each(VIOLATIONS.map((p) => [title(p), p] as const))(
    'reports every crossing in %s',
    async (_file, violation) => {
      expect(await lintProbe(violation)).toEqual(expectedFindings(violation.lines));
    },
  );

  it.each(ALLOWED_PROBES.map((p) => [title(p), p] as const))(
    'allows what the layer may import in %s',
    async (_file, allowed) => {
      expect(await lintProbe(allowed)).toEqual([]);
    },
  );
});
