import { describe, it, expect } from 'vitest';
import {
  CRON_EXPECTED,
  cronProblem,
  databaseTarget,
  loadConfig,
  redactUrl,
  redactValue,
} from '../../src/config.js';
import { ConfigError } from '../../src/shared/errors.js';

const CWD = '/srv/boardroom';

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env, { cwd: CWD });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig(${JSON.stringify(env)}) did not throw`);
}

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({}, { cwd: CWD, isTTY: false });
    expect(c).toEqual({
      databaseUrl: undefined,
      dataDir: '/srv/boardroom/.data',
      cacheDir: '/srv/boardroom/.cache',
      embeddedPgPort: 54329,
      temporal: {
        address: undefined,
        namespace: 'default',
        taskQueue: 'boardroom',
        cliPath: undefined,
        devPort: 7233,
        uiPort: 8233,
        uiUrl: undefined,
        connect: { connectionOptions: {} },
      },
      // No BOARDROOM_WORKSPACE: the living demo, generated under the data folder.
      company: { id: 'demo', workspace: '/srv/boardroom/.data/demo-workspace', demo: true },
      schedule: { cron: '0 7 * * *', timeZone: undefined, jitterMinutes: 0 },
      agent: { timeoutMs: 120_000, heartbeatMs: 10_000, maxAttempts: 3, retryInitialMs: 1_000 },
      companyMaxActivities: 6,
      connectTimeoutMs: 10_000,
      runWaitMs: 30_000,
      log: { level: 'info', format: 'json', file: undefined },
      web: { host: '127.0.0.1', port: 8300, token: undefined, publicUrl: undefined },
      sourceEnv: {},
    });
  });

  it('reads the web app settings; a short BOARDROOM_WEB_TOKEN is refused without being echoed', () => {
    const c = loadConfig(
      {
        BOARDROOM_WEB_HOST: '0.0.0.0',
        BOARDROOM_WEB_PORT: '9100',
        BOARDROOM_WEB_TOKEN: 'a-long-enough-token-123',
        TEMPORAL_UI_URL: 'https://temporal.example.com/',
      },
      { cwd: CWD, isTTY: false },
    );
    expect(c.web).toEqual({
      host: '0.0.0.0',
      port: 9100,
      token: 'a-long-enough-token-123',
      publicUrl: undefined,
    });
    expect(c.temporal.uiUrl).toBe('https://temporal.example.com');
    expect(() => loadConfig({ BOARDROOM_WEB_TOKEN: 'short-secret' }, { cwd: CWD })).toThrow(
      'BOARDROOM_WEB_TOKEN: at least 16 characters (e.g. `openssl rand -base64 24`) (got "[redacted]")',
    );
    expect(() => loadConfig({ BOARDROOM_WEB_PORT: '70000' }, { cwd: CWD })).toThrow(
      /BOARDROOM_WEB_PORT/,
    );
  });

  it('treats empty strings as unset', () => {
    const c = loadConfig(
      {
        DATABASE_URL: '',
        TEMPORAL_TASK_QUEUE: '',
        TEMPORAL_DEV_PORT: '',
        BOARDROOM_COMPANY_ID: '',
        BOARDROOM_AGENT_MAX_ATTEMPTS: '',
        BOARDROOM_SCHEDULE_CRON: '',
        LOG_LEVEL: '',
        LOG_FORMAT: '',
        TEMPORAL_ADDRESS: '',
      },
      { cwd: CWD, isTTY: false },
    );
    expect(c.databaseUrl).toBeUndefined();
    expect(c.temporal.taskQueue).toBe('boardroom');
    expect(c.temporal.devPort).toBe(7233);
    expect(c.temporal.address).toBeUndefined();
    expect(c.company.id).toBe('demo');
    expect(c.agent.maxAttempts).toBe(3);
    expect(c.schedule.cron).toBe('0 7 * * *');
    expect(c.log).toEqual({ level: 'info', format: 'json' });
  });

  it('reads set values', () => {
    const c = loadConfig(
      {
        DATABASE_URL: 'postgresql://app:pw@db.internal:5432/boardroom',
        TEMPORAL_TASK_QUEUE: 'bq',
        BOARDROOM_EMBEDDED_PG_PORT: '6000',
        BOARDROOM_COMPANY_ID: 'acme-2',
        BOARDROOM_AGENT_MAX_ATTEMPTS: '5',
        BOARDROOM_SCHEDULE_CRON: '30 6 * * 1-5',
        BOARDROOM_TIMEZONE: 'Europe/Berlin',
        BOARDROOM_SCHEDULE_JITTER_MINUTES: '20',
        LOG_LEVEL: 'debug',
      },
      { cwd: CWD },
    );
    expect(c.databaseUrl).toBe('postgresql://app:pw@db.internal:5432/boardroom');
    expect(c.temporal.taskQueue).toBe('bq');
    expect(c.embeddedPgPort).toBe(6000);
    expect(c.company.id).toBe('acme-2');
    expect(c.agent.maxAttempts).toBe(5);
    expect(c.schedule).toEqual({
      cron: '30 6 * * 1-5',
      timeZone: 'Europe/Berlin',
      jitterMinutes: 20,
    });
    expect(c.log.level).toBe('debug');
  });

  it('resolves the workspace and data folders against cwd', () => {
    const c = loadConfig(
      { BOARDROOM_WORKSPACE: 'ws/acme', BOARDROOM_DATA_DIR: '/var/lib/boardroom' },
      { cwd: CWD },
    );
    expect(c.company.workspace).toBe('/srv/boardroom/ws/acme');
    expect(c.dataDir).toBe('/var/lib/boardroom');
  });

  it.each([
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL: Invalid URL (got "mysql://x")'],
    [
      { TEMPORAL_DEV_PORT: '70000' },
      'TEMPORAL_DEV_PORT: Too big: expected number to be <=65535 (got "70000")',
    ],
    [
      { BOARDROOM_EMBEDDED_PG_PORT: '0' },
      'BOARDROOM_EMBEDDED_PG_PORT: Too small: expected number to be >=1 (got "0")',
    ],
    [
      { BOARDROOM_AGENT_MAX_ATTEMPTS: 'lots' },
      'BOARDROOM_AGENT_MAX_ATTEMPTS: Invalid input: expected number, received NaN (got "lots")',
    ],
    [
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL: Invalid option: expected one of "trace"|"debug"|"info"|"warn"|"error"|"fatal"|"silent" (got "loud")',
    ],
    [
      { BOARDROOM_COMPANY_ID: 'Acme' },
      'BOARDROOM_COMPANY_ID: lowercase letters, digits and dashes (got "Acme")',
    ],
  ])('rejects %j naming the variable', (env, line) => {
    const err = configError(env);
    expect(err.message).toBe(`Invalid environment:\n  ${line}`);
    expect(err.context).toEqual({ fields: [Object.keys(env)[0]] });
    expect(err.permanent).toBe(true);
  });

  it('names every invalid variable at once', () => {
    const err = configError({ LOG_LEVEL: 'loud', BOARDROOM_COMPANY_ID: 'Acme' });
    expect([...(err.context.fields as string[])].sort()).toEqual([
      'BOARDROOM_COMPANY_ID',
      'LOG_LEVEL',
    ]);
    expect(err.message).toContain('\n  LOG_LEVEL: ');
    expect(err.message).toContain('\n  BOARDROOM_COMPANY_ID: ');
  });

  it('defaults LOG_FORMAT to pretty on a terminal and json otherwise', () => {
    expect(loadConfig({}, { cwd: CWD, isTTY: true }).log.format).toBe('pretty');
    expect(loadConfig({}, { cwd: CWD, isTTY: false }).log.format).toBe('json');
    expect(loadConfig({}, { cwd: CWD }).log.format).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'json' }, { cwd: CWD, isTTY: true }).log.format).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }, { cwd: CWD, isTTY: false }).log.format).toBe(
      'pretty',
    );
  });

  it('passes TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE into config.temporal', () => {
    const c = loadConfig(
      { TEMPORAL_ADDRESS: 'temporal.example.com:7233', TEMPORAL_NAMESPACE: 'acme-prod' },
      { cwd: CWD },
    );
    expect(c.temporal.address).toBe('temporal.example.com:7233');
    expect(c.temporal.namespace).toBe('acme-prod');
    expect(c.temporal.connect).toEqual({
      namespace: 'acme-prod',
      connectionOptions: { address: 'temporal.example.com:7233' },
    });
  });

  it('passes TEMPORAL_API_KEY into the connect options only', () => {
    const c = loadConfig(
      { TEMPORAL_ADDRESS: 'acme.tmprl.cloud:7233', TEMPORAL_API_KEY: 'sk-test-123' },
      { cwd: CWD },
    );
    expect(c.temporal.connect.connectionOptions).toEqual({
      address: 'acme.tmprl.cloud:7233',
      apiKey: 'sk-test-123',
      tls: true,
    });
  });

  it('does not print TEMPORAL_API_KEY when another variable is invalid', () => {
    const secret = 'sk-very-secret-9f8e7d';
    const err = configError({ TEMPORAL_API_KEY: secret, LOG_LEVEL: 'loud' });
    expect(err.context).toEqual({ fields: ['LOG_LEVEL'] });
    expect(err.message).not.toContain(secret);
    expect(JSON.stringify(err.context)).not.toContain(secret);
  });

  it('masks the password of an invalid DATABASE_URL in the error', () => {
    const err = configError({ DATABASE_URL: 'mysql://app:hunter2@db/x' });
    expect(err.message).toContain('DATABASE_URL');
    expect(err.message).toContain('"mysql://app:***@db/x"');
    expect(err.message).not.toContain('hunter2');
  });

  it('never echoes the value of a secret-named variable', () => {
    expect(redactValue('SLACK_TOKEN', 'xoxb-1')).toBe('[redacted]');
    expect(redactValue('STRIPE_API_KEY', 'sk_live_1')).toBe('[redacted]');
    expect(redactValue('DATABASE_URL', 'postgres://u:p@h:5432/d')).toBe(
      'postgres://u:***@h:5432/d',
    );
    expect(redactValue('DATABASE_URL', 'postgres://h/d')).toBe('postgres://h/d');
  });

  it('masks a URL password by parsing it: an unencoded @ in the password leaks nothing', () => {
    expect(
      redactValue('DATABASE_URL', 'postgres://app:SECRETpart1@SECRETpart2@db:5432/boardroom'),
    ).toBe('postgres://app:***@db:5432/boardroom');
    // Unparsable (a port that is no number): nothing after the scheme is shown.
    expect(redactValue('DATABASE_URL', 'postgres://app:pw@SECRET@db:port/x')).toBe(
      'postgres://[unparsable URL, not shown]',
    );
    expect(redactUrl('postgres://:pw@h/d')).toBe('postgres://:***@h/d');
    expect(databaseTarget('postgres://app:pa@ss@db.internal:5432/boardroom')).toBe(
      'db.internal:5432/boardroom',
    );
    const err = configError({ DATABASE_URL: 'mysql://app:SECRETpart1@SECRETpart2@db/x' });
    expect(err.message).not.toContain('SECRET');
    expect(err.message).toContain('"mysql://app:***@db/x"');
  });

  it('BOARDROOM_SCHEDULE_CRON must be a cron expression Temporal reads', () => {
    const err = configError({ BOARDROOM_SCHEDULE_CRON: 'every morning' });
    expect(err.message).toBe(
      `Invalid environment:\n  BOARDROOM_SCHEDULE_CRON: not a cron expression: ${CRON_EXPECTED} (got "every morning")`,
    );
    for (const ok of [
      '0 7 * * *',
      '30 6 * * 1-5',
      '0 7 * * MON-FRI',
      '@daily',
      '0 7 * * * 2030',
      '0 0 7 * * * *',
    ])
      expect(cronProblem(ok), ok).toBeUndefined();
    expect(cronProblem('0 7 * *')).toBe(`not a cron expression: ${CRON_EXPECTED}`);
    expect(cronProblem('0 25 * * *')).toBe(
      `not a cron expression (Invalid value for hour: 25): ${CRON_EXPECTED}`,
    );
  });

  it('BOARDROOM_CONNECT_TIMEOUT_MS and BOARDROOM_RUN_WAIT_MS are positive durations', () => {
    const c = loadConfig({ BOARDROOM_CONNECT_TIMEOUT_MS: '2500', BOARDROOM_RUN_WAIT_MS: '5000' });
    expect([c.connectTimeoutMs, c.runWaitMs]).toEqual([2500, 5000]);
    expect(configError({ BOARDROOM_RUN_WAIT_MS: '0' }).context).toEqual({
      fields: ['BOARDROOM_RUN_WAIT_MS'],
    });
  });
});
