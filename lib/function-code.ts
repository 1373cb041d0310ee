/**
 * The function's code as the package ships it: bundled by esbuild when the package is built
 * (`npm run build`, scripts/build-function.ts), so neither a consumer's app nor this repository's
 * needs esbuild, Docker or a lock file at synth time, and both deploy the same bundle.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Code } from 'aws-cdk-lib/aws-lambda';

/**
 * The folder holding package.json above `dir`. This file runs as source (lib/) in this repository and
 * compiled (dist/lib/) in the package, so the bundle is found from the package's root either way.
 */
function packageRoot(dir: string): string {
  for (let current = dir; ; current = path.dirname(current)) {
    if (existsSync(path.join(current, 'package.json'))) return current;
    if (path.dirname(current) === current) throw new Error(`no package.json above ${dir}`);
  }
}

/** Where the build writes the bundle: `index.mjs` and its source map. */
export const FUNCTION_BUNDLE_DIR = path.join(packageRoot(import.meta.dirname), 'dist', 'function');

/** The bundle's file and its export Lambda calls. */
export const FUNCTION_BUNDLE_FILE = 'index.mjs';
export const FUNCTION_HANDLER = 'index.handler';

/** The shipped bundle as the function's code. */
export function functionCode(): Code {
  if (!existsSync(path.join(FUNCTION_BUNDLE_DIR, FUNCTION_BUNDLE_FILE))) {
    throw new Error(`the function's bundle is missing from ${FUNCTION_BUNDLE_DIR}: run \`npm run build\` in the schema-exporter-monitor package`);
  }
  return Code.fromAsset(FUNCTION_BUNDLE_DIR);
}
