/**
 * A bounded map whose entries live `ttlMs` from their creation: what the
 * subscribers of one event share while it is fanned out (its row, its reads,
 * its results). Insertion order is expiry order, so expired entries (and the
 * oldest beyond `maxEntries`) leave from the front as new ones come in.
 */
export function createExpiringCache<V>(ttlMs: number, maxEntries: number) {
  const entries = new Map<string, { value: V; expiresAt: number }>();
  return {
    /** The live entry for `key`, or a new one made by `create`. */
    getOrCreate(key: string, create: () => V): V {
      const now = Date.now();
      const known = entries.get(key);
      if (known && known.expiresAt > now) return known.value;
      for (const [oldKey, old] of entries) {
        if (old.expiresAt > now && entries.size < maxEntries) break;
        entries.delete(oldKey);
      }
      const value = create();
      entries.delete(key);
      entries.set(key, { value, expiresAt: now + ttlMs });
      return value;
    },
    /** Forgets `key` if it still holds `value` (a failed load is not shared beyond those already waiting). */
    forget(key: string, value: V): void {
      if (entries.get(key)?.value === value) entries.delete(key);
    },
  };
}
