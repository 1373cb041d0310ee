/**
 * Bundles the function into dist/function (`npm run build:function`). A file whose content did not
 * change is left alone and a changed one is replaced in one rename, so a synth or test reading the
 * bundle at the same moment never sees half a file.
 */
import { build } from 'esbuild';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTION_BUNDLE_DIR, FUNCTION_BUNDLE_FILE } from '../lib/function-code.js';
import { FUNCTION_BUNDLE_OPTIONS, FUNCTION_ENTRY } from './function-bundle.js';

function unchanged(file: string, contents: Uint8Array): boolean {
  try {
    return Buffer.from(contents).equals(readFileSync(file));
  } catch {
    return false;
  }
}

const result = await build({
  ...FUNCTION_BUNDLE_OPTIONS,
  entryPoints: [FUNCTION_ENTRY],
  outfile: join(FUNCTION_BUNDLE_DIR, FUNCTION_BUNDLE_FILE),
  write: false,
});
mkdirSync(FUNCTION_BUNDLE_DIR, { recursive: true });
for (const { path, contents } of result.outputFiles) {
  if (unchanged(path, contents)) continue;
  const staged = `${path}.${process.pid}.tmp`;
  writeFileSync(staged, contents);
  renameSync(staged, path);
}
