/**
 * The package as a platform team gets it: `npm pack`, installed into a throwaway TypeScript CDK app that holds
 * only the package, its dependencies and its peers (linked from this repository's node_modules: nothing comes
 * from the network), with the README's example as the app. It must type-check against the shipped declarations
 * and synthesize, with the function's code being the bundle the package ships.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Template } from 'aws-cdk-lib/assertions';

const run = promisify(execFile);
const ROOT = path.join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** What a consumer needs, and nothing else: compiled code with declarations, the bundle, the bin, README. */
const SHIPPED = [/^dist\/(lib|lambda)\/.+\.(js|d\.ts)$/, /^dist\/(cli|local)\/.+\.js$/, /^dist\/function\/index\.mjs(\.map)?$/, /^bin\/exporter-monitor\.js$/, /^README\.md$/, /^package\.json$/];

/** The TypeScript code block that follows the `consumer-example` marker in the README. */
function readmeExample(): string {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const match = /<!-- consumer-example[^>]*-->\n```ts\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('README.md has no ```ts block after <!-- consumer-example -->');
  return match[1]!;
}

/** node_modules/NAME -> this repository's copy, as npm would have installed it. */
function link(nodeModules: string, name: string): void {
  const target = path.join(nodeModules, name);
  mkdirSync(path.dirname(target), { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules', name), target, 'dir');
}

let workDir: string;
let packed: { filename: string; size: number; files: { path: string }[] };

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'dist', 'lib', 'index.js'))) throw new Error('dist/ is not built: `npm test` builds it first (`npm run build`)');
  workDir = await mkdtemp(path.join(tmpdir(), 'exporter-monitor-consumer-'));
  // npm test has just built dist/; the prepack build would rebuild it under the other test files' feet
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', workDir], { cwd: ROOT });
  [packed] = JSON.parse(stdout);
}, 60_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

test('the tarball holds only what a consumer needs', () => {
  const files = packed.files.map((file) => file.path);
  expect(files.filter((file) => !SHIPPED.some((pattern) => pattern.test(file)))).toEqual([]);
  expect(files).toEqual(expect.arrayContaining(['dist/lib/index.js', 'dist/lib/index.d.ts', 'dist/function/index.mjs', 'bin/exporter-monitor.js']));
});

test('aws-cdk-lib and constructs are peers, so the app and the construct share one copy', () => {
  expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['aws-cdk-lib', 'constructs']);
  expect(manifest.dependencies).not.toHaveProperty('aws-cdk-lib');
  expect(manifest.dependencies).not.toHaveProperty('constructs');
});

/** `cdk init app --language typescript` makes a CommonJS app, which loads the package through require(esm). */
describe.each([
  ['an ES module app', { type: 'module' }],
  ['a CommonJS app, as `cdk init` makes it', {}],
])('the package in %s', (_, moduleType) => {
  let dir: string;
  let template: Template;
  let cdkOut: string;
  let installed: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(workDir, 'app-'));
    const nodeModules = path.join(dir, 'node_modules');
    installed = path.join(nodeModules, manifest.name);
    mkdirSync(installed, { recursive: true });
    await run('tar', ['-xzf', path.join(workDir, packed.filename), '-C', installed, '--strip-components=1']);
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) link(nodeModules, name);

    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'platform-app', private: true, ...moduleType }));
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, types: [] } }),
    );
    writeFileSync(path.join(dir, 'app.ts'), readmeExample());
    await run(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], { cwd: dir });
    // CDK_OUTDIR makes the App synthesize on exit, as under `cdk synth`
    cdkOut = path.join(dir, 'cdk.out');
    await run(process.execPath, ['app.js'], { cwd: dir, env: { ...process.env, CDK_OUTDIR: cdkOut } });
    template = Template.fromJSON(JSON.parse(readFileSync(path.join(cdkOut, 'PlatformMonitoring.template.json'), 'utf8')));
  }, 300_000);

  test("the README's example type-checks and synthesizes the function, its table, topic, schedule, alarms and dashboard", () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Handler: 'index.handler', Runtime: 'nodejs24.x' });
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'platform-oncall@example.com' });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 minute)' });
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm')).length).toBeGreaterThanOrEqual(10);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });

  test("the function's code is the bundle the package ships, byte for byte", () => {
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } }));
    const zip: string = fn!.Properties.Code.S3Key;
    const asset = path.join(cdkOut, `asset.${zip.replace(/\.zip$/, '')}`);
    expect(readdirSync(asset).sort()).toEqual(['index.mjs', 'index.mjs.map']);
    expect(readFileSync(path.join(asset, 'index.mjs')).equals(readFileSync(path.join(installed, 'dist', 'function', 'index.mjs')))).toBe(true);
  });

  test('the CLI runs from the package with only its dependencies', async () => {
    const { stdout } = await run(process.execPath, [path.join(installed, 'bin', 'exporter-monitor.js'), '--help'], { cwd: dir });
    expect(stdout).toMatch(/Usage: exporter-monitor/);
  });
});
