/**
 * docs/api is generated from the doc comments of what the package exports (TypeDoc, `npm run docs:api`), so the
 * props' types, defaults and meanings cannot drift from the code: this regenerates it and compares.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.join(import.meta.dirname, '..', '..');
const COMMITTED = path.join(ROOT, 'docs', 'api');

/** Every file under `dir`, by its path relative to `dir`, with its content. */
function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const file = path.join(entry.parentPath, entry.name);
        return [path.relative(dir, file), readFileSync(file, 'utf8')] as const;
      })
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

test('docs/api is what TypeDoc makes of the current doc comments', async () => {
  const out = await mkdtemp(path.join(tmpdir(), 'exporter-monitor-api-docs-'));
  try {
    await promisify(execFile)(process.execPath, [path.join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', out], { cwd: ROOT });
    const generated = filesOf(out);
    const committed = filesOf(COMMITTED);
    expect({ upToDate: JSON.stringify(committed) === JSON.stringify(generated), fix: 'npm run docs:api' }).toEqual({ upToDate: true, fix: 'npm run docs:api' });
    expect(Object.keys(generated)).toEqual(expect.arrayContaining(['README.md', 'interfaces/ExporterMonitorProps.md', 'interfaces/TeamsChannelProps.md']));
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}, 300_000);
