// Builds the stub script served in place of genesys.min.js, with the notice config baked in.
import stubSource from './stub/genesys-stub.browser.js';
import type { NoticeConfig } from './config';

const CONFIG_MARKER = '/*STUB_CONFIG*/ {}';
if (!stubSource.includes(CONFIG_MARKER)) throw new Error(`genesys-stub.browser.js lost its ${CONFIG_MARKER} marker`);

// Every byte goes to every visitor during a surge: drop comments (other than the marker) and indentation.
const compactSource = stubSource
  .replace(/\/\*(?!STUB_CONFIG\*\/)[\s\S]*?\*\//g, '')
  .replace(/^\s+/gm, '')
  .replace(/\n+/g, '\n');

/** JSON that is also safe inside a script: no `</script>`, no line separators that end a JS string. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function renderStub(notice: NoticeConfig): string {
  return compactSource.replace(CONFIG_MARKER, () => scriptSafeJson(notice));
}
