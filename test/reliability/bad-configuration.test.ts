/**
 * Guarantee 6: bad configuration. A configuration the function cannot use fails every invocation
 * with an error naming the field and the problem (so the Lambda error alarm fires), and is said
 * once per container on the alert topic as "monitor degraded" (configuration-alert.ts). A secret
 * problem concerns one registry: that registry's own "monitor degraded" incident, after the
 * debounce, while the other registries are watched as usual. Each scenario is a new container:
 * a fresh module registry with the real handler.
 */
import type { PublishBatchRequestEntry } from '@aws-sdk/client-sns';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../local/dynamo-table.js';
import { RegistrySimulator, SAMPLE_TRACE } from '../../local/simulator.js';
import { attributeOf } from '../support/fake-sns.js';
import { freshFunction, type FreshFunction, type FreshFunctionOptions, type SecretAnswer, withEnvironment } from '../support/fresh-function.js';
import { API_KEY, API_SECRET, functionEnvironment } from '../support/handler-harness.js';
import { type CapturedOutput, captureOutput } from '../support/output-capture.js';

let dynamo: EmbeddedDynamo;
let simulator: RegistrySimulator;
let restoreEnvironment: (() => void) | undefined;
let output: CapturedOutput;
const containers: FreshFunction[] = [];
let registryCount = 0;

beforeAll(async () => {
  dynamo = await startEmbeddedDynamo();
  simulator = await RegistrySimulator.start({ auth: { kind: 'basic', apiKey: API_KEY, apiSecret: API_SECRET } });
  simulator.setExporter({ name: 'orders', state: 'RUNNING' });
});
afterAll(async () => {
  await simulator.close();
  await dynamo.close();
});
beforeEach(() => {
  simulator.setExporter({ name: 'orders', state: 'RUNNING' });
  output = captureOutput();
});
afterEach(() => {
  output.restore();
  for (const started of containers.splice(0)) started.restore();
  restoreEnvironment?.();
  restoreEnvironment = undefined;
});

const GOOD_SECRET = JSON.stringify({ apiKey: API_KEY, apiSecret: API_SECRET });

/** A registry entry of MONITOR_CONFIG, with an id no other scenario uses. */
function registryEntry(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  registryCount += 1;
  return {
    id: `cfg-${process.pid}-${registryCount}`,
    baseUrl: simulator.baseUrl,
    allowInsecureHttp: true,
    auth: { kind: 'basic', secretId: `sr/${registryCount}` },
    ...overrides,
  };
}

/** A new container with this environment and these secrets. */
async function container(
  monitorConfig: string | undefined,
  secrets: Record<string, SecretAnswer> = {},
  options: Partial<FreshFunctionOptions> = {},
): Promise<FreshFunction> {
  const restore = withEnvironment(functionEnvironment(dynamo.endpoint, monitorConfig));
  restoreEnvironment ??= restore;
  const started = await freshFunction(Object.assign(options, { secrets: new Map(Object.entries(secrets)) }));
  containers.push(started);
  return started;
}

async function rejection(invocation: Promise<unknown>): Promise<Error> {
  try {
    await invocation;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the invocation to fail');
}

function describeEntry(entry: PublishBatchRequestEntry) {
  const email = JSON.parse(entry.Message!).email as string;
  return { registry: attributeOf(entry, 'registry'), event: attributeOf(entry, 'event'), severity: attributeOf(entry, 'severity'), email };
}

describe('guarantee 6: bad configuration', () => {
  test.each([
    ['malformed MONITOR_CONFIG JSON', '{"registries": [{"id": "prod",', /^config: is not valid JSON/],
    ['an invalid base URL', () => JSON.stringify({ registries: [registryEntry({ baseUrl: 'psrc-00000.region.provider.confluent.cloud' })] }), /^registries\[0\]\.baseUrl: is not a valid URL: "psrc-00000/],
    ['a plain-http base URL', () => JSON.stringify({ registries: [registryEntry({ baseUrl: 'http://psrc-1.example.com', allowInsecureHttp: false })] }), /^registries\[0\]\.baseUrl: must use https/],
    ['an OAuth registry without a token URL', () => JSON.stringify({ registries: [registryEntry({ auth: { kind: 'oauth', secretId: 's', logicalCluster: 'lsrc-1' } })] }), /^registries\[0\]\.auth\.tokenUrl: is required/],
    ['no registries', '{"registries": []}', /^registries: must list at least one registry/],
    ['a misspelt setting', () => JSON.stringify({ registries: [registryEntry({ requestTimeoutMS: 500 })] }), /^registries\[0\]\.requestTimeoutMS: is not a setting/],
    ['no MONITOR_CONFIG at all', undefined, /^environment variable MONITOR_CONFIG is not set/],
  ] as const)('%s: every invocation fails naming the problem, and one "monitor degraded" alert says it', async (_, config, problem) => {
    const monitorConfig = typeof config === 'function' ? config() : config;
    const broken = await container(monitorConfig);

    const first = await rejection(broken.invoke());
    const second = await rejection(broken.invoke());
    expect(first.message).toMatch(problem);
    expect(second.message).toBe(first.message);

    // Said once per container, not on every (scheduled) invocation.
    expect(broken.published).toHaveLength(1);
    const alert = describeEntry(broken.published[0]!);
    expect(alert).toMatchObject({ registry: 'configuration', event: 'monitor-degraded', severity: 'critical' });
    expect(alert.email).toContain(first.message.slice(0, 60));
    // The log says it too, with the problem as a field.
    const logged = output.jsonLines().filter((line) => line.level === 'ERROR' && line.message === 'the configuration is not usable; the monitor cannot run');
    expect(logged).toHaveLength(2);
    expect(logged[0]!.problem).toBe(first.message);
  });

  test('the configuration alert SNS did not accept is tried again by the next invocation, until it is', async () => {
    // Changed between invocations: SNS throttles the first one only.
    const sns: Partial<FreshFunctionOptions> = {
      publishBatch: () => {
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' });
      },
    };
    const broken = await container('{"registries": []}', {}, sns);
    await rejection(broken.invoke());
    expect(broken.attempted).toHaveLength(1);
    expect(broken.published).toEqual([]);

    sns.publishBatch = undefined;
    await rejection(broken.invoke());
    await rejection(broken.invoke());
    expect(broken.published.map(describeEntry)).toMatchObject([{ registry: 'configuration', event: 'monitor-degraded' }]);
    expect(broken.attempted).toHaveLength(2);
  });

  describe('a secret problem of one registry: its own "monitor degraded" after the debounce, the others unaffected', () => {
    test.each([
      ['a missing secret', { error: 'ResourceNotFoundException' }, /cannot read secret "sr\/\d+" \(ResourceNotFoundException\)/],
      ['a secret the function may not read', { error: 'AccessDeniedException' }, /cannot read secret "sr\/\d+" \(AccessDeniedException\)/],
      ['a secret without apiSecret', JSON.stringify({ apiKey: API_KEY }), /secret "sr\/\d+" has no "apiSecret" string/],
      ['a secret with an empty apiKey', JSON.stringify({ apiKey: '', apiSecret: API_SECRET }), /secret "sr\/\d+" has no "apiKey" string/],
      ['a secret that is not JSON', `${API_KEY}:${API_SECRET}`, /secret "sr\/\d+" is not a JSON object/],
    ] as const)('%s', async (_, answer, problem) => {
      const broken = registryEntry();
      const healthy = registryEntry();
      const brokenId = String(broken.id);
      const secretOf = (entry: Record<string, unknown>) => (entry.auth as { secretId: string }).secretId;
      const secrets: Record<string, SecretAnswer> = { [secretOf(broken)]: answer, [secretOf(healthy)]: GOOD_SECRET };
      const monitor = await container(JSON.stringify({ registries: [broken, healthy] }), secrets);

      await monitor.invoke();
      expect(monitor.published).toEqual([]);
      simulator.setExporter({ name: 'orders', state: 'PAUSED', trace: SAMPLE_TRACE });
      await monitor.invoke();
      await monitor.invoke();
      const alerts = monitor.published.map(describeEntry);
      // The broken registry says once that it cannot be read; the healthy one announces its exporter's pause.
      expect(alerts.map((a) => `${a.registry} ${a.event}`)).toEqual([`${brokenId} monitor-degraded`, `${String(healthy.id)} state-changed`]);
      const degraded = alerts.find((a) => a.registry === brokenId)!;
      expect(degraded.email).toMatch(problem);
      expect(degraded.email).toContain(`registries[0].auth.secretId`);
      expect(degraded.email).not.toContain(API_SECRET);

      // Fixed: the next invocation reads the registry and says so.
      simulator.setExporter({ name: 'orders', state: 'RUNNING' });
      secrets[secretOf(broken)] = GOOD_SECRET;
      const fixed = await container(JSON.stringify({ registries: [broken, healthy] }), secrets);
      await fixed.invoke();
      expect(fixed.published.map(describeEntry).map((a) => `${a.registry} ${a.event}`).sort()).toEqual(
        [`${brokenId} monitor-recovered`, `${String(healthy.id)} recovered`].sort(),
      );
      expect(output.text()).not.toContain(API_SECRET);
    });
  });
});
