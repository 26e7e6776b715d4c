// Loads `*.browser.js` files as text under Node, as wrangler.toml's Text rule (and sandbox/edge.ts's
// esbuild plugin) do for the Worker, so Node tests can import edge/src directly.
import { readFileSync } from 'node:fs';
import Module from 'node:module';

type Loader = (module: NodeJS.Module, filename: string) => void;
const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;
const loadJs = extensions['.js'];
extensions['.js'] = function loadBrowserJsAsText(this: unknown, module, filename) {
  if (!filename.endsWith('.browser.js')) return loadJs.call(this, module, filename);
  module.exports = { __esModule: true, default: readFileSync(filename, 'utf8') };
};
