/** Opens the target the global options name: the local store, or the deployed table. */
import { DEFAULT_LOCAL_DIR, type Target, type TargetOptions } from './target.js';

export async function openTarget(options: TargetOptions): Promise<Target> {
  // Imported on demand: `check` and `--help` need neither LevelDB nor the AWS clients.
  if (options.local !== undefined) {
    const { openLocalTarget } = await import('./local-target.js');
    return openLocalTarget(options.local === true ? DEFAULT_LOCAL_DIR : options.local, options.historyRetentionDays);
  }
  const { openAwsTarget } = await import('./aws-target.js');
  return openAwsTarget(options);
}
