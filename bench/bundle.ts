/**
 * Builds the function's bundle with the options of the bundle the package ships
 * (scripts/function-bundle.ts), and a baseline bundle that holds only the AWS SDK clients the
 * function uses, built the same way.
 */
import { build, type BuildOptions } from 'esbuild';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FUNCTION_BUNDLE_OPTIONS, FUNCTION_ENTRY } from '../scripts/function-bundle.js';
import { PROJECT_ROOT } from './scenario.js';

/** Imports the three SDK clients and nothing else; exporting them keeps them out of tree shaking. */
const BASELINE_SOURCE = `
export { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export { SNSClient } from '@aws-sdk/client-sns';
export { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
export const handler = async () => ({});
`;

export interface BuiltBundle {
  /** `index.mjs`, as in the function's asset. */
  readonly file: string;
  readonly bytes: number;
  readonly sourceMapBytes: number;
}

async function bundle(outdir: string, entry: Pick<BuildOptions, 'entryPoints' | 'stdin'>): Promise<BuiltBundle> {
  mkdirSync(outdir, { recursive: true });
  const file = join(outdir, 'index.mjs');
  await build({ ...FUNCTION_BUNDLE_OPTIONS, ...entry, outfile: file });
  return { file, bytes: statSync(file).size, sourceMapBytes: statSync(`${file}.map`).size };
}

export function bundleHandler(outdir: string): Promise<BuiltBundle> {
  return bundle(outdir, { entryPoints: [FUNCTION_ENTRY] });
}

export function bundleSdkBaseline(outdir: string): Promise<BuiltBundle> {
  return bundle(outdir, { stdin: { contents: BASELINE_SOURCE, resolveDir: PROJECT_ROOT, loader: 'ts', sourcefile: 'sdk-baseline.ts' } });
}
