#!/usr/bin/env node
// The package's bin: the CLI as compiled by `npm run build` (dist/cli). In this repository `npm run cli` runs the sources.
await import('../dist/cli/main.js');
