#!/usr/bin/env node
// The package's bin must be JavaScript; the CLI is TypeScript, loaded through tsx so there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
