import { RegistrySimulator, SAMPLE_TRACE } from '../../local/simulator.js';
import { startSimulator as start } from '../lambda/registry/support.js';

async function call(simulator: RegistrySimulator, path: string, init: RequestInit = {}) {
  const response = await fetch(simulator.baseUrl + path, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) : undefined };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('exporter API', () => {
  test('lists exporters and serves their status in the registry content type, with a request id', async () => {
    const simulator = await start();
    simulator.setExporter({ name: 'link-a', state: 'RUNNING', offset: 12, ts: 1701292093264 });
    simulator.setExporter({ name: 'link-b', state: 'PAUSED', trace: SAMPLE_TRACE });
    const list = await call(simulator, '/exporters');
    expect(list.body).toEqual(['link-a', 'link-b']);
    expect(list.headers.get('content-type')).toBe('application/vnd.schemaregistry.v1+json');
    const status = await call(simulator, '/exporters/link-a/status');
    expect(status.body).toEqual({ name: 'link-a', state: 'RUNNING', offset: 12, ts: 1701292093264, trace: '' });
    expect(status.headers.get('x-request-id')).toMatch(/\S+/);
    expect(status.headers.get('x-request-id')).not.toBe(list.headers.get('x-request-id'));
  });

  test('an unknown exporter is 404 with error code 40450', async () => {
    const simulator = await start();
    const answer = await call(simulator, '/exporters/nope/status');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ error_code: 40450, message: "Exporter 'nope' not found." });
    expect(answer.headers.get('x-request-id')).toBeTruthy();
  });

  test('an unknown path is a plain 404 without 40450', async () => {
    const simulator = await start();
    expect((await call(simulator, '/config')).body).toEqual({ error_code: 404, message: 'HTTP 404 Not Found' });
  });

  test('serves the definition, pauses, resumes (clearing the trace) and deletes', async () => {
    const simulator = await start();
    simulator.setExporter({ name: 'link', state: 'PAUSED', trace: SAMPLE_TRACE });
    expect((await call(simulator, '/exporters/link')).body).toMatchObject({ name: 'link', contextType: 'AUTO' });
    await call(simulator, '/exporters/link/resume', { method: 'PUT' });
    expect(simulator.exporters.get('link')).toMatchObject({ state: 'RUNNING', trace: '' });
    await call(simulator, '/exporters/link/pause', { method: 'PUT' });
    expect(simulator.exporters.get('link')?.state).toBe('PAUSED');
    await call(simulator, '/exporters/link', { method: 'DELETE' });
    expect((await call(simulator, '/exporters/link/status')).body.error_code).toBe(40450);
  });

  test('decodes a name in the path exactly once', async () => {
    const simulator = await start();
    simulator.setExporter({ name: 'a%20b/c', state: 'RUNNING' });
    expect((await call(simulator, '/exporters/a%2520b%2Fc/status')).body.name).toBe('a%20b/c');
    expect(simulator.recordedRequests[0]).toMatchObject({ kind: 'status', exporterName: 'a%20b/c', path: '/exporters/a%2520b%2Fc/status' });
  });

  test('a malformed percent-encoding is a 400', async () => {
    const simulator = await start();
    expect((await call(simulator, '/exporters/%E0%A4%A/status')).status).toBe(400);
  });

  test('addExporters creates many sortable exporters quickly', async () => {
    const simulator = await start();
    const names = simulator.addExporters(1000, 'bulk-', { state: 'STARTING', offset: -1 });
    expect(names[0]).toBe('bulk-0001');
    expect(names.at(-1)).toBe('bulk-1000');
    expect((await call(simulator, '/exporters')).body).toHaveLength(1000);
    expect(simulator.exporters.get('bulk-0500')?.state).toBe('STARTING');
  });

  test('removeExporter makes the exporter disappear', async () => {
    const simulator = await start();
    simulator.setExporter({ name: 'link', state: 'RUNNING' });
    expect(simulator.removeExporter('link')).toBe(true);
    expect((await call(simulator, '/exporters')).body).toEqual([]);
  });
});

describe('authentication', () => {
  test('basic auth: missing or wrong credentials are 401 with error code 401', async () => {
    const simulator = await start({ auth: { kind: 'basic', apiKey: 'key', apiSecret: 'secret' } });
    expect((await call(simulator, '/exporters')).body).toEqual({ error_code: 401, message: 'Unauthorized' });
    expect((await call(simulator, '/exporters', { headers: { authorization: basic('key', 'nope') } })).status).toBe(401);
    expect((await call(simulator, '/exporters', { headers: { authorization: basic('key', 'secret') } })).status).toBe(200);
  });

  test('oauth: the token endpoint issues a bearer token that the registry accepts with the cluster header', async () => {
    const simulator = await start({
      auth: { kind: 'oauth', clientId: 'id', clientSecret: 'secret', logicalCluster: 'lsrc-1', identityPoolId: 'pool-1', tokenLifetimeSeconds: 900 },
    });
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } };
    const refused = await call(simulator, '/oauth/token', { ...form, body: 'grant_type=client_credentials&client_id=id&client_secret=bad' });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('invalid_client');
    const issued = await call(simulator, '/oauth/token', { ...form, body: 'grant_type=client_credentials&client_id=id&client_secret=secret' });
    expect(issued.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    const bearer = { authorization: `Bearer ${issued.body.access_token}` };
    expect((await call(simulator, '/exporters', { headers: bearer })).status).toBe(401);
    const withCluster = { ...bearer, 'target-sr-cluster': 'lsrc-1' };
    expect((await call(simulator, '/exporters', { headers: withCluster })).status).toBe(403);
    expect((await call(simulator, '/exporters', { headers: { ...withCluster, 'confluent-identity-pool-id': 'pool-1' } })).status).toBe(200);
    simulator.revokeTokens();
    expect((await call(simulator, '/exporters', { headers: { ...withCluster, 'confluent-identity-pool-id': 'pool-1' } })).status).toBe(401);
    expect(simulator.stats).toMatchObject({ tokenRequests: 2, requests: 4 });
  });

  test('oauth: client credentials as HTTP Basic are accepted too', async () => {
    const simulator = await start({ auth: { kind: 'oauth', clientId: 'id', clientSecret: 'secret', logicalCluster: 'lsrc-1' } });
    const answer = await call(simulator, '/oauth/token', {
      method: 'POST',
      headers: { authorization: basic('id', 'secret'), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(answer.body.access_token).toEqual(expect.any(String));
  });
});

describe('rate limit', () => {
  test('requests over the budget of the sliding 1 s window get 429 with the rate-limit headers and are counted', async () => {
    const simulator = await start({ requestsPerSecond: 5 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => call(simulator, '/exporters')));
    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited).toHaveLength(3);
    expect(Object.fromEntries(['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'].map((name) => [name, limited[0]!.headers.get(name)]))).toEqual({
      'retry-after': '1',
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '1',
    });
    expect(simulator.stats.overBudget).toBe(3);
  });
});

describe('latency and faults', () => {
  test('latency delays every response', async () => {
    const simulator = await start({ latencyMs: 80 });
    const before = performance.now();
    await call(simulator, '/exporters');
    expect(performance.now() - before).toBeGreaterThanOrEqual(75);
  });

  test('a fault answers once for its path, then the real answer comes back', async () => {
    const simulator = await start();
    simulator.setExporter({ name: 'link', state: 'RUNNING' });
    simulator.injectFault({ path: /\/status$/, status: 503, headers: { 'retry-after': '2' } });
    const faulted = await call(simulator, '/exporters/link/status');
    expect(faulted.status).toBe(503);
    expect(faulted.headers.get('retry-after')).toBe('2');
    expect(faulted.body).toEqual({ error_code: 503, message: 'Service Unavailable' });
    expect((await call(simulator, '/exporters/link/status')).status).toBe(200);
  });

  test('a fault with `times` applies that many times, only to its method and path', async () => {
    const simulator = await start();
    simulator.injectFault({ path: '/exporters', method: 'GET', status: 500, times: 2 });
    expect((await call(simulator, '/exporters/x/status')).status).toBe(404);
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await call(simulator, '/exporters')).status);
    expect(statuses).toEqual([500, 500, 200]);
  });

  test('a custom body and content type replace the answer', async () => {
    const simulator = await start();
    simulator.injectFault({ path: '/exporters', contentType: 'text/html', body: '<html>login</html>' });
    const response = await fetch(`${simulator.baseUrl}/exporters`);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toBe('<html>login</html>');
  });

  test('a reset fault drops the connection', async () => {
    const simulator = await start();
    simulator.injectFault({ path: '/exporters', reset: true });
    await expect(fetch(`${simulator.baseUrl}/exporters`)).rejects.toThrow();
  });

  test('a truncate fault sends half of the real body', async () => {
    const simulator = await start();
    simulator.setExporter({ name: 'link', state: 'RUNNING' });
    simulator.injectFault({ path: '/exporters/link/status', truncate: true });
    const text = await (await fetch(`${simulator.baseUrl}/exporters/link/status`)).text();
    expect(() => JSON.parse(text)).toThrow();
    expect(text.startsWith('{"name":"link"')).toBe(true);
  });

  test('a delay fault holds the answer back', async () => {
    const simulator = await start();
    simulator.injectFault({ path: '/exporters', delayMs: 100 });
    const before = performance.now();
    expect((await call(simulator, '/exporters')).status).toBe(200);
    expect(performance.now() - before).toBeGreaterThanOrEqual(95);
  });

  test('close() does not wait for answers still held back', async () => {
    const simulator = await RegistrySimulator.start();
    simulator.injectFault({ path: '/exporters', delayMs: 60_000 });
    const pending = fetch(`${simulator.baseUrl}/exporters`).catch(() => 'closed');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await simulator.close();
    expect(await pending).toBe('closed');
  });
});

describe('observation', () => {
  test('records method, raw path, decoded name, headers and kind; resetStats clears them', async () => {
    const simulator = await start();
    await call(simulator, '/exporters/a%20b/status', { headers: { 'x-test': 'yes' } });
    expect(simulator.recordedRequests[0]).toMatchObject({
      method: 'GET',
      path: '/exporters/a%20b/status',
      exporterName: 'a b',
      kind: 'status',
      headers: expect.objectContaining({ 'x-test': 'yes' }),
    });
    expect(simulator.stats.byKind.status).toBe(1);
    simulator.resetStats();
    expect(simulator.stats).toMatchObject({ requests: 0, overBudget: 0, byKind: expect.objectContaining({ status: 0 }) });
    expect(simulator.recordedRequests).toEqual([]);
  });

  test('keeps only the most recent requests', async () => {
    const simulator = await start({ maxRecordedRequests: 5 });
    for (let i = 0; i < 12; i += 1) await call(simulator, `/exporters/e${i}/status`);
    expect(simulator.recordedRequests.map((request) => request.exporterName)).toEqual(['e7', 'e8', 'e9', 'e10', 'e11']);
    expect(simulator.stats.requests).toBe(12);
  });
});

describe('sample trace', () => {
  test('is a Java stack trace whose root cause is the import-mode error', () => {
    const [first, ...frames] = SAMPLE_TRACE.split('\n');
    expect(first).toBe(
      'io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException: Subject :.source.target:stock_trades-value is not in import mode; error code: 42205',
    );
    expect(frames.length).toBeGreaterThanOrEqual(18);
    expect(frames.every((frame) => frame.startsWith('\tat '))).toBe(true);
  });
});
