/**
 * Caching what depends only on a claim's spec (password hashes, rendered
 * configuration files) across reconciles: Crossplane calls a function again
 * and again with the same spec, and bcrypt, PBKDF2 and YAML rendering were a
 * fifth of the realtime-platform function's time per request. Bounded, least
 * recently used out first, so memory stays flat however many claims there are.
 * Entries hold secret material only in this process's memory, as the request does.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();
  constructor(private readonly max: number) {}

  /** The value for `key`, made (and kept) on a miss. */
  get(key: string, make: () => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined || this.entries.has(key)) {
      // Map keeps insertion order: re-inserting marks the entry most recently used.
      this.entries.delete(key);
      this.entries.set(key, hit as V);
      return hit as V;
    }
    const value = make();
    this.set(key, value);
    return value;
  }

  /** Replace (or add) the value for `key`, most recently used. */
  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** `fn` cached by its arguments (compared as JSON), keeping the `max` most recently used results. */
export function memoize<A extends unknown[], R>(fn: (...args: A) => R, max = 64): (...args: A) => R {
  const cache = new BoundedCache<R>(max);
  return (...args: A) => cache.get(JSON.stringify(args), () => fn(...args));
}
