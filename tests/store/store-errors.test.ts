/**
 * Which store errors are retried inside an activity, and for how long: a Postgres that
 * is down is waited out (bounded); a statement it refuses (a NUL byte in a text) is a
 * StoreRejectedError at once.
 */
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import {
  isTransientStoreError,
  namedStoreError,
  withStoreRetry,
} from '../../src/activities/failures.js';
import { ServiceUnavailableError, StoreRejectedError } from '../../src/shared/errors.js';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('isTransientStoreError', () => {
  it.each([
    ['08006', true],
    ['57P01', true], // admin shutdown (a restart, a failover)
    ['57P03', true], // the database system is starting up
    ['40001', true], // serialization failure
    ['53300', true], // too many connections
    ['55P03', true], // lock not available
    ['ECONNREFUSED', true],
    ['ECONNRESET', true],
    ['22021', false], // invalid byte sequence (NUL)
    ['22P05', false], // unsupported Unicode escape (\u0000 in jsonb)
    ['23505', false], // unique violation
    ['42P01', false], // missing table
  ])('%s -> %s', (code, transient) => {
    expect(isTransientStoreError(withCode(code))).toBe(transient);
  });

  it("knows pg's own messages for a dead connection or a silent server", () => {
    for (const m of [
      'Connection terminated unexpectedly',
      'Query read timeout',
      'timeout exceeded when trying to connect',
    ]) {
      expect(isTransientStoreError(new Error(m))).toBe(true);
    }
    expect(isTransientStoreError(new TypeError('x is undefined'))).toBe(false);
  });
});

describe('withStoreRetry', () => {
  it('waits out an outage shorter than its budget', async () => {
    let calls = 0;
    const t0 = Date.now();
    const value = await withStoreRetry(
      'load the history',
      async () => {
        if (Date.now() - t0 < 600) {
          calls++;
          throw withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432');
        }
        return 42;
      },
      { budgetMs: 5_000, initialDelayMs: 50 },
    );
    expect(value).toBe(42);
    expect(calls).toBeGreaterThan(1);
  });

  it('gives up after its budget with a ServiceUnavailableError that says what it could not do', async () => {
    const t0 = Date.now();
    const err = await withStoreRetry(
      'save the briefing',
      async () =>
        Promise.reject(withCode('57P01', 'terminating connection due to administrator command')),
      { budgetMs: 700, initialDelayMs: 50, maxDelayMs: 200 },
    ).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect((err as Error).message).toMatch(
      /^Postgres is unreachable: could not save the briefing for \d s/,
    );
    expect(Date.now() - t0).toBeGreaterThanOrEqual(650);
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it("turns Postgres's refusal of a NUL byte into a StoreRejectedError at the first attempt", async () => {
    const client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    let calls = 0;
    try {
      const err = await withStoreRetry('save the briefing', async () => {
        calls++;
        return client.query('SELECT $1::text AS t', ['North\0wind']);
      }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(StoreRejectedError);
      expect((err as StoreRejectedError).context.sqlState).toMatch(/^22/);
      expect((err as Error).message).toMatch(
        /Postgres refused to save the briefing \(SQLSTATE 22\w{3}: .*NUL byte/,
      );
      expect(calls).toBe(1);
    } finally {
      await client.end();
    }
  });

  it('leaves errors that are not from Postgres as they are', () => {
    const e = new Error('boom');
    expect(namedStoreError(e, 'x')).toBe(e);
  });
});
