/**
 * `npx tsx bench/top-costs.ts DIR [N]`: the functions that took the most CPU in the profiles
 * `npm run bench -- --profile DIR` wrote, per scenario (first, steady, storm), as self time per
 * exporter checked and share of the total: where to look before optimizing anything.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PROJECT_ROOT } from './scenario.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Self time by function, in ms, summed over profiles. */
function selfTimes(profiles: readonly CpuProfile[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const profile of profiles) {
    const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
    profile.samples.forEach((id, index) => {
      const frame = frames.get(id)!;
      const where = frame.url ? `${relative(PROJECT_ROOT, frame.url.replace(/^file:\/\//, ''))}:${frame.lineNumber + 1}` : '(native)';
      const key = `${frame.functionName || '(anonymous)'} ${where}`;
      totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
    });
  }
  return totals;
}

function main(): void {
  const [dir, count = '15'] = process.argv.slice(2);
  if (!dir) throw new Error('usage: npx tsx bench/top-costs.ts DIR [N]');
  const files = readdirSync(dir).filter((file) => file.endsWith('.cpuprofile'));
  const scenarios = new Map<string, string[]>();
  for (const file of files) {
    // <exporters>x<registries>-<scenario>-<n>.cpuprofile
    const match = /^(\d+)x(\d+)-([a-z]+)-\d+\.cpuprofile$/.exec(file);
    if (!match) continue;
    const key = `${match[1]}x${match[2]} ${match[3]}`;
    scenarios.set(key, [...(scenarios.get(key) ?? []), file]);
  }
  for (const [key, group] of [...scenarios].sort()) {
    const exporters = Number(key.split('x')[0]);
    const profiles = group.map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
    const times = selfTimes(profiles);
    const total = [...times.values()].reduce((a, b) => a + b, 0);
    const idle = times.get('(idle) (native)') ?? 0;
    const busy = total - idle;
    const perRun = (ms: number) => ms / profiles.length;
    console.log(`\n${key}: ${group.length} run(s), busy ${perRun(busy).toFixed(0)} ms a run = ${(perRun(busy) / exporters).toFixed(3)} ms per exporter`);
    const top = [...times].filter(([name]) => name !== '(idle) (native)').sort((a, b) => b[1] - a[1]).slice(0, Number(count));
    for (const [name, ms] of top) console.log(`  ${((ms / busy) * 100).toFixed(1).padStart(5)}%  ${(perRun(ms) / exporters).toFixed(4)} ms/exp  ${name}`);
  }
}

main();
