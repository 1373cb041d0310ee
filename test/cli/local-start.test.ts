/** `npm start -- --url ...` as a user runs it: a separate node process watching the registry simulator. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { RegistrySimulator } from '../../local/simulator.js';
import { temporaryDir } from './support/harness.js';

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

/** Starts the watch, returns its output up to the first run's line, then stops it with Ctrl-C. */
async function firstRun(...argv: string[]): Promise<{ line: string; code: number | null }> {
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
  child.kill('SIGINT');
  return { line, code: await exited };
}

it('reads the registry with the shortest --interval: the run budget does not shrink with it', async () => {
  const { line, code } = await firstRun('--url', registry.baseUrl, '--insecure', '--interval', '5', '--state-dir', state.path);
  expect(line).toMatch(/^\S+Z checked 3 exporter\(s\), 4 request\(s\), 0 message\(s\)$/);
  expect(code).toBe(0);
}, 60_000);
