import { clientFor, configFor, plentyOfTime, startSimulator, statusRequests } from './support.js';
import type { Deadline } from '../../../lambda/deadline.js';
import { readRegistry } from '../../../lambda/registry/read-registry.js';

async function registryWith(...names: string[]) {
  const simulator = await startSimulator();
  for (const name of names) simulator.setExporter({ name, state: 'RUNNING' });
  return simulator;
}

describe('reading every exporter of a registry', () => {
  test('lists the exporters and reads the status of those the include/exclude globs select', async () => {
    const simulator = await registryWith('prod-orders', 'prod-payments', 'prod-legacy', 'test-orders', '.hidden-prod');
    const config = configFor(simulator.baseUrl, { include: ['prod-*', '.hidden-*'], exclude: ['*-legacy'] });
    const reading = await readRegistry(config, clientFor(simulator), [], plentyOfTime);
    expect([...reading.observations.keys()].sort()).toEqual(['.hidden-prod', 'prod-orders', 'prod-payments']);
    expect(statusRequests(simulator).map((request) => request.exporterName).sort()).toEqual([
      '.hidden-prod',
      'prod-orders',
      'prod-payments',
    ]);
    expect(reading).toMatchObject({ registryId: 'prod', failures: [], skipped: [], requestCount: 4 });
  });

  test('a known exporter that is no longer listed is read once more, to confirm it is gone', async () => {
    const simulator = await registryWith('prod-orders');
    const config = configFor(simulator.baseUrl, { exclude: ['test-*'] });
    const reading = await readRegistry(config, clientFor(simulator), ['prod-orders', 'prod-deleted', 'test-deleted'], plentyOfTime);
    expect(reading.observations.get('prod-deleted')).toEqual({ kind: 'missing' });
    expect(reading.observations.get('prod-orders')?.kind).toBe('status');
    expect(reading.observations.has('test-deleted')).toBe(false);
    expect(statusRequests(simulator)).toHaveLength(2);
  });

  test('a known exporter missing from a stale list but still present is reported with its status', async () => {
    const simulator = await registryWith('prod-orders', 'prod-late');
    simulator.injectFault({ path: '/exporters', body: JSON.stringify(['prod-orders']) });
    const reading = await readRegistry(configFor(simulator.baseUrl), clientFor(simulator), ['prod-late'], plentyOfTime);
    expect(reading.observations.get('prod-late')?.kind).toBe('status');
  });

  test('when listing fails nothing is observed and the failure is reported', async () => {
    const simulator = await registryWith('prod-orders');
    simulator.injectFault({ path: '/exporters', status: 500, times: 10 });
    const reading = await readRegistry(configFor(simulator.baseUrl), clientFor(simulator), ['prod-orders'], plentyOfTime);
    expect(reading.observations.size).toBe(0);
    expect(reading.failures).toMatchObject([{ kind: 'server-error', path: '/exporters' }]);
    expect(statusRequests(simulator)).toHaveLength(0);
  });
});

describe('reading a configured list of exporters', () => {
  test('reads exactly those names, once each, without listing', async () => {
    const simulator = await registryWith('a', 'b', 'c');
    const config = configFor(simulator.baseUrl, { exporters: ['a', 'c', 'a', 'gone'], include: ['nothing-matches'] });
    const reading = await readRegistry(config, clientFor(simulator), ['b'], plentyOfTime);
    expect([...reading.observations.keys()]).toEqual(['a', 'c', 'gone']);
    expect(reading.observations.get('gone')).toEqual({ kind: 'missing' });
    expect(simulator.stats.byKind.list).toBe(0);
    expect(reading.requestCount).toBe(3);
  });

  test('an exporter whose read fails is left out, with its failure, and the others are read', async () => {
    const simulator = await registryWith('a', 'b', 'c');
    simulator.injectFault({ path: '/exporters/b/status', contentType: 'text/html', body: '<html></html>' });
    const reading = await readRegistry(configFor(simulator.baseUrl, { exporters: ['a', 'b', 'c'] }), clientFor(simulator), [], plentyOfTime);
    expect([...reading.observations.keys()]).toEqual(['a', 'c']);
    expect(reading.failures).toMatchObject([{ kind: 'invalid-response', path: '/exporters/b/status' }]);
  });

  test('counts only the requests of this run, retries included, when the client is reused', async () => {
    const simulator = await registryWith('a');
    const client = clientFor(simulator);
    const config = configFor(simulator.baseUrl, { exporters: ['a'] });
    await readRegistry(config, client, [], plentyOfTime);
    simulator.injectFault({ path: '/exporters/a/status', status: 503 });
    expect((await readRegistry(config, client, [], plentyOfTime)).requestCount).toBe(2);
  });
});

describe('stopping early', () => {
  const names = ['e1', 'e2', 'e3', 'e4', 'e5', 'e6'];

  /** One request at a time; after two answers the invocation is down to less than one timeout plus a second. */
  async function runningOutAfterTwo() {
    const simulator = await registryWith(...names);
    let timeLeft = 60_000;
    const deadline: Deadline = { timeLeftMs: () => timeLeft };
    const client = clientFor(simulator, {
      concurrency: 1,
      requestTimeoutMs: 2_000,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (simulator.stats.requests === 2) timeLeft = 2_999;
        return response;
      },
    });
    return { simulator, client, deadline };
  }

  test('refused credentials stop the run: the remaining exporters are skipped, not hammered', async () => {
    const simulator = await startSimulator({ auth: { kind: 'basic', apiKey: 'key', apiSecret: 'right' } });
    for (const name of names) simulator.setExporter({ name, state: 'RUNNING' });
    const client = clientFor(simulator, { credentials: { kind: 'basic', apiKey: 'key', apiSecret: 'wrong' }, concurrency: 1 });
    const reading = await readRegistry(configFor(simulator.baseUrl, { exporters: names }), client, [], plentyOfTime);
    expect(reading.failures).toMatchObject([{ kind: 'credentials', httpStatus: 401 }]);
    expect(reading.skipped).toEqual(['e2', 'e3', 'e4', 'e5', 'e6']);
    expect(reading.observations.size).toBe(0);
    expect(simulator.stats.requests).toBe(1);
  });

  test('refused credentials cost the registry one request even with 4 allowed in flight: the first read goes alone', async () => {
    // 50 ms to answer: at 50 a second, two more reads would leave before the refusal if nothing held them.
    const simulator = await startSimulator({ auth: { kind: 'basic', apiKey: 'key', apiSecret: 'right' }, latencyMs: 50 });
    for (const name of names) simulator.setExporter({ name, state: 'RUNNING' });
    const client = clientFor(simulator, { credentials: { kind: 'basic', apiKey: 'key', apiSecret: 'wrong' }, requestsPerSecond: 50, concurrency: 4 });
    const reading = await readRegistry(configFor(simulator.baseUrl, { exporters: names }), client, [], plentyOfTime);
    expect(reading.failures).toMatchObject([{ kind: 'credentials', httpStatus: 401 }]);
    expect(reading.skipped).toHaveLength(names.length - 1);
    expect(simulator.stats.requests).toBe(1);
  });

  test('a refused OAuth client stops the run after a single token request', async () => {
    const auth = { kind: 'oauth', clientId: 'client', clientSecret: 'right', logicalCluster: 'lsrc-1' } as const;
    const simulator = await startSimulator({ auth });
    for (const name of names) simulator.setExporter({ name, state: 'RUNNING' });
    const credentials = { ...auth, clientSecret: 'wrong', tokenUrl: simulator.tokenUrl };
    const client = clientFor(simulator, { credentials, concurrency: 4 });
    const reading = await readRegistry(configFor(simulator.baseUrl, { exporters: names }), client, [], plentyOfTime);
    expect(reading.failures).toMatchObject([{ kind: 'credentials' }]);
    expect(reading.skipped).toHaveLength(names.length - 1);
    expect(simulator.stats).toMatchObject({ tokenRequests: 1, requests: 0 });
  });

  test('refused credentials on the list end the run with that one failure', async () => {
    const simulator = await startSimulator({ auth: { kind: 'basic', apiKey: 'key', apiSecret: 'right' } });
    simulator.setExporter({ name: 'a', state: 'RUNNING' });
    const client = clientFor(simulator, { credentials: { kind: 'basic', apiKey: 'key', apiSecret: 'wrong' } });
    const reading = await readRegistry(configFor(simulator.baseUrl), client, ['a'], plentyOfTime);
    expect(reading).toMatchObject({ failures: [{ kind: 'credentials', path: '/exporters' }], skipped: [], requestCount: 1 });
    expect(reading.observations.size).toBe(0);
  });

  test('near the deadline no new request starts and the rest are skipped for the next run', async () => {
    const { client, deadline, simulator } = await runningOutAfterTwo();
    const reading = await readRegistry(configFor(simulator.baseUrl, { exporters: names }), client, [], deadline);
    expect([...reading.observations.keys()]).toEqual(['e1', 'e2']);
    expect(reading.skipped).toEqual(['e3', 'e4', 'e5', 'e6']);
    expect(reading.failures).toEqual([]);
    expect(simulator.stats.requests).toBe(2);
  });

  test('reports every status read as it ends, skipped ones too, so progress reaches the total', async () => {
    const { client, deadline, simulator } = await runningOutAfterTwo();
    const progress: string[] = [];
    await readRegistry(configFor(simulator.baseUrl, { exporters: names }), client, [], deadline, {
      onStatusRead: (done, total) => progress.push(`${done}/${total}`),
    });
    expect(progress).toEqual(['1/6', '2/6', '3/6', '4/6', '5/6', '6/6']);
  });

  test('starts where the previous run stopped and wraps around, so none is starved', async () => {
    const simulator = await registryWith('a', 'b', 'c', 'd');
    const client = clientFor(simulator, { concurrency: 1 });
    await readRegistry(configFor(simulator.baseUrl, { exporters: ['d', 'a', 'c', 'b'] }), client, [], plentyOfTime, { resumeAt: 'c' });
    // Where the previous run stopped need not exist any more: the next name after it comes first.
    await readRegistry(configFor(simulator.baseUrl, { exporters: ['d', 'a', 'c', 'b'] }), client, [], plentyOfTime, { resumeAt: 'bb' });
    expect(statusRequests(simulator).map((request) => request.exporterName)).toEqual(['c', 'd', 'a', 'b', 'c', 'd', 'a', 'b']);
  });

  test('with no time left even for the list, known exporters are skipped and nothing is sent', async () => {
    const simulator = await registryWith('a');
    const config = configFor(simulator.baseUrl, { exclude: ['b'] });
    const reading = await readRegistry(config, clientFor(simulator), ['a', 'b'], { timeLeftMs: () => 500 });
    expect(reading).toMatchObject({ failures: [], skipped: ['a'], requestCount: 0 });
    expect(simulator.stats.requests).toBe(0);
  });
});
