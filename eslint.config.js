// @ts-check
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';

/**
 * The layers of ../shared/design.md ("Layers, and what each may import"), as path-based
 * zones: every file under `folder` belongs to the layer, whatever its depth, and may
 * import files of its own layer and of the layers in `mayImport`; anything else in src/
 * is an error (`boundaries/dependencies`). Imports are resolved to files first (the
 * TypeScript resolver maps `.js` specifiers onto `.ts` sources), so `../../store/x.js`
 * from a sub-folder is caught as surely as `../store/x.js`.
 * Packages (zod, pg, Temporal, Node built-ins) are kept out by `no-restricted-imports`
 * further down, with a message that says why.
 */
const LAYERS = [
  { type: 'contract', folder: 'src/contract', mayImport: [] },
  { type: 'shared', folder: 'src/shared', mayImport: ['contract'] },
  // One-file layers: the plugin classifies single files by category, not as elements.
  { type: 'config', file: 'src/config.ts', mayImport: ['contract', 'shared'] },
  { type: 'logger', file: 'src/logger.ts', mayImport: ['contract', 'shared'] },
  // Agents, CEO, sources and delivery never import one another: what two of them share
  // belongs in the contract or in shared.
  { type: 'agents', folder: 'src/agents', mayImport: ['contract', 'shared'] },
  { type: 'ceo', folder: 'src/ceo', mayImport: ['contract', 'shared'] },
  { type: 'sources', folder: 'src/sources', mayImport: ['contract', 'shared', 'config', 'logger'] },
  {
    type: 'delivery',
    folder: 'src/delivery',
    mayImport: ['contract', 'shared', 'config', 'logger'],
  },
  // The store opens its connection from the config and logs through the logger.
  { type: 'store', folder: 'src/store', mayImport: ['contract', 'shared', 'config', 'logger'] },
  {
    type: 'activities',
    folder: 'src/activities',
    mayImport: [
      'contract',
      'shared',
      'config',
      'logger',
      'agents',
      'ceo',
      'sources',
      'delivery',
      'store',
    ],
  },
  // Workflows get their own policies below: contract and activities as types only.
  { type: 'workflows', folder: 'src/workflows', mayImport: ['shared'] },
  {
    type: 'worker',
    folder: 'src/worker',
    mayImport: [
      'contract',
      'shared',
      'config',
      'logger',
      'agents',
      'ceo',
      'sources',
      'delivery',
      'store',
      'activities',
      'workflows',
    ],
  },
  // Local development stacks (a Temporal dev server, embedded Postgres) for the CLI.
  {
    type: 'dev',
    folder: 'src/dev',
    mayImport: ['contract', 'shared', 'config', 'logger', 'store'],
  },
  // The web app may also use the CEO's renderers (src/ceo/render-*.ts), policy below.
  {
    type: 'web',
    folder: 'src/web',
    mayImport: ['contract', 'shared', 'config', 'logger', 'store'],
  },
  { type: 'client', folder: 'src/client', mayImport: 'everything' },
];

const ONE_FILE_LAYERS = new Set(LAYERS.filter((layer) => layer.file).map(({ type }) => type));

/** The selector of a layer's files: an element type, or a file category for one-file layers. */
const layer = (/** @type {string} */ type) =>
  ONE_FILE_LAYERS.has(type) ? { file: { categories: type } } : { element: { type } };

/** @param {string[] | 'everything'} types */
const layers = (types) =>
  (types === 'everything' ? LAYERS.map(({ type }) => type) : types).map(layer);

/** @type {import('eslint-plugin-boundaries').DependenciesPolicy[]} */
const layerPolicies = [
  ...LAYERS.filter(({ mayImport }) => mayImport.length > 0).map(({ type, mayImport }) => ({
    from: layer(type),
    allow: { to: layers(mayImport) },
  })),
  {
    // Workflows are bundled and replayed: a value import of the contract would pull zod
    // (and an activity's Node code) into the bundle, so the contract and the activities
    // come in as types; the contract's plain `as const` lists are the one exception.
    from: layer('workflows'),
    allow: { to: layers(['contract', 'activities']), dependency: { kind: 'type' } },
  },
  {
    from: layer('workflows'),
    disallow: { to: layers(['contract', 'activities']), dependency: { kind: 'value' } },
    message:
      'Workflows import the contract and activities as types only (`import type`); values come from src/contract/enums.ts.',
  },
  {
    from: layer('workflows'),
    allow: { to: { element: { type: 'contract', fileInternalPath: 'enums.ts' } } },
  },
  {
    // The renderers and the presentation helpers they are built from: one copy of how a
    // briefing, a head, a value and a metric's name are written; and the portfolio's
    // composition (pure), which Today renders like `boardroom portfolio` does.
    from: layer('web'),
    allow: {
      to: {
        element: {
          type: 'ceo',
          fileInternalPath: [
            'render-*.ts',
            'head.ts',
            'key-metrics.ts',
            'metric-catalog.ts',
            'portfolio.ts',
          ],
        },
      },
    },
  },
];

const NODE_BUILT_INS = ['node:*', 'fs', 'path', 'http', 'https', 'net', 'child_process', 'os'];

// Pure code must not reach the network, the clock, Postgres or Temporal: every number
// it produces has to be reproducible from its arguments.
const purePackagePatterns = [
  { group: ['@temporalio/*'], message: 'Pure code must not depend on Temporal.' },
  { group: ['pg', 'pg-*', '@electric-sql/*'], message: 'Pure code must not touch Postgres.' },
  { group: NODE_BUILT_INS, message: 'Pure code does no I/O.' },
];

const pureCodeRules = {
  'no-restricted-globals': [
    'error',
    { name: 'fetch', message: 'Pure code does no I/O.' },
    { name: 'process', message: 'Config comes in as arguments.' },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
      message: 'The clock comes in as an argument.',
    },
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: 'The clock comes in as an argument.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      '.data/',
      '.cache/',
      '.ci-results/',
      'coverage/',
      'dist/',
      '.build-*/',
      'scratch/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The layer zones; tests/ and scripts/ are not zoned.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': LAYERS.filter((layer) => layer.folder).map(({ type, folder }) => ({
        type,
        pattern: folder,
        partialMatch: false,
      })),
      'boundaries/files': LAYERS.filter((layer) => layer.file).map(({ type, file }) => ({
        category: type,
        pattern: file,
      })),
      'import/resolver': { typescript: { project: './tsconfig.json' } },
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          // A file in src/ that belongs to no layer is an error too, so a new folder gets
          // a zone before it gets imports.
          checkUnknownLocals: true,
          policies: layerPolicies,
        },
      ],
      'boundaries/no-unknown-files': 'error',
    },
  },
  {
    files: ['src/agents/**/*.ts', 'src/ceo/**/*.ts', 'src/contract/**/*.ts', 'src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: purePackagePatterns }],
      ...pureCodeRules,
    },
  },
  {
    // The workflow's I/O types and progress query are Temporal definitions by nature.
    files: ['src/shared/workflow-api.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: purePackagePatterns.slice(1) }],
    },
  },
  {
    files: ['src/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...purePackagePatterns,
            {
              regex: '^(?!zod$|\\.)',
              message: 'The contract depends on zod and nothing else.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/contract/enums.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '.',
              message:
                'enums.ts is plain `as const` lists that workflows import: it imports nothing.',
            },
          ],
        },
      ],
    },
  },
  {
    // Workflows are replayed: deterministic, no I/O, no Node built-ins, no zod.
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...NODE_BUILT_INS, 'crypto'],
              message: 'Workflows must be deterministic: no Node built-ins.',
            },
            {
              group: [
                'pg',
                '@electric-sql/*',
                '@temporalio/client',
                '@temporalio/worker',
                '@temporalio/activity',
              ],
              message: 'Workflows do no I/O.',
            },
            {
              group: ['zod', 'zod/*'],
              message:
                'Workflows are bundled without zod: import contract types with `import type`, values from src/contract/enums.ts.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // The web app is a reader: Postgres through the repository, Temporal through the
    // TemporalView that src/client/web.ts builds from the CLI's client.
    files: ['src/web/**/*.ts', 'src/web/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@temporalio/*', 'pg', '@electric-sql/*'],
              message:
                'The web app reads through the repository (src/store) and reaches Temporal through TemporalView (src/client/web.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
