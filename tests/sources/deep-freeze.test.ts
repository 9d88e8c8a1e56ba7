/** deepFreeze: what the workspace caches hand every reader, frozen all the way down. */
import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../src/sources/workspace.js';

describe('deepFreeze', () => {
  it('freezes nested objects and arrays, so a change throws', () => {
    const value = deepFreeze({
      deals: [{ id: 'D-1', amount_cents: 5 }],
      meta: { at: new Date(0) },
    });
    expect(() => {
      value.deals.push({ id: 'D-2', amount_cents: 1 });
    }).toThrow(TypeError);
    expect(() => {
      value.deals[0]!.amount_cents = 6;
    }).toThrow(TypeError);
    expect(Object.isFrozen(value.meta.at)).toBe(true);
    expect(value.deals[0]!.amount_cents).toBe(5);
  });

  it("leaves a typed array (YAML's !!binary) as it is instead of failing", () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const value = deepFreeze({ blob: bytes, n: 1 });
    expect(Object.isFrozen(value)).toBe(true);
    expect(value.blob).toBe(bytes);
    expect(Object.isFrozen(bytes)).toBe(false);
  });

  it('returns primitives and null unchanged', () => {
    expect(deepFreeze(3)).toBe(3);
    expect(deepFreeze(null)).toBe(null);
    expect(deepFreeze('x')).toBe('x');
  });
});
