// In-memory token buckets keyed by a string (a recipient, a client address). A key holds `limit` tokens and
// earns them back evenly over `windowMs`: `limit` at once, then `limit` per window sustained. Hand-written
// rather than rate-limiter-flexible: the endpoints need take / refund / retry-after and nothing else, which
// is these few lines. Per process: N replicas behind a load balancer allow N times the limit.

export interface RateLimit {
  /** Tokens a key holds when rested (the burst), and earns back per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  /** Takes one token: 0 when granted, else the seconds until one is free again (for Retry-After). */
  take(key: string): number;
  /** The seconds until a token is free, without taking one (0 when one is free now). */
  wait(key: string): number;
  /** Gives back a token taken for something that turned out not to count. */
  refund(key: string): void;
  /** Keys currently held in memory (tests, metrics). */
  readonly size: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Rested keys are dropped once the map grows past this (then past twice its size at the last sweep). */
const SWEEP_FLOOR = 1_000;

export function createRateLimiter(options: RateLimit, now: () => number = Date.now): RateLimiter {
  const { limit, windowMs } = options;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`rate limit must be a whole number >= 1, got ${limit}`);
  if (!(windowMs > 0)) throw new Error(`rate limit window must be positive, got ${windowMs}`);
  const perMs = limit / windowMs;
  const buckets = new Map<string, Bucket>();
  let sweepAt = SWEEP_FLOOR;

  function current(key: string, at: number): Bucket {
    const bucket = buckets.get(key);
    if (!bucket) return { tokens: limit, at };
    return { tokens: Math.min(limit, bucket.tokens + (at - bucket.at) * perMs), at };
  }
  function secondsUntilOne(bucket: Bucket): number {
    return bucket.tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
  }
  // Pruning: a bucket that has refilled is the same as no bucket.
  function sweep(at: number): void {
    if (buckets.size < sweepAt) return;
    for (const key of buckets.keys()) if (current(key, at).tokens >= limit) buckets.delete(key);
    sweepAt = Math.max(SWEEP_FLOOR, buckets.size * 2);
  }

  return {
    limit,
    windowMs,
    take(key) {
      const at = now();
      const bucket = current(key, at);
      if (bucket.tokens < 1) return secondsUntilOne(bucket);
      buckets.set(key, { tokens: bucket.tokens - 1, at });
      sweep(at);
      return 0;
    },
    wait(key) {
      return secondsUntilOne(current(key, now()));
    },
    refund(key) {
      const at = now();
      const bucket = current(key, at);
      if (bucket.tokens + 1 >= limit) buckets.delete(key);
      else buckets.set(key, { tokens: bucket.tokens + 1, at });
    },
    get size() {
      return buckets.size;
    },
  };
}

/** `<PREFIX>_LIMIT` and `<PREFIX>_WINDOW_SECONDS` from the environment, each checked and named when wrong. */
export function rateLimitFromEnv(env: NodeJS.ProcessEnv, prefix: string, defaults: { limit: number; windowSeconds: number }): RateLimit {
  const read = (name: string, fallback: number, integer: boolean): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
      throw new Error(`${name} must be a positive ${integer ? 'whole ' : ''}number, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
  return { limit: read(`${prefix}_LIMIT`, defaults.limit, true), windowMs: read(`${prefix}_WINDOW_SECONDS`, defaults.windowSeconds, false) * 1000 };
}
