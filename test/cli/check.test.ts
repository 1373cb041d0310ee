import { jest } from '@jest/globals';
import { START_MARGIN_MS } from '../../lambda/deadline.js';
import { RegistrySimulator, SAMPLE_TRACE } from '../../local/simulator.js';
import { requestTimeoutFor } from '../../cli/commands/check.js';
import { cli, json } from './support/harness.js';

const KEY = 'CHECKKEY';
const SECRET = 'check-secret';
const LAST_RECORD = Date.UTC(2026, 10, 26, 8, 59);
let registry: RegistrySimulator;
const credentials = ['--api-key', KEY, '--api-secret', SECRET];
/** `check --json` of a registry with exporters not RUNNING: exit code 2, the rows on stdout. */
function checkJson<T = Record<string, unknown>[]>(result: { code: number; stdout: string; stderr: string }): T {
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: '' });
  return JSON.parse(result.stdout) as T;
}

/** The CLI's clock: an hour after the last record. */
const NOW = LAST_RECORD + 60 * 60_000;

beforeAll(async () => {
  registry = await RegistrySimulator.start({ auth: { kind: 'basic', apiKey: KEY, apiSecret: SECRET } });
  registry.setExporter({ name: 'orders-link', state: 'PAUSED', offset: 1_210, ts: LAST_RECORD, trace: SAMPLE_TRACE });
  registry.setExporter({ name: 'payments-link', state: 'RUNNING', offset: 880, ts: LAST_RECORD });
  registry.setExporter({ name: 'search-link', state: 'STARTING' });
});
afterAll(() => registry.close());

describe('check', () => {
  it('prints every exporter with its root cause, without any store', async () => {
    const { code, stdout, stderr } = await cli(['check', '--url', registry.baseUrl, '--insecure', ...credentials], { now: NOW });
    // Not every exporter is RUNNING: exit code 2, for a cron job or a CI gate.
    expect({ code, stderr }).toEqual({ code: 2, stderr: '' });
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^EXPORTER\s+STATE\s+OFFSET\s+OFFSET MOVED\s+ERROR CODE\s+ROOT CAUSE$/);
    // Unhealthy first, then on their way, then RUNNING.
    expect(lines[1]).toMatch(
      /^orders-link\s+PAUSED\s+1210\s+2026-11-26 08:59:00Z \(1h ago\)\s+42205\s+RestClientException: Subject :\.source\.target:stock_trades-value is not in import mode; error code: 42205$/,
    );
    expect(lines[2]).toMatch(/^search-link\s+STARTING\s+-1\s+/);
    expect(lines[3]).toMatch(/^payments-link\s+RUNNING\s+880\s+2026-11-26 08:59:00Z \(1h ago\)$/);
    expect(lines[4]).toBe('3 exporters: 1 PAUSED, 1 RUNNING, 1 STARTING');
  });

  it('shows a ts beyond what a date can hold as "unknown", and still prints every exporter', async () => {
    // ts is an int64 on the wire; past ±8.64e15 ms (the year 275760) no Date holds it.
    registry.setExporter({ name: 'far-link', state: 'RUNNING', offset: 7, ts: 9e15 });
    registry.setExporter({ name: 'max-link', state: 'PAUSED', offset: 8, ts: Number.MAX_SAFE_INTEGER });
    try {
      const argv = ['check', '--url', registry.baseUrl, '--insecure', ...credentials];
      const { code, stdout, stderr } = await cli(argv, { now: NOW });
      expect({ code, stderr }).toEqual({ code: 2, stderr: '' });
      const lines = stdout.trimEnd().split('\n');
      expect(lines.slice(1, 6).map((line) => line.split(' ', 1)[0])).toEqual(['max-link', 'orders-link', 'search-link', 'far-link', 'payments-link']);
      expect(lines[1]).toMatch(/^max-link\s+PAUSED\s+8\s+unknown$/);
      expect(lines[4]).toMatch(/^far-link\s+RUNNING\s+7\s+unknown$/);
      expect(lines[5]).toMatch(/^payments-link\s+RUNNING\s+880\s+2026-11-26 08:59:00Z \(1h ago\)$/);
      const rows = checkJson<{ exporter: string; ts: string | null }[]>(await cli([...argv, '--json']));
      expect(rows.map((row) => [row.exporter, row.ts])).toEqual([
        ['max-link', 'unknown'],
        ['orders-link', new Date(LAST_RECORD).toISOString()],
        ['search-link', expect.any(String)],
        ['far-link', 'unknown'],
        ['payments-link', new Date(LAST_RECORD).toISOString()],
      ]);
    } finally {
      registry.removeExporter('far-link');
      registry.removeExporter('max-link');
    }
  });

  it('fits its table in the terminal, cutting the widest column with an ellipsis, and never cuts piped output', async () => {
    const argv = ['check', '--url', registry.baseUrl, '--insecure', ...credentials];
    for (const columns of [80, 120]) {
      const { stdout } = await cli(argv, { tty: true, columns, env: { NO_COLOR: '1' }, now: NOW });
      const lines = stdout.trimEnd().split('\n');
      expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(columns);
      expect(lines[1]).toMatch(/^orders-link\s+PAUSED\s+1210\s.*…$/);
    }
    const piped = await cli(argv, { now: NOW });
    expect(piped.stdout).toContain('error code: 42205');
    expect(Math.max(...piped.stdout.split('\n').map((line) => line.length))).toBeGreaterThan(120);
  });

  it('says on a terminal how many of how many exporters it has read, and nothing on stderr when piped', async () => {
    const argv = ['check', '--url', registry.baseUrl, '--insecure', ...credentials];
    const terminal = await cli(argv, { tty: true, now: NOW });
    // One self-overwriting line per step, each cleared before the next, the last one cleared before the table.
    const steps = terminal.stderr.split('\r\x1b[2K').filter(Boolean);
    expect(steps).toEqual([
      `reading ${registry.baseUrl}`,
      `reading ${registry.baseUrl}: 1 of 3 exporters`,
      `reading ${registry.baseUrl}: 2 of 3 exporters`,
      `reading ${registry.baseUrl}: 3 of 3 exporters`,
    ]);
    expect(terminal.stderr.endsWith('\r\x1b[2K')).toBe(true);
    expect((await cli(argv, { now: NOW })).stderr).toBe('');
  });

  it('cuts long causes on a terminal only, in colour on a terminal or with FORCE_COLOR, never with NO_COLOR', async () => {
    const argv = ['check', '--url', registry.baseUrl, '--insecure', ...credentials];
    const terminal = await cli(argv, { tty: true });
    expect(terminal.stdout).toMatch(/\x1b\[31mPAUSED\x1b\[39m.*RestClientException: Subject .*…/);
    const noColor = await cli(argv, { tty: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\x1b[');
    expect(noColor.stdout).toContain('…');
    // Piped: no colour, unless FORCE_COLOR asks for it (and NO_COLOR still wins).
    expect((await cli(argv)).stdout).not.toContain('\x1b[');
    expect((await cli(argv, { env: { FORCE_COLOR: '1' } })).stdout).toMatch(/\x1b\[31mPAUSED\x1b\[39m/);
    expect((await cli(argv, { env: { FORCE_COLOR: '0' } })).stdout).not.toContain('\x1b[');
    expect((await cli(argv, { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toContain('\x1b[');
  });

  it('reads the registry and credentials from the environment, and gives JSON', async () => {
    const env = { SR_URL: registry.baseUrl, SR_API_KEY: KEY, SR_API_SECRET: SECRET, SR_EXPORTERS: 'orders-link,gone-link' };
    const rows = checkJson(await cli(['check', '--insecure', '--json'], { env }));
    expect(rows).toEqual([
      { exporter: 'gone-link', state: 'MISSING', offset: null, ts: null, rootCause: null, errorCode: null },
      {
        exporter: 'orders-link',
        state: 'PAUSED',
        offset: 1210,
        ts: new Date(LAST_RECORD).toISOString(),
        rootCause: SAMPLE_TRACE.split('\n', 1)[0],
        errorCode: 42205,
      },
    ]);
  });

  it('fails in one line when the registry refuses the credentials', async () => {
    const result = await cli(['check', '--url', registry.baseUrl, '--insecure', '--api-key', KEY, '--api-secret', 'wrong']);
    // The registry could not be read: exit code 3, apart from usage errors (1) and exporters not RUNNING (2).
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^error: cannot read ${registry.baseUrl.replace(/[.]/g, '\\.')}: the registry refused the credentials \\(GET /exporters -> HTTP 401[^\\n]*\\)\\n$`));
    expect(result.stderr).not.toContain('wrong');
  });

  it('reads every exporter with a short --timeout: each request gets a timeout that fits in it', async () => {
    // Not 2 s: its 500 ms window for the listing and three paced reads is tight on a loaded machine;
    // the timeout it derives is checked below.
    for (const timeout of ['3', '5', '10']) {
      const result = await cli(['check', '--url', registry.baseUrl, '--insecure', ...credentials, '--timeout', timeout, '--json']);
      expect({ timeout, names: checkJson<{ exporter: string }[]>(result).map((row) => row.exporter), stderr: result.stderr }).toEqual({
        timeout,
        names: ['orders-link', 'search-link', 'payments-link'],
        stderr: '',
      });
    }
  });

  it('derives a request timeout that leaves room for the start margin, at most the monitor\'s 5 s', () => {
    expect([2, 3, 5, 11, 12, 60].map(requestTimeoutFor)).toEqual([500, 1000, 2000, 5000, 5000, 5000]);
    for (const seconds of [2, 2.5, 3, 7, 11, 60]) {
      // Room for the listing and one more request to start.
      expect(2 * requestTimeoutFor(seconds) + START_MARGIN_MS).toBeLessThanOrEqual(seconds * 1000);
    }
  });

  it('refuses a --timeout under 2 s', async () => {
    for (const timeout of ['1', '1.9', '0', 'soon']) {
      expect(await cli(['check', '--url', registry.baseUrl, '--insecure', ...credentials, '--timeout', timeout])).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: --timeout must be a number of seconds, at least 2, got "${timeout}"\n`,
      });
    }
  });

  it('exits 1 saying the timeout is too short when not one request could start, instead of "No exporters"', async () => {
    // A machine so slow that 1.5 s pass between any two readings of the clock: the deadline is
    // gone before the first request may start.
    const realNow = Date.now.bind(Date);
    let skew = 0;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + (skew += 1500));
    try {
      const requestsBefore = registry.stats.requests;
      const result = await cli(['check', '--url', registry.baseUrl, '--insecure', ...credentials, '--timeout', '2']);
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: `error: --timeout 2 is too short: no request to ${registry.baseUrl} could start in time; give it more seconds\n`,
      });
      expect(registry.stats.requests).toBe(requestsBefore);
    } finally {
      clock.mockRestore();
    }
  });

  it('refuses plain http without --insecure, and half a credential', async () => {
    expect(await cli(['check', '--url', registry.baseUrl, ...credentials])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: --url is http://: add --insecure for a lab registry (credentials would travel in clear text)\n',
    });
    expect((await cli(['check', '--url', registry.baseUrl, '--insecure', '--api-key', KEY])).stderr).toBe(
      'error: --api-key and --api-secret go together: give both or neither\n',
    );
    expect((await cli(['check'])).stderr).toBe('error: check needs the registry: --url URL or SR_URL\n');
  });
});

describe('check --verify', () => {
  let source: RegistrySimulator;
  let destination: RegistrySimulator;
  const destinationCredentials = ['--destination-api-key', 'DSTKEY', '--destination-api-secret', 'dst-secret'];

  beforeAll(async () => {
    destination = await RegistrySimulator.start({ auth: { kind: 'basic', apiKey: 'DSTKEY', apiSecret: 'dst-secret' } });
    source = await RegistrySimulator.start({ auth: { kind: 'basic', apiKey: KEY, apiSecret: SECRET } });
    source.addSchema('orders-value');
    source.setExporter({ name: 'orders-link', state: 'RUNNING' });
    source.linkExporter('orders-link', destination, { contextType: 'CUSTOM', context: 'dr' });
    source.skipSubject('orders-link', 'orders-audit-value');
    source.addSchema('orders-audit-value');
  });
  afterAll(async () => {
    await Promise.all([source.close(), destination.close()]);
  });

  it('prints, per RUNNING exporter, what is missing where the exporter should have put it', async () => {
    const argv = ['check', '--url', source.baseUrl, '--insecure', ...credentials, '--verify', '--destination-url', destination.baseUrl, ...destinationCredentials];
    const rows = json<{ exporter: string; missingSubjects: string[]; compared: number }[]>(await cli([...argv, '--json']));
    expect(rows).toEqual([expect.objectContaining({ exporter: 'orders-link', missingSubjects: ['orders-audit-value'], compared: 2 })]);
    const { stdout } = await cli(argv);
    expect(stdout).toMatch(/^orders-link\s+2\s+1\s+0\s+0\s+orders-audit-value: missing$/m);
  });

  it('says in one line when the destination refuses its key, and exits 1', async () => {
    const argv = ['check', '--url', source.baseUrl, '--insecure', ...credentials, '--verify', '--destination-url', destination.baseUrl, '--destination-api-key', 'DSTKEY', '--destination-api-secret', 'wrong'];
    const { code, stdout, stderr } = await cli(argv);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^.*--verify cannot read the destination: .*401/)]);
    expect(stderr).not.toContain('wrong');
  });

  it('asks for the destination when none is given', async () => {
    const { code, stderr } = await cli(['check', '--url', source.baseUrl, '--insecure', ...credentials, '--verify']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/--verify needs the destination registry: --destination-url URL or DEST_SR_URL/);
  });
});

describe('check for scripts', () => {
  let healthy: RegistrySimulator;
  beforeAll(async () => {
    healthy = await RegistrySimulator.start();
    for (const name of ['a-link', 'b-link', 'c-link']) healthy.setExporter({ name, state: 'RUNNING', offset: 1 });
  });
  afterAll(() => healthy.close());

  it('exits 0 with a summary when every exporter is RUNNING', async () => {
    const { code, stdout, stderr } = await cli(['check', '--url', healthy.baseUrl, '--insecure']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('3 exporters: 3 RUNNING');
  });

  it('exits 3 when one exporter could not be read, though the others are RUNNING', async () => {
    healthy.injectFault({ path: '/exporters/b-link/status', status: 404, body: JSON.stringify({ error_code: 404, message: 'HTTP 404 Not Found' }) });
    const { code, stdout, stderr } = await cli(['check', '--url', healthy.baseUrl, '--insecure']);
    expect(code).toBe(3);
    expect(stderr).toMatch(/^warning: .*b-link/);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('3 exporters: 2 RUNNING, 1 not read');
  });

  it('says every read that failed, and that a refusal (not the timeout) stopped the rest; exit code 3', async () => {
    healthy.injectFault({ path: '/exporters/a-link/status', status: 403 });
    const { code, stdout, stderr } = await cli(['check', '--url', healthy.baseUrl, '--insecure', '--exporters', 'a-link,b-link,c-link']);
    expect(code).toBe(3);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^warning: the registry refused the credentials \(GET \/exporters\/a-link\/status -> HTTP 403/),
      'warning: b-link: not read: the registry refused the credentials',
      'warning: c-link: not read: the registry refused the credentials',
      `error: cannot read ${healthy.baseUrl}: none of 3 reads succeeded (above)`,
    ]);
    expect(stdout).toBe('');
  });
});
