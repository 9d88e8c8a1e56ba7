// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Pure layers (agents, CEO) must not reach the network, the clock, Postgres or Temporal:
// every number they produce has to be reproducible from their arguments.
const pureLayerImports = {
  patterns: [
    { group: ['@temporalio/*'], message: 'Pure code must not depend on Temporal.' },
    { group: ['pg', 'pg-*', '@electric-sql/*'], message: 'Pure code must not touch Postgres.' },
    {
      group: ['node:*', 'fs', 'path', 'http', 'https', 'net', 'child_process', 'os'],
      message: 'Pure code does no I/O.',
    },
    {
      group: ['../sources/*', '../store/*', '../activities/*', '../worker/*', '../client/*'],
      message: 'Pure code imports only the contract and other pure code.',
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
    files: ['src/agents/**/*.ts', 'src/ceo/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', pureLayerImports],
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
    },
  },
  {
    // Workflows are replayed: no I/O, no Node built-ins, and activities only as types.
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'path',
                'http',
                'https',
                'net',
                'child_process',
                'os',
                'crypto',
              ],
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
              group: [
                '../activities/*',
                '../store/*',
                '../sources/*',
                '../worker/*',
                '../client/*',
                '../config*',
              ],
              message: 'Import activities as types only (import type).',
              allowTypeImports: true,
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
