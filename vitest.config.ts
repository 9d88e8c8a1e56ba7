import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Two files at once even on 2 cores (vitest's default there is one): the integration
    // tests mostly wait (on Temporal's timers, retries, child processes), not compute.
    maxWorkers: 2,
    projects: [
      {
        // Pure code: no servers. `npx vitest run --project unit` for a quick loop.
        test: {
          name: 'unit',
          include: [
            'tests/contract/**/*.test.ts',
            'tests/shared/**/*.test.ts',
            'tests/agents/**/*.test.ts',
            'tests/ceo/**/*.test.ts',
            'tests/unit/**/*.test.ts',
            'tests/sources/**/*.test.ts',
            // The delivery channels against their real local servers (SMTP, Slack, webhook):
            // no Temporal, no Postgres, so they run once, not again on the PostgreSQL pass.
            'tests/delivery/**/*.test.ts',
            // The web app's pure parts (charts, metric definitions); its pages need Postgres.
            'tests/web/unit/**/*.test.ts',
          ],
        },
      },
      {
        // Real Temporal dev server and real Postgres, started once by the global setup.
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts'],
          exclude: [
            'tests/contract/**',
            'tests/shared/**',
            'tests/agents/**',
            'tests/ceo/**',
            'tests/unit/**',
            'tests/sources/**',
            'tests/delivery/**',
            'tests/web/unit/**',
          ],
          globalSetup: ['tests/global-setup.ts'],
          setupFiles: ['tests/setup-runtime.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
