// Reads the surge flags from KV. Every failure reads as "flag off": the edge fails open to normal behaviour.

export const SURGE_FLAG = 'chat_surge_active';
export const FALLBACK_FLAG = 'chat_fallback_active';
export const SUPPORT_STATUS_KEY = 'support_status';

export interface FlagReader {
  /** True only when the key holds exactly "true"; false when absent, different, slow or failing. */
  isOn(key: string): Promise<boolean>;
  /** The raw value, or null when absent, slow or failing. */
  readText(key: string): Promise<string | null>;
}

export interface FlagReaderOptions {
  cacheTtlSeconds: number;
  timeoutMs: number;
  onError?: (key: string, error: unknown) => void;
}

export function createFlagReader(kv: KVNamespace | undefined, options: FlagReaderOptions): FlagReader {
  async function readText(key: string): Promise<string | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      if (!kv || typeof kv.get !== 'function') throw new Error('SURGE_FLAGS binding is missing or not a KV namespace');
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`KV read timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
      });
      return await Promise.race([kv.get(key, { type: 'text', cacheTtl: options.cacheTtlSeconds }), timeout]);
    } catch (error) {
      options.onError?.(key, error);
      return null;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }
  return {
    readText,
    async isOn(key) {
      return (await readText(key))?.trim() === 'true';
    },
  };
}
