// The local edge: the real Worker (edge/) in workerd through the Miniflare API, configured from
// edge/wrangler.toml, with the demo storefront as its origin. The Cloudflare API sandbox writes flags
// into the returned `kv` so a flip reaches this edge.
import { build, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Miniflare, type MiniflareOptions, type WorkerOptions } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { startStorefront, type StorefrontSandbox } from './storefront/server';

export const EDGE_DIR = join(__dirname, '..', 'edge');
export const WRANGLER_CONFIG = join(EDGE_DIR, 'wrangler.toml');

/**
 * The subset of Workers' KVNamespace the sandboxes use. (Miniflare types it with @cloudflare/workers-types,
 * which this project does not install.)
 */
export interface LocalKvNamespace {
  get(key: string): Promise<string | null>;
  put(key: string, value: string, options?: { expirationTtl?: number; metadata?: unknown }): Promise<void>;
  delete(key: string): Promise<void>;
  list(options?: { prefix?: string; limit?: number; cursor?: string }): Promise<{
    keys: { name: string; expiration?: number; metadata?: unknown }[];
    list_complete: boolean;
    cursor?: string;
  }>;
}

export interface LocalEdgeOptions {
  /** Port for the edge (default 0: random). The stack uses 8787. */
  port?: number;
  /** The Genesys apps host the Worker fetches the real bootstrap from (e.g. sandbox/messenger). */
  messengerUpstream: string;
  /** Directory for KV state across restarts (default: in memory). */
  persistTo?: string;
  /** Where non-edge paths go (default: a demo storefront started here; false: none, paths 404 upstream). */
  origin?: string | false;
  /** Extra vars over wrangler.toml's (e.g. NOTICE_TEXT). */
  vars?: Record<string, string>;
}

export interface LocalEdge {
  url: string;
  /** The SURGE_FLAGS KV namespace the Worker reads. */
  kv: LocalKvNamespace;
  dispose(): Promise<void>;
}

const textModules: Plugin = {
  name: 'browser-js-as-text',
  setup(b) {
    // Mirrors wrangler.toml's Text rule: the stub's browser code ships as a string.
    b.onLoad({ filter: /\.browser\.js$/ }, async (args) => ({ contents: await readFile(args.path, 'utf8'), loader: 'text' }));
  },
};

/** Bundles edge/src/index.ts the way wrangler would (ES module, text rule for *.browser.js). */
export async function bundleEdgeWorker(): Promise<string> {
  const result = await build({
    entryPoints: [join(EDGE_DIR, 'src', 'index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [textModules],
  });
  return result.outputFiles[0].text;
}

/** Miniflare options equal to wrangler.toml's settings, with local overrides. */
export async function edgeWorkerOptions(overrides: { vars?: Record<string, string> } = {}): Promise<WorkerOptions> {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(WRANGLER_CONFIG);
  const { modulesRules: _rules, bindings, ...rest } = workerOptions;
  return {
    ...rest,
    name: 'surge-fallback-edge',
    modules: true,
    script: await bundleEdgeWorker(),
    scriptPath: join(EDGE_DIR, 'index.js'),
    bindings: { ...bindings, ...overrides.vars },
  } as WorkerOptions;
}

export async function startLocalEdge(options: LocalEdgeOptions): Promise<LocalEdge> {
  let storefront: StorefrontSandbox | undefined;
  let origin = options.origin === false ? '' : options.origin;
  if (origin === undefined) {
    storefront = await startStorefront();
    origin = storefront.url;
  }
  try {
    const worker = await edgeWorkerOptions({
      vars: { MESSENGER_UPSTREAM: options.messengerUpstream, ORIGIN_OVERRIDE: origin, ...options.vars },
    });
    const mfOptions: MiniflareOptions = {
      ...worker,
      host: '127.0.0.1',
      port: options.port ?? 0,
      ...(options.persistTo ? { kvPersist: join(options.persistTo, 'kv'), cachePersist: join(options.persistTo, 'cache') } : {}),
    } as MiniflareOptions;
    const mf = new Miniflare(mfOptions);
    const url = (await mf.ready).origin;
    const kv = (await mf.getKVNamespace('SURGE_FLAGS')) as unknown as LocalKvNamespace;
    return {
      url,
      kv,
      async dispose() {
        await mf.dispose();
        await storefront?.close();
      },
    };
  } catch (error) {
    await storefront?.close();
    throw error;
  }
}
