/** The package's bin as a user runs it: a separate node process loading the CLI as `npm run build` compiled it (dist/cli). */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HOUR, record, temporaryDir, writeLocalStore } from './support/harness.js';

const BIN = join(process.cwd(), 'bin', 'exporter-monitor.js');

async function runBin(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...argv], { timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

it('reads a local store, and fails in one line with exit code 1', async () => {
  const dir = await temporaryDir();
  try {
    await writeLocalStore(dir.path, { runs: [{ registryId: 'prod', at: Date.now() }], records: [record('prod', 'orders-link', 'RUNNING', Date.now() - HOUR)] });
    const status = await runBin('--local', dir.path, 'status', '--json');
    expect(status.stderr).toBe('');
    expect(JSON.parse(status.stdout)).toEqual([expect.objectContaining({ exporter: null, state: 'OK' }), expect.objectContaining({ exporter: 'orders-link', state: 'RUNNING' })]);
    expect(await runBin('--local', dir.path, 'history', '--since', 'last week')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: --since: cannot read "last week" as a time; use a duration like 30m, 12h, 7d, 2w, "now", or an ISO time like 2026-11-26T09:00Z\n',
    });
  } finally {
    await dir.remove();
  }
}, 120_000);
