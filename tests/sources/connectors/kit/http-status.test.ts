import { describe, expect, it } from 'vitest';
import {
  SourceAuthError,
  SourceRequestError,
  SourceTransientError,
} from '../../../../src/shared/errors.js';
import {
  errorForStatus,
  networkErrorCode,
  statusKind,
} from '../../../../src/sources/connectors/kit/http-status.js';

describe('the HTTP status table', () => {
  it('gives every status its kind', () => {
    const kinds = Object.fromEntries(
      [400, 401, 403, 404, 408, 409, 422, 423, 429, 500, 502, 503].map((s) => [s, statusKind(s)]),
    );
    expect(kinds).toEqual({
      400: 'rejected',
      401: 'unauthorized',
      403: 'forbidden',
      404: 'rejected',
      408: 'unavailable',
      409: 'unavailable',
      422: 'rejected',
      423: 'unavailable',
      429: 'rate-limited',
      500: 'unavailable',
      502: 'unavailable',
      503: 'unavailable',
    });
  });

  it('makes the error class of the kind, worded by the connector', () => {
    const explain = (kind: string) => ({ message: `x: ${kind}`, context: { retryAfterMs: 7_000 } });
    const auth = errorForStatus(403, explain);
    expect(auth).toBeInstanceOf(SourceAuthError);
    expect(auth.permanent).toBe(true);
    expect(auth.message).toBe('x: forbidden');
    const limited = errorForStatus(429, explain);
    expect(limited).toBeInstanceOf(SourceTransientError);
    expect(limited.context.retryAfterMs).toBe(7_000);
    expect(errorForStatus(503, explain)).toBeInstanceOf(SourceTransientError);
    expect(errorForStatus(404, explain)).toBeInstanceOf(SourceRequestError);
  });

  it("finds a failed request's system error code through its causes", () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(networkErrorCode(new TypeError('fetch failed', { cause: reset }))).toBe('ECONNRESET');
    expect(networkErrorCode(new Error('no code'))).toBeUndefined();
    expect(networkErrorCode(undefined)).toBeUndefined();
  });
});
