import type { RegistryClient } from '../../../lambda/registry/registry-client.js';
import { clientFor, plentyOfTime, startSimulator, statusRequests } from './support.js';

function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((time, index) => time - times[index]!);
}

/**
 * The first request of a process pays for connection set-up and arrives late, which squeezes the
 * next gap at the server; one paced request first keeps that harness artefact out of the spacing.
 */
async function warmUp(client: RegistryClient): Promise<void> {
  await client.listExporters(plentyOfTime);
}

describe('pacing against the registry budget', () => {
  test('20 reads at 10 requests per second arrive evenly spaced over at least 1.9 s and never exceed the budget', async () => {
    const simulator = await startSimulator({ requestsPerSecond: 10 });
    const names = simulator.addExporters(20, 'link-');
    const client = clientFor(simulator, { requestsPerSecond: 10, concurrency: 4 });
    await warmUp(client);
    await Promise.all(names.map((name) => client.getStatus(name, plentyOfTime)));
    const arrivals = statusRequests(simulator).map((request) => request.at);
    expect(arrivals).toHaveLength(20);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(1_850);
    expect(Math.min(...gaps(arrivals))).toBeGreaterThanOrEqual(95);
    expect(simulator.stats.overBudget).toBe(0);
  });

  test('retries wait for their paced turn too', async () => {
    const simulator = await startSimulator({ requestsPerSecond: 5 });
    simulator.setExporter({ name: 'link', state: 'RUNNING' });
    simulator.injectFault({ path: '/exporters/link/status', status: 503, times: 3 });
    const client = clientFor(simulator, { requestsPerSecond: 5, concurrency: 4 });
    await warmUp(client);
    expect((await client.getStatus('link', plentyOfTime)).kind).toBe('status');
    const arrivals = statusRequests(simulator).map((request) => request.at);
    expect(arrivals).toHaveLength(4);
    expect(Math.min(...gaps(arrivals))).toBeGreaterThanOrEqual(195);
    expect(simulator.stats.overBudget).toBe(0);
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
