// Where the Cloudflare sandbox keeps KV pairs. The shape is the subset of Workers' `KVNamespace` the REST API
// needs, so the local stack can hand in Miniflare's namespace (the one the local edge Worker reads) and a flip
// made through the API reaches the local edge; on its own the sandbox uses the in-memory backend below.

export interface KvPutOptions {
  /** Seconds since the epoch. */
  expiration?: number;
  /** Seconds from now. */
  expirationTtl?: number;
}

export interface KvListOptions {
  prefix?: string | null;
  limit?: number;
  cursor?: string | null;
}

export interface KvListResult {
  keys: { name: string; expiration?: number }[];
  list_complete: boolean;
  cursor?: string;
}

export interface KvBackend {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options?: KvPutOptions): Promise<void>;
  delete(key: string): Promise<void>;
  list(options?: KvListOptions): Promise<KvListResult>;
}

interface StoredValue {
  value: string;
  /** Milliseconds since the epoch, or undefined for no expiry. */
  expiresAt?: number;
}

/** A Map with KV's expiry and cursor-paged, name-sorted listing. */
export function createMemoryKvBackend(now: () => number = Date.now): KvBackend {
  const entries = new Map<string, StoredValue>();

  function live(key: string): StoredValue | undefined {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  return {
    async get(key) {
      return live(key)?.value ?? null;
    },
    async put(key, value, options) {
      const expiresAt =
        options?.expirationTtl !== undefined
          ? now() + options.expirationTtl * 1000
          : options?.expiration !== undefined
            ? options.expiration * 1000
            : undefined;
      entries.set(key, { value, expiresAt });
    },
    async delete(key) {
      entries.delete(key);
    },
    async list(options = {}) {
      const limit = options.limit ?? 1000;
      const prefix = options.prefix ?? '';
      // The cursor is the last name returned: stable under concurrent writes, unlike an offset.
      const after = options.cursor ? Buffer.from(options.cursor, 'base64url').toString('utf8') : null;
      const names = [...entries.keys()]
        .filter((name) => name.startsWith(prefix) && (after === null || name > after) && live(name) !== undefined)
        .sort();
      const page = names.slice(0, limit);
      const keys = page.map((name) => {
        const expiresAt = entries.get(name)?.expiresAt;
        return expiresAt === undefined ? { name } : { name, expiration: Math.floor(expiresAt / 1000) };
      });
      if (names.length > limit) {
        return { keys, list_complete: false, cursor: Buffer.from(page[page.length - 1], 'utf8').toString('base64url') };
      }
      return { keys, list_complete: true };
    },
  };
}
