import { describe, expect, it } from 'vitest';
import { RecentCache } from '../../src/sources/recent-cache.js';

describe('RecentCache', () => {
  it('keeps the most recently used keys, at most max', () => {
    const cache = new RecentCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now newer than b
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    cache.set('c', 4); // a new value for a key it holds takes no room
    expect(cache.size).toBe(2);
    expect(cache.get('c')).toBe(4);
  });

  it('refuses a bound that is not a whole number from 1', () => {
    expect(() => new RecentCache(0)).toThrow(/max: expected a whole number from 1/);
  });
});
