import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, destination };
}

describe('createLogger', () => {
  it('writes one JSON line per event with an ISO time', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'info', format: 'json', destination }).info(
      { agent: 'finance', duration_ms: 12 },
      'agent run',
    );
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 30, agent: 'finance', duration_ms: 12, msg: 'agent run' });
    expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('redacts secrets at the top level and one level down', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'info', format: 'json', destination }).info(
      {
        apiKey: 'sk_live_top',
        token: 'pat-top',
        databaseUrl: 'postgres://u:pw@h/db',
        settings: { apiKey: 'sk_live_nested', password: 'hunter2', authorization: 'Bearer x' },
        agent: 'finance',
      },
      'with secrets',
    );
    const text = lines.join('\n');
    for (const secret of [
      'sk_live_top',
      'pat-top',
      'pw@h',
      'sk_live_nested',
      'hunter2',
      'Bearer x',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(JSON.parse(lines[0]!)).toMatchObject({
      apiKey: '[redacted]',
      settings: { password: '[redacted]' },
      agent: 'finance',
    });
  });

  it('renders readable lines for a terminal', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'info', format: 'pretty', destination }).warn(
      { agent: 'sales' },
      'agent run failed',
    );
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: agent run failed$/);
    expect(lines.join('\n')).toContain('agent: "sales"');
  });
});

describe('with a log file', () => {
  it('on a terminal (consoleLevel silent) the screen gets no log line, the file every one', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-log-'));
    try {
      const file = path.join(dir, 'boardroom.log');
      const { lines, destination } = capture();
      const log = createLogger({
        level: 'info',
        format: 'pretty',
        destination,
        file,
        consoleLevel: 'silent',
      });
      log.info('agent run');
      log.warn({ task_token: 'abc' }, 'Activity failed\nwith a stack');
      log.error('worker stopped with an error');
      expect(lines).toEqual([]);
      const written = (await readFile(file, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(written.map((l) => l.msg)).toEqual([
        'agent run',
        'Activity failed\nwith a stack',
        'worker stopped with an error',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('off a terminal (LOG_FILE for a service) the console still shows warnings', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'boardroom-log-'));
    try {
      const { lines, destination } = capture();
      const log = createLogger({
        level: 'info',
        format: 'json',
        destination,
        file: path.join(dir, 'boardroom.log'),
      });
      log.info('agent run');
      log.warn('agent run failed');
      expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['agent run failed']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('one log vocabulary', () => {
  it("renames the Temporal SDK's camelCase metadata to snake_case", async () => {
    const { snakeCaseFields } = await import('../../src/logger.js');
    expect(
      snakeCaseFields({ workflowId: 'w', activityType: 'runAgent', attempt: 2, duration_ms: 4 }),
    ).toEqual({ workflow_id: 'w', activity_type: 'runAgent', attempt: 2, duration_ms: 4 });
  });
});
