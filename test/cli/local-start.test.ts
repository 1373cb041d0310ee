/** `npm start -- --url ...` as a user runs it: a separate node process watching the registry simulator. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { RegistrySimulator, SAMPLE_TRACE } from '../../local/simulator.js';
import { STORE_ENDPOINT_FILE } from '../../local/store-endpoint.js';
import { cli, json, temporaryDir } from './support/harness.js';

const START = join(process.cwd(), 'local', 'start.ts');

let registry: RegistrySimulator;
let state: Awaited<ReturnType<typeof temporaryDir>>;

beforeAll(async () => {
  registry = await RegistrySimulator.start({ auth: { kind: 'none' } });
  for (const name of ['orders-link', 'payments-link', 'search-link']) registry.setExporter({ name, state: 'RUNNING', offset: 1 });
  state = await temporaryDir();
});
afterAll(async () => {
  await registry.close();
  await state.remove();
});

/** Starts the watch and waits for the line of its first run. */
async function watching(...argv: string[]): Promise<{ line: string; stop(signal: NodeJS.Signals): Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', START, ...argv], { env: { ...process.env, NO_COLOR: '1' } });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const run = /^.* checked .*$/m.exec(output);
      if (run) resolve(run[0]);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`exited with ${code} before a run: ${output}`)));
  });
  return {
    line,
    stop: (signal) => {
      child.kill(signal);
      return exited;
    },
  };
}

/** Starts the watch, returns its output up to the first run's line, then stops it with Ctrl-C. */
async function firstRun(...argv: string[]): Promise<{ line: string; code: number | null }> {
  const watch = await watching(...argv);
  return { line: watch.line, code: await watch.stop('SIGINT') };
}

it('reads the registry with the shortest --interval: the run budget does not shrink with it', async () => {
  const { line, code } = await firstRun('--url', registry.baseUrl, '--insecure', '--interval', '5', '--state-dir', state.path);
  expect(line).toMatch(/^\S+Z checked 3 exporter\(s\), 4 request\(s\), 0 message\(s\)$/);
  expect(code).toBe(0);
}, 60_000);

it('lets the CLI read the store while it watches, and after it is gone', async () => {
  const paused = await RegistrySimulator.start({ auth: { kind: 'none' } });
  const folder = await temporaryDir();
  const argv = ['--url', paused.baseUrl, '--insecure', '--interval', '5', '--state-dir', folder.path];
  const status = async () => json<{ exporter: string | null; state: string }[]>(await cli(['--local', folder.path, 'status', '--json'])).map((row) => [row.exporter, row.state]);
  const seen = [[null, 'OK'], ['orders-link', 'PAUSED']];
  try {
    paused.setExporter({ name: 'orders-link', state: 'PAUSED', offset: 3, trace: SAMPLE_TRACE });
    const watch = await watching(...argv);
    // Held by the watch: read through the endpoint it published in the folder.
    expect(readFileSync(join(folder.path, STORE_ENDPOINT_FILE), 'utf8')).toMatch(/^\{"endpoint":"http:\/\/127\.0\.0\.1:\d+","pid":\d+\}\n$/);
    expect(await status()).toEqual(seen);
    const events = json<{ type: string; exporterName: string }[]>(await cli(['--local', folder.path, 'history', '--json']));
    expect(events.map((e) => [e.type, e.exporterName])).toEqual([['first-seen-unhealthy', 'orders-link']]);
    // Ctrl-C: the watch takes its endpoint with it.
    expect(await watch.stop('SIGINT')).toBe(0);
    expect(existsSync(join(folder.path, STORE_ENDPOINT_FILE))).toBe(false);

    // Killed, it leaves its file behind, but no lock: the CLI opens the folder itself.
    const killed = await watching(...argv);
    await killed.stop('SIGKILL');
    expect(existsSync(join(folder.path, STORE_ENDPOINT_FILE))).toBe(true);
    expect(await status()).toEqual(seen);
  } finally {
    await paused.close();
    await folder.remove();
  }
}, 60_000);

/** Runs `script` with `argv` to its end; what it printed and its exit code. */
async function finished(script: string, argv: readonly string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...argv], { env: { ...process.env, NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exit) => resolve(exit)));
  return { stdout, stderr, code };
}

it.each([
  ['an unknown flag', ['--bogus'], "Usage error: Unknown option '--bogus'; npm start -- --help lists the options"],
  ['an http:// URL without --insecure', ['--url', 'http://127.0.0.1:9'], 'Usage error: --url is http://: add --insecure to watch a lab registry (credentials would travel in clear text)'],
])('refuses %s in one line, without a stack trace', async (_case, argv, line) => {
  const { stdout, stderr, code } = await finished(START, argv);
  expect({ stdout, stderr, code }).toEqual({ stdout: '', stderr: `${line}\n`, code: 1 });
}, 60_000);

it('cdk synth with a configFile that does not exist says so in one line', async () => {
  const { stderr, code } = await finished(join(process.cwd(), 'bin', 'app.ts'), [], { CDK_CONTEXT_JSON: JSON.stringify({ configFile: 'missing.json' }) });
  expect({ stderr, code }).toEqual({ stderr: 'Invalid monitor configuration in missing.json: configFile: cannot read "missing.json": no such file\n', code: 1 });
}, 60_000);
