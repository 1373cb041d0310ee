import { clientFor, failureOf, plentyOfTime, startSimulator, statusRequests } from './support.js';
import type { Fault } from '../../../local/simulator.js';
import { SAMPLE_TRACE } from '../../../local/simulator.js';

const STATUS_PATH = '/exporters/link/status';

async function registryWithLink() {
  const simulator = await startSimulator();
  simulator.setExporter({ name: 'link', state: 'RUNNING', offset: 42, ts: 1701292093264 });
  return simulator;
}

/** The failure a status read ends with when the registry answers with `fault`. */
async function failureFor(fault: Omit<Fault, 'path'>) {
  const simulator = await registryWithLink();
  simulator.injectFault({ path: STATUS_PATH, times: 10, ...fault });
  const client = clientFor(simulator, { maxAttempts: 1 });
  return { failure: await failureOf(client.getStatus('link', plentyOfTime)), simulator };
}

const json = (value: unknown) => JSON.stringify(value);

describe('what a status read reports', () => {
  test('a healthy exporter: state, offset and timestamp as the registry sent them', async () => {
    const simulator = await registryWithLink();
    expect(await clientFor(simulator).getStatus('link', plentyOfTime)).toEqual({
      kind: 'status',
      status: { name: 'link', state: 'RUNNING', offset: 42, ts: 1701292093264, trace: '' },
    });
  });

  test('a paused exporter with its Java stack trace', async () => {
    const simulator = await startSimulator();
    simulator.setExporter({ name: 'link', state: 'PAUSED', offset: 7, trace: SAMPLE_TRACE });
    const observation = await clientFor(simulator).getStatus('link', plentyOfTime);
    expect(observation).toMatchObject({ kind: 'status', status: { state: 'PAUSED', trace: SAMPLE_TRACE } });
  });

  test('a state that does not exist yet is reported as it is, not dropped', async () => {
    const simulator = await startSimulator();
    simulator.setExporter({ name: 'link', state: 'MIGRATING' });
    expect(await clientFor(simulator).getStatus('link', plentyOfTime)).toMatchObject({ status: { state: 'MIGRATING' } });
  });

  test('offset -1 is kept; missing or null ts and trace become null', async () => {
    const simulator = await startSimulator();
    simulator.injectFault({ path: STATUS_PATH, body: json({ name: 'link', state: 'STARTING', offset: -1, ts: null }) });
    expect(await clientFor(simulator).getStatus('link', plentyOfTime)).toEqual({
      kind: 'status',
      status: { name: 'link', state: 'STARTING', offset: -1, ts: null, trace: null },
    });
  });

  test('an int64 offset beyond what JSON numbers hold exactly becomes unknown rather than wrong', async () => {
    const simulator = await startSimulator();
    simulator.injectFault({ path: STATUS_PATH, body: '{"name": "link", "state": "RUNNING", "offset": 9223372036854775807, "ts": 1701292093264}' });
    expect(await clientFor(simulator).getStatus('link', plentyOfTime)).toMatchObject({ status: { offset: null, ts: 1701292093264 } });
  });

  test('a 1 MB trace is read whole', async () => {
    const simulator = await startSimulator();
    const trace = `${SAMPLE_TRACE}\n${'\tat com.example.Deep.frame(Deep.java:1)\n'.repeat(26_000)}`;
    expect(trace.length).toBeGreaterThan(1_000_000);
    simulator.setExporter({ name: 'link', state: 'PAUSED', trace });
    const observation = await clientFor(simulator).getStatus('link', plentyOfTime);
    expect(observation.kind === 'status' && observation.status.trace).toBe(trace);
  });

  test('the registry content types and a charset parameter are all accepted', async () => {
    for (const contentType of ['application/vnd.schemaregistry+json', 'application/json; charset=utf-8', 'Application/JSON']) {
      const simulator = await registryWithLink();
      simulator.injectFault({ path: STATUS_PATH, contentType, body: json({ name: 'link', state: 'RUNNING' }) });
      expect((await clientFor(simulator).getStatus('link', plentyOfTime)).kind).toBe('status');
    }
  });

  test('requests ask for the registry media types in order of preference', async () => {
    const simulator = await registryWithLink();
    await clientFor(simulator).getStatus('link', plentyOfTime);
    expect(statusRequests(simulator)[0]!.headers.accept).toBe(
      'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; q=0.9, application/json; q=0.8',
    );
  });
});

describe('a deleted exporter', () => {
  test('404 with error code 40450 means the exporter is missing', async () => {
    const simulator = await startSimulator();
    expect(await clientFor(simulator).getStatus('gone', plentyOfTime)).toEqual({ kind: 'missing' });
  });

  test('404 without 40450 (wrong base URL, exporter API disabled) is a monitor failure, not a disappearance', async () => {
    const { failure } = await failureFor({ status: 404, body: json({ error_code: 404, message: 'HTTP 404 Not Found' }) });
    expect(failure).toMatchObject({ kind: 'not-found', httpStatus: 404, errorCode: 404, path: STATUS_PATH });
  });

  test('404 with an HTML body is not-found too', async () => {
    const { failure } = await failureFor({ status: 404, contentType: 'text/html', body: '<html>Not Found</html>' });
    expect(failure.kind).toBe('not-found');
  });
});

describe('answers that are monitor failures', () => {
  test.each([
    ['401', 'credentials', { status: 401 }],
    ['403', 'credentials', { status: 403, body: json({ error_code: 40301, message: 'Forbidden' }) }],
    ['400 invalid name', 'client-error', { status: 400, body: json({ error_code: 40950, message: 'Invalid exporter name' }) }],
    ['an HTML login page with status 200', 'invalid-response', { status: 200, contentType: 'text/html', body: '<html><form>login</form></html>' }],
    ['JSON sent as text/plain', 'invalid-response', { status: 200, contentType: 'text/plain', body: json({ name: 'link', state: 'RUNNING' }) }],
    ['an empty object', 'invalid-response', { body: '{}' }],
    ['an array', 'invalid-response', { body: json([{ name: 'link', state: 'RUNNING' }]) }],
    ['null', 'invalid-response', { body: 'null' }],
    ['another exporter\'s status', 'invalid-response', { body: json({ name: 'other', state: 'RUNNING' }) }],
    ['a status without state', 'invalid-response', { body: json({ name: 'link', offset: 3, ts: 1 }) }],
    ['a numeric state', 'invalid-response', { body: json({ name: 'link', state: 3 }) }],
    ['an offset string', 'invalid-response', { body: json({ name: 'link', state: 'RUNNING', offset: '12' }) }],
    ['a ts string', 'invalid-response', { body: json({ name: 'link', state: 'RUNNING', ts: 'yesterday' }) }],
    ['a trace object', 'invalid-response', { body: json({ name: 'link', state: 'PAUSED', trace: { lines: [] } }) }],
    ['an empty 200 body', 'invalid-response', { body: '' }],
    ['a 204', 'invalid-response', { status: 204, body: '' }],
  ] as const)('%s => %s', async (_, kind, fault) => {
    const { failure } = await failureFor(fault);
    expect(failure.kind).toBe(kind);
    expect(failure.path).toBe(STATUS_PATH);
  });

  test('truncated JSON is an invalid response', async () => {
    const { failure } = await failureFor({ truncate: true });
    expect(failure.kind).toBe('invalid-response');
    expect(failure.message).toContain('not valid JSON');
  });

  test('a 302 redirect is not followed, so the credentials never reach the other host', async () => {
    const simulator = await registryWithLink();
    simulator.injectFault({ path: STATUS_PATH, status: 302, headers: { location: `${simulator.baseUrl}/elsewhere` }, body: '' });
    const client = clientFor(simulator, { credentials: { kind: 'basic', apiKey: 'key', apiSecret: 'secret-value' } });
    const failure = await failureOf(client.getStatus('link', plentyOfTime));
    expect(failure).toMatchObject({ kind: 'redirect', httpStatus: 302 });
    expect(simulator.recordedRequests.map((request) => request.path)).toEqual([STATUS_PATH]);
  });

  test('a list that is not an array of names is an invalid response', async () => {
    const simulator = await startSimulator();
    simulator.injectFault({ path: '/exporters', body: json({ exporters: ['a'] }) });
    expect((await failureOf(clientFor(simulator).listExporters(plentyOfTime))).kind).toBe('invalid-response');
  });
});

describe('failure messages', () => {
  test('name the status, the registry error code and message, the path, and carry the X-Request-Id', async () => {
    const { failure } = await failureFor({
      status: 403,
      headers: { 'x-request-id': 'req-abc-123' },
      body: json({ error_code: 40301, message: 'User is denied operation Read on Subject' }),
    });
    expect(failure).toEqual({
      kind: 'credentials',
      httpStatus: 403,
      errorCode: 40301,
      requestId: 'req-abc-123',
      path: STATUS_PATH,
      message: `the registry refused the credentials (GET ${STATUS_PATH} -> HTTP 403, error_code 40301: User is denied operation Read on Subject)`,
    });
  });

  test('registry text is one line without control characters, at most 200 characters of it', async () => {
    const hostile = `first line\nSECOND LINE\r\u001b[31mred\u202Eevil\u0000 ${'x'.repeat(500)}`;
    const { failure } = await failureFor({ status: 400, headers: { 'x-request-id': 'id\tbell' }, body: json({ error_code: 400, message: hostile }) });
    expect(failure.message).not.toMatch(/[\u0000-\u001f\u007f\u202e]/);
    expect(failure.message).toContain('first line SECOND LINE [31mred evil');
    expect(failure.message.length).toBeLessThan(320);
    expect(failure.requestId).toBe('id bell');
  });

  test('a secret echoed back by the server is cut out of the message', async () => {
    const simulator = await registryWithLink();
    simulator.injectFault({ path: STATUS_PATH, status: 401, body: json({ error_code: 401, message: 'bad secret: hunter2-secret' }) });
    const client = clientFor(simulator, { credentials: { kind: 'basic', apiKey: 'key', apiSecret: 'hunter2-secret' } });
    const failure = await failureOf(client.getStatus('link', plentyOfTime));
    expect(failure.message).toContain('bad secret: ***');
    expect(failure.message).not.toContain('hunter2');
  });
});
