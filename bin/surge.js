#!/usr/bin/env node
// `surge` without a build step: registers tsx (a runtime dependency) and runs the TypeScript CLI.
// Why not point `bin` at client/cli.ts: npm 10 (Node 20's) links a bin without making it executable, so a
// checkout's `npx surge` failed with "Permission denied"; and its `env -S npx tsx` shebang started a second npx.
'use strict';
require('tsx/cjs/api').register();
const { main } = require('../client/cli.ts');
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
