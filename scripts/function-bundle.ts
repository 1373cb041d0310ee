/**
 * How the function's code is bundled: one set of esbuild options for the bundle the package ships
 * (build-function.ts) and for the benchmark (bench/bundle.ts), so the benchmark measures what is deployed.
 */
import type { BuildOptions } from 'esbuild';
import { join } from 'node:path';
import { ESM_REQUIRE_BANNER } from './esm-require-banner.js';

const PROJECT_ROOT = join(import.meta.dirname, '..');

/** The handler the bundle is built from; Lambda calls its `handler` export. */
export const FUNCTION_ENTRY = join(PROJECT_ROOT, 'lambda', 'handler.ts');

/** ESM for Node.js 24, minified, with a source map whose mappings are enough for stack traces (no sources: smaller). */
export const FUNCTION_BUNDLE_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node24',
  format: 'esm',
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  // the AWS SDK is bundled too: the version the code was tested with, rather than whichever one the runtime carries
  banner: { js: ESM_REQUIRE_BANNER },
  logLevel: 'warning',
  absWorkingDir: PROJECT_ROOT,
};
