import { cli, HOUR, json, record, temporaryDir, writeLocalStore } from './support/harness.js';

const NOW = Date.UTC(2026, 10, 26, 12);
let store: Awaited<ReturnType<typeof temporaryDir>>;
const run = (argv: string[], env: Record<string, string> = {}) => cli(['--local', store.path, ...argv], { now: NOW, env });
const status = async () =>
  new Map(json<{ exporter: string | null; mutedUntil: string | null; muteReason: string | null; mutedBy: string | null }[]>(await run(['status', '--json'])).map((row) => [row.exporter, row]));

beforeAll(async () => {
  store = await temporaryDir();
  await writeLocalStore(store.path, {
    runs: [{ registryId: 'prod', at: NOW - 60_000 }],
    records: [record('prod', 'orders-link', 'PAUSED', NOW - HOUR), record('prod', 'payments-link', 'RUNNING', NOW - 10 * HOUR)],
  });
});
afterAll(() => store.remove());

describe('silence and unsilence', () => {
  it('mutes an exporter until a time, shows it in status, and unmutes it', async () => {
    const muted = await run(['silence', '--registry', 'prod', '--exporter', 'orders-link', '--until', '2h', '--reason', 'CHG-1234 migration'], { USER: 'alice' });
    expect(muted).toEqual({ code: 0, stdout: 'Muted exporter orders-link of registry prod until 2026-11-26 14:00:00Z (2h from now): CHG-1234 migration\n', stderr: '' });
    const rows = await status();
    expect(rows.get('orders-link')).toMatchObject({ mutedUntil: '2026-11-26T14:00:00.000Z', muteReason: 'CHG-1234 migration', mutedBy: 'alice' });
    expect(rows.get('payments-link')).toMatchObject({ mutedUntil: null });

    expect(await run(['unsilence', '--registry', 'prod', '--exporter', 'orders-link'])).toEqual({ code: 0, stdout: 'Unmuted exporter orders-link of registry prod\n', stderr: '' });
    expect((await status()).get('orders-link')).toMatchObject({ mutedUntil: null });
  });

  it('mutes a whole registry until an ISO time: every exporter and the registry row show it', async () => {
    const muted = await run(['silence', '--registry', 'prod', '--until', '2026-11-27T08:00', '--reason', 'registry upgrade']);
    expect(muted.stdout).toBe('Muted registry prod until 2026-11-27 08:00:00Z (20h from now): registry upgrade\n');
    expect([...(await status()).values()].map((row) => row.mutedUntil)).toEqual(Array(3).fill('2026-11-27T08:00:00.000Z'));
    expect((await run(['unsilence', '--registry', 'prod'])).code).toBe(0);
    expect([...(await status()).values()].map((row) => row.mutedUntil)).toEqual([null, null, null]);
  });

  it('refuses a registry never checked, the same way in every command', async () => {
    const unknown = `error: registry "prd" has never been checked (in local store ${store.path}); check the id (\`status\` lists the known ones)\n`;
    for (const argv of [
      ['silence', '--registry', 'prd', '--until', '1h', '--reason', 'typo'],
      ['unsilence', '--registry', 'prd'],
      ['status', '--registry', 'prd'],
      ['history', '--registry', 'prd'],
      ['incidents', '--registry', 'prd'],
      ['report', '--registry', 'prd'],
    ]) {
      expect({ argv, result: await run(argv) }).toEqual({ argv, result: { code: 1, stdout: '', stderr: unknown } });
    }
  });

  it('refuses a time in the past, and an unsilence with nothing to end', async () => {
    expect((await run(['silence', '--registry', 'prod', '--until', '2026-11-01', '--reason', 'late'])).stderr).toBe(
      'error: --until (2026-11-01 00:00:00Z) is in the past\n',
    );
    expect(await run(['unsilence', '--registry', 'prod', '--exporter', 'search-link'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: no silence in force for exporter search-link of registry prod: nothing to lift\n',
    });
  });

  it('mutes an exporter not seen yet, with a note', async () => {
    const result = await run(['silence', '--registry', 'prod', '--exporter', 'new-link', '--until', '30m', '--reason', 'being created']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('note: exporter "new-link" has not been seen on registry prod; muting it anyway\n');
  });
});
