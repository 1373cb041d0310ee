import { clientFor, plentyOfTime, startSimulator, statusRequests } from './support.js';

function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((time, index) => time - times[index]!);
}

function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/**
 * Records when the client sends each request: arrival times at the simulator share this process's
 * event loop, so a busy test machine bunches them more than it does send times.
 */
function sendTimes(): { readonly fetch: typeof fetch; readonly times: number[] } {
  const times: number[] = [];
  return {
    times,
    fetch: (input, init) => {
      times.push(performance.now());
      return fetch(input, init);
    },
  };
}

describe('pacing against the registry budget', () => {
  test('20 reads at 10 requests per second are sent evenly, about 102 ms apart', async () => {
    const simulator = await startSimulator();
    const names = simulator.addExporters(20, 'link-');
    // The first fetch of a process pays for its set-up and would arrive late.
    await (await fetch(`${simulator.baseUrl}/exporters`)).text();
    const sent = sendTimes();
    const client = clientFor(simulator, { requestsPerSecond: 10, concurrency: 4, fetch: sent.fetch });
    await Promise.all(names.map((name) => client.getStatus(name, plentyOfTime)));
    expect(statusRequests(simulator)).toHaveLength(20);
    // 19 gaps of 102 ms are 1.94 s; the slack covers a late first send on a busy machine.
    expect(sent.times.at(-1)! - sent.times[0]!).toBeGreaterThanOrEqual(1_800);
    // Evenly spaced, never two together (an unpaced burst has gaps of a few ms); the low bound
    // leaves room for a GC pause between a start and its send on a busy machine.
    expect(median(gaps(sent.times))).toBeGreaterThanOrEqual(100);
    expect(Math.min(...gaps(sent.times))).toBeGreaterThanOrEqual(20);
  });

  test('a budget below the registry rate limit never meets a 429', async () => {
    const simulator = await startSimulator({ requestsPerSecond: 10 });
    const names = simulator.addExporters(12, 'link-');
    const client = clientFor(simulator, { requestsPerSecond: 8, concurrency: 4 });
    await Promise.all(names.map((name) => client.getStatus(name, plentyOfTime)));
    expect(simulator.stats).toMatchObject({ overBudget: 0, requests: 12 });
  });

  test('retries wait for their paced turn too', async () => {
    const simulator = await startSimulator();
    simulator.setExporter({ name: 'link', state: 'RUNNING' });
    simulator.injectFault({ path: '/exporters/link/status', status: 503, times: 3 });
    const sent = sendTimes();
    const client = clientFor(simulator, { requestsPerSecond: 5, concurrency: 4, fetch: sent.fetch });
    expect((await client.getStatus('link', plentyOfTime)).kind).toBe('status');
    expect(client.sleeps).toHaveLength(3);
    expect(sent.times).toHaveLength(4);
    expect(median(gaps(sent.times))).toBeGreaterThanOrEqual(200);
    expect(Math.min(...gaps(sent.times))).toBeGreaterThanOrEqual(100);
  });

  test('no more than `concurrency` requests are in flight at once', async () => {
    const simulator = await startSimulator({ latencyMs: 50 });
    const names = simulator.addExporters(12, 'link-');
    let inFlight = 0;
    let mostInFlight = 0;
    const countingFetch: typeof fetch = async (input, init) => {
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight -= 1;
      }
    };
    const client = clientFor(simulator, { concurrency: 3, fetch: countingFetch });
    await Promise.all(names.map((name) => client.getStatus(name, plentyOfTime)));
    expect(mostInFlight).toBe(3);
  });
});
