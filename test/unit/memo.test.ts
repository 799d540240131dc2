/** The bounded caches behind the per-request savings (functions/lib/memo.ts). */
import { describe, expect, it } from 'vitest';
import { BoundedCache, memoize } from '../../functions/lib/memo.js';

describe('BoundedCache', () => {
  it('makes a value once per key and keeps at most `max` entries, least recently used out first', () => {
    const cache = new BoundedCache<number>(2);
    let made = 0;
    const get = (k: string) => cache.get(k, () => ++made);
    expect(get('a')).toBe(1);
    expect(get('b')).toBe(2);
    expect(get('a')).toBe(1); // a is now the most recently used
    expect(get('c')).toBe(3); // evicts b
    expect(cache.size).toBe(2);
    expect(get('a')).toBe(1);
    expect(get('b')).toBe(4); // made again
    expect(made).toBe(4);
  });

  it('keeps memory flat however many distinct inputs come', () => {
    const cache = new BoundedCache<string>(64);
    for (let i = 0; i < 10_000; i++) cache.get(String(i), () => 'x'.repeat(100));
    expect(cache.size).toBe(64);
  });
});

describe('memoize', () => {
  it('calls the function once per distinct argument list, compared as JSON', () => {
    const calls: unknown[] = [];
    const f = memoize((o: { a: number }) => {
      calls.push(o);
      return o.a * 2;
    }, 8);
    expect(f({ a: 1 })).toBe(2);
    expect(f({ a: 1 })).toBe(2);
    expect(f({ a: 2 })).toBe(4);
    expect(calls).toHaveLength(2);
  });
});
