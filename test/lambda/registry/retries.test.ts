import { clientFor, failureOf, plentyOfTime, startSimulator, statusRequests } from './support.js';
import type { Fault } from '../../../local/simulator.js';

const STATUS_PATH = '/exporters/link/status';

async function registryFailing(fault: Omit<Fault, 'path'>) {
  const simulator = await startSimulator();
  simulator.setExporter({ name: 'link', state: 'RUNNING' });
  simulator.injectFault({ path: STATUS_PATH, ...fault });
  return simulator;
}

describe('transient registry problems are retried', () => {
  test('a 503 with Retry-After is waited out and the status is read', async () => {
    const simulator = await registryFailing({ status: 503, headers: { 'retry-after': '2' } });
    const client = clientFor(simulator);
    expect(await client.getStatus('link', plentyOfTime)).toMatchObject({ kind: 'status', status: { state: 'RUNNING' } });
    expect(client.sleeps).toEqual([2000]);
    expect(client.requestCount).toBe(2);
  });

  test('a 429 without Retry-After waits the relative X-RateLimit-Reset seconds', async () => {
    const simulator = await registryFailing({
      status: 429,
      headers: { 'x-ratelimit-limit': '75', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '3' },
    });
    const client = clientFor(simulator);
    expect((await client.getStatus('link', plentyOfTime)).kind).toBe('status');
    expect(client.sleeps).toEqual([3000]);
  });

  test('a registry that keeps rate limiting ends as rate-limited after four attempts', async () => {
    const simulator = await registryFailing({ status: 429, headers: { 'retry-after': '1' }, times: 10 });
    const client = clientFor(simulator);
    const failure = await failureOf(client.getStatus('link', plentyOfTime));
    expect(failure).toMatchObject({ kind: 'rate-limited', httpStatus: 429 });
    expect(statusRequests(simulator)).toHaveLength(4);
    expect(client.sleeps).toEqual([1000, 1000, 1000]);
  });

  test('repeated 500s end as server-error after capped, full-jitter exponential backoff', async () => {
    const simulator = await registryFailing({ status: 500, times: 10 });
    const client = clientFor(simulator, { maxAttempts: 5, maxBackoffMs: 500, random: () => 1 });
    const failure = await failureOf(client.getStatus('link', plentyOfTime));
    expect(failure).toMatchObject({ kind: 'server-error', httpStatus: 500 });
    expect(client.requestCount).toBe(5);
    expect(client.sleeps).toEqual([200, 400, 500, 500]);
  });

  test('the jitter draws each wait between zero and the exponential step', async () => {
    const simulator = await registryFailing({ status: 502, times: 3 });
    const client = clientFor(simulator, { random: () => 0.5 });
    expect((await client.getStatus('link', plentyOfTime)).kind).toBe('status');
    expect(client.sleeps).toEqual([100, 200, 400]);
  });

  test('a 408 is retried', async () => {
    const simulator = await registryFailing({ status: 408 });
    expect((await clientFor(simulator).getStatus('link', plentyOfTime)).kind).toBe('status');
  });

  test('an answer slower than the request timeout is a timeout', async () => {
    const simulator = await registryFailing({ delayMs: 1_000, times: 2 });
    const client = clientFor(simulator, { requestTimeoutMs: 100, maxAttempts: 2 });
    const failure = await failureOf(client.getStatus('link', plentyOfTime));
    expect(failure.kind).toBe('timeout');
    expect(failure.message).toContain('100 ms');
    expect(statusRequests(simulator)).toHaveLength(2);
  });

  test('a slow answer followed by a quick one is read on the retry', async () => {
    // The quick answer has a whole second, so a loaded machine does not turn it into a timeout too.
    const simulator = await registryFailing({ delayMs: 5_000 });
    const client = clientFor(simulator, { requestTimeoutMs: 1_000 });
    expect((await client.getStatus('link', plentyOfTime)).kind).toBe('status');
  });

  test('a connection reset is retried', async () => {
    const simulator = await registryFailing({ reset: true });
    expect((await clientFor(simulator).getStatus('link', plentyOfTime)).kind).toBe('status');
  });

  test('connections reset every time end as a network failure', async () => {
    const simulator = await registryFailing({ reset: true, times: 10 });
    const failure = await failureOf(clientFor(simulator).getStatus('link', plentyOfTime));
    expect(failure.kind).toBe('network');
    expect(failure.path).toBe(STATUS_PATH);
  });

  test('an unreachable registry is a network failure', async () => {
    const simulator = await startSimulator();
    const client = clientFor(simulator);
    await simulator.close();
    expect((await failureOf(client.getStatus('link', plentyOfTime))).message).toContain('ECONNREFUSED');
  });
});

describe('what is not retried', () => {
  test.each([400, 401, 403, 404, 409])('a %i is answered at once, without a retry', async (status) => {
    const simulator = await registryFailing({ status, times: 10 });
    const client = clientFor(simulator);
    await failureOf(client.getStatus('link', plentyOfTime));
    expect(client.requestCount).toBe(1);
  });

  test('an invalid 200 is not retried', async () => {
    const simulator = await registryFailing({ contentType: 'text/html', body: '<html></html>', times: 10 });
    const client = clientFor(simulator);
    await failureOf(client.getStatus('link', plentyOfTime));
    expect(client.requestCount).toBe(1);
  });

  test('a wait that does not fit in the time left ends with the failure instead of waiting', async () => {
    const simulator = await registryFailing({ status: 429, headers: { 'retry-after': '30' } });
    const client = clientFor(simulator);
    const failure = await failureOf(client.getStatus('link', { timeLeftMs: () => 20_000 }));
    expect(failure.kind).toBe('rate-limited');
    expect(client.sleeps).toEqual([]);
    expect(client.requestCount).toBe(1);
  });

  test('a retry that would start too close to the deadline ends with the failure seen, not as skipped', async () => {
    const simulator = await registryFailing({ status: 503 });
    let timeLeft = 60_000;
    const client = clientFor(simulator, {
      sleep: async () => {
        timeLeft = 1_000;
      },
    });
    const failure = await failureOf(client.getStatus('link', { timeLeftMs: () => timeLeft }));
    expect(failure).toMatchObject({ kind: 'server-error', httpStatus: 503 });
    expect(client.requestCount).toBe(1);
  });
});
